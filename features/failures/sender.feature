@failures @sender
Feature: The sender's checks on the way out (BEHAVIOUR §4, DS-SEND-01…06)
  fabrikam.com lists woodgrovebank.com on TLSSendDomainSecureList and routes it through the Partner
  send connector "To woodgrovebank.com". Every DS-SEND-01…05 failure leaves the message queued and
  adds 1 to Domain-Secured Outbound Session Failures.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-SEND-01 @DS-LOG-03 @DS-LOG-05 @DS-LOG-06
  Scenario: The send connector chosen has DomainSecureEnabled false
    Given "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 4.7.3"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status    | Retry                                                             |
      | LastError | 451 4.7.3 The admin has temporarily disallowed this secure domain |
    And the send protocol log of "fabrikam.com" contains:
      | Message to secure domain 'woodgrovebank.com' on send connector 'To woodgrovebank.com' failed because DomainSecureEnabled was set to false . |
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
    And the events of "fabrikam.com" are "11021"

  @DS-SEND-02 @DS-LOG-03 @DS-LOG-05 @DS-LOG-06
  Scenario: The remote does not offer STARTTLS
    Given the edge of "woodgrovebank.com" has no certificate
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 5.7.3"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | "451 5.7.3 STARTTLS is required to send mail." |
      | TlsDomain          | woodgrovebank.com                              |
    And the send protocol log of "fabrikam.com" contains:
      | Message to secure domain 'woodgrovebank.com' on send connector 'To woodgrovebank.com' failed because TLS was not offered . |
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
    And the events of "fabrikam.com" are "11014"

  @DS-SEND-02
  Scenario: A man in the middle strips STARTTLS: the message is never sent in clear
    Given a man in the middle strips STARTTLS from connections to "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 5.7.3"
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the receive protocol log of "woodgrovebank.com" contains:
      | 250-STARTTLS |
    And the send protocol log of "fabrikam.com" does not contain:
      | STARTTLS |
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
    And "bob@woodgrovebank.com" has no mail

  @DS-SEND-02
  Scenario: Opportunistic TLS to a domain on no list falls back to plain text when STARTTLS is stripped
    Given "fabrikam.com" removes "woodgrovebank.com" from TLSSendDomainSecureList
    And "woodgrovebank.com" removes "fabrikam.com" from TLSReceiveDomainSecureList
    And a man in the middle strips STARTTLS from connections to "woodgrovebank.com"
    And "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Anonymous"
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 0 |

  @DS-SEND-03 @DS-LOG-03 @DS-LOG-06
  Scenario: The remote rejects our certificate in the TLS handshake
    Given the edge of "woodgrovebank.com" has the peer quirk rejectUntrustedClientCertificateInHandshake
    And "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 421 4.4.1"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | "421 4.4.1 Connection timed out." |
    And the send protocol log of "fabrikam.com" contains:
      | ,Sending certificate                 |
      | TLS negotiation failed with error    |
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
    And the events of "fabrikam.com" are "11013"

  @DS-SEND-03
  Scenario: The same strict peer accepts a certificate it trusts
    Given the edge of "woodgrovebank.com" has the peer quirk rejectUntrustedClientCertificateInHandshake
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

  @DS-SEND-03
  Scenario: We have no certificate of our own for the connector FQDN
    Given the edge of "fabrikam.com" has no certificate
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 421 4.4.1"
    And the send protocol log of "fabrikam.com" contains:
      | TLS negotiation failed with error SEC_E_NO_CREDENTIALS |
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the events of "fabrikam.com" are "11013"

  @DS-SEND-04 @DS-LOG-06
  Scenario: The remote certificate does not cover the next-hop domain
    Given the edge certificate of "woodgrovebank.com" is wrong-names
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 1 |
    And the events of "fabrikam.com" are "11016"

  @DS-SEND-05 @DS-LOG-06
  Scenario: The remote chain comes from an issuer nobody trusts
    Given the edge certificate of "woodgrovebank.com" is unknown-issuer
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the send protocol log of "fabrikam.com" contains:
      | ,Remote certificate                     |
      | validation status was 'UntrustedRoot' |
    And the events of "fabrikam.com" are "11020"

  @DS-SEND-06 @DS-LOG-03 @DS-LOG-05 @DS-QUEUE-01
  Scenario: All good: sent domain-secured, with the Secure domain certificate lines
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the send protocol log of "fabrikam.com" contains:
      | ,Sending certificate                                      |
      | ,Remote certificate                                       |
      | TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded  |
      | ,Secure domain certificate                                |
      | CN=mail.woodgrovebank.com,Certificate subject             |
      | mail.woodgrovebank.com,Certificate alternate names        |
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status       | Ready             |
      | MessageCount | 0                 |
      | TlsDomain    | woodgrovebank.com |
    And the counters of "fabrikam.com" are:
      | Domain-Secured Messages Sent             | 1 |
      | Domain-Secured Outbound Session Failures | 0 |
    And the counters of "woodgrovebank.com" are:
      | Domain-Secured Messages Received | 1 |

  @DS-CONF-07
  Scenario: The certificate named by TlsCertificateName is not in the store
    Given "fabrikam.com" sets TlsCertificateName to "<I>CN=Nobody CA<S>CN=mail.fabrikam.com" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status    | Retry                                                                                          |
      | LastError | 454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found. |
    And no MAIL FROM went to "woodgrovebank.com" in clear

  @DS-SEND-02
  Scenario: The remote advertises STARTTLS but refuses it: deferred, never sent in clear
    Given the edge of "woodgrovebank.com" has the peer quirk refuseStartTls
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 5.7.3"
    And the send protocol log of "fabrikam.com" contains:
      | 454 4.7.0 TLS not available due to temporary reason |
      | failed because STARTTLS was refused . |
    And no MAIL FROM went to "woodgrovebank.com" in clear
    And the events of "fabrikam.com" are "11014"

  @DS-SEND-02
  Scenario: A refused STARTTLS to a domain on no list is retried later, not a crash and not a loss
    Given "fabrikam.com" removes "woodgrovebank.com" from TLSSendDomainSecureList
    And "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    And the edge of "woodgrovebank.com" has the peer quirk refuseStartTls
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.0"
    And the counters of "fabrikam.com" are:
      | Domain-Secured Outbound Session Failures | 0 |
