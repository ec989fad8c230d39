@failures @network
Feature: Network failures between partners (DS-QUEUE-02, DS-QUEUE-06) on the simulated network's named switches
  The firewall, man-in-the-middle, reset and latency switches of src/sim/network-faults.ts and the DNS
  zone's records sit between real loopback sockets; the sender's queue shows what happened.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-QUEUE-06 @DS-QUEUE-02
  Scenario: A firewall that drops port 25 costs the connect timeout on the virtual clock (10060)
    Given a firewall drops connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the clock reads "2026-03-02T09:00:21.000Z"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status        | Retry                    |
      | RetryCount    | 1                        |
      | NextRetryTime | 2026-03-02T09:10:21.000Z |
      | LastError     | 441 4.4.1 Error encountered while communicating with primary target IP address: "Failed to connect. Winsock error code: 10060, Win32 error code: 10060." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 127.0.2.1:25 |
    And "bob@woodgrovebank.com" has no mail

  @DS-QUEUE-06 @DS-QUEUE-02
  Scenario: A firewall that rejects port 25 is connection refused at once (10061)
    Given a firewall rejects connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the clock reads "2026-03-02T09:00:00.000Z"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | NextRetryTime      | 2026-03-02T09:10:00.000Z                                |
      | LastError contains | Winsock error code: 10061, Win32 error code: 10061.     |

  @DS-QUEUE-02
  Scenario: A connection reset right after connect (10054)
    Given a firewall resets connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | Winsock error code: 10054 |

  @DS-QUEUE-02
  Scenario: The 2016/2019 LastError wording for a socket failure
    Given "fabrikam.com" uses the LastError wording of Exchange 2016
    And a firewall rejects connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError | 451 4.4.397 Error communicating with target host. -> 421 4.2.1 Unable to connect -> SocketError: Failed to connect. Winsock error code: 10061, Win32 error code: 10061. The last endpoint attempted was 127.0.2.1:25 |

  @DS-QUEUE-02
  Scenario: The 2016/2019 LastError wording for a reply
    Given "fabrikam.com" uses the LastError wording of Exchange 2016
    And "woodgrovebank.com" has not imported the root of "fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError | 451 4.4.395 Target host responded with error. -> 454 4.7.5 Certificate validation failure |

  @DS-QUEUE-06
  Scenario: A firewall that blocks only the partner's address lets other mail through
    Given "tailspintoys.com" is also a Domain Security partner of "fabrikam.com"
    And a firewall drops connections from "fabrikam.com" to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And "ann@fabrikam.com" sends a message to "kai@tailspintoys.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 441 4.4.1"
    And the message from "ann@fabrikam.com" to "kai@tailspintoys.com" was "delivered as Partner"

  @DS-QUEUE-06
  Scenario: The firewall opens again and the next retry delivers
    Given a firewall drops connections to "woodgrovebank.com" on port 25
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    And the firewall is opened again
    And 9 minutes 59 seconds pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 441 4.4.1"
    When 1 second passes
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"

  @DS-QUEUE-02
  Scenario: DNS has neither MX nor A for the partner domain
    Given DNS has no MX and no A record for "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 4.4.0"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | Status    | Retry                                                                                                         |
      | LastError | 451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NoDataForDomain; DNS has no MX or A record for woodgrovebank.com. |

  @DS-QUEUE-05
  Scenario: NXDOMAIN returns the message at once
    Given DNS answers NXDOMAIN for "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 550 5.4.4"
    And the NDR to "ann@fabrikam.com" says:
      | Subject: Undeliverable: Test from ann@fabrikam.com                               |
      | Remote Server returned '550 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain' |

  @DS-QUEUE-02
  Scenario: The MX points at a host that has no address
    Given the MX record of "woodgrovebank.com" points at "gone.woodgrovebank.com", which has no address
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | The MX record of woodgrovebank.com points at gone.woodgrovebank.com, which has no A record. |

  @DS-QUEUE-03 @DS-QUEUE-06
  Scenario: The partner edge is down, then up again: delivered on the next retry, exactly once
    Given the edge of "woodgrovebank.com" is down
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 441 4.4.1"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | Winsock error code: 10061 |
    When the edge of "woodgrovebank.com" comes back up
    And 9 minutes pass
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 441 4.4.1"
    When 1 minute passes
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    When 1 day passes
    Then "bob@woodgrovebank.com" has 1 message marked Domain Secured from partner "fabrikam.com"
    And the tracking log of "fabrikam.com" shows "RECEIVE, DEFER, SEND"

  @DS-SEND-06
  Scenario: Latency on the path delays the session but not the outcome
    Given the network adds 2 seconds of latency to connections to "woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "delivered as Partner"
    And the clock reads "2026-03-02T09:00:02.000Z"
