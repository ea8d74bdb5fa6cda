import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetClaimHandler } from '../../functions/training-leave/get-claim.js';
import { createListClaimsHandler } from '../../functions/training-leave/list-claims.js';
import type { Language, Texts } from '../../shared/domain/i18n/language.js';
import { type ClaimFacts, evaluateClaim, NOTHING_APPROVED, REASON_CODES, RULE_STEPS } from '../../shared/domain/training-leave/evaluate.js';
import type { Sentence } from '../../shared/domain/training-leave/reason-texts.js';
import { renderReason } from '../../shared/domain/training-leave/render.js';
import type { AnyRuleStep } from '../../shared/domain/training-leave/steps.js';
import { listTrainingLeaveClaims, readTrainingLeaveClaim } from '../../shared/purposes/catalogue.js';
import { InMemoryClaims } from '../support/fakes.js';
import { lambdaContext } from '../support/lambda.js';
import { type Harness, httpEvent, startHarness } from '../support/purpose-harness.js';

const EMPLOYER = '0403170701';
/** Another employer of the same worker: its number must never reach the claiming employer. */
const OTHER = '0202239951';
const NISS = '85073003328';
const READER_LANGUAGES: readonly Language[] = ['nl', 'fr', 'en'];
const steps = RULE_STEPS as readonly AnyRuleStep[];

/**
 * A private-sector worker in Flanders, school year 2024-25, working 60 % (22.8 h) for the
 * claiming employer and 30 % (11.4 h) for another one, whose lines and employments are in
 * every scenario: 90 % in all.
 */
const facts = (over: Partial<ClaimFacts> = {}, ownQ = 22.8, code5 = 40): ClaimFacts => {
  const line = (quarter: string, employer: string, q: number, extra: Partial<ClaimFacts['workerLines'][number]> = {}) => ({
    quarter,
    employerEnterpriseNumber: employer,
    sector: 'PRIVATE',
    localUnitRegion: employer === OTHER ? 'WALLONIA' : 'FLANDERS',
    occupations: [{ from: '2010-01-01', q, s: 38, workingTimeCode5Hours: employer === OTHER ? 99 : code5 }],
    ...extra,
  });
  return {
    claim: {
      employerEnterpriseNumber: EMPLOYER,
      workerNiss: NISS,
      schoolYear: '2024-2025',
      training: { id: 'ODB-12345', startDate: '2024-10-01', endDate: '2025-03-31' },
      hoursByMonth: { '2024-10': 8, '2024-11': 12 },
      filedOn: '2024-11-15',
    },
    person: {},
    employments: [
      { employerEnterpriseNumber: EMPLOYER, from: '2008-09-01' },
      { employerEnterpriseNumber: OTHER, from: '2015-01-01' },
    ],
    workerLines: ['2024-Q1', '2024-Q4', '2025-Q1'].flatMap((q) => [line(q, EMPLOYER, ownQ), line(q, OTHER, 11.4)]),
    training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] },
    alreadyApproved: NOTHING_APPROVED,
    ...over,
  };
};
const base = facts();
const withClaim = (claim: Partial<ClaimFacts['claim']>, over: Partial<ClaimFacts> = {}) => ({ ...base, ...over, claim: { ...base.claim, ...claim } });
const linesWith = (extra: Partial<ClaimFacts['workerLines'][number]>) =>
  base.workerLines.map((l) => (l.employerEnterpriseNumber === EMPLOYER && l.quarter === '2024-Q4' ? { ...l, ...extra } : l));

