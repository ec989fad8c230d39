// `lab up --external DOMAIN=image:NAME`: the example image (docs/external-mta/Dockerfile, a hand-configured Postfix) plays
// treyresearch.net in a container; mail goes both ways over mutual TLS, and the container is gone when the lab stops.
// The engine tests skip without a container engine and fail under CI=true; the option and the no-engine error run anywhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineGate, ensureImage, PEER_LABEL } from '../peers/index.js';
import { parseExternalOption } from './external-option.js';
import { labUp, repo, runDomsec as domsec, stop } from './lab-up-fixture.js';
import { describeGated } from '../peers/testing/gated-describe.js';

const docker = (args: string[], input?: string) => spawnSync('docker', args, { encoding: 'utf8', input, timeout: 30_000 });

describe('--external DOMAIN=image:NAME', () => {
  it('reads image:NAME[,port=N][,from=IP] (adapter= still last) and names what is wrong', () => {
    expect(parseExternalOption('treyresearch.net=image:my/postfix:1.0')).toEqual({ domain: 'treyresearch.net', external: { host: '127.0.0.1', port: 0 }, image: 'my/postfix:1.0' });
    expect(parseExternalOption('treyresearch.net=image:mta,port=2600,from=127.0.0.9,adapter=cmd:./shim.py a,b')).toEqual({
      domain: 'treyresearch.net', external: { host: '127.0.0.9', port: 2600, from: '127.0.0.9', adapter: 'cmd:./shim.py a,b' }, image: 'mta',
    });
    expect(() => parseExternalOption('treyresearch.net=image:mta,port=70000')).toThrow(/port 70000/);
    expect(() => parseExternalOption('treyresearch.net=image:mta,from=there')).toThrow(/from=there, which is not an IPv4 address/);
    expect(() => parseExternalOption('treyresearch.net=image:mta,host=1.2.3.4')).toThrow(/has host, which image: does not take/);
    expect(() => parseExternalOption('treyresearch.net=image:')).toThrow(/names no image/);
  });

  it('without an engine, lab up stops with ERR_CONTAINER_ENGINE naming the engine it asked and how to start one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-img-noengine-'));
    try {
      const r = await domsec(['lab', 'up', '--dir', dir, '--external', 'treyresearch.net=image:domsec/none'], { DOCKER_HOST: `unix://${dir}/no-engine.sock` });
      expect(r.stderr).toContain('ERR_CONTAINER_ENGINE');
      expect(r.stderr).toContain(`No container engine answers at unix://${dir}/no-engine.sock`);
      expect(r.stderr).toContain('.ci/docker-engine.sh up');
      expect(r.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const gate = await engineGate();
describeGated(gate, 'ERR_CONTAINER_ENGINE', 'lab up --external treyresearch.net=image:<docs/external-mta/Dockerfile>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-img-'));
  let lab: Awaited<ReturnType<typeof labUp>> | undefined;
  const output = () => lab?.output() ?? '';
  let container = '';

  beforeAll(async () => {
    const b = await ensureImage('domsec/external-example', join(repo, 'docs/external-mta'));
    console.info(`[containers] ${b.image}: ${b.built ? 'built' : 'cached'} in ${Math.round(b.ms)} ms`);
    const t = performance.now();
    lab = await labUp(['--dir', dir, '--seed', 'image', '--external', `treyresearch.net=image:${b.image}`], 90_000);
    container = /played by the container ([0-9a-f]{12})/.exec(output())?.[1] ?? '';
    console.info(`[containers] lab up with the image as treyresearch.net: ${Math.round(performance.now() - t)} ms`);
  }, 20 * 60_000);

  afterAll(async () => {
    if (lab) await stop(lab.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the image on the host network where the lab routes treyresearch.net, without a "does not answer" warning', () => {
    expect(container).toMatch(/^[0-9a-f]{12}$/);
    expect(output()).toMatch(/treyresearch\.net is played by the container [0-9a-f]{12} of image domsec\/external-example:[0-9a-f]{12}, on 127\.0\.0\.1:\d+/);
    expect(output()).not.toContain('warning: the external MTA');
  });

  it('lab send → the container: delivered over mutual TLS, into its Maildir', async () => {
    const r = await domsec(['lab', 'send', '--dir', dir, '--from', 'administrator@adatum.com', '--to', 'bob@treyresearch.net', '--subject', 'into the image']);
    expect(r.stdout).toContain('delivered to bob@treyresearch.net by mail.treyresearch.net at 127.0.0.1:');
    expect(r.status).toBe(0);
    const seen = () => docker(['exec', container, 'sh', '-c', 'grep -l "Subject: into the image" /var/lib/external/mail/inbox/new/* 2>/dev/null']).stdout.trim();
    for (let i = 0; i < 100 && !seen(); i++) await new Promise((w) => setTimeout(w, 100));
    expect(seen()).not.toBe('');
  }, 60_000);

  it('the container → adatum.com: with the certificate the lab issued for it, the mail arrives Domain Secured (AuthAs Partner)', async () => {
    const sent = docker(['exec', '-i', container, 'sendmail', '-f', 'alice@treyresearch.net', '-i', 'administrator@adatum.com'], 'Subject: from the image\n\nhello\n');
    expect(sent.status, sent.stderr).toBe(0);
    let parsed = '';
    for (const deadline = Date.now() + 30_000; !parsed.includes('from the image') && Date.now() < deadline;) {
      parsed = (await domsec(['lab', 'mailbox', '--dir', dir, '--parsed', 'administrator@adatum.com'])).stdout;
      if (!parsed.includes('from the image')) await new Promise((w) => setTimeout(w, 200));
    }
    if (!parsed.includes('from the image')) console.warn(docker(['exec', container, 'tail', '-n', '20', '/var/lib/external/log/maillog']).stdout);
    expect(parsed).toContain('Subject: from the image');
    expect(parsed).toContain('Domain Secured: yes (AuthAs Partner, AuthDomain treyresearch.net)');
  }, 60_000);

  it('lab stopped: the container is removed', async () => {
    await stop(lab!.child);
    expect(docker(['ps', '-aq', '--filter', `label=${PEER_LABEL}=external treyresearch.net`]).stdout.trim()).toBe('');
  }, 30_000);
});
