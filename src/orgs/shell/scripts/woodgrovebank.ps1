# Woodgrove Bank side of the Contoso <-> Woodgrove Bank lab (seed 004, BEHAVIOUR §7): one edge, mail.woodgrovebank.com.
# Before it runs: the edge exists with its default "Internet" send connector and Internet receive connector "Inet"; c:\certificates\mail.pfx holds its certificate
# (password $PfxPassword); Contoso's root is at c:\certificates\partner-root.cer.

Import-Certificate -FilePath c:\certificates\partner-root.cer -CertStoreLocation Cert:\LocalMachine\Root
Import-ExchangeCertificate -Path c:\certificates\mail.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force

Set-TransportConfig -TLSSendDomainSecureList contoso.com
Set-SendConnector Internet -Fqdn mail.woodgrovebank.com
Set-SendConnector Internet -DomainSecureEnabled:$True

Set-TransportConfig -TLSReceiveDomainSecureList contoso.com
Set-ReceiveConnector Inet -DomainSecureEnabled:$True -AuthMechanism TLS

Set-ReceiveConnector Inet -ProtocolLoggingLevel Verbose
Set-SendConnector Internet -ProtocolLoggingLevel Verbose