/** One or more scenarios per reason code (and per sentence a step can write). */
const SCENARIOS: Record<string, ClaimFacts> = {
  approved: base,
  beforeRegime: withClaim({ schoolYear: '2018-2019', training: { id: 'ODB-1', startDate: '2018-10-01', endDate: '2019-03-31' } }),
  late: withClaim({ filedOn: '2025-03-01' }),
  notRegistered: facts({ training: undefined }),
  notRecognisedOn: facts({ training: { recognisedFrom: '2025-01-01', contactHours: 60, attendance: [{ niss: NISS, hoursAttended: 60 }] } }),
  noAttendance: facts({ training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [] } }),
  noAttendanceSoFar: facts({ today: '2024-12-01', training: { recognisedFrom: '2019-09-01', contactHours: 60, attendance: [] } }),
  shareTooLow: facts({ today: '2025-07-01', training: { recognisedFrom: '2019-09-01', contactHours: 120, attendance: [{ niss: NISS, hoursAttended: 20 }] } }),
  shareLater: facts({ today: '2024-12-01', training: { recognisedFrom: '2019-09-01', contactHours: 120, attendance: [{ niss: NISS, hoursAttended: 20 }] } }),
  attendedSoFar: facts({ today: '2024-12-01', training: { recognisedFrom: '2019-09-01', attendance: [{ niss: NISS, hoursAttended: 20 }] } }),
  fewerAttended: facts({ training: { recognisedFrom: '2019-09-01', attendance: [{ niss: NISS, hoursAttended: 10 }] } }),
  unknown: facts({ person: undefined }),
  diedBefore: facts({ person: { deathDate: '2024-09-20' } }),
  diedDuring: facts({ person: { deathDate: '2024-10-20' } }),
  diedAfter: facts({ person: { deathDate: '2024-11-20' } }),
  noEmployment: facts({ employments: [{ employerEnterpriseNumber: OTHER, from: '2015-01-01' }] }),
  employedFromNovember: facts({
    employments: [
      { employerEnterpriseNumber: EMPLOYER, from: '2024-11-01' },
      { employerEnterpriseNumber: OTHER, from: '2015-01-01' },
    ],
  }),
  noLine: facts({ workerLines: base.workerLines.filter((l) => l.employerEnterpriseNumber !== EMPLOYER || l.quarter !== '2024-Q4') }),
  publicSector: facts({ workerLines: linesWith({ sector: 'PUBLIC' }) }),
  brussels: facts({ workerLines: linesWith({ localUnitRegion: 'BRUSSELS' }) }),
  // 10 % here and 30 % elsewhere, in March and in October: below 50 %.
  belowMinimum: facts({}, 3.8),
  startMonthUsed: facts({
    workerLines: base.workerLines.map((l) =>
      l.quarter === '2024-Q1' ? { ...l, occupations: [{ from: '2010-01-01', q: l.employerEnterpriseNumber === OTHER ? 0 : 3.8, s: 38 }] } : l,
    ),
  }),
  notDeclared: facts({}, 22.8, 10),
  quarterReimbursed: facts({ alreadyApproved: { schoolYear: 30, training: 30, quarters: { '2024-Q4': 30 } } }),
  trainingReimbursed: facts({ alreadyApproved: { schoolYear: 50, training: 50, quarters: {} } }),
  maximumExceeded: facts({ alreadyApproved: { schoolYear: 100, training: 0, quarters: {} } }),
  maximumFixed: facts({ alreadyApproved: { schoolYear: 55, training: 0, quarters: {}, schoolYearLimit: 62.5 } }),
};
const decisions = Object.entries(SCENARIOS).map(([name, f]) => ({ name, decision: evaluateClaim(f) }));
const allReasons = decisions.flatMap(({ name, decision }) => decision.reasons.map((reason) => ({ name, reason })));

const languagesOf = (texts: Texts<never> | undefined) => (texts ? READER_LANGUAGES.filter((l) => texts[l] !== undefined && texts[l] !== '') : []);

