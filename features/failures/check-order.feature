@failures @receiver @sender
Feature: First match wins: the order of the domain-security checks (BEHAVIOUR §3 and §4)
  When several things are wrong at once, the rule listed first decides and its reply is the one the
  sender sees. Each scenario breaks two rules; swapping their order in the implementation changes the reply.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-RECV-01 @DS-RECV-02
  Scenario: DomainSecureEnabled false wins over a sender that skipped the STARTTLS it was offered
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | ann@fabrikam.com      |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the client was offered STARTTLS
    And the reply to "MAIL FROM" is "451 4.7.3 The admin has temporarily disallowed this secure domain"
    And the events of "woodgrovebank.com" are "11021"

  @DS-RECV-01 @DS-RECV-03
  Scenario: DomainSecureEnabled false wins over a STARTTLS that could not be advertised
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    And the edge of "woodgrovebank.com" has no certificate
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | yes                   |
      | MAIL FROM | ann@fabrikam.com      |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the client was not-offered STARTTLS
    And the reply to "MAIL FROM" is "451 4.7.3 The admin has temporarily disallowed this secure domain"

  @DS-RECV-01 @DS-RECV-04 @DS-RECV-06
  Scenario Outline: DomainSecureEnabled false wins over a TLS session with <certificate>
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | <kind>                |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "451 4.7.3 The admin has temporarily disallowed this secure domain"

    Examples:
      | certificate                     | kind      |
      | no client certificate           | none      |
      | an untrusted client certificate | untrusted |

  @DS-RECV-05 @DS-RECV-06
  Scenario: A name mismatch is reported before a chain failure
    Given "tailspintoys.com" is also a Domain Security partner of "woodgrovebank.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | untrusted             |
      | MAIL FROM   | boss@tailspintoys.com |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'SubjectMismatch' |
    And the events of "woodgrovebank.com" are "11015"

  @DS-RECV-06 @DS-RECV-09
  Scenario: A failing chain is refused before the permission group is looked at
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | untrusted             |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"

  @DS-SEND-01 @DS-SEND-02
  Scenario: On the way out, DomainSecureEnabled false wins over a receiver that offers no STARTTLS
    Given "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    And the edge of "woodgrovebank.com" has no certificate
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 4.7.3"
    And the send protocol log of "fabrikam.com" contains:
      | failed because DomainSecureEnabled was set to false . |
    And the send protocol log of "fabrikam.com" does not contain:
      | failed because TLS was not offered . |

  @DS-SEND-04 @DS-SEND-05
  Scenario: On the way out, a name mismatch is reported before a chain failure
    Given the edge certificate of "woodgrovebank.com" names "mail.contoso.com"
    And "fabrikam.com" has not imported the root of "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    And the events of "fabrikam.com" are "11016"
