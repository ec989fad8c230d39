# treyresearch.net side of the adatum.com <-> treyresearch.net lab (seeds 001/002, BEHAVIOUR §7): the same steps, domains inverted.
# Before it runs: c:\certificates\mail.treyresearch.net.pfx (password $PfxPassword), adatum.com's root at
# c:\certificates\partner-root.cer, and $PartnerEdgeIP = adatum's edge address.

Import-Certificate -FilePath c:\certificates\partner-root.cer -CertStoreLocation Cert:\LocalMachine\Root
Import-ExchangeCertificate -Path c:\certificates\mail.treyresearch.net.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force

Get-TransportConfig | FL
Set-TransportConfig -TLSSendDomainSecureList adatum.com
Set-TransportConfig –TLSReceiveDomainSecureList adatum.com

New-SendConnector -Name "To adatum.com" -Usage Partner -AddressSpaces "SMTP:adatum.com;1" -DNSRoutingEnabled:$true -Fqdn mail.treyresearch.net
Get-SendConnector –identity "To adatum.com" | FL
New-ReceiveConnector -Name "From adatum.com" -Usage Partner -Bindings 0.0.0.0:25 -RemoteIPRanges $PartnerEdgeIP -AuthMechanism Tls -PermissionGroups Partners

Set-ReceiveConnector "From adatum.com" -ProtocolLoggingLevel Verbose
Set-SendConnector "To adatum.com" -ProtocolLoggingLevel Verbose
