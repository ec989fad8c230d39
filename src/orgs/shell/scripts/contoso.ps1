# Contoso side of the Contoso <-> Woodgrove Bank lab (seed 004, BEHAVIOUR §7): edges EDGE1 (mail1.contoso.com) and EDGE2
# (mail2.mail.contoso.com), each with a CA-issued certificate whose SAN holds mail.contoso.com.
# Before it runs: the edges exist with their default "Internet" send connector and Internet receive connector "Inet"; c:\certificates\mail1.pfx and mail2.pfx hold the
# certificates issued for the seed's requests (password $PfxPassword); Woodgrove's root is at c:\certificates\partner-root.cer.

# Import and enable the certificate on each edge ("one time for each respective certificate").
Import-Certificate -FilePath c:\certificates\partner-root.cer -CertStoreLocation Cert:\LocalMachine\Root
Import-ExchangeCertificate -Server EDGE1 -Path c:\certificates\mail1.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force
Import-ExchangeCertificate -Server EDGE2 -Path c:\certificates\mail2.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force

# Outbound: the list, and domain security on the default DNS-routed Internet connector whose FQDN is mail.contoso.com.
Set-TransportConfig -TLSSendDomainSecureList woodgrovebank.com
Set-SendConnector Internet -Fqdn mail.contoso.com
Set-SendConnector Internet -DomainSecureEnabled:$True

# Inbound: the list, and domain security on the edge's existing Internet receive connector Inet (seed 004).
Set-TransportConfig -TLSReceiveDomainSecureList woodgrovebank.com
Set-ReceiveConnector EDGE1\Inet -DomainSecureEnabled:$True -AuthMechanism TLS
Set-ReceiveConnector EDGE2\Inet -DomainSecureEnabled:$True -AuthMechanism TLS

# Protocol logging, to read the TLS negotiation afterwards.
Set-ReceiveConnector EDGE1\Inet -ProtocolLoggingLevel Verbose
Set-ReceiveConnector EDGE2\Inet -ProtocolLoggingLevel Verbose
Set-SendConnector Internet -ProtocolLoggingLevel Verbose
