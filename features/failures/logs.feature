@failures @logs
Feature: Protocol logs, tracking log, counters and events on failures and successes (BEHAVIOUR §6)

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-LOG-01
  Scenario: Protocol logs are written only on connectors with ProtocolLoggingLevel Verbose
    Given "fabrikam.com" sets ProtocolLoggingLevel to "None" on send connector "To woodgrovebank.com"
    And "woodgrovebank.com" sets ProtocolLoggingLevel to "None" on receive connector "From fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the send protocol log of "fabrikam.com" is empty
    And the receive protocol log of "woodgrovebank.com" is empty

  @DS-LOG-01
  Scenario: A Verbose connector's log file has Exchange's name and headers
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the receive protocol log file of "woodgrovebank.com" is named like "RECV20260302-1.LOG" and starts with:
      | #Software: Microsoft Exchange Server                                                                            |
      | #Version: 15.0.0.0                                                                                              |
      | #Log-type: SMTP Receive Protocol Log                                                                            |
      | #Date: 2026-03-02T09:00:00.000Z                                                                                 |
      | #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context    |
    And the send protocol log file of "fabrikam.com" is named like "SEND20260302-1.LOG" and starts with:
      | #Log-type: SMTP Send Protocol Log |

  @DS-LOG-02
  Scenario: Every protocol log line has the fields, ids and events of the Exchange format
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the receive protocol log lines of "woodgrovebank.com" match "^2026-03-02T09:00:00\.000Z,EX1\\From fabrikam\.com,[0-9A-F]{16},\d+,127\.0\.2\.1:25,127\.0\.1\.1:[1-9]\d*,[-+<>*],"
    And the send protocol log lines of "fabrikam.com" match "^2026-03-02T09:00:00\.000Z,To woodgrovebank\.com,[0-9A-F]{16},\d+,127\.0\.1\.1:[1-9]\d*,127\.0\.2\.1:25,[-+<>*],"
    And every session in the receive protocol log of "woodgrovebank.com" numbers its lines from 0 and opens with "+" and closes with "-"
    And every session in the send protocol log of "fabrikam.com" numbers its lines from 0 and opens with "+" and closes with "-"
    And the receive protocol log of "woodgrovebank.com" contains:
      | ,>,250-mail.woodgrovebank.com Hello [127.0.1.1] 250-SIZE 37748736 250-PIPELINING |
    And the send protocol log of "fabrikam.com" contains:
      | ,>,EHLO mail.fabrikam.com, |

  @DS-LOG-02
  Scenario: A multi-line reply is logged on one line and a value with commas is CSV-quoted
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the send protocol log of "fabrikam.com" contains:
      | ,<,250-mail.woodgrovebank.com Hello [127.0.1.1] 250-SIZE 37748736 250-PIPELINING 250-DSN 250-ENHANCEDSTATUSCODES 250-STARTTLS 250-AUTH 250 8BITMIME, |
      | ,*,,"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash |

  @DS-LOG-03
  Scenario: The certificate lines of a domain-secured session, both sides
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the send protocol log of "fabrikam.com" contains:
      | *,,Sending certificate                                                           |
      | *,CN=mail.fabrikam.com,Certificate subject                                       |
      | *,CN=Fabrikam Issuing CA,Certificate issuer name                                 |
      | ,Certificate serial number                                                       |
      | ,Certificate thumbprint                                                          |
      | *,mail.fabrikam.com,Certificate alternate names                                  |
      | *,,Remote certificate                                                            |
      | *,CN=mail.woodgrovebank.com,Certificate subject                                  |
      | *,,"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_ |
      | *,,Secure domain certificate                                                     |
    And the receive protocol log of "woodgrovebank.com" contains:
      | *,,Sending certificate                                                           |
      | *,,Remote certificate                                                            |
      | *,,"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded                     |
      | *,,Validated received certificate                                                |
      | *,CN=mail.fabrikam.com,Certificate subject                                       |

  @DS-LOG-03 @DS-SEND-05 @DS-RECV-06
  Scenario Outline: The information line for a <failure> failure
    Given <setup>
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the <side> protocol log of "<org>" contains:
      | <line> |

    Examples:
      | failure                  | setup                                                          | side    | org               | line                                                                       |
      | receiver chain untrusted | "woodgrovebank.com" has not imported the root of "fabrikam.com" | receive | woodgrovebank.com | *,,Client certificate chain validation status: 'UntrustedRoot'            |
      | receiver name mismatch   | the edge certificate of "fabrikam.com" names "mail.contoso.com" | receive | woodgrovebank.com | *,,Client certificate chain validation status: 'SubjectMismatch'          |
      | sender chain untrusted   | "fabrikam.com" has not imported the root of "woodgrovebank.com" | send    | fabrikam.com      | validation status was 'UntrustedRoot' .                                   |
      | sender name mismatch     | the edge certificate of "woodgrovebank.com" names "mail.contoso.com" | send | fabrikam.com   | failed because the remote certificate names (mail.contoso.com) do not match the domain . |
      | TLS not offered          | the edge of "woodgrovebank.com" has no certificate              | send    | fabrikam.com      | failed because TLS was not offered .                                       |
      | connector not secure     | "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com" | send | fabrikam.com | failed because DomainSecureEnabled was set to false . |
      | TLS negotiation          | the edge of "fabrikam.com" has no certificate                   | send    | fabrikam.com      | *,,TLS negotiation failed with error SEC_E_NO_CREDENTIALS                |
      | CRL offline (lenient)    | the CRL distribution point of "woodgrovebank.com" is unreachable | send   | fabrikam.com      | *,,CRL validation failed with status RevocationOffline. Treating the failure as success. |

  @DS-LOG-04
  Scenario: The tracking logs of a domain-secured message on both sides
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the tracking log of "fabrikam.com" shows "RECEIVE, SEND"
    And the tracking log of "woodgrovebank.com" shows "RECEIVE, DELIVER"
    And the tracking log of "woodgrovebank.com" has a RECEIVE entry with messageInfo "02P:fabrikam.com"
    And the tracking log of "fabrikam.com" has a SEND entry with connectorId "To woodgrovebank.com"
    And the tracking log text of "woodgrovebank.com" starts with "#Log-type: Message Tracking Log"

  @DS-LOG-04
  Scenario: An anonymous receive carries no 02P message-info
    Given "woodgrovebank.com" removes "fabrikam.com" from TLSReceiveDomainSecureList
    And "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the tracking log of "woodgrovebank.com" has a RECEIVE entry with messageInfo ""
    And the tracking log of "woodgrovebank.com" has no RECEIVE entry with messageInfo "02P:"

  @DS-LOG-04 @DS-QUEUE-04 @DS-QUEUE-05
  Scenario: The tracking log of a message that is deferred, delayed and expires
    Given "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 30 minutes pass
    Then the tracking log of "fabrikam.com" shows "RECEIVE, DEFER, DEFER, DEFER, DEFER"
    When 2 days pass
    Then the tracking log of "fabrikam.com" has a DSN entry with recipientStatus "400 4.4.7 Message delayed"
    And the tracking log of "fabrikam.com" has a FAIL entry with recipientStatus "550 4.4.7 QUEUE.Expired; message expired"
    And the tracking log of "fabrikam.com" has a DELIVER entry with recipients "ann@fabrikam.com"

  @DS-LOG-05
  Scenario: Counters count every outbound session failure and every domain-secured message
    Given "fabrikam.com" has not imported the root of "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 20 minutes pass
    And "fabrikam.com" imports the root of "woodgrovebank.com"
    And 10 minutes pass
    And "bob@woodgrovebank.com" sends a message to "ann@fabrikam.com"
    Then the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 3 |
      | Domain-Secured Messages Sent             | 1 |
      | Domain-Secured Messages Received         | 1 |
    And the counters of "woodgrovebank.com" are:
      | Domain-Secured Outbound Session Failures | 0 |
      | Domain-Secured Messages Sent             | 1 |
      | Domain-Secured Messages Received         | 1 |

  @DS-LOG-06
  Scenario: Events come from MSExchangeTransport, one per failed session
    Given "fabrikam.com" has not imported the root of "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 20 minutes pass
    Then the events of "fabrikam.com" are "11020, 11020, 11020"
    And every event of "fabrikam.com" comes from source "MSExchangeTransport"
