@failures @logs
Feature: Domain-security certificate lines appear only for domain-secured sessions (DS-LOG-03)
  "Secure domain certificate" (sender) and "Validated received certificate" (receiver) say that mutual TLS
  was verified. A session that was merely encrypted (opportunistic TLS, or an anonymous sender that happened
  to present a certificate) logs the certificates it saw, but never these lines.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-LOG-03 @DS-SEND-06
  Scenario: An opportunistic send logs the remote certificate but no Secure domain certificate
    Given "fabrikam.com" removes "woodgrovebank.com" from TLSSendDomainSecureList
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the send protocol log of "fabrikam.com" contains:
      | *,,Remote certificate                      |
      | *,CN=mail.woodgrovebank.com,Certificate subject |
    And the send protocol log of "fabrikam.com" does not contain:
      | Secure domain certificate |

  @DS-LOG-03 @DS-RECV-07
  Scenario: An anonymous session with a client certificate logs no Validated received certificate
    Given "tailspintoys.com" is also a Domain Security partner of "woodgrovebank.com"
    And "woodgrovebank.com" removes "fabrikam.com" from TLSReceiveDomainSecureList
    And "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Anonymous"
    And the receive protocol log of "woodgrovebank.com" contains:
      | *,CN=mail.fabrikam.com,Certificate subject |
    And the receive protocol log of "woodgrovebank.com" does not contain:
      | Validated received certificate |
