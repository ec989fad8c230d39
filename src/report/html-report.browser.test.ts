// The HTML report as a person sees it: Debian's chromium, driven by playwright-core, opens index.html from disk.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNdjson } from './collect-cucumber-messages.js';
import { loadExpectations } from './expectations.js';
import { writeReport } from './write-report.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// On CI a missing browser is a broken machine, not a reason to skip (.ci/apt-packages.txt installs it).
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing on CI: .ci/apt-packages.txt must install the Debian package chromium.`);
if (!haveChromium) console.log(`skipping the HTML report browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!haveChromium)('index.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domsec-html-'));
  const profile = mkdtempSync(join(tmpdir(), 'domsec-chromium-'));
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
  let url = '';

  beforeAll(async () => {
    const expectations = loadExpectations(new URL('./fixtures/expectations.json', import.meta.url).pathname);
    const run = collectNdjson(readFileSync(new URL('./fixtures/run.ndjson', import.meta.url), 'utf8'), { runId: 'run-lab1-20260302T090000', seed: 'lab1' }, { expectations });
    url = pathToFileURL(join(writeReport(run, dir).latestDir, 'index.html')).href;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    context.on('request', (r) => {
      if (!/^(file|data|about):/.test(r.url())) externalRequests.push(r.url());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('loads with no console errors and no network', async () => {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url);
    await expect.poll(() => page.locator('details.scenario').count()).toBe(5);
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows the right counts in the summary and the matrix', async () => {
    const page = await context.newPage();
    await page.goto(url);
    const tile = (o: string) => page.locator(`#summary .tile[data-outcome="${o}"] .count`).innerText();
    expect([await tile('pass'), await tile('fail'), await tile('expected-fail'), await tile('not-observable'), await tile('skipped')]).toEqual(['1', '1', '1', '1', '1']);
    const orgs = await page.locator('#matrix thead th.org').allInnerTexts();
    expect(orgs).toEqual(['adatum.com', 'treyresearch.net', '(no session)']);
    const cell = page.locator('#matrix td.cell[data-rule="DS-RECV-04"][data-org="treyresearch.net"]');
    await expect.poll(() => cell.getAttribute('class')).toContain('o-fail');
    expect(await cell.innerText()).toBe('1 fail');
    const recv07 = page.locator('#matrix td.cell[data-rule="DS-RECV-07"][data-org="(no session)"]');
    expect(await recv07.innerText()).toBe('1 skipped');
    expect(await page.locator('#matrix tbody tr').count()).toBe(5);
    await page.close();
  }, 30_000);

  it('opens a failing scenario with its evidence when clicked, and screenshots it', async () => {
    const page = await context.newPage();
    await page.goto(url);
    const failing = page.locator('details.scenario[data-outcome="fail"]');
    expect(await failing.getAttribute('open')).toBeNull();
    expect(await failing.locator('.mismatch').isVisible()).toBe(false);
    // Collapsed, the row already says why it failed.
    expect(await failing.locator(':scope > summary .reason').isVisible()).toBe(true);
    expect(await failing.locator(':scope > summary .reason').innerText()).toBe('expected 530 5.7.1 Not authenticated, actual 250 2.1.0 Sender OK');
    await failing.locator(':scope > summary').click();
    expect(await failing.getAttribute('open')).not.toBeNull();
    expect(await failing.locator('.mismatch .expected').innerText()).toBe('530 5.7.1 Not authenticated');
    expect(await failing.locator('.mismatch .actual').innerText()).toBe('250 2.1.0 Sender OK');
    expect(await failing.locator('pre.transcript').first().innerText()).toContain('MAIL FROM:<kim@adatum.com>');
    expect(await failing.locator('table.decisions').innerText()).toContain('DS-RECV-04');
    expect(await failing.locator('svg.seq').isVisible()).toBe(true);
    expect(await failing.locator('table.queues tr').count()).toBe(3);
    const shot = join(dir, 'report-failing-scenario.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    console.log(`screenshot: ${shot}`);
    await page.close();
  }, 30_000);

  it('shows the interop matrix: implementation and role columns, divergent and not-observable cells that filter the list', async () => {
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.locator('#interop-matrix thead th.org').allInnerTexts()).toEqual(['postfix as receiver', 'postfix as sender']);
    const divergent = page.locator('#interop-matrix td.cell[data-rule="DS-SEND-05"][data-org="postfix/sender"]');
    expect([await divergent.innerText(), await divergent.getAttribute('data-status')]).toEqual(['divergent', 'divergent']);
    expect(await divergent.getAttribute('title')).toContain('divergent: ');
    const nob = page.locator('#interop-matrix td.cell[data-rule="DS-LOG-05"][data-org="postfix/receiver"]');
    expect(await nob.innerText()).toBe('not observable');
    await divergent.click();
    expect(await page.locator('details.scenario:not(.hidden)').count()).toBe(1);
    expect(await page.locator('#filter-label').innerText()).toBe('DS-SEND-05 × postfix/sender (1)');
    await page.locator('#interop-matrix').screenshot({ path: join(dir, 'report-interop-matrix.png') });
    await page.close();
  }, 30_000);

  it('filters the scenario list from a matrix cell', async () => {
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#matrix td.cell[data-rule="DS-RECV-04"][data-org="adatum.com"]').click();
    expect(await page.locator('details.scenario:not(.hidden)').count()).toBe(1);
    expect(await page.locator('#filter-label').innerText()).toBe('DS-RECV-04 × adatum.com (1)');
    await page.locator('#filter-clear').click();
    expect(await page.locator('details.scenario:not(.hidden)').count()).toBe(5);
    await page.close();
  }, 30_000);
});
