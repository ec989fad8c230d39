# adatum.com side of the adatum.com <-> treyresearch.net lab (seeds 001/002, BEHAVIOUR §7), run on its edge (mail.adatum.com).
# Before it runs: the edge's certificate (issued by Adatum's CA) is at c:\certificates\mail.adatum.com.pfx, protected by
# $PfxPassword; treyresearch.net's root is at c:\certificates\partner-root.cer; $PartnerEdgeIP is treyresearch's edge address.

# Step 1 (seed 001): trust the partner's root and put our certificate on SMTP.
Import-Certificate -FilePath c:\certificates\partner-root.cer -CertStoreLocation Cert:\LocalMachine\Root
Import-ExchangeCertificate -Path c:\certificates\mail.adatum.com.pfx -Password $PfxPassword | Enable-ExchangeCertificate -Services SMTP -Force

# Step 2: both lists name the partner. Seed 002 writes "-TLSSendDomainSecureList adatum.com", a slip (BEHAVIOUR §7).
Get-TransportConfig | FL
Set-TransportConfig -TLSSendDomainSecureList treyresearch.net
Set-TransportConfig –TLSReceiveDomainSecureList treyresearch.net

# Step 3: a dedicated Partner send connector (DNS routing, domain security on) and a Partner receive connector for the partner's edge only.
New-SendConnector -Name "To treyresearch.net" -Usage Partner -AddressSpaces "SMTP:treyresearch.net;1" -DNSRoutingEnabled:$true -Fqdn mail.adatum.com
Get-SendConnector –identity "To treyresearch.net" | FL
New-ReceiveConnector -Name "From treyresearch.net" -Usage Partner -Bindings 0.0.0.0:25 -RemoteIPRanges $PartnerEdgeIP -AuthMechanism Tls -PermissionGroups Partners

# Step 4: protocol logging to verify the TLS channel.
Set-ReceiveConnector "From treyresearch.net" -ProtocolLoggingLevel Verbose
Set-SendConnector "To treyresearch.net" -ProtocolLoggingLevel Verbose
