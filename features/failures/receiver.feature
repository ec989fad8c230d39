@failures @receiver
Feature: The receiver's decision at MAIL FROM (BEHAVIOUR §3, DS-RECV-01…10)
  woodgrovebank.com lists fabrikam.com on TLSReceiveDomainSecureList. A probe client that can
  misbehave (skip STARTTLS, present any certificate or none, send any MAIL FROM) talks to the real
  receive side from fabrikam.com's edge address; some rows are also checked with the real relay.

  Background:
    Given partner organizations "fabrikam.com" and "woodgrovebank.com" set up for Domain Security

  @DS-RECV-01 @DS-LOG-06
  Scenario: The receive connector has DomainSecureEnabled false
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "queued with 451 4.7.3"
    And the queue of "fabrikam.com" to "woodgrovebank.com" shows:
      | LastError contains | "451 4.7.3 The admin has temporarily disallowed this secure domain." |
    And the events of "woodgrovebank.com" are "11021"

  @DS-RECV-01
  Scenario: DomainSecureEnabled false refuses a listed sender even with a valid certificate (probe)
    Given "woodgrovebank.com" sets DomainSecureEnabled to "false" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "451 4.7.3 The admin has temporarily disallowed this secure domain"

  @DS-RECV-02 @DS-LOG-06
  Scenario: A listed sender that skips the STARTTLS it was offered
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | ann@fabrikam.com      |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the client was offered STARTTLS
    And the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"
    And the events of "woodgrovebank.com" are "11012"

  @DS-RECV-02
  Scenario: The real relay with IgnoreSTARTTLS sends in clear and the message comes back
    Given "fabrikam.com" removes "woodgrovebank.com" from TLSSendDomainSecureList
    And "fabrikam.com" sets DomainSecureEnabled to "false" on send connector "To woodgrovebank.com"
    And "fabrikam.com" sets IgnoreSTARTTLS to "true" on send connector "To woodgrovebank.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 530 5.7.1"
    And the NDR to "ann@fabrikam.com" says:
      | Remote Server returned '530 5.7.1 Not authenticated' |

  @DS-RECV-03 @DS-LOG-06 @DS-CERT-06
  Scenario: STARTTLS is not advertised because the receiver has no certificate for its FQDN
    Given the edge of "woodgrovebank.com" has no certificate
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | yes                   |
      | MAIL FROM | ann@fabrikam.com      |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the client was not-offered STARTTLS
    And the reply to "MAIL FROM" is "454 4.7.0 Temporary authentication failure"
    And the events of "woodgrovebank.com" are "12014, 11018"

  @DS-RECV-04 @DS-LOG-06
  Scenario: TLS without a client certificate
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | none                  |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"
    And the events of "woodgrovebank.com" are "11017"

  @DS-RECV-05 @DS-LOG-06
  Scenario: Spoofing: a valid certificate for partner fabrikam.com with MAIL FROM at partner tailspintoys.com
    Given "tailspintoys.com" is also a Domain Security partner of "woodgrovebank.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                        |
      | certificate | fabrikam.com               |
      | MAIL FROM   | boss@tailspintoys.com      |
      | RCPT TO     | bob@woodgrovebank.com      |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'SubjectMismatch' |
    And the events of "woodgrovebank.com" are "11015"
    And "bob@woodgrovebank.com" has no mail

  @DS-RECV-05
  Scenario: The sender's own second domain is not covered by its certificate
    Given "woodgrovebank.com" adds "fabrikam.net" to TLSReceiveDomainSecureList
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.net      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"

  @DS-RECV-06 @DS-LOG-06
  Scenario: A certificate that covers the sender but chains to a root the receiver does not trust
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | untrusted             |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "454 4.7.5 Certificate validation failure"
    And the receive protocol log of "woodgrovebank.com" contains:
      | Client certificate chain validation status: 'UntrustedRoot' |
    And the events of "woodgrovebank.com" are "11011"

  @DS-RECV-07 @DS-RECV-08 @DS-LOG-05 @DS-LOG-03
  Scenario: All good: the session becomes Partner and the message carries the Partner headers
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "250 2.1.0 Sender OK"
    And the Auth headers of the message in "bob@woodgrovebank.com" are:
      | X-MS-Exchange-Organization-AuthSource    | mail.woodgrovebank.com |
      | X-MS-Exchange-Organization-AuthAs        | Partner                |
      | X-MS-Exchange-Organization-AuthMechanism | 02                     |
      | X-MS-Exchange-Organization-AuthDomain    | fabrikam.com           |
    And the receive protocol log of "woodgrovebank.com" contains:
      | ,Validated received certificate |
    And the counters of "woodgrovebank.com" are:
      | Domain-Secured Messages Received | 1 |

  @DS-RECV-07
  Scenario: The null sender is never checked
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | <>                    |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "250 2.1.0 Sender OK"
    And "bob@woodgrovebank.com" has 1 message delivered as Anonymous
    And the events of "woodgrovebank.com" are ""

  @DS-RECV-07
  Scenario: A sender on no list is accepted without TLS or a certificate
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | lee@contoso.com       |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "250 2.1.0 Sender OK"
    And "bob@woodgrovebank.com" has 1 message delivered as Anonymous

  @DS-RECV-02
  Scenario Outline: Another spelling of a listed domain is still that domain (<spelling>)
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | <sender>              |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"

    Examples:
      | spelling       | sender                 |
      | upper case     | ann@FABRIKAM.COM       |
      | full-width     | ann@ｆａｂｒｉｋａｍ.com |

  @DS-RECV-07
  Scenario: A subdomain of a listed domain is not on the list
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | ann@eu.fabrikam.com   |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "250 2.1.0 Sender OK"

  @DS-RECV-08
  Scenario: Auth headers an anonymous sender forges are stripped on the way in
    Given organizations "contoso.com" and "litware.com" with edge certificates from their own CAs
    When "lee@contoso.com" sends a message to "sam@litware.com" carrying the header "X-MS-Exchange-Organization-AuthAs: Partner"
    Then the Auth headers of the message in "sam@litware.com" are:
      | X-MS-Exchange-Organization-AuthSource | mail.litware.com |
      | X-MS-Exchange-Organization-AuthAs     | Anonymous        |

  @DS-RECV-08
  Scenario Outline: Auth headers hidden behind a bare line end or a fold are stripped too (<how>)
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers, Partners" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | lee@contoso.com       |
      | RCPT TO   | bob@woodgrovebank.com |
      | headers   | <header>              |
    Then the Auth headers of the message in "bob@woodgrovebank.com" are:
      | X-MS-Exchange-Organization-AuthSource | mail.woodgrovebank.com |
      | X-MS-Exchange-Organization-AuthAs     | Anonymous              |

    Examples:
      | how        | header                                                              |
      | bare CR    | Subject: a\rX-MS-Exchange-Organization-AuthAs: Partner              |
      | bare CR x2 | Subject: a\r\rX-MS-Exchange-Organization-AuthDomain: fabrikam.com   |
      | folded     | X-Note: a\r X-MS-Exchange-Organization-AuthAs: Partner             |
      | lower case | x-ms-exchange-organization-authas: Partner                          |

  @DS-RECV-08
  Scenario: Auth headers a user writes on mail inside the organization are stripped
    Given organizations "contoso.com" and "litware.com" with edge certificates from their own CAs
    When "lee@contoso.com" sends a message to "kim@contoso.com" carrying the header "X-Note: a\nX-MS-Exchange-Organization-AuthAs: Partner"
    Then the message in "kim@contoso.com" carries no Auth headers

  @DS-RECV-08
  Scenario: Auth headers a partner forges are replaced by the receiver's own
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
      | headers     | Subject: forged; X-MS-Exchange-Organization-AuthDomain: contoso.com; X-MS-Exchange-Organization-AuthSource: evil.example |
    Then the Auth headers of the message in "bob@woodgrovebank.com" are:
      | X-MS-Exchange-Organization-AuthSource    | mail.woodgrovebank.com |
      | X-MS-Exchange-Organization-AuthAs        | Partner                |
      | X-MS-Exchange-Organization-AuthMechanism | 02                     |
      | X-MS-Exchange-Organization-AuthDomain    | fabrikam.com           |

  @DS-RECV-09
  Scenario: A Partner session on a connector without the Partners permission group
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS    | yes                   |
      | certificate | fabrikam.com          |
      | MAIL FROM   | ann@fabrikam.com      |
      | RCPT TO     | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "550 5.7.1 Client does not have permissions to submit to this server"
    And the reply to "QUIT" is "(connection closed)"

  @DS-RECV-09
  Scenario: The real relay gets the permission refusal back as an NDR
    Given "woodgrovebank.com" sets PermissionGroups to "AnonymousUsers" on receive connector "From fabrikam.com"
    When "ann@fabrikam.com" sends a message to "bob@woodgrovebank.com"
    Then the message from "ann@fabrikam.com" to "bob@woodgrovebank.com" was "returned with 550 5.7.1"

  @DS-RECV-10
  Scenario: A RequireTLS connector refuses MAIL FROM without TLS
    Given "woodgrovebank.com" sets RequireTLS to "true" on receive connector "From fabrikam.com"
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                  |
      | MAIL FROM | lee@contoso.com     |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "451 5.7.3 STARTTLS is required to send mail"

  @DS-RECV-02
  Scenario: The 530 5.7.1 tarpit, when configured, is paid on the virtual clock
    Given "woodgrovebank.com" waits 30 seconds before refusing a listed sender that skipped STARTTLS
    When a client at the edge address of "fabrikam.com" talks to "woodgrovebank.com" with:
      | STARTTLS  | no                    |
      | MAIL FROM | ann@fabrikam.com      |
      | RCPT TO   | bob@woodgrovebank.com |
    Then the reply to "MAIL FROM" is "530 5.7.1 Not authenticated"
    And the clock reads "2026-03-02T09:00:30.000Z"
