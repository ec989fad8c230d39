@interop
Feature: Interop: certificate names and usages where a real MTA decides otherwise than Exchange
  Each scenario asserts Exchange's outcome (DS-CERT-02 names, DS-CERT-05 usage). Without an interop profile both sides
  are simulated and every scenario passes: the reference. Under interop-postfix / interop-exim the MTA plays
  treyresearch.net; where its own TLS check decides otherwise, the scenario fails on the outcome and expectations.json
  records that divergence for that profile with the MTA's real outcome and why (docs/interop.md "Measured divergences").

  Background:
    Given the documented lab "adatum-treyresearch" is running

  @DS-RECV-05 @DS-CERT-02
  Scenario: Two labels below the domain, treyresearch.net receiving: a certificate for a.mail.adatum.com does not cover adatum.com
    Given the edge certificate of "adatum.com" names "a.mail.adatum.com"
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    Then the message from "administrator@adatum.com" to "administrator@treyresearch.net" stays queued at the sender
    And "treyresearch.net" decided "DS-RECV-05"
    And "administrator@treyresearch.net" receives no mail

  @DS-SEND-04 @DS-CERT-02
  Scenario: Two labels below the domain, treyresearch.net sending: adatum.com presents a certificate for a.mail.adatum.com
    Given the edge certificate of "adatum.com" names "a.mail.adatum.com"
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    And "treyresearch.net" decided "DS-SEND-04"
    And "administrator@adatum.com" receives no mail

  @DS-RECV-07 @DS-CERT-02
  Scenario: Name only in the SAN, treyresearch.net receiving: CN edge01.adatum.local, SAN mail.adatum.com is accepted
    Given the edge certificate of "adatum.com" has common name "edge01.adatum.local" and alternate names "mail.adatum.com"
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    Then "administrator@treyresearch.net" receives 1 message marked Domain Secured from partner "adatum.com"
    And "treyresearch.net" decided "DS-RECV-07"

  @DS-SEND-06 @DS-CERT-02
  Scenario: Name only in the SAN, treyresearch.net sending: adatum.com's CN edge01.adatum.local, SAN mail.adatum.com is accepted
    Given the edge certificate of "adatum.com" has common name "edge01.adatum.local" and alternate names "mail.adatum.com"
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then "administrator@adatum.com" receives 1 message marked Domain Secured from partner "treyresearch.net"
    And "treyresearch.net" decided "DS-SEND-06"

  @DS-RECV-06 @DS-CERT-05
  Scenario: No clientAuth usage, treyresearch.net receiving: adatum.com's certificate is for server authentication only
    Given the edge certificate of "adatum.com" is no-client-auth
    When "administrator@adatum.com" sends a message to "administrator@treyresearch.net"
    Then the message from "administrator@adatum.com" to "administrator@treyresearch.net" stays queued at the sender
    And "treyresearch.net" decided "DS-RECV-06"
    And "administrator@treyresearch.net" receives no mail

  @DS-SEND-05 @DS-CERT-05
  Scenario: No clientAuth usage, treyresearch.net sending: adatum.com presents a certificate for server authentication only
    Given the edge certificate of "adatum.com" is no-client-auth
    When "administrator@treyresearch.net" sends a message to "administrator@adatum.com"
    Then the message from "administrator@treyresearch.net" to "administrator@adatum.com" stays queued at the sender
    And "treyresearch.net" decided "DS-SEND-05"
    And "administrator@adatum.com" receives no mail
