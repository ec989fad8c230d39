@foundation @lab
Feature: adatum.com ↔ treyresearch.net domain-secured mail (seeds 001/002)
  Each side trusts the other's root, lists the partner on both secure lists and has a
  Partner send and receive connector with Verbose protocol logging.

  Background:
    Given the documented lab "adatum-treyresearch" is running

  @DS-SEND-06 @DS-RECV-07 @DS-RECV-08 @DS-LOG-05
  Scenario: Mail both ways arrives Domain Secured
    When each side of the lab sends its test message
    Then "administrator@treyresearch.net" has 1 message marked Domain Secured from partner "adatum.com"
    And "administrator@adatum.com" has 1 message marked Domain Secured from partner "treyresearch.net"
    And the message header "X-MS-Exchange-Organization-AuthSource" in "administrator@treyresearch.net" is "mail.treyresearch.net"
    And the message header "X-MS-Exchange-Organization-AuthAs" in "administrator@adatum.com" is "Partner"
    And every hop was decided by "DS-SEND-06 + DS-RECV-07" on both sides
    And every hop negotiated "TLSv1.2"
    And the counters of "adatum.com" are:
      | Domain-Secured Messages Sent             | 1 |
      | Domain-Secured Messages Received         | 1 |
      | Domain-Secured Outbound Session Failures | 0 |
    And the counters of "treyresearch.net" are:
      | Domain-Secured Messages Sent     | 1 |
      | Domain-Secured Messages Received | 1 |

  @DS-LOG-01 @DS-LOG-02 @DS-LOG-03
  Scenario: Both edges' protocol logs show STARTTLS and the certificates
    When each side of the lab sends its test message
    Then the send protocol log of "adatum.com" edge "EX1" contains:
      | STARTTLS                                             |
      | ,Sending certificate                                 |
      | ,Remote certificate                                  |
      | CN=mail.treyresearch.net,Certificate subject         |
      | TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded |
      | ,Secure domain certificate                           |
    And the receive protocol log of "treyresearch.net" edge "EX1" contains:
      | EX1\From adatum.com                                  |
      | ,Sending certificate                                 |
      | ,Remote certificate                                  |
      | CN=mail.adatum.com,Certificate subject               |
      | TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded |
      | ,Validated received certificate                      |
    And the send protocol log of "adatum.com" was written to a file starting with "SEND20260302-"
    And the receive protocol log of "treyresearch.net" was written to a file starting with "RECV20260302-"
