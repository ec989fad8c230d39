// An edge whose process runs out of file descriptors survives (issue 10: ~1,000 idle connections under a 1024 limit
// ended `lab up`). libuv sheds connections it cannot accept (its reserved-descriptor trick) and only reports EMFILE
// when that fails (then event 9101 and a 1 s shedding spell); what did end the process was everything else that needs
// a descriptor meanwhile, above all the protocol log's file writes (now event 9102). After the flood the edge delivers.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./accept-errors-child.ts', import.meta.url));
const FLOOD = 400;

describe('accept errors (EMFILE)', () => {
  it('an edge under `ulimit -n 256` flooded with connections stays up and delivers once they are gone', async () => {
    const p = spawn('sh', ['-c', 'ulimit -n 256 && exec "$0" --import tsx "$1"', process.execPath, child], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += String(d); });
    p.stderr.on('data', (d) => { err += String(d); });
    const exited = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
    const line = async (n: number) => {
      const end = Date.now() + 30_000;
      while (out.split('\n').length <= n && Date.now() < end && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      return JSON.parse(out.split('\n')[n - 1] ?? 'null') as Record<string, number>;
    };
    try {
      const edge = (await line(1)) as unknown as { address: string; port: number };
      expect(edge, err).toBeTruthy();
      const sockets: net.Socket[] = [];
      const replies: string[] = [];
      await Promise.all(Array.from({ length: FLOOD }, () => new Promise<void>((resolve) => {
        const s = net.connect({ host: edge.address, port: edge.port, localAddress: '127.0.0.1' });
        sockets.push(s);
        s.on('error', () => resolve());
        s.once('data', (d) => { replies.push(String(d).slice(0, 3)); resolve(); });
        s.once('close', () => resolve());
        setTimeout(resolve, 3000);
      })));
      for (const s of sockets) s.destroy();
      p.stdin.write('go\n');
      const result = await line(2);
      console.log(`EMFILE flood: ${FLOOD} connections, ${replies.filter((r) => r === '220').length} greeted, ${replies.filter((r) => r === '421').length} got 421; ${JSON.stringify(result)}`);
      expect(result, err).toEqual({ acceptFailedEvents: expect.any(Number), logWriteFailedEvents: expect.any(Number), delivered: 1 });
      // The limit was really reached: not every connection got a session.
      expect(replies.filter((r) => r === '220').length).toBeLessThan(FLOOD);
      expect(await exited).toBe(0);
    } finally {
      if (p.exitCode === null) p.kill('SIGKILL');
    }
  }, 60_000);
});
