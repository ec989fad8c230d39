// A real man in the middle on loopback that removes STARTTLS from the server's EHLO reply (fault 'strip-starttls').
import net from 'node:net';

/** Rewrites one chunk of server output: drops `250-STARTTLS`/`250 STARTTLS` and keeps the reply well-formed. */
export function stripStartTls(text: string): string {
  const lines = text.split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^250[ -]STARTTLS\s*$/i.test(line)) {
      if (line[3] === ' ' && out.length > 0) {
        const last = out[out.length - 1];
        out[out.length - 1] = last.replace(/^250-/, '250 ');
      }
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/**
 * Opens the upstream connection from `from` and hands back the client's end of a one-shot proxy, so both
 * sides see real sockets and the receiver still sees the sender's own address.
 */
export async function connectThroughStripper(from: string, to: string, port: number, track: (s: net.Socket) => void): Promise<{ socket: net.Socket; wire: string }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect({ host: '127.0.0.1', port: proxyPort });
  track(client);
  const inner = await accepted;
  server.close();
  track(inner);
  const upstream = net.connect({ host: to, port, localAddress: from });
  track(upstream);
  upstream.setEncoding('latin1');
  upstream.on('data', (chunk: string) => inner.write(Buffer.from(stripStartTls(chunk), 'latin1')));
  inner.on('data', (chunk) => upstream.write(chunk));
  const closeBoth = () => { inner.destroy(); upstream.destroy(); };
  upstream.on('close', closeBoth).on('error', closeBoth);
  inner.on('close', closeBoth).on('error', closeBoth);
  await new Promise<void>((resolve, reject) => {
    upstream.once('connect', resolve);
    upstream.once('error', reject);
  });
  await new Promise<void>((resolve) => (client.connecting ? client.once('connect', () => resolve()) : resolve()));
  return { socket: client, wire: `${upstream.localAddress}:${upstream.localPort}` };
}
