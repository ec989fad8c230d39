@foundation @lab
Feature: Contoso ↔ Woodgrove Bank mutual TLS (seed 004)
  Two Contoso edges with CA-signed certificates requested by CSR and imported from PFX;
  all mail to and from woodgrovebank.com must use mutual TLS.

  Background:
    Given the documented lab "contoso-woodgrove" is running

  @DS-SEND-06 @DS-RECV-07 @DS-CONF-06 @DS-CONF-07 @DS-CERT-02
  Scenario: Mail both ways is domain-secured
    When each side of the lab sends its test message
    Then every lab mailbox holds its test message marked Domain Secured
    And every hop was decided by "DS-SEND-06 + DS-RECV-07" on both sides
    And the send protocol log of "contoso.com" edge "EDGE1" contains:
      | "CN=mail1.contoso.com, DC=Contoso, DC=com",Certificate subject |
      | mail1.contoso.com;mail.contoso.com                            |
