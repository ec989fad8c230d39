// `external: { image: NAME, … }` in a lab file (docs/lab-file.md): the container image plays the organization as with
// `lab up --external DOMAIN=image:NAME`. Parsing, the errors naming their path and the no-engine error run anywhere; the
// container test skips without an engine and fails under CI=true, as external-image.test.ts does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineGate, ensureImage, PEER_LABEL } from '../peers/index.js';
import { labFileImages } from './external-image.js';
import { parseLabText } from './lab-file.js';
import { labUp, repo, runDomsec as domsec, stop } from './lab-up-fixture.js';
import { describeGated } from '../peers/testing/gated-describe.js';


/** The lab of docs/external-mta.md §1 with treyresearch.net's `external` block as given. */
const labFile = (external: string, edge = '') => `
organizations:
  - domain: adatum.com
    edges: [{ name: EX1, fqdn: mail.adatum.com }${edge}]
    trusts: [treyresearch.net]
    tlsSendDomainSecureList: [treyresearch.net]
    tlsReceiveDomainSecureList: [treyresearch.net]
    sendConnectors:
      - { name: To treyresearch.net, usage: Partner, addressSpaces: ["SMTP:treyresearch.net;1"], fqdn: mail.adatum.com }
    receiveConnectors:
      - { name: From treyresearch.net, edge: EX1, usage: Partner, remoteIpRanges: [treyresearch.net] }
  - domain: treyresearch.net
    external: ${external}
`;

describe('external.image in a lab file', () => {
  it('is read as --external DOMAIN=image:NAME[,port=N][,from=IP][,adapter=SPEC] would be, and taken out of what the simulation gets', () => {
    const spec = parseLabText(labFile('{ image: my/postfix:1.0 }'), 'x.yaml');
    const { spec: rest, images } = labFileImages(spec, []);
    expect(images).toEqual([{ domain: 'treyresearch.net', external: { host: '127.0.0.1', port: 0 }, image: 'my/postfix:1.0' }]);
    expect(rest.definition!.organizations[1].external).toEqual({ host: '127.0.0.1', port: 0 });
    const full = labFileImages(parseLabText(labFile('{ image: mta, port: 2600, from: 127.0.0.9, adapter: "cmd:./shim.py a,b" }'), 'x.yaml'), []);
    expect(full.images).toEqual([{ domain: 'treyresearch.net', external: { host: '127.0.0.9', port: 2600, from: '127.0.0.9', adapter: 'cmd:./shim.py a,b' }, image: 'mta' }]);
    // The command line's --external for the same organization wins: the file's image is not started.
    expect(labFileImages(spec, [{ domain: 'TreyResearch.net', external: { host: '127.0.0.1', port: 2525 } }]).images).toEqual([]);
  });

  it.each([
    ['{ image: mta, host: 10.0.0.1 }', '', 'x.yaml: organizations[1].external.host: the image mta runs on this machine\'s network and listens at "from" (default 127.0.0.1): remove "host".'],
    ['{ image: "my postfix" }', '', 'x.yaml: organizations[1].external.image: "my postfix" is not an image name'],
    ['{ image: mta, imgae: mta }', '', 'x.yaml: organizations[1].external.imgae: unknown key (did you mean image?)'],
    ['{ port: 2525 }', '', 'x.yaml: organizations[1].external.host: is required (or "image" for a container image that lab up starts).'],
    ['{ host: 127.0.0.1 }', '', 'x.yaml: organizations[1].external.port: is required'],
    ['{ host: 127.0.0.1, port: 2525 }', ', { name: EX2, fqdn: mail2.adatum.com, external: { image: mta } }', 'x.yaml: organizations[0].edges[1].external.image: a container image plays a whole organization'],
  ])('%s%s is ERR_LAB_FILE naming the path', (external, edge, message) => {
    expect(() => parseLabText(labFile(external, edge), 'x.yaml')).toThrow(expect.objectContaining({ code: 'ERR_LAB_FILE', message: expect.stringContaining(message) }));
  });

  it('a command other than lab up refuses it, naming the path; lab up without an engine stops with ERR_CONTAINER_ENGINE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domsec-img-file-'));
    try {
      const file = join(dir, 'image-lab.yaml');
      writeFileSync(file, labFile('{ image: domsec/none }'));
      const once = await domsec(['lab', file]);
      expect(once.stderr).toContain(`organizations[1].external.image: only "domsec lab up" starts a container image (domsec/none for treyresearch.net)`);
      expect(once.status).toBe(2);
      const up = await domsec(['lab', 'up', file, '--dir', join(dir, 'lab')], { DOCKER_HOST: `unix://${dir}/no-engine.sock` });
      expect(up.stderr).toContain('ERR_CONTAINER_ENGINE');
      expect(up.stderr).toContain(`No container engine answers at unix://${dir}/no-engine.sock`);
      expect(up.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

const gate = await engineGate();
describeGated(gate, 'ERR_CONTAINER_ENGINE', "lab up FILE with treyresearch.net's external.image", () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-img-file-'));
  let lab: Awaited<ReturnType<typeof labUp>> | undefined;
  const output = () => lab?.output() ?? '';

  beforeAll(async () => {
    const b = await ensureImage('domsec/external-example', join(repo, 'docs/external-mta'));
    const file = join(dir, 'image-lab.yaml');
    writeFileSync(file, labFile(`{ image: "${b.image}" }`));
    lab = await labUp([file, '--dir', join(dir, 'lab'), '--seed', 'image-file'], 90_000);
  }, 20 * 60_000);

  afterAll(async () => {
    if (lab) await stop(lab.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the image where the lab routes treyresearch.net; lab send delivers into it; stopped, the container is gone', async () => {
    expect(output()).toMatch(/treyresearch\.net is played by the container [0-9a-f]{12} of image domsec\/external-example:[0-9a-f]{12}, on 127\.0\.0\.1:\d+/);
    expect(output()).not.toContain('warning: the external MTA');
    const r = await domsec(['lab', 'send', '--dir', join(dir, 'lab'), '--from', 'administrator@adatum.com', '--to', 'bob@treyresearch.net', '--subject', 'into the image']);
    expect(r.stdout).toContain('delivered to bob@treyresearch.net by mail.treyresearch.net at 127.0.0.1:');
    expect(r.status).toBe(0);
    await stop(lab!.child);
    expect(spawnSync('docker', ['ps', '-aq', '--filter', `label=${PEER_LABEL}=external treyresearch.net`], { encoding: 'utf8', timeout: 30_000 }).stdout.trim()).toBe('');
  }, 90_000);
});
