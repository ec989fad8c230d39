@failures @one-sided
Feature: One-sided configuration: what each half of a Domain Security setup does on its own
  Both organizations trust each other's roots and have edge certificates; they use the default
  "Internet" send connector and "Default EX1" receive connector. The scenario varies whether the
  sender lists the receiver (TLSSendDomainSecureList), whether the receiver lists the sender
  (TLSReceiveDomainSecureList), and DomainSecureEnabled on each connector.

  Background:
    Given organizations "fabrikam.com" and "woodgrovebank.com" with edge certificates from their own CAs
    And "fabrikam.com" trusts the root of "woodgrovebank.com"
    And "woodgrovebank.com" trusts the root of "fabrikam.com"

  Scenario Outline: sender lists: <S>, send connector DomainSecureEnabled <SC>, receiver lists: <R>, receive connector DomainSecureEnabled <RC>
    Given "fabrikam.com" lists "woodgrovebank.com" on TLSSendDomainSecureList: <S>
    And "fabrikam.com" sets DomainSecureEnabled to "<SC>" on send connector "Internet"
    And "woodgrovebank.com" lists "fabrikam.com" on TLSReceiveDomainSecureList: <R>
    And "woodgrovebank.com" sets DomainSecureEnabled to "<RC>" on receive connector "Default EX1"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "<fate>"

    @DS-SEND-01
    Examples: The sender lists the partner but its connector is not domain-secure
      | S   | SC    | R   | RC    | fate                  |
      | yes | false | yes | true  | queued with 451 4.7.3 |
      | yes | false | yes | false | queued with 451 4.7.3 |
      | yes | false | no  | true  | queued with 451 4.7.3 |
      | yes | false | no  | false | queued with 451 4.7.3 |

    @DS-SEND-06 @DS-RECV-07
    Examples: Both sides configured
      | S   | SC   | R   | RC   | fate                 |
      | yes | true | yes | true | delivered as Partner |

    @DS-RECV-01
    Examples: The receiver lists the sender but its connector is not domain-secure
      | S   | SC    | R   | RC    | fate                  |
      | yes | true  | yes | false | queued with 451 4.7.3 |
      | no  | true  | yes | false | queued with 451 4.7.3 |
      | no  | false | yes | false | queued with 451 4.7.3 |

    @DS-SEND-06 @DS-RECV-07
    Examples: Only the sender lists: mutual TLS checked one way, delivered as Anonymous
      | S   | SC   | R  | RC    | fate                   |
      | yes | true | no | true  | delivered as Anonymous |
      | yes | true | no | false | delivered as Anonymous |

    @DS-RECV-07
    Examples: Only the receiver lists: opportunistic TLS still presents the sender's certificate
      | S  | SC    | R   | RC   | fate                 |
      | no | true  | yes | true | delivered as Partner |
      | no | false | yes | true | delivered as Partner |

    @DS-RECV-07
    Examples: Nobody lists anybody: opportunistic TLS, anonymous
      | S  | SC    | R  | RC    | fate                   |
      | no | true  | no | true  | delivered as Anonymous |
      | no | true  | no | false | delivered as Anonymous |
      | no | false | no | true  | delivered as Anonymous |
      | no | false | no | false | delivered as Anonymous |

  @DS-RECV-02
  Scenario: The receiver lists the sender, whose connector ignores STARTTLS: rejected 530 5.7.1, returned to the sender
    Given "woodgrovebank.com" lists "fabrikam.com" on TLSReceiveDomainSecureList: yes
    And "woodgrovebank.com" sets DomainSecureEnabled to "true" on receive connector "Default EX1"
    And "fabrikam.com" sets IgnoreSTARTTLS to "true" on send connector "Internet"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 530 5.7.1"
    And "ann@fabrikam.com" has 0 delay notices and 1 NDR

  @DS-SEND-06 @DS-LOG-05
  Scenario: Only the sender lists: its counter counts the domain-secured send, the receiver's does not count a receive
    Given "fabrikam.com" lists "woodgrovebank.com" on TLSSendDomainSecureList: yes
    And "fabrikam.com" sets DomainSecureEnabled to "true" on send connector "Internet"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the counters of "fabrikam.com" are:
      | Domain-Secured Messages Sent | 1 |
    And the counters of "woodgrovebank.com" are:
      | Domain-Secured Messages Received | 0 |
