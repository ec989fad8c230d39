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

  @DS-LOG-03
  Scenario: Both sides speak and log Exchange 2007, as seed 004's transcript shows it
    When each side of the lab sends its test message
    Then the receive protocol log of "woodgrovebank.com" contains:
      | ,>,"220 mail.woodgrovebank.com Microsoft ESMTP MAIL Service, Version: 8.0.647.0 ready at Mon, 2 Mar 2026 09:00:00 +0000", |
      | ,>,250-mail.woodgrovebank.com Hello [127.0.1.1] 250-SIZE 37748736 250-PIPELINING 250-DSN 250-ENHANCEDSTATUSCODES 250-STARTTLS 250-AUTH 250 8BITMIME, |
      | ,>,220 2.0.0 SMTP server ready,                                                                                             |
      | *,,Received certificate                                                                                                     |
      | ,>,250 2.1.0 administrator@contoso.com Sender OK,                                                                           |
      | ,>,250 2.1.5 administrator@woodgrovebank.com Recipient OK,                                                                  |
      | ,>,354 Start mail input; end with <CRLF>.<CRLF>,                                                                            |
      | ,>,221 2.0.0 Service closing transmission channel,                                                                          |
    And the receive protocol log of "woodgrovebank.com" does not contain:
      | Remote certificate |
    And the send protocol log of "contoso.com" edge "EDGE1" contains:
      | ,>,MAIL FROM:<administrator@contoso.com> SIZE=                                                                              |
      | *,,Received certificate                                                                                                     |
      | key exchange algorithm CALG_ECDH_EPHEM with strength 253 bits                                                               |
