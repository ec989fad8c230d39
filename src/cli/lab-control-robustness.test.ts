// The control port of a running lab survives malformed and aborted requests (issue 10 item 1: `GET http://[` ended `lab up`).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../sim/index.js';
import { type LabControl, startLabControl } from './lab-control.js';

let lab: Lab | undefined;
let control: LabControl | undefined;
afterEach(async () => {
  await control?.close();
  await lab?.sim.stop();
  control = undefined;
  lab = undefined;
});

/** Sends raw bytes and returns the status line of the answer ('(closed)' when the server just closed). */
function raw(port: number, bytes: string, reset = false): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(bytes);
      if (reset) { s.resetAndDestroy(); resolve('(reset)'); }
    });
    let text = '';
    s.on('data', (d) => { text += String(d); });
    s.on('error', () => resolve(text.split('\r\n')[0] || '(error)'));
    s.on('close', () => resolve(text.split('\r\n')[0] || '(closed)'));
    s.setTimeout(5000, () => s.destroy());
  });
}

describe('lab control port robustness', () => {
  it('answers malformed request targets and garbage with 400 and keeps serving', async () => {
    lab = await startLab('adatum-treyresearch', { seed: 'control-robust' });
    control = await startLabControl(lab, () => undefined);
    expect(await raw(control.port, 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(control.port, '\x16\x03\x01\x00garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400|\(closed\)/);
    for (let i = 0; i < 11; i++) await raw(control.port, 'POST /send HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"fr', true);
    // Still up: a well-formed request gets an HTTP answer.
    expect(await raw(control.port, 'GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 \d{3}/);
  });
});
