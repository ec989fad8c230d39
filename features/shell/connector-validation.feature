@shell
Feature: Connector validation refuses with Exchange's own sentences (DS-CONF-03, DS-CONF-05)
  The expected texts are written out here word for word as Exchange prints them, not taken from the
  implementation, so a changed word in the harness's messages fails this feature.

  Background:
    Given organizations "fabrikam.com" and "litware.com" with edge certificates from their own CAs

  @DS-CONF-03
  Scenario Outline: A send connector combination Exchange refuses: <case>
    Given the fabrikam.com administrator runs:
      """
      <line>
      """
    Then the command "<line>" failed with:
      """
      <message>
      """

    Examples:
      | case                             | line                                                                                                      | message                                                                                                       |
      | domain security without DNS      | New-SendConnector -Name X -AddressSpaces litware.com -DNSRoutingEnabled:$false -SmartHosts relay.litware.com -DomainSecureEnabled:$true | The DomainSecureEnabled parameter can't be set to $True unless the DNSRoutingEnabled parameter is also set to $True. |
      | domain security and IgnoreSTARTTLS | New-SendConnector -Name X -AddressSpaces litware.com -DomainSecureEnabled $true -IgnoreSTARTTLS $true   | The DomainSecureEnabled parameter can't be set to $True if the IgnoreSTARTTLS parameter is set to $True.       |
      | domain security and TlsAuthLevel | New-SendConnector -Name X -Usage Partner -AddressSpaces litware.com -TlsAuthLevel DomainValidation       | The TLSAuthLevel parameter can't be set if the DomainSecureEnabled parameter is set to $true.                 |
      | no DNS routing and no smart host | New-SendConnector -Name X -AddressSpaces litware.com -DNSRoutingEnabled $false                            | You must specify a smart host if you are not using DNS to route mails.                                        |

  @DS-CONF-05
  Scenario Outline: A receive connector combination Exchange refuses: <case>
    Given the fabrikam.com administrator runs:
      """
      <line>
      """
    Then the command "<line>" failed with:
      """
      <message>
      """

    Examples:
      | case                              | line                                                                                         | message                                                                                                                          |
      | domain security without TLS auth  | New-ReceiveConnector -Name P -Usage Partner -Bindings 0.0.0.0:25 -RemoteIPRanges 127.0.2.1 -AuthMechanism None | The DomainSecureEnabled parameter can't be set to $True unless Transport Layer Security (TLS) is set on the AuthMechanism parameter. |
      | RequireTLS without TLS auth       | New-ReceiveConnector -Name P -Bindings 0.0.0.0:25 -AuthMechanism BasicAuth -RequireTLS:$true | If RequireTLS is set, TLS must also be set as an authentication mechanism.                                                       |
