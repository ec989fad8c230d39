@shell @lab
Feature: The documented labs built purely by cmdlets behave like the programmatic ones
  Each administrator runs the lab script of src/orgs/shell/scripts in the management shell:
  the same cmdlets the documents use, against a fresh simulated edge.

  @DS-CONF-01 @DS-CONF-02 @DS-CONF-04 @DS-CONF-06 @DS-SEND-06 @DS-RECV-07
  Scenario: adatum.com ↔ treyresearch.net configured by cmdlets
    Given the documented lab "adatum-treyresearch" is built purely by cmdlets
    Then every command succeeded
    When each side of the lab sends its test message
    Then every lab mailbox holds its test message marked Domain Secured
    And every hop was decided by "DS-SEND-06 + DS-RECV-07" on both sides
    And the counters of "adatum.com" are:
      | Domain-Secured Messages Sent     | 1 |
      | Domain-Secured Messages Received | 1 |

  @DS-CONF-06 @DS-CONF-07 @DS-SEND-06 @DS-RECV-07
  Scenario: Contoso ↔ Woodgrove Bank configured by cmdlets
    Given the documented lab "contoso-woodgrove" is built purely by cmdlets
    Then every command succeeded
    When each side of the lab sends its test message
    Then every lab mailbox holds its test message marked Domain Secured
    And every hop was decided by "DS-SEND-06 + DS-RECV-07" on both sides
