@interop
Feature: Interop: adatum.com ↔ treyresearch.net with a real MTA playing one side
  The interop profiles (cucumber.mjs) hand treyresearch.net to Postfix or Exim (worldParameters.implementations);
  adatum.com stays simulated. The MTA is configured from the same organization model when the scenario sends its
  first message, so Given steps configure it first. Without a profile both sides are simulated: the reference run.
  Steps that need Exchange's exact words say so ("the wording is Exchange's"); an MTA's other words are a divergence
  that expectations.json documents per profile. What an MTA cannot show is reported not observable, never passed.

  Background:
    Given the documented lab "adatum-treyresearch" is running

  @DS-RECV-07 @DS-RECV-08 @DS-SEND-06
  Scenario: Mail both ways arrives Domain Secured and each receiver's log shows the verified client certificate
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    And "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then "administrator@treyresearch.net" receives 1 message marked Domain Secured from partner "adatum.com"
    And "administrator@adatum.com" receives 1 message marked Domain Secured from partner "treyresearch.net"
    And the log of "treyresearch.net" shows the verified client certificate of "adatum.com"
    And the log of "adatum.com" shows the verified client certificate of "treyresearch.net"
    And "treyresearch.net" decided "DS-RECV-07, DS-SEND-06"
    And "adatum.com" decided "DS-RECV-07, DS-SEND-06"

  @DS-LOG-05
  Scenario: Both sides count the domain-secured messages
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    And "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then "administrator@treyresearch.net" receives 1 message marked Domain Secured from partner "adatum.com"
    And "administrator@adatum.com" receives 1 message marked Domain Secured from partner "treyresearch.net"
    And the Domain Secure counters of "adatum.com" are:
      | Domain-Secured Messages Sent     | 1 |
      | Domain-Secured Messages Received | 1 |
    And the Domain Secure counters of "treyresearch.net" are:
      | Domain-Secured Messages Sent     | 1 |
      | Domain-Secured Messages Received | 1 |

  @DS-RECV-06 @DS-CERT-01
  Scenario: Untrusted root, treyresearch.net receiving: mail from adatum.com is refused and stays queued at adatum.com
    Given "treyresearch.net" has not imported the root of "adatum.com"
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    Then the message from "administrator@adatum.com" to "administrator@treyresearch.net" stays queued at the sender
    And "treyresearch.net" decided "DS-RECV-06"
    And "administrator@treyresearch.net" receives no mail
    And the wording is Exchange's: the last error of the message from "administrator@adatum.com" to "administrator@treyresearch.net" contains "454 4.7.5 Certificate validation failure."

  @DS-SEND-05 @DS-CERT-01
  Scenario: Untrusted root, treyresearch.net sending: its mail to adatum.com stays queued, never sent
    Given "treyresearch.net" has not imported the root of "adatum.com"
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    And "treyresearch.net" decided "DS-SEND-05"
    And "administrator@adatum.com" receives no mail
    And the wording is Exchange's: the last error of the message from "administrator@treyresearch.net" to "administrator@adatum.com" contains "454 4.7.5 Certificate validation failure"

  @DS-RECV-05 @DS-CERT-02
  Scenario: Name mismatch, treyresearch.net receiving: adatum.com's certificate names another domain
    Given the edge certificate of "adatum.com" names "mail.fabrikam.net"
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    Then the message from "administrator@adatum.com" to "administrator@treyresearch.net" stays queued at the sender
    And "treyresearch.net" decided "DS-RECV-05"
    And "administrator@treyresearch.net" receives no mail
    And the wording is Exchange's: the last error of the message from "administrator@adatum.com" to "administrator@treyresearch.net" contains "454 4.7.5 Certificate validation failure."

  @DS-SEND-04 @DS-CERT-02
  Scenario: Name mismatch, treyresearch.net sending: adatum.com's certificate names another domain
    Given the edge certificate of "adatum.com" names "mail.fabrikam.net"
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    And "treyresearch.net" decided "DS-SEND-04"
    And "administrator@adatum.com" receives no mail
    And the wording is Exchange's: the last error of the message from "administrator@treyresearch.net" to "administrator@adatum.com" contains "454 4.7.5 Certificate validation failure"

  @DS-RECV-04
  Scenario: No client certificate, treyresearch.net receiving
    When a client at the edge address of "adatum.com" talks to "treyresearch.net" with:
      | STARTTLS    | yes                            |
      | certificate | none                           |
      | MAIL FROM   | kim@adatum.com                 |
      | RCPT TO     | administrator@treyresearch.net |
    Then the reply to "MAIL FROM" has the code "530 5.7.1"
    And "treyresearch.net" decided "DS-RECV-04"
    And the wording is Exchange's: the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"

  @DS-RECV-02
  Scenario: STARTTLS missing, treyresearch.net receiving: a listed sender skips the STARTTLS it was offered
    When a client at the edge address of "adatum.com" talks to "treyresearch.net" with:
      | STARTTLS  | no                             |
      | MAIL FROM | kim@adatum.com                 |
      | RCPT TO   | administrator@treyresearch.net |
    Then the client was offered STARTTLS
    And the reply to "MAIL FROM" has the code "530 5.7.1"
    And "treyresearch.net" decided "DS-RECV-02"
    And the wording is Exchange's: the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"

  @DS-SEND-02
  Scenario: STARTTLS missing, treyresearch.net sending: adatum.com does not offer it, the message is never sent in clear
    Given the edge of "adatum.com" has no certificate
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    And "treyresearch.net" decided "DS-SEND-02"
    And "administrator@adatum.com" receives no mail
    And the wording is Exchange's: the last error of the message from "administrator@treyresearch.net" to "administrator@adatum.com" contains "451 5.7.3 STARTTLS is required to send mail"

  @DS-RECV-05
  Scenario: Spoofed sender domain, treyresearch.net receiving: partner fabrikam.com's valid certificate with MAIL FROM at adatum.com
    Given "fabrikam.com" is also a Domain Security partner of "treyresearch.net"
    When a client at the edge address of "fabrikam.com" talks to "treyresearch.net" with:
      | STARTTLS    | yes                            |
      | certificate | fabrikam.com                   |
      | MAIL FROM   | ceo@adatum.com                 |
      | RCPT TO     | administrator@treyresearch.net |
    Then the reply to "MAIL FROM" has the code "454 4.7.5"
    And "treyresearch.net" decided "DS-RECV-05"
    And the wording is Exchange's: the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"

  @DS-QUEUE-06 @DS-QUEUE-03 @mta-time
  Scenario: adatum.com's edge is down, then up: Retry-Queue at treyresearch.net delivers, exactly once
    Given the edge of "adatum.com" is down
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    When the edge of "adatum.com" comes back up
    And "treyresearch.net" forces a retry of its queue to "adatum.com"
    Then "administrator@adatum.com" receives 1 message marked Domain Secured from partner "treyresearch.net"
