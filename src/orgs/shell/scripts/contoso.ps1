# Contoso side of the Contoso <-> Woodgrove Bank lab (seed 004, BEHAVIOUR §7): edges EDGE1 (mail1.contoso.com) and EDGE2
# (mail2.mail.contoso.com), each with a CA-issued certificate whose SAN holds mail.contoso.com.
# Before it runs: the edges exist with their default "Internet" send connector; c:\certificates\mail1.pfx and mail2.pfx hold the
# certificates issued for the seed's requests (password $PfxPassword); Woodgrove's root is at c:\certificates\partner-root.cer.

# Import and enable the certificate on each edge ("one time for each respective certificate").
Import-Certificate -FilePath c:\certificates\partner-root.cer -CertStoreLocation Cert:\LocalMachine\Root
Import-ExchangeCertificate -Server EDGE1 -Path c:\certificates\mail1.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force
Import-ExchangeCertificate -Server EDGE2 -Path c:\certificates\mail2.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force

# Outbound: the list, and domain security on the default DNS-routed Internet connector whose FQDN is mail.contoso.com.
Set-TransportConfig -TLSSendDomainSecureList woodgrovebank.com
Set-SendConnector Internet -Fqdn mail.contoso.com
Set-SendConnector Internet -DomainSecureEnabled:$True

# Inbound (Inet stands for the edge's existing Internet-facing connector, which carries the Partners group a
# domain-secured session needs, DS-RECV-09): the list, and the Internet receive connector "Inet" on both edges with TLS and domain security.
Set-TransportConfig -TLSReceiveDomainSecureList woodgrovebank.com
New-ReceiveConnector -Server EDGE1 -Name Inet -Usage Internet -Bindings 0.0.0.0:25 -RemoteIPRanges 0.0.0.0-255.255.255.255 -PermissionGroups AnonymousUsers,Partners
New-ReceiveConnector -Server EDGE2 -Name Inet -Usage Internet -Bindings 0.0.0.0:25 -RemoteIPRanges 0.0.0.0-255.255.255.255 -PermissionGroups AnonymousUsers,Partners
Set-ReceiveConnector EDGE1\Inet -DomainSecureEnabled:$True -AuthMechanism TLS
Set-ReceiveConnector EDGE2\Inet -DomainSecureEnabled:$True -AuthMechanism TLS

# Protocol logging, to read the TLS negotiation afterwards.
Set-ReceiveConnector EDGE1\Inet -ProtocolLoggingLevel Verbose
Set-ReceiveConnector EDGE2\Inet -ProtocolLoggingLevel Verbose
Set-SendConnector Internet -ProtocolLoggingLevel Verbose