describe('the texts of every rule step', () => {
  it('give every step its rule id, paragraph and title in nl, fr and en, and every sentence its texts in nl, fr and en', () => {
    expect(new Set(steps.map((s) => s.rule)).size).toBe(steps.length);
    for (const s of steps) {
      expect(s.paragraph, s.rule).toMatch(/19\/038|BVR/);
      expect(languagesOf(s.title as Texts<never>), `${s.rule} title`).toEqual(READER_LANGUAGES);
      for (const [code, texts] of Object.entries(s.codes)) expect(languagesOf(texts as Texts<never>), `${s.rule} ${code}`).toEqual(READER_LANGUAGES);
      for (const [name, sentence] of Object.entries(s.sentences) as [string, Sentence<never>][]) {
        expect(languagesOf(sentence.texts), `${s.rule}.${name}`).toEqual(READER_LANGUAGES);
        if (sentence.employerTexts) expect(languagesOf(sentence.employerTexts), `${s.rule}.${name} (employer)`).toEqual(READER_LANGUAGES);
      }
    }
  });

  it('give every reason code a title in nl, fr and en in each step that gives it', () => {
    for (const code of REASON_CODES)
      expect(
        steps.some((s) => code in s.codes),
        code,
      ).toBe(true);
    for (const { reason } of allReasons) {
      if (!reason.code) continue;
      const owner = steps.find((s) => s.rule === reason.rule)!;
      expect(owner.codes, `${reason.rule} gives ${reason.code}`).toHaveProperty(reason.code);
    }
  });

  it('cover every reason code and every sentence of every step in the scenarios, and write each in three different languages', () => {
    expect(new Set(allReasons.map(({ reason }) => reason.code).filter(Boolean))).toEqual(new Set(REASON_CODES));
    const written = new Set(allReasons.map(({ reason }) => `${reason.rule}.${reason.sentence}`));
    const declared = steps.flatMap((s) => Object.keys(s.sentences).map((name) => `${s.rule}.${name}`));
    expect(declared.filter((d) => !written.has(d))).toEqual([]);
    for (const { name, reason } of allReasons) {
      for (const audience of ['dwse', 'employer'] as const) {
        const [nl, fr, en] = READER_LANGUAGES.map((l) => renderReason(reason, l, audience));
        expect(new Set([nl!.detail, fr!.detail, en!.detail]).size, `${name} ${reason.rule}.${reason.sentence} (${audience})`).toBe(3);
        for (const r of [nl!, fr!, en!]) expect(r.detail).not.toMatch(/undefined|NaN|\[object/);
      }
    }
  });
});

describe('a reason as read', () => {
  it('is written in the reader’s language from its parameters, with Belgian figures; its English record is kept as it was written', () => {
    const { reasons } = evaluateClaim(SCENARIOS.maximumExceeded!);
    const cut = reasons.find((r) => r.code === 'MAXIMUM_HOURS_EXCEEDED')!;
    expect(cut).toMatchObject({ sentence: 'exceeded', params: { maximum: 112.5, hoursPerYear: 125, fraction: 0.9, earlier: 100, left: 12.5 } });
    expect(cut.detail).toBe('Personal maximum 112.5 h (125 h × 90 %), 100 h already approved this school year: 12.5 h left.');
    expect(renderReason(cut, 'nl', 'dwse')).toEqual({
      rule: 'PERSONAL_MAXIMUM',
      outcome: 'LIMITED',
      code: 'MAXIMUM_HOURS_EXCEEDED',
      paragraph: '19/038 §17 · B3, B13',
      title: 'Persoonlijk maximum overschreden',
      detail: 'Persoonlijk maximum 112,5 uur (125 uur × 90 %), waarvan dit schooljaar al 100 uur toegekend: 12,5 uur blijft over.',
    });
    expect(renderReason(cut, 'fr', 'dwse').title).toBe('Maximum personnel dépassé');
    const deadline = reasons.find((r) => r.rule === 'FILING_DEADLINE')!;
    expect(renderReason(deadline, 'en', 'dwse').detail).toBe('Filed on 15/11/2024, by the deadline of 01/01/2025.');
    expect(renderReason(deadline, 'nl', 'dwse')).toMatchObject({
      title: 'Indieningstermijn',
      detail: 'Ingediend op 15/11/2024, vóór de uiterste datum van 01/01/2025.',
    });
  });

  it('of a decision stored before reasons had parameters: titled in the reader’s language, its English detail kept (not for the employer where a step words it otherwise)', () => {
    const old = { rule: 'FILING_DEADLINE', outcome: 'PASSED', detail: 'Filed on 2024-11-15, by the deadline of 2025-01-01.' } as const;
    expect(renderReason(old, 'fr', 'employer')).toEqual({
      rule: 'FILING_DEADLINE',
      outcome: 'PASSED',
      paragraph: 'BVR 21 Dec 2018 · B11',
      title: "Délai d'introduction",
      detail: old.detail,
    });
    const occupation = { rule: 'OCCUPATION', outcome: 'PASSED', detail: 'Occupation 90 % (34.2 h a week) in the reference month 2024-03.' } as const;
    expect(renderReason(occupation, 'nl', 'dwse').detail).toBe(occupation.detail);
    expect(renderReason(occupation, 'nl', 'employer').detail).toBe('Minimale tewerkstelling');
    expect(renderReason({ rule: 'B1', outcome: 'PASSED', detail: 'in time' }, 'nl', 'employer')).toMatchObject({
      paragraph: '19/038',
      title: 'B1',
      detail: 'B1',
    });
  });
});

describe('the employer’s phrasing (the addressee of the decision)', () => {
  const forbidden = [OTHER, '0202.239.951', NISS, '85.07.30-033.28', '850730'];
  it('renders every reason code, in every language, without another employer’s enterprise number, the NISS, or the worker’s occupation elsewhere', () => {
    const seen = new Set<string>();
    for (const { name, reason } of allReasons) {
      for (const language of READER_LANGUAGES) {
        const answered = renderReason(reason, language, 'employer');
        if (answered.code) seen.add(answered.code);
        const text = JSON.stringify(answered);
        for (const f of forbidden) expect(text, `${name} ${reason.rule}.${reason.sentence} (${language})`).not.toContain(f);
        expect(Object.keys(answered).sort()).toEqual(['code', 'detail', 'outcome', 'paragraph', 'rule', 'title'].filter((k) => k !== 'code' || reason.code));
        // The occupation sums every employer's: the employer reads whether it meets the minimum, not the figures.
        if (reason.rule === 'OCCUPATION' || reason.rule === 'PERSONAL_MAXIMUM')
          expect(answered.detail, `${name} (${language})`).not.toMatch(/\b(90|10|30|60)\s?%|34[.,]2|22[.,]8/);
      }
    }
    expect(seen).toEqual(new Set(REASON_CODES));
  });

  it('gives the hours earlier claims took as a total, whoever claimed them', () => {
    const reasons = evaluateClaim(SCENARIOS.trainingReimbursed!).reasons;
    const cut = reasons.find((r) => r.code === 'TRAINING_HOURS_ALREADY_REIMBURSED')!;
    expect(renderReason(cut, 'nl', 'employer').detail).toBe(
      '50 uur van de 60 uur gevolgd in opleiding ODB-12345 werden al terugbetaald voor eerdere aanvragen: 10 uur blijft over.',
    );
  });
});

describe('reading a decided claim over the handler (Accept-Language)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const claimId = '4b6e2f4e-1f0a-4c1e-9a7e-2f3d4c5b6a80';
  const stored = async () => {
    const claims = new InMemoryClaims();
    const { claimedHours: _claimed, ...decision } = evaluateClaim(SCENARIOS.maximumExceeded!);
    const { filedOn: _filed, ...input } = SCENARIOS.maximumExceeded!.claim;
    await claims.create({
      ...input,
      claimId,
      status: 'DECIDED',
      submittedAt: '2024-11-15T10:00:00.000Z',
      requestHash: 'secret',
      decision: { ...decision, decidedAt: '2024-11-15T10:00:05.000Z' },
    });
    return claims;
  };
  const read = async (claims: InMemoryClaims, principal: Parameters<Harness['token']>[0], language?: string) => {
    const handler = createGetClaimHandler(() => ({ ...h.deps(readTrainingLeaveClaim.purpose)(), claims }));
    const event = httpEvent({ token: await h.token(principal), pathParameters: { claimId }, headers: language ? { 'Accept-Language': language } : {} });
    const response = await handler(event, lambdaContext());
    return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
  };
  const employer = { role: 'employer', enterpriseNumber: EMPLOYER } as const;
  const cutOf = (body: { decision: { reasons: { code?: string; title: string; detail: string }[] } }) =>
    body.decision.reasons.find((r) => r.code === 'MAXIMUM_HOURS_EXCEEDED')!;

  it('gives the employer its reasons in Dutch by default, in French or English when asked, in its phrasing, and no ledger or figures', async () => {
    const claims = await stored();
    const nl = await read(claims, employer);
    expect(nl.status).toBe(200);
    expect(nl.body.decision).not.toHaveProperty('ledger');
    expect(nl.body.decision).not.toHaveProperty('figures');
    expect(nl.body).not.toHaveProperty('workerNiss');
    expect(cutOf(nl.body)).toEqual({
      rule: 'PERSONAL_MAXIMUM',
      outcome: 'LIMITED',
      code: 'MAXIMUM_HOURS_EXCEEDED',
      paragraph: '19/038 §17 · B3, B13',
      title: 'Persoonlijk maximum overschreden',
      detail: 'Het persoonlijk maximum van de werknemer voor dit schooljaar (volgens de tewerkstelling bij alle werkgevers samen) laat nog 12,5 uur toe.',
    });
    expect(cutOf((await read(claims, employer, 'fr-BE, nl;q=0.5')).body).title).toBe('Maximum personnel dépassé');
    expect(cutOf((await read(claims, employer, 'en')).body).detail).toBe(
      "The worker's personal maximum for this school year (by their occupation with every employer) allows 12.5 h more.",
    );
    expect(cutOf((await read(claims, employer, 'de')).body).title).toBe('Persoonlijk maximum overschreden');
  });

  it('gives DWSE the full reasons, and the employer’s list its decisions’ reasons', async () => {
    const claims = await stored();
    const dwse = await read(claims, { role: 'dwse', team: 'competenties' }, 'fr');
    expect(cutOf(dwse.body).detail).toBe('Maximum personnel de 112,5 h (125 h × 90 %), dont 100 h déjà accordées cette année scolaire : il reste 12,5 h.');
    expect(dwse.body.decision.ledger.length).toBeGreaterThan(0);
    const list = createListClaimsHandler(() => ({ ...h.deps(listTrainingLeaveClaims.purpose)(), claims }));
    const page = await list(
      httpEvent({ path: '/v1/training-leave/claims', token: await h.token(employer), headers: { 'Accept-Language': 'fr' } }),
      lambdaContext(),
    );
    const item = JSON.parse(page.body ?? 'null').items[0];
    expect(cutOf(item).detail).toBe(
      'Le maximum personnel du travailleur pour cette année scolaire (selon son occupation chez tous ses employeurs) permet encore 12,5 h.',
    );
  });
});
