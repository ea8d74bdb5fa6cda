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
  await page.waitForURL((url) => /(possibilities|claims|case|premium-check)\.html$/.test(url.pathname));
};

/** Belgian formats (shared/domain/i18n/formats.ts): "€ 1.234,56" in Dutch, "1 234,56 €" in French, dates "03/12/2026". */
const EURO_NL = /^€\u00a0\d{1,3}(\.\d{3})*,\d{2}$/;
const EURO_FR = /^\d{1,3}(\u202f\d{3})*,\d{2}\u00a0€$/;
const DATE_TIME = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

/**
 * What the API's contract says of reasons, read from its OpenAPI document: whether the
 * employer's answer carries its decision's reasons, and whether a reason has a title in
 * words. The pages show both when they are there; the tests ask for them once the API has them.
 */
const apiSays = async () => {
  const { components } = (await (await fetch(`${webUrl}/v1/openapi.json`)).json()) as { components: { schemas: Record<string, unknown> } };
  /** Whether some object schema inside `node` has all these properties. */
  const has = (node: unknown, names: string[]): boolean => {
    if (!node || typeof node !== 'object') return false;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties && names.every((name) => name in properties)) return true;
    return Object.values(node).some((child) => has(child, names));
  };
  return {
    employerReasons: has(components.schemas['getTrainingLeaveClaim.employer'], ['reasons']),
    reasonTitles: has(components.schemas['getTrainingLeaveClaim.dwse'], ['rule', 'title']),
    findingTitles: has(components.schemas['checkPremium.actiris'], ['check', 'title']),
  };
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
    const training = page.locator('#content > .reasons > section.reason[data-reason="TRAINING"]');
    await expect.poll(() => training.locator('h2').textContent()).toContain('Opleiding');
    expect(await training.locator('tbody tr th').allTextContents()).toEqual(['Voltijds', 'Halftijds', 'Eén vijfde']);
    expect(await training.locator('tbody tr .left').allTextContents()).toEqual(['33 maanden', '33 maanden', '33 maanden']);
    // Left out of the most the reason gives, at a glance: 33 of the 36 training months, in words beside a decorative bar.
    expect((await training.locator('tbody tr .of').first().textContent())?.trim()).toBe('van de 36');
    expect(await training.locator('tbody tr .bar').first().getAttribute('aria-hidden')).toBe('true');
    expect(await training.locator('tbody tr .bar').first().getAttribute('data-gone')).toBe('3');
    expect(await page.locator('.bar-legend').first().textContent()).toBe('niet meer beschikbaarover');
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
    expect(await page.locator('#plan-until').textContent()).toBe('Il se terminerait le 31/12/2025');
    const after = page.locator('#plan-after section.reason[data-reason="TRAINING"]');
    expect(await after.locator('tbody tr .left').allTextContents()).toEqual(['21 mois', '21 mois', '21 mois']);
    // After the plan: 21 of the 36 left, 12 fewer with the plan (its own segment of the bar).
    expect((await after.locator('tbody tr .of').first().textContent())?.trim()).toBe('sur 36');
    expect(await after.locator('tbody tr .by-plan').first().textContent()).toBe('12 de moins avec ce plan');
    expect(await after.locator('tbody tr .bar').first().getAttribute('data-plan')).toBe('12');
    // ONEM's own figures above are unchanged: the plan is a simulation.
    expect(await training.locator('tbody tr .left').first().textContent()).toBe('33 mois');
    expect(await training.locator('tbody tr .by-plan').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#plan').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'what-if-fr.png'), fullPage: true });
    await page.locator('#plan-after').screenshot({ path: join(shots, 'possibilities-bars-fr.png') });
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
  it('lets an employer see a refused field’s message next to it, then submit a claim and see it decided, in Dutch, with its reasons', async () => {
    const says = await apiSays();
    const { page, problems } = await open('/');
    await signIn(page, '0403170701');
    // Dutch by default for the employer.
    await page.waitForSelector('html[lang="nl"]');
    expect(await page.locator('h1').textContent()).toBe('Aanvragen opleidingsverlof');
    expect(await page.locator('#language').inputValue()).toBe('nl');
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
    await expect.poll(() => error.textContent(), { timeout: 15_000 }).toMatch(/\S/);
    expect(await page.getAttribute('#workerNiss', 'aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'claims-refused-field.png'), fullPage: true });

    await page.fill('#workerNiss', '90061512301');
    await page.click('button[type="submit"]');
    // The consumer's first invocation bundles it (one function at a time, under a memory limit): slow on a loaded machine.
    await page.waitForSelector('section[data-status="DECIDED"]', { timeout: 120_000 });
    claimId = page.url().split('#')[1] ?? '';
    expect(claimId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('#claim-outcome').textContent()).toBe('goedgekeurd');
    expect(await page.locator('#claim-amount').textContent()).toMatch(EURO_NL);
    expect(await page.locator('#claim-decided').textContent()).toMatch(DATE_TIME);
    expect(await page.locator('#error-workerNiss').textContent()).toBe('');
    if (says.employerReasons) {
      // The employer's own decision, explained: each rule in Dutch words, its code beside it.
      const rows = page.locator('#reasons tbody tr');
      expect(await rows.count()).toBeGreaterThan(3);
      expect(await page.locator('#reasons caption').textContent()).toBe('Redenen: elke toegepaste regel, met zijn toelichting');
      for (const outcome of await page.locator('#reasons tbody td.outcome').allTextContents())
        expect(['voldaan', 'beperkt', 'niet voldaan']).toContain(outcome);
      if (says.reasonTitles) expect(await rows.first().locator('th code').count()).toBe(1);
    }
    const row = page.locator(`tr[data-claim="${claimId}"]`);
    await row.waitFor();
    // The list is read again once the claim is decided: its amount follows.
    await expect.poll(() => row.locator('td').nth(6).textContent(), { timeout: 15_000 }).toMatch(EURO_NL);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'claims-nl.png'), fullPage: true });

    // French, chosen in the header: the page's words and formats follow, and the choice is remembered.
    await page.selectOption('#language', 'fr');
    await page.waitForSelector('html[lang="fr"]');
    await expect.poll(() => page.locator('#claim-outcome').textContent(), { timeout: 15_000 }).toBe('approuvée');
    expect(await page.locator('#claim-amount').textContent()).toMatch(EURO_FR);
    expect(await page.locator('h1').textContent()).toBe('Demandes de congé-éducation');
    await page.reload();
    await page.waitForSelector('html[lang="fr"] #claim-outcome');
    expect(await page.locator('#language').inputValue()).toBe('fr');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);

  it('shows each reason’s title in words with its code, its paragraph, and why a claim waits, when the answer has them', async () => {
    // The API's own answer with the fields the pages read when present (title, paragraph,
    // waitingFor), added in the browser: what the page does with them, whatever API is behind.
    expect(claimId).not.toBe('');
    const { page, problems } = await open('/');
    await signIn(page, '0403170701');
    let waiting = false;
    await page.route(`**/v1/training-leave/claims/${claimId}`, async (route) => {
      const response = await route.fetch();
      const claim = await response.json();
      const explained = {
        ...claim,
        ...(waiting
          ? {
              status: 'WAITING',
              decision: undefined,
              waitingFor: { code: 'DMFA_NOT_YET_DECLARED', title: 'De DmfA-aangifte van het kwartaal', detail: 'Het kwartaal is nog niet aangegeven.' },
            }
          : {
              decision: {
                ...claim.decision,
                reasons: [
                  { rule: 'FILING_DEADLINE', outcome: 'PASSED', paragraph: '19/038 §4', title: 'Tijdig ingediend', detail: 'Ingediend vóór de termijn.' },
                  { rule: 'PERSONAL_MAXIMUM', outcome: 'LIMITED', code: 'OVER_PERSONAL_MAXIMUM', title: 'Persoonlijk maximum', detail: 'Beperkt tot 125 u.' },
                ],
              },
            }),
      };
      await route.fulfill({ response, json: explained });
    });
    await page.goto(`${webUrl}/claims.html#${claimId}`);
    const first = page.locator('#reasons tbody tr').first();
    await first.waitFor();
    expect(await first.locator('th').textContent()).toBe('Tijdig ingediend FILING_DEADLINE');
    expect(await first.locator('th code').textContent()).toBe('FILING_DEADLINE');
    expect(await first.locator('.paragraph').textContent()).toBe('Grondslag: 19/038 §4');
    expect(await page.locator('#reasons tbody tr').nth(1).locator('th code').textContent()).toBe('OVER_PERSONAL_MAXIMUM');
    expect(await page.locator('#reasons tbody tr').nth(1).locator('td.outcome').textContent()).toBe('beperkt');
    expect(await accessibilityViolations(page)).toEqual([]);

    waiting = true;
    await page.reload();
    const notice = page.locator('#waiting');
    await notice.waitFor();
    expect(await notice.getAttribute('data-code')).toBe('DMFA_NOT_YET_DECLARED');
    expect(await notice.textContent()).toBe('Wacht op: De DmfA-aangifte van het kwartaal DMFA_NOT_YET_DECLAREDHet kwartaal is nog niet aangegeven.');
    expect(await page.locator('#claim-status').textContent()).toBe('wacht');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    expect(problems).toEqual([]);
  });

  it('does not show an employer another employer’s claim', async () => {
    expect(claimId).not.toBe('');
    const { page } = await open('/');
    await signIn(page, '0876543270');
    await page.goto(`${webUrl}/claims.html#${claimId}`);
    await page.locator('#claim-error').waitFor();
    expect(await page.locator('#claim-error').textContent()).toBe('Geen aanvraag van u met dit nummer.');
    expect(await page.locator(`tr[data-claim="${claimId}"]`).count()).toBe(0);
    expect(await page.content()).not.toContain('90061512301');
  });

  it('shows a DWSE case handler, in Dutch, the decision with each reason, its rule and explanation, and the figures cited', async () => {
    expect(claimId).not.toBe('');
    const says = await apiSays();
    const { page, problems } = await open('/');
    await signIn(page, 'competenties');
    await page.goto(`${webUrl}/case.html#${claimId}`);
    await page.locator('#reasons').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    expect(await page.locator('#decision-outcome').textContent()).toBe('goedgekeurd');
    const rows = await page.locator('#reasons tbody tr').all();
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const [rule, result, explanation] = await row.locator('th, td').allTextContents();
      expect(rule).toMatch(/\S/);
      expect(['voldaan', 'beperkt', 'niet voldaan']).toContain(result);
      expect(explanation?.length).toBeGreaterThan(10);
      // A title in words with the code beside it, once the API gives titles; the code alone before.
      expect(await row.locator('th code').count()).toBe(1);
      if (says.reasonTitles)
        expect((await row.locator('th .reason-title').textContent())?.length).toBeGreaterThan((await row.locator('th code').textContent())?.length ?? 0);
    }
    const figures = await page.locator('#figures dt').allTextContents();
    expect(figures).toContain('Uurforfait');
    expect(await page.locator('#figures dd').nth(figures.indexOf('Uurforfait')).textContent()).toMatch(EURO_NL);
    // The months claimed in calendar order, in words.
    expect(await page.locator('article dl dd').nth(4).textContent()).toBe('oktober 2024: 8 u, november 2024: 12 u');
    expect(await page.content()).toContain('90061512301');
    await page.locator(`tr[data-claim="${claimId}"]`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'case-view-nl.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('lets Actiris check a premium in French and read the findings, each next to the figures declared and found', async () => {
    const says = await apiSays();
    const { page, problems } = await open('/');
    await signIn(page, 'Actiris');
    await page.waitForSelector('html[lang="fr"]');
    expect(await page.locator('h1').textContent()).toBe('Contrôler une prime ACS ou PTP');
    const fill = async (fields: Record<string, string>) => {
      for (const [id, value] of Object.entries(fields)) await page.fill(`[id="${id}"]`, value);
    };
    await page.selectOption('#scheme', 'ACS');
    await fill({
      employerEnterpriseNumber: '0403170701',
      workerNiss: '91011715491',
      hiringDate: '2023-01-01',
      month: '2024-05',
      'declared.daysWorked': '19',
      'declared.assimilatedDays': '2',
      // Typed as a Belgian writes them: the page sends "2600.00".
      'declared.grossSalary': '2 600,00',
      'declared.regularStaffFte': '10,20',
      'declared.grantedMonthlyPremium': '1.500,00',
    });
    expect(await page.locator('[id="declared.amountClaimed"]').isVisible()).toBe(false);
    await page.click('#check button[type="submit"]');
    // A refused field's message beside it.
    await expect.poll(() => page.locator('#error-workerNiss').textContent(), { timeout: 15_000 }).toMatch(/\S/);
    expect(await page.getAttribute('#workerNiss', 'aria-invalid')).toBe('true');

    await fill({ workerNiss: '91011715490' });
    await page.click('#check button[type="submit"]');
    const outcome = page.locator('#check-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('NON_CONFORM');
    expect(await outcome.textContent()).toBe('Non conforme');
    expect(await page.locator('#premium-due').textContent()).toMatch(EURO_FR);
    expect(await page.locator('#findings caption').textContent()).toBe('Constatations : chaque contrôle, avec son explication');
    const failed = page.locator('#findings tbody tr[data-outcome="FAIL"][data-check="DECLARATION_MATCH"]');
    expect(await failed.count()).toBe(2);
    expect(await failed.first().locator('td.outcome').textContent()).toBe('non conforme');
    // Declared beside found, in French formats.
    expect(await failed.nth(0).locator('td.number').allTextContents()).toEqual(['19', '18']);
    expect(await failed.nth(1).locator('td.number').allTextContents()).toEqual(['2\u202f600,00', '2\u202f500,00']);
    for (const row of await page.locator('#findings tbody tr').all()) {
      expect(await row.locator('th code').count()).toBe(1);
      expect((await row.locator('td').nth(1).textContent())?.length).toBeGreaterThan(10);
      if (says.findingTitles)
        expect((await row.locator('th .reason-title').textContent())?.length).toBeGreaterThan((await row.locator('th code').textContent())?.length ?? 0);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'premium-check-fr.png'), fullPage: true });

    // Dutch, chosen in the header and remembered.
    await page.selectOption('#language', 'nl');
    await page.waitForSelector('html[lang="nl"]');
    expect(await outcome.textContent()).toBe('Niet conform');
    expect(await page.locator('#premium-due').textContent()).toMatch(EURO_NL);
    await page.reload();
    await page.waitForSelector('html[lang="nl"]');
    expect(await page.locator('h1').textContent()).toBe('Een GECO- of DSP-premie controleren');
    expect(await accessibilityViolations(page)).toEqual([]);
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
