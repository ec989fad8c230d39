@foundation
Feature: Domains on no secure list use opportunistic TLS

  @DS-RECV-07 @DS-CONF-01
  Scenario: Mail to a domain on no list is encrypted but delivered as Anonymous
    Given organizations "fabrikam.com" and "litware.com" with edge certificates from their own CAs
    When "ann@fabrikam.com" sends a message to "bob@litware.com"
    Then "bob@litware.com" has 1 message delivered as Anonymous
    And every hop negotiated "TLSv1.2"
    And the counters of "fabrikam.com" are:
      | Domain-Secured Messages Sent | 0 |
