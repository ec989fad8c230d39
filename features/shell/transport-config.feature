@shell
Feature: Secure lists through Set-TransportConfig (DS-CONF-01, DS-CONF-08)

  Background:
    Given organizations "fabrikam.com" and "litware.com" with edge certificates from their own CAs

  @DS-CONF-01 @DS-CONF-08
  Scenario: Replace, edit and clear the lists the way the documents do
    Given the fabrikam.com administrator runs:
      """
      Get-TransportConfig | FL
      Set-TransportConfig -TLSSendDomainSecureList litware.com,contoso.com
      Set-TransportConfig –TLSReceiveDomainSecureList litware.com
      Set-TransportConfig -TLSSendDomainSecureList @{Add="woodgrovebank.com"; Remove="contoso.com"}
      Get-TransportConfig | FL
      """
    Then every command succeeded
    And the output of "Get-TransportConfig | FL" contains:
      """
      TLSSendDomainSecureList
      {litware.com, woodgrovebank.com}
      TLSReceiveDomainSecureList
      {litware.com}
      """

  @DS-CONF-01
  Scenario: A wildcard is refused and changes nothing
    Given the fabrikam.com administrator runs:
      """
      Set-TransportConfig -TLSSendDomainSecureList litware.com
      Set-TransportConfig -TLSSendDomainSecureList "*"
      Set-SendConnector Internet –identityConnectorName –DomainSecureEnabled:$true
      Get-TransportConfig | FL
      """
    Then the command 'Set-TransportConfig -TLSSendDomainSecureList "*"' failed with:
      """
      "*" isn't a valid SMTP domain.
      """
    And the command "Set-SendConnector Internet –identityConnectorName –DomainSecureEnabled:$true" failed with:
      """
      A parameter cannot be found that matches parameter name 'identityConnectorName'.
      """
    And the output of "Get-TransportConfig | FL" contains:
      """
      {litware.com}
      """
