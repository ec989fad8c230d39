@failures @queue
Feature: Queue over time: retries, delay notice, expiry and fixes (BEHAVIOUR §5)
  The sender's queue runs on the virtual clock with the Edge role's defaults: 6 transient retries
  10 minutes apart, then every 30 minutes; a delay notice after 4 hours; expiry after 2 days.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-QUEUE-01
  Scenario: One delivery queue per next-hop domain with its identity and delivery type
    Given a firewall rejects connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And "ann@fabrikam.com" sends a message to "cy@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Identity      | EX1\1                    |
      | DeliveryType  | DnsConnectorDelivery     |
      | NextHopDomain | woodgrovebank.com        |
      | Status        | Retry                    |
      | MessageCount  | 2                        |
      | LastRetryTime | 2026-03-02T09:00:00.000Z |
      | TlsDomain     | woodgrovebank.com        |

  @DS-QUEUE-03
  Scenario: The retry schedule: 6 retries 10 minutes apart, then every 30 minutes
    Given a firewall rejects connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | RetryCount    | 1                        |
      | NextRetryTime | 2026-03-02T09:10:00.000Z |
    When 50 minutes pass
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | RetryCount    | 6                        |
      | NextRetryTime | 2026-03-02T10:00:00.000Z |
    When 10 minutes pass
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | RetryCount    | 7                        |
      | NextRetryTime | 2026-03-02T10:30:00.000Z |
    When 30 minutes pass
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | RetryCount    | 8                        |
      | LastRetryTime | 2026-03-02T10:30:00.000Z |
      | NextRetryTime | 2026-03-02T11:00:00.000Z |

  @DS-QUEUE-03
  Scenario: Retry-Queue forces an attempt now, and the schedule restarts from it
    Given a firewall rejects connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 3 minutes pass
    And "fabrikam.com" runs Retry-Queue on its queue to "woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | RetryCount    | 2                        |
      | LastRetryTime | 2026-03-02T09:03:00.000Z |
      | NextRetryTime | 2026-03-02T09:13:00.000Z |

  @DS-QUEUE-03 @DS-CERT-01
  Scenario: A fix (the missing root imported) delivered by Retry-Queue before the schedule
    Given "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 3 minutes pass
    And "woodgrovebank.com" imports the root of "fabrikam.com"
    And "fabrikam.com" runs Retry-Queue on its queue to "woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the clock reads "2026-03-02T09:03:00.000Z"

  @DS-QUEUE-03 @DS-CERT-01 @DS-RECV-06
  Scenario: The missing root imported half-way: the next scheduled retry delivers
    Given "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 1 hour passes
    And "woodgrovebank.com" imports the root of "fabrikam.com"
    And 29 minutes pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    When 1 minute passes
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status       | Ready |
      | MessageCount | 0     |
      | RetryCount   | 0     |
      | LastError    |       |
    And "ann@fabrikam.com" has 0 delay notices and 0 NDRs

  @DS-QUEUE-03 @DS-SEND-01
  Scenario: DomainSecureEnabled switched on half-way: the next retry delivers
    Given "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 15 minutes pass
    And "fabrikam.com" sets DomainSecureEnabled to "true" on send connector "To woodgrovebank.com"
    And 5 minutes pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

  @DS-QUEUE-03 @DS-RECV-01 @DS-RECV-07
  Scenario: A list fixed half-way: the receiver takes the sender off its list and the next retry delivers as Anonymous
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    And "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    And "fabrikam.com" removes "woodgrovebank.com" from TLSSendDomainSecureList
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 4.7.3"
    When "woodgrovebank.com" removes "fabrikam.com" from TLSReceiveDomainSecureList
    And 10 minutes pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Anonymous"

  @DS-QUEUE-04
  Scenario: A delay notice 400 4.4.7 after 4 hours, once, while the message stays queued
    Given "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 3 hours 59 minutes pass
    Then "ann@fabrikam.com" has 0 delay notices and 0 NDRs
    When 1 minute passes
    Then "ann@fabrikam.com" has 1 delay notice and 0 NDRs
    And the delay-notice to "ann@fabrikam.com" says:
      | Subject: Delivery delayed:Test from ann@fabrikam.com |
      | bob@woodgrovebank.com                                |
      | 400 4.4.7 Message delayed                            |
      | 454 4.7.5 Certificate validation failure             |
    And the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    When 4 hours pass
    Then "ann@fabrikam.com" has 1 delay notice and 0 NDRs

  @DS-QUEUE-05 @DS-QUEUE-04 @DS-LOG-04
  Scenario: After 2 days the message expires with an NDR carrying the last error; nothing is dropped silently
    Given "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 1 day 23 hours 59 minutes pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 454 4.7.5"
    When 1 minute passes
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 550 4.4.7"
    And "ann@fabrikam.com" has 1 delay notice and 1 NDR
    And the NDR to "ann@fabrikam.com" says:
      | Subject: Undeliverable: Test from ann@fabrikam.com |
      | 550 4.4.7 QUEUE.Expired; message expired           |
      | Last error: 451 4.4.0 Primary target IP address responded with: "454 4.7.5 Certificate validation failure." |
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | MessageCount | 0 |
    And the tracking log of "fabrikam.com" has a FAIL entry with recipientStatus "550 4.4.7 QUEUE.Expired"
    And the tracking log of "fabrikam.com" has a DSN entry with recipientStatus "550 4.4.7 QUEUE.Expired"
    And "bob@woodgrovebank.com" has no mail

  @DS-QUEUE-05 @DS-QUEUE-06
  Scenario: A dropping firewall for 2 days: every attempt pays the timeout, and the message still comes back
    Given a firewall drops connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 2 days pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 550 4.4.7"
    And the NDR to "ann@fabrikam.com" says:
      | Winsock error code: 10060 |

  @DS-QUEUE-05 @DS-SEND-01
  Scenario: Several messages to a failing partner each come back once
    Given "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And 1 hour passes
    And "ann@fabrikam.com" sends a message to "cy@woodgrovebank.com"
    And 2 days pass
    Then "ann@fabrikam.com" has 2 delay notices and 2 NDRs
    And the message from "ann@fabrikam.com" to "cy@woodgrovebank.com" was "returned with 550 4.4.7"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | MessageCount | 0 |
