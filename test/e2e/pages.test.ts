import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetEnv } from '../support/target.js';

// The pages in a real browser (headless Chromium from Debian's packages; .ci/run installs it),
// against the local cloud: the web server of `npm start` with the API on the same origin.
// SCREENSHOTS=docs writes the screenshots shown in the README (docs/screenshots/).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const webUrl = targetEnv().WEB_URL;
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.SCREENSHOTS === 'docs' ? join(process.cwd(), 'docs', 'screenshots') : await mkdtemp(join(tmpdir(), 'pages-'));

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  await mkdir(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** A fresh browser session (its own sessionStorage), with every page error and CSP refusal collected. */
const open = async (path: string) => {
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${webUrl}${path}`);
  return { page, problems };
};

const signIn = async (page: Page, as: string) => {
  await page.click(`button[data-as="${as}"]`);
  await page.waitForURL((url) => /(possibilities|claims|case)\.html$/.test(url.pathname));
};

/**
 * axe-core on the page as it is now, dynamic states included: evaluated through the DevTools
 * protocol, which the page's CSP does not govern (a script tag would be refused). Serious and
 * critical violations only.
 */
const accessibilityViolations = async (page: Page) => {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () =>
    (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> } }).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} node(s)`);
};

describe.skipIf(!webUrl)('the pages in a real browser', () => {
  it('signs in locally and shows a citizen their blocks in Dutch, then in French', async () => {
    const { page, problems } = await open('/');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'sign-in.png') });
    await signIn(page, '85073003328');
    await page.selectOption('#language', 'nl');
    await page.waitForSelector('html[lang="nl"] section.reason[data-reason="TRAINING"]');
    const training = page.locator('section.reason[data-reason="TRAINING"]');
    await expect.poll(() => training.locator('h2').textContent()).toContain('Opleiding');
    expect(await training.locator('tbody tr').allTextContents()).toEqual(['Voltijds33 maanden', 'Halftijds33 maanden', 'Eén vijfde33 maanden']);
    const other = page.locator('section.reason[data-reason="OTHER"]');
    expect(await other.getAttribute('class')).toContain('closed');
    expect(await other.locator('.because li').textContent()).toBe('Niet beschikbaar in uw sector');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'possibilities-nl.png'), fullPage: true });

    await page.selectOption('#language', 'fr');
    await page.waitForSelector('html[lang="fr"]');
    await expect.poll(() => training.locator('h2').textContent()).toContain('Formation');
    expect(await page.locator('h1').textContent()).toBe('Vos possibilités d’interruption de carrière et de crédit-temps');
    expect(await other.locator('.because li').textContent()).toBe('Non disponible dans votre secteur');

    // What if: a year of training at 1/5 from January (the local cloud's clock is 15 Nov 2024).
    await page.selectOption('#plan-reason', 'TRAINING');
    await page.selectOption('#plan-regime', 'ONE_FIFTH');
    await page.fill('#plan-months', '12');
    await page.fill('#plan-from', '2025-01-01');
    await page.click('#plan button[type="submit"]');
    await page.locator('#plan-verdict[data-fits="true"]').waitFor();
    expect(await page.locator('#plan-verdict').textContent()).toBe('Ce plan est possible');
    expect(await page.locator('#plan-until').textContent()).toBe('Il se terminerait le 2025-12-31');
    expect(await page.locator('#plan-after section.reason[data-reason="TRAINING"] tbody tr').allTextContents()).toEqual([
      'Temps plein21 mois',
      'Mi-temps21 mois',
      'Un cinquième21 mois',
    ]);
    // ONEM's own figures above are unchanged: the plan is a simulation.
    expect(await training.locator('tbody tr').first().textContent()).toBe('Temps plein33 mois');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#plan').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'what-if-fr.png'), fullPage: true });
    await page.fill('#plan-months', '40');
    await page.click('#plan button[type="submit"]');
    await page.locator('#plan-verdict[data-fits="false"]').waitFor();
    expect(await page.locator('#plan-refused li').textContent()).toBe('Il vous reste 33 mois dans ce régime');

    // Who consulted my data: the lookups and the simulations just made, in French.
    await page.click('#access-log-link');
    await page.locator('#rows tr').first().waitFor();
    const log = (await page.locator('#rows tr').allTextContents()).join('\n');
    expect(log).toContain('Une simulation de pause (24/012)');
    expect(log).toContain('Vos possibilités d’interruption de carrière (24/012)');
    expect(log).toContain('Vous (MyCareer)');
    expect(log).not.toContain('85073003328');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'access-log-fr.png') });
    expect(problems).toEqual([]);
  });

  it('shows the pre-filter’s message, in the citizen’s language, when it fails', async () => {
    const { page, problems } = await open('/possibilities.html?lang=de');
    // Sent to the sign-in page, and back to the page it asked for, language included.
    await page.waitForURL(/index\.html\?next=/);
    await signIn(page, '10050324536');
    expect(page.url()).toMatch(/possibilities\.html\?lang=de$/);
    const notice = page.locator('[data-precondition="UNDER_18"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('mindestens 18 Jahre');
    expect(await page.locator('section.reason').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'possibilities-under-18-de.png') });
    expect(problems).toEqual([]);
  });

  let claimId = '';
  it('lets an employer see a refused field’s message next to it, then submit a claim and see it decided', async () => {
    const { page, problems } = await open('/');
    await signIn(page, '0403170701');
    await page.fill('#workerNiss', '90061512300');
    await page.fill('#schoolYear', '2024-2025');
    await page.fill('[id="training.id"]', 'ODB-12345');
    await page.fill('[id="training.startDate"]', '2024-10-01');
    await page.fill('[id="training.endDate"]', '2025-03-31');
    await page.fill('#month-0', '2024-10');
    await page.fill('#hours-0', '8');
    await page.fill('#month-1', '2024-11');
    await page.fill('#hours-1', '12');
    await page.click('button[type="submit"]');
    // The API's problem+json names body.workerNiss: its message is put beside the field.
    const error = page.locator('#error-workerNiss');
    await expect.poll(() => error.textContent()).toContain('mod-97');
    expect(await page.getAttribute('#workerNiss', 'aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'claims-refused-field.png'), fullPage: true });

    await page.fill('#workerNiss', '90061512301');
    await page.click('button[type="submit"]');
    await page.waitForSelector('section[data-status="DECIDED"]', { timeout: 45_000 });
    claimId = page.url().split('#')[1] ?? '';
    expect(claimId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('#claim-outcome').textContent()).toBe('approved');
    expect(await page.locator('#claim-amount').textContent()).toMatch(/^€ \d+\.\d{2}$/);
    expect(await page.locator('#error-workerNiss').textContent()).toBe('');
    await page.locator(`tr[data-claim="${claimId}"]`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'claims-decided.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);

  it('does not show an employer another employer’s claim', async () => {
    expect(claimId).not.toBe('');
    const { page } = await open('/');
    await signIn(page, '0876543270');
    await page.goto(`${webUrl}/claims.html#${claimId}`);
    await page.locator('#claim-error').waitFor();
    expect(await page.locator('#claim-error').textContent()).toBe('No such claim among yours.');
    expect(await page.locator(`tr[data-claim="${claimId}"]`).count()).toBe(0);
    expect(await page.content()).not.toContain('90061512301');
  });

  it('shows a DWSE case handler the decision with each reason, its rule and explanation, and the figures cited', async () => {
    expect(claimId).not.toBe('');
    const { page, problems } = await open('/');
    await signIn(page, 'competenties');
    await page.goto(`${webUrl}/case.html#${claimId}`);
    await page.locator('#reasons').waitFor();
    expect(await page.locator('#decision-outcome').textContent()).toBe('APPROVED');
    const rows = await page.locator('#reasons tbody tr').all();
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const [rule, result, , explanation] = await row.locator('th, td').allTextContents();
      expect(rule).toMatch(/\S/);
      expect(['PASSED', 'LIMITED', 'FAILED']).toContain(result);
      expect(explanation?.length).toBeGreaterThan(10);
    }
    expect(await page.locator('#figures dt').allTextContents()).toContain('Hourly forfait (€)');
    expect(await page.content()).toContain('90061512301');
    await page.locator(`tr[data-claim="${claimId}"]`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'case-view.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('serves the API reference from the npm package, with nothing from another origin', async () => {
    const { page, problems } = await open('/docs');
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(webUrl ?? '') && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    await page.reload();
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(7);
    expect(foreign).toEqual([]);
    await page.screenshot({ path: join(shots, 'api-reference.png') });
    expect(problems).toEqual([]);
  });
});
