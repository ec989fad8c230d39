@failures @certificates
Feature: Certificate validation failures, both directions (BEHAVIOUR §2)
  fabrikam.com and woodgrovebank.com are Domain Security partners both ways (roots imported,
  both lists, Partner connectors, Verbose logs). Each scenario breaks one certificate fact
  and checks what both sides can observe.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-CERT-01 @DS-RECV-06 @DS-CERT-06 @DS-LOG-06
  Scenario: The receiver has not imported the sender's root
    Given "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status    | Retry                                                                                    |
      | LastError | 451 4.4.0 Primary target IP address responded with: "454 4.7.5 Certificate validation failure." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 127.0.2.1:25 |
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'UntrustedRoot' |
      | 454 4.7.5 Certificate validation failure                    |
    And the events of "woodgrovebank.com" are "11011"
    And "bob@woodgrovebank.com" has no mail

  @DS-CERT-01 @DS-SEND-05 @DS-LOG-05 @DS-LOG-06
  Scenario: The sender has not imported the receiver's root
    Given "fabrikam.com" has not imported the root of "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | Message to secure domain 'woodgrovebank.com' on send connector 'To woodgrovebank.com' failed because the remote certificate chain validation status was 'UntrustedRoot' . |
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the events of "fabrikam.com" are "11020"
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
      | Domain-Secured Messages Sent             | 0 |

  @DS-CERT-01
  Scenario: Neither side has imported the other's root
    Given "fabrikam.com" has not imported the root of "woodgrovebank.com"
    And "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And "bob@woodgrovebank.com" sends a message to "ann@fabrikam.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the message from "bob@woodgrovebank.com" to "ann@fabrikam.com" was "queued with 454 4.7.5"
    And the events of "fabrikam.com" are "11020"
    And the events of "woodgrovebank.com" are "11020"

  @DS-CERT-01 @DS-CERT-06 @DS-SEND-05
  Scenario: A self-signed edge certificate is trusted only after it is imported
    Given the edge certificate of "woodgrovebank.com" is self-signed
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was 'UntrustedRoot' |
    When "fabrikam.com" imports the edge certificate of "woodgrovebank.com" as a trusted root
    And "fabrikam.com" runs Retry-Queue on its queue to "woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

  @DS-CERT-02 @DS-SEND-04 @DS-LOG-06
  Scenario: The partner's edge certificate names another domain
    Given the edge certificate of "woodgrovebank.com" names "mail.tailspintoys.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | failed because the remote certificate names (mail.tailspintoys.com) do not match the domain . |
    And the events of "fabrikam.com" are "11016"

  @DS-CERT-02 @DS-RECV-05 @DS-LOG-06
  Scenario: The sender's edge certificate names another domain
    Given the edge certificate of "fabrikam.com" names "mail.tailspintoys.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'SubjectMismatch' |
    And the events of "woodgrovebank.com" are "11015"

  @DS-CERT-02
  Scenario Outline: Subject CN and DNS SANs both count as names (<case>)
    Given the edge certificate of "<side>" has common name "<cn>" and alternate names "<sans>"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

    Examples:
      | case                              | side              | cn                     | sans                   |
      | receiver CN covers, no SAN does   | woodgrovebank.com | mail.woodgrovebank.com | edge.tailspintoys.com  |
      | receiver SAN covers, CN does not  | woodgrovebank.com | edge.tailspintoys.com  | mail.woodgrovebank.com |
      | sender CN covers, no SAN does     | fabrikam.com      | mail.fabrikam.com      | edge.tailspintoys.com  |
      | sender SAN covers, CN does not    | fabrikam.com      | edge.tailspintoys.com  | mail.fabrikam.com      |

  @DS-CERT-02 @DS-SEND-04 @DS-SEND-06
  Scenario Outline: Name rules on the sender's check of the receiver: <name> for woodgrovebank.com
    Given the edge certificate of "woodgrovebank.com" names "<name>"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "<fate>"

    Examples:
      | name                       | fate                  |
      | woodgrovebank.com          | delivered as Partner  |
      | *.woodgrovebank.com        | delivered as Partner  |
      | mail.woodgrovebank.com     | delivered as Partner  |
      | MAIL.WoodgroveBank.COM     | delivered as Partner  |
      | a.mail.woodgrovebank.com   | queued with 454 4.7.5 |
      | *.mail.woodgrovebank.com   | queued with 454 4.7.5 |
      | woodgrovebank.com.evil.example | queued with 454 4.7.5 |

  @DS-CERT-02 @DS-RECV-05 @DS-RECV-07
  Scenario Outline: Name rules on the receiver's check of the sender: <name> for fabrikam.com
    Given the edge certificate of "fabrikam.com" names "<name>"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "<fate>"

    Examples:
      | name                 | fate                  |
      | *.fabrikam.com       | delivered as Partner  |
      | smtp.fabrikam.com    | delivered as Partner  |
      | a.smtp.fabrikam.com  | queued with 454 4.7.5 |

  @DS-CERT-02
  Scenario: A wildcard covers every domain that ends with its suffix (*.S)
    Given "uk.woodgrovebank.com" is also a Domain Security partner of "fabrikam.com"
    And the edge certificate of "uk.woodgrovebank.com" names "*.woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "kim@uk.woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "kim@uk.woodgrovebank.com" was "delivered as Partner"

  @DS-CERT-02 @DS-RECV-05
  Scenario: A client certificate for '*.com' does not authenticate a .com partner
    Given the edge certificate of "fabrikam.com" names "*.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'SubjectMismatch' |

  @DS-CERT-05 @DS-CERT-06 @DS-SEND-05 @DS-RECV-06
  Scenario Outline: A trusted certificate with an unrecognized critical extension is not valid (<side>)
    Given the edge certificate of "<org>" is unknown-critical-extension
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the <log> protocol log of "<logger>" contains:
      | <line> |

    Examples:
      | side     | org               | log     | logger            | line                                                  |
      | receiver | woodgrovebank.com | send    | fabrikam.com      | validation status was 'WrongUsage'                    |
      | sender   | fabrikam.com      | receive | woodgrovebank.com | Client certificate chain validation status: 'WrongUsage' |

  @DS-CERT-06 @DS-SEND-06 @DS-RECV-07
  Scenario Outline: Legacy certificates (<fault>) on a private PKI are accepted, as Exchange accepts them (<side>)
    Given the edge certificate of "<org>" is <fault>
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

    Examples:
      | fault          | side     | org               |
      | sha1-signature | receiver | woodgrovebank.com |
      | sha1-signature | sender   | fabrikam.com      |
      | rsa-1024       | receiver | woodgrovebank.com |
      | rsa-1024       | sender   | fabrikam.com      |

  @DS-CERT-03 @DS-SEND-05 @DS-CERT-06
  Scenario Outline: The receiver's certificate is <fault>
    Given the edge certificate of "woodgrovebank.com" is <fault>
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was '<status>' |

    Examples:
      | fault         | status             |
      | expired       | CertificateExpired |
      | not-yet-valid | CertificateExpired |

  @DS-CERT-03 @DS-RECV-06 @DS-CERT-06
  Scenario Outline: The sender's certificate is <fault>
    Given the edge certificate of "fabrikam.com" is <fault>
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: '<status>' |

    Examples:
      | fault          | status             |
      | expired        | CertificateExpired |
      | not-yet-valid  | CertificateExpired |
      | no-client-auth | WrongUsage         |
      | unknown-issuer | UntrustedRoot      |

  @DS-CERT-05 @DS-SEND-05
  Scenario: The receiver's certificate lacks the clientAuth usage
    Given the edge certificate of "woodgrovebank.com" is no-client-auth
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was 'WrongUsage' |

  @DS-CERT-04 @DS-SEND-05
  Scenario: The receiver's certificate is on its CA's CRL, served over HTTP from the distribution point
    Given the edge certificate of "woodgrovebank.com" is revoked by its CA
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was 'Revoked' |

  @DS-CERT-04 @DS-RECV-06
  Scenario: The sender's certificate is on its CA's CRL
    Given the edge certificate of "fabrikam.com" is revoked by its CA
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'Revoked' |

  @DS-CERT-04 @DS-LOG-03
  Scenario: An unreachable CRL is a transient failure treated as success, with the information line
    Given the CRL distribution point of "woodgrovebank.com" is unreachable
    And the CRL distribution point of "fabrikam.com" is unreachable
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the send protocol log of "fabrikam.com" contains:
      | CRL validation failed with status RevocationOffline. Treating the failure as success. |
    And the receive protocol log of "woodgrovebank.com" contains:
      | CRL validation failed with status RevocationOffline. Treating the failure as success. |

  @DS-CERT-04 @DS-SEND-05 @DS-CERT-06
  Scenario: An unreachable CRL fails validation in strict mode
    Given "fabrikam.com" checks certificate revocation in strict mode
    And the CRL distribution point of "woodgrovebank.com" is unreachable
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was 'RevocationOffline' |

  @DS-CERT-04 @DS-RECV-06
  Scenario: The receiver in strict mode refuses a sender whose CRL it cannot fetch
    Given "woodgrovebank.com" checks certificate revocation in strict mode
    And the CRL distribution point of "fabrikam.com" is unreachable
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'RevocationOffline' |

  @DS-CERT-01 @DS-SEND-05
  Scenario: A certificate forged in the name of the partner's issuing CA is not trusted
    Given the edge certificate of "woodgrovebank.com" is forged-issuer
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | validation status was 'UntrustedRoot' |

  @DS-CERT-01 @DS-RECV-06
  Scenario: The receiver refuses a client certificate forged in the name of the sender's issuing CA
    Given the edge certificate of "fabrikam.com" is forged-issuer
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'UntrustedRoot' |
