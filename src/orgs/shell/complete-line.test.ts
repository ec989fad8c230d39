import { describe, expect, it } from 'vitest';
import { completeLine } from './complete-line.js';
import { ALL_COMMANDS } from './shell.js';

const complete = (line: string) => completeLine(line, ALL_COMMANDS);

describe('tab completion', () => {
  it('completes command names at the start of a line or pipeline stage, case-insensitively', () => {
    expect(complete('Get-Qu')).toEqual([['Get-Queue'], 'Get-Qu']);
    expect(complete('set-send')).toEqual([['Set-SendConnector'], 'set-send']);
    expect(complete('Get-ExchangeCertificate | Enable-')).toEqual([['Enable-ExchangeCertificate'], 'Enable-']);
    expect(complete('Get-TransportConfig | Format-')).toEqual([['Format-List', 'Format-Table'], 'Format-']);
    expect(complete('Retry')[0]).toEqual(['Retry-Queue']);
    expect(complete('gc')[0]).toEqual(['gcm']);
    expect(complete('Nothing')[0]).toEqual([]);
  });

  it('completes the parameters of the command being typed, leaving out those already given', () => {
    expect(complete('Set-ReceiveConnector Inet -Dom')).toEqual([['-DomainSecureEnabled'], '-Dom']);
    expect(complete('Set-SendConnector Internet -Tls')[0]).toEqual(['-TlsAuthLevel', '-TlsDomain', '-TlsCertificateName']);
    expect(complete('Set-SendConnector Internet -TlsDomain x -Tls')[0]).toEqual(['-TlsAuthLevel', '-TlsCertificateName']);
    expect(complete('Get-TransportConfig | fl -')[0]).toEqual(['-Property']);
    expect(complete('Frob -x')[0]).toEqual([]);
  });

  it('completes enum and Boolean values after their parameter', () => {
    expect(complete('Set-ReceiveConnector Inet -ProtocolLoggingLevel V')).toEqual([['Verbose'], 'V']);
    expect(complete('Set-ReceiveConnector Inet -AuthMechanism ')[0]).toContain('Tls');
    expect(complete('Set-SendConnector Internet -DomainSecureEnabled $t')[0]).toEqual(['$true']);
    expect(complete('Set-SendConnector Internet -Fqdn m')[0]).toEqual([]);
  });

  it('ignores a | inside quotes', () => {
    expect(complete('Set-SendConnector "a|b" -Fq')[0]).toEqual(['-Fqdn']);
  });
});
