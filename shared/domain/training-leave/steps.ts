import { fromHundredths, toHundredths } from '../amounts.js';
import { addMonths, monthEnd, monthStart, quarterOf } from '../calendar.js';
import { rowInForce } from '../effective-dated.js';
import type { ClaimFacts, Decision, DecisionReason, LedgerPosting, ReasonCode } from './evaluate.js';
import { type Figures, type ParamsOf, type ReasonParams, type RuleTexts, recordSentence, type Sentence, sentence } from './reason-texts.js';
import { MINIMUM_ATTENDANCE_SHARE, REGIME_START, SCHOOL_YEAR_PARAMETERS, type SchoolYearParameters } from './rules.js';

/**
 * The rule steps of the evaluation of a Flemish training-leave claim (deliberation 19/038),
 * in the order evaluateClaim (./evaluate.ts) runs them. Each step is one rule: its id, the
 * paragraph it rests on (19/038 § and the rule ids of docs/training-leave.md), its title,
 * the title of each reason code it gives, its sentences in nl, fr and en, and its check.
 * A check reads the facts and what the steps before it established (`Evaluation`), and
 * writes reasons: PASSED, LIMITED (cuts hours) or FAILED (blocks the claim: the evaluation
 * stops). A reason stores the sentence's name and parameters; its text is written when
 * it is read, in the reader's language (./render.ts), and `detail` keeps the English record.
 */

// ---- facts helpers ---------------------------------------------------------------------

const overlaps = (from: string, to: string | undefined, start: string, end: string) => from <= end && (to === undefined || to >= start);

/** Σ Q/S and Σ Q over every occupation, with every employer, in force during `month`. */
export const occupationIn = (facts: Pick<ClaimFacts, 'workerLines'>, month: string): { fraction: number; weeklyHours: number } => {
  const start = monthStart(month);
  const end = monthEnd(month);
  const occupations = facts.workerLines
    .filter((line) => line.quarter === quarterOf(month))
    .flatMap((line) => line.occupations)
    .filter((o) => overlaps(o.from, o.to, start, end));
  return {
    fraction: Math.round(occupations.reduce((sum, o) => sum + o.q / o.s, 0) * 10_000) / 10_000,
    weeklyHours: occupations.reduce((sum, o) => sum + o.q, 0),
  };
};

export const referenceMonthOf = (schoolYear: string, parameters: SchoolYearParameters): string =>
  parameters.referenceMonth === 'SEPTEMBER_OF_SCHOOL_YEAR' ? `${schoolYear.slice(0, 4)}-09` : `${schoolYear.slice(0, 4)}-03`;

/**
 * The last day a decision on the claim can stay provisional: the training's end date as the
 * employer declared it, but never past the end of the claim's school year (31 August) — the
 * end date is not in the training database, and a far-off one must not put the attendance
 * rule off for ever. Settlement happens the day after.
 */
export const provisionalUntil = (claim: Pick<ClaimFacts['claim'], 'schoolYear' | 'training'>): string => {
  const schoolYearEnd = `${claim.schoolYear.slice(5)}-08-31`;
  return claim.training.endDate < schoolYearEnd ? claim.training.endDate : schoolYearEnd;
};

/** Whether a claim falls before the regime started (1 September 2019). */
export const beforeRegime = (claim: Pick<ClaimFacts['claim'], 'schoolYear' | 'training'>): boolean =>
  claim.training.startDate < REGIME_START || `${claim.schoolYear.slice(0, 4)}-09-01` < REGIME_START;

/** The figures of a school year ("2024-2025"), or NoRuleInForceError when none are published. */
export const schoolYearParameters = (schoolYear: string) =>
  rowInForce(SCHOOL_YEAR_PARAMETERS, `${schoolYear.slice(0, 4)}-09-01`, `training-leave parameters for ${schoolYear}`);

// ---- the state the steps share ---------------------------------------------------------------

type RegisteredTraining = NonNullable<ClaimFacts['training']>;
type WorkerLine = ClaimFacts['workerLines'][number];
export interface ClaimedMonth {
  month: string;
  hundredths: number;
}

/**
 * What the steps establish, in order: each step reads what the ones before it set (a step
 * runs only once those before it passed). Hours in integer hundredths.
 */
export class Evaluation {
  readonly claim: ClaimFacts['claim'];
  readonly reasons: DecisionReason[] = [];
  readonly figures: Decision['figures'] = {};
  /** The months claimed, in calendar order; narrowed by the steps that drop months. */
  months: ClaimedMonth[];
  /** Set by ATTENDANCE: a decision for a training still running is provisional. */
  provisional = false;
  // Set once the school year's figures are read (after REGIME_START).
  parameters!: SchoolYearParameters;
  // Set by TRAINING_RECOGNISED, ATTENDANCE, DMFA_DECLARATION and OCCUPATION.
  training!: RegisteredTraining;
  hoursAttended!: number;
  quarters!: string[];
  lines!: WorkerLine[];
  fraction!: number;
  personalMaximum!: number;
  /** The school year's maximum as its first approving decision set it (hundredths), if any. */
  fixedMaximum: number | undefined;
  // Set by DMFA_CODE_5 and the bounds after it.
  allocation = new Map<string, number>();
  quarterPostings: LedgerPosting[] = [];
  /** The most hours the bounds so far leave. */
  cap = 0;
  private readonly unconfirmed: string[] = [];

  constructor(readonly facts: ClaimFacts) {
    this.claim = facts.claim;
    this.months = Object.entries(facts.claim.hoursByMonth)
      .map(([month, h]) => ({ month, hundredths: toHundredths(h) }))
      .sort((a, b) => a.month.localeCompare(b.month));
  }

  /** Every figure applied that rests on an unconfirmed source is named, with its source. */
  cite(row: { confidence?: string; source: string }) {
    if (row.confidence === 'UNCONFIRMED') {
      this.unconfirmed.push(row.source);
      this.figures.rulesConfidence = `UNCONFIRMED: ${this.unconfirmed.join('; ')}`;
    }
  }

  /** The hours the allocation holds (hundredths). */
  allocated(): number {
    return [...this.allocation.values()].reduce((sum, h) => sum + h, 0);
  }
}

// ---- steps -------------------------------------------------------------------------------

type Sentences = Record<string, Sentence<never>>;

/** What a check writes its reasons with: a sentence of its own step, with that sentence's parameters. */
export interface ReasonWriter<S extends Sentences> {
  pass<K extends keyof S & string>(sentence: K, params: ParamsOf<S[K]>): void;
  limit<K extends keyof S & string>(code: ReasonCode, sentence: K, params: ParamsOf<S[K]>): void;
  /** A blocking failure: the check returns right after it, and the evaluation stops. */
  fail<K extends keyof S & string>(code: ReasonCode, sentence: K, params: ParamsOf<S[K]>): void;
}

export interface RuleStep<S extends Sentences = Sentences> extends RuleTexts<S> {
  check: (ev: Evaluation, r: ReasonWriter<S>) => void;
}

/** Any step, whatever its sentences (what the catalogue and the renderer see). */
export type AnyRuleStep = RuleTexts<Sentences> & { check: (ev: Evaluation, r: never) => void };

const step = <const S extends Sentences>(s: RuleStep<S>): RuleStep<S> => s;

/** Runs one step: true when it failed (the evaluation stops). */
export const runStep = (s: AnyRuleStep, ev: Evaluation): boolean => {
  let failed = false;
  const write = (outcome: DecisionReason['outcome'], code: ReasonCode | undefined, name: string, params: ReasonParams) => {
    const chosen = s.sentences[name];
    if (!chosen) throw new Error(`rule ${s.rule} has no sentence ${name}`);
    ev.reasons.push({ rule: s.rule, outcome, ...(code ? { code } : {}), sentence: name, params, detail: recordSentence(chosen, params) });
  };
  // Each step's check is typed by its own sentences; the writer checks the name at run time.
  const writer: ReasonWriter<Sentences> = {
    pass: (name, params) => write('PASSED', undefined, name, params as ReasonParams),
    limit: (code, name, params) => write('LIMITED', code, name, params as ReasonParams),
    fail: (code, name, params) => {
      write('FAILED', code, name, params as ReasonParams);
      failed = true;
    },
  };
  (s.check as (ev: Evaluation, r: ReasonWriter<Sentences>) => void)(ev, writer);
  return failed;
};

/** "50 %", or "80 % and 28 h a week" (a minimum of occupation). */
const minimumOf = (p: { minimumFraction: number; minimumWeeklyHours: number | null }, f: Figures, and: string, aWeek: string) =>
  `${f.pct(p.minimumFraction)}${p.minimumWeeklyHours !== null ? ` ${and} ${f.hours(p.minimumWeeklyHours)} ${aWeek}` : ''}`;

// 1. The regime starts on 1 September 2019.
export const regimeStart = step({
  rule: 'REGIME_START',
  paragraph: '19/038 §5, §26 · BVR 21 Dec 2018 · B1',
  title: { nl: 'Start van de regeling', fr: 'Début du régime', en: 'Start of the regime' },
  codes: { BEFORE_REGIME_START: { nl: 'Vóór de start van de regeling', fr: 'Avant le début du régime', en: 'Before the regime started' } },
  sentences: {
    before: sentence<{ regimeStart: string; schoolYear: string; trainingStart: string }>({
      texts: {
        nl: (p) =>
          `Het Vlaams opleidingsverlof bestaat sinds ${p.f.date(p.regimeStart)}; deze aanvraag is voor ${p.schoolYear}, met een opleiding vanaf ${p.f.date(p.trainingStart)}.`,
        fr: (p) =>
          `Le congé-formation flamand existe depuis le ${p.f.date(p.regimeStart)} ; cette demande porte sur ${p.schoolYear}, formation à partir du ${p.f.date(p.trainingStart)}.`,
        en: (p) =>
          `Flemish training leave exists from ${p.f.date(p.regimeStart)}; this claim is for ${p.schoolYear}, training from ${p.f.date(p.trainingStart)}.`,
      },
    }),
    within: sentence<{ regimeStart: string; schoolYear: string }>({
      texts: {
        nl: (p) => `Schooljaar ${p.schoolYear} valt binnen de regeling (sinds ${p.f.date(p.regimeStart)}).`,
        fr: (p) => `L'année scolaire ${p.schoolYear} relève du régime (depuis le ${p.f.date(p.regimeStart)}).`,
        en: (p) => `School year ${p.schoolYear} is within the regime (from ${p.f.date(p.regimeStart)}).`,
      },
    }),
  },
  check: ({ claim }, r) => {
    if (beforeRegime(claim))
      return r.fail('BEFORE_REGIME_START', 'before', { regimeStart: REGIME_START, schoolYear: claim.schoolYear, trainingStart: claim.training.startDate });
    r.pass('within', { regimeStart: REGIME_START, schoolYear: claim.schoolYear });
  },
});

// 2. Filed at the latest 3 months after the training start.
export const filingDeadline = step({
  rule: 'FILING_DEADLINE',
  paragraph: 'BVR 21 Dec 2018 · B11',
  title: { nl: 'Indieningstermijn', fr: "Délai d'introduction", en: 'Filing deadline' },
  codes: { CLAIM_TOO_LATE: { nl: 'Aanvraag te laat ingediend', fr: 'Demande introduite trop tard', en: 'Claim filed too late' } },
  sentences: {
    late: sentence<{ filedOn: string; deadline: string; months: number }>({
      texts: {
        nl: (p) =>
          `Ingediend op ${p.f.date(p.filedOn)}, na de uiterste datum van ${p.f.date(p.deadline)} (${p.f.number(p.months)} maanden na de start van de opleiding).`,
        fr: (p) =>
          `Introduite le ${p.f.date(p.filedOn)}, après la date limite du ${p.f.date(p.deadline)} (${p.f.number(p.months)} mois après le début de la formation).`,
        en: (p) => `Filed on ${p.f.date(p.filedOn)}, after the deadline of ${p.f.date(p.deadline)} (${p.f.number(p.months)} months after the training start).`,
      },
    }),
    inTime: sentence<{ filedOn: string; deadline: string }>({
      texts: {
        nl: (p) => `Ingediend op ${p.f.date(p.filedOn)}, vóór de uiterste datum van ${p.f.date(p.deadline)}.`,
        fr: (p) => `Introduite le ${p.f.date(p.filedOn)}, dans le délai (au plus tard le ${p.f.date(p.deadline)}).`,
        en: (p) => `Filed on ${p.f.date(p.filedOn)}, by the deadline of ${p.f.date(p.deadline)}.`,
      },
    }),
  },
  check: ({ claim, parameters }, r) => {
    const deadline = addMonths(claim.training.startDate, parameters.filingDeadlineMonths);
    if (claim.filedOn > deadline) return r.fail('CLAIM_TOO_LATE', 'late', { filedOn: claim.filedOn, deadline, months: parameters.filingDeadlineMonths });
    r.pass('inTime', { filedOn: claim.filedOn, deadline });
  },
});

// 3. Recognised training, registered in the training database.
export const trainingRecognised = step({
  rule: 'TRAINING_RECOGNISED',
  paragraph: '19/038 §4 · B9, B13',
  title: { nl: 'Erkende opleiding', fr: 'Formation reconnue', en: 'Recognised training' },
  codes: { TRAINING_NOT_RECOGNISED: { nl: 'Opleiding niet erkend', fr: 'Formation non reconnue', en: 'Training not recognised' } },
  sentences: {
    notRegistered: sentence<{ trainingId: string }>({
      texts: {
        nl: (p) => `Opleiding ${p.trainingId} staat niet in de opleidingsdatabank.`,
        fr: (p) => `La formation ${p.trainingId} ne figure pas dans la banque de données des formations.`,
        en: (p) => `Training ${p.trainingId} is not in the training database.`,
      },
    }),
    notRecognisedOn: sentence<{ trainingId: string; startDate: string }>({
      texts: {
        nl: (p) => `Opleiding ${p.trainingId} was niet erkend op ${p.f.date(p.startDate)}.`,
        fr: (p) => `La formation ${p.trainingId} n'était pas reconnue le ${p.f.date(p.startDate)}.`,
        en: (p) => `Training ${p.trainingId} was not recognised on ${p.f.date(p.startDate)}.`,
      },
    }),
    recognised: sentence<{ trainingId: string; recognisedFrom: string }>({
      texts: {
        nl: (p) => `Opleiding ${p.trainingId} is erkend sinds ${p.f.date(p.recognisedFrom)}.`,
        fr: (p) => `La formation ${p.trainingId} est reconnue depuis le ${p.f.date(p.recognisedFrom)}.`,
        en: (p) => `Training ${p.trainingId} is recognised since ${p.f.date(p.recognisedFrom)}.`,
      },
    }),
  },
  check: (ev, r) => {
    const { claim } = ev;
    const training = ev.facts.training;
    const trainingId = claim.training.id;
    if (!training) return r.fail('TRAINING_NOT_RECOGNISED', 'notRegistered', { trainingId });
    if (training.recognisedFrom > claim.training.startDate || (training.recognisedTo !== undefined && training.recognisedTo < claim.training.startDate))
      return r.fail('TRAINING_NOT_RECOGNISED', 'notRecognisedOn', { trainingId, startDate: claim.training.startDate });
    r.pass('recognised', { trainingId, recognisedFrom: training.recognisedFrom });
    ev.training = training;
  },
});

// 4. Attendance. While the training runs (its end date not passed, its attendance not
// reported final) the share of contact hours cannot be judged: the decision is provisional,
// on the hours attended so far, and is settled when the training has ended.
export const attendance = step({
  rule: 'ATTENDANCE',
  paragraph: '19/038 §4 · B10, B13',
  title: { nl: 'Aanwezigheid', fr: 'Présence', en: 'Attendance' },
  codes: { NOT_ATTENDED: { nl: 'Opleiding niet (voldoende) gevolgd', fr: 'Formation non (suffisamment) suivie', en: 'Training not (sufficiently) attended' } },
  sentences: {
    noneSoFar: sentence({
      texts: {
        nl: 'De opleidingsverstrekker meldt tot nu toe geen aanwezigheid van deze werknemer; dit wordt afgehandeld wanneer de opleiding afgelopen is.',
        fr: "L'opérateur de formation ne signale jusqu'ici aucune présence de ce travailleur ; la demande sera réglée à la fin de la formation.",
        en: 'The training provider reports no attendance for this worker so far; settled when the training has ended.',
      },
    }),
    none: sentence({
      texts: {
        nl: 'De opleidingsverstrekker meldt geen aanwezigheid van deze werknemer.',
        fr: "L'opérateur de formation ne signale aucune présence de ce travailleur.",
        en: 'The training provider reports no attendance for this worker.',
      },
    }),
    shareJudgedLater: sentence<{ attended: number; contactHours: number; minimumShare: number; until: string }>({
      texts: {
        nl: (p) =>
          `Tot nu toe ${p.f.hours(p.attended)} gevolgd van ${p.f.number(p.contactHours)} contacturen; het aandeel van minstens ${p.f.pct(p.minimumShare)} wordt beoordeeld wanneer de opleiding afgelopen is (${p.f.date(p.until)}).`,
        fr: (p) =>
          `${p.f.hours(p.attended)} suivies jusqu'ici sur ${p.f.number(p.contactHours)} heures de contact ; la part d'au moins ${p.f.pct(p.minimumShare)} sera appréciée à la fin de la formation (${p.f.date(p.until)}).`,
        en: (p) =>
          `Attended ${p.f.hours(p.attended)} so far of ${p.f.number(p.contactHours)} contact hours; the share of at least ${p.f.pct(p.minimumShare)} is judged when the training has ended (${p.f.date(p.until)}).`,
      },
    }),
    shareTooLow: sentence<{ attended: number; contactHours: number; share: number; minimumShare: number }>({
      texts: {
        nl: (p) =>
          `${p.f.number(p.attended)} van de ${p.f.number(p.contactHours)} contacturen gevolgd (${p.f.pct(p.share)}); minstens ${p.f.pct(p.minimumShare)} is vereist.`,
        fr: (p) =>
          `${p.f.number(p.attended)} des ${p.f.number(p.contactHours)} heures de contact suivies (${p.f.pct(p.share)}) ; au moins ${p.f.pct(p.minimumShare)} sont requis.`,
        en: (p) =>
          `Attended ${p.f.number(p.attended)} of ${p.f.number(p.contactHours)} contact hours (${p.f.pct(p.share)}); at least ${p.f.pct(p.minimumShare)} is required.`,
      },
    }),
    attended: sentence<{ attended: number }>({
      texts: {
        nl: (p) => `${p.f.hours(p.attended)} gevolgd.`,
        fr: (p) => `${p.f.hours(p.attended)} suivies.`,
        en: (p) => `Attended ${p.f.hours(p.attended)}.`,
      },
    }),
    attendedSoFar: sentence<{ attended: number }>({
      texts: {
        nl: (p) => `Tot nu toe ${p.f.hours(p.attended)} gevolgd.`,
        fr: (p) => `${p.f.hours(p.attended)} suivies jusqu'ici.`,
        en: (p) => `Attended ${p.f.hours(p.attended)} so far.`,
      },
    }),
  },
  check: (ev, r) => {
    const { claim, facts, training } = ev;
    ev.provisional = !training.attendanceFinal && facts.today !== undefined && provisionalUntil(claim) >= facts.today;
    const attended = training.attendance.find((a) => a.niss === claim.workerNiss)?.hoursAttended ?? 0;
    if (attended <= 0) return r.fail('NOT_ATTENDED', ev.provisional ? 'noneSoFar' : 'none', {});
    ev.hoursAttended = attended;
    const shareRow = rowInForce(MINIMUM_ATTENDANCE_SHARE, `${claim.schoolYear.slice(0, 4)}-09-01`, 'attendance share');
    const minimumShare = shareRow.value ?? undefined;
    const contactHours = training.contactHours;
    if (minimumShare === undefined || !contactHours) {
      r.pass(ev.provisional ? 'attendedSoFar' : 'attended', { attended });
      return;
    }
    ev.cite(shareRow);
    if (ev.provisional) {
      r.pass('shareJudgedLater', { attended, contactHours, minimumShare, until: provisionalUntil(claim) });
      return;
    }
    const share = attended / contactHours;
    if (share < minimumShare) return r.fail('NOT_ATTENDED', 'shareTooLow', { attended, contactHours, share, minimumShare });
    r.pass('attended', { attended });
  },
});

// 5. Worker in the BCSS registers.
export const workerKnown = step({
  rule: 'WORKER_KNOWN',
  paragraph: '19/038 §8, §11',
  title: { nl: 'Werknemer gekend in de KSZ-registers', fr: 'Travailleur connu dans les registres BCSS', en: 'Worker known in the BCSS registers' },
  codes: { WORKER_UNKNOWN: { nl: 'Werknemer niet gekend', fr: 'Travailleur inconnu', en: 'Worker not known' } },
  sentences: {
    unknown: sentence({
      texts: {
        nl: 'De werknemer is niet gekend in de KSZ-registers.',
        fr: "Le travailleur n'est pas connu dans les registres BCSS.",
        en: 'The worker is not known in the BCSS registers.',
      },
    }),
    known: sentence({
      texts: {
        nl: 'De werknemer is gekend in de KSZ-registers.',
        fr: 'Le travailleur est connu dans les registres BCSS.',
        en: 'The worker is known in the BCSS registers.',
      },
    }),
  },
  check: ({ facts }, r) => {
    if (!facts.person) return r.fail('WORKER_UNKNOWN', 'unknown', {});
    r.pass('known', {});
  },
});

// 6. Alive: hours after the death are not reimbursed.
export const workerAlive = step({
  rule: 'WORKER_ALIVE',
  paragraph: '19/038 §9, §27 · B14',
  title: { nl: 'Overlijden van de werknemer', fr: 'Décès du travailleur', en: 'Death of the worker' },
  codes: { WORKER_DECEASED: { nl: 'Werknemer overleden', fr: 'Travailleur décédé', en: 'Worker deceased' } },
  sentences: {
    diedBefore: sentence<{ deathDate: string }>({
      texts: {
        nl: (p) => `De werknemer is overleden op ${p.f.date(p.deathDate)}, vóór elke aangevraagde maand.`,
        fr: (p) => `Le travailleur est décédé le ${p.f.date(p.deathDate)}, avant chacun des mois demandés.`,
        en: (p) => `The worker died on ${p.f.date(p.deathDate)}, before every month claimed.`,
      },
    }),
    diedDuring: sentence<{ deathDate: string; months: readonly string[] }>({
      texts: {
        nl: (p) => `De werknemer is overleden op ${p.f.date(p.deathDate)}: de uren van ${p.f.months(p.months)} worden niet terugbetaald.`,
        fr: (p) => `Le travailleur est décédé le ${p.f.date(p.deathDate)} : les heures de ${p.f.months(p.months)} ne sont pas remboursées.`,
        en: (p) => `The worker died on ${p.f.date(p.deathDate)}: hours of ${p.f.months(p.months)} are not reimbursed.`,
      },
    }),
    diedAfter: sentence<{ deathDate: string }>({
      texts: {
        nl: (p) =>
          `De werknemer is overleden op ${p.f.date(p.deathDate)}; elke aangevraagde maand begint op of vóór die dag (de uren worden per maand geteld, niet per dag).`,
        fr: (p) =>
          `Le travailleur est décédé le ${p.f.date(p.deathDate)} ; chacun des mois demandés commence ce jour-là ou avant (les heures sont comptées par mois, non par jour).`,
        en: (p) => `The worker died on ${p.f.date(p.deathDate)}; every month claimed begins on or before that day (hours are counted by month, not by day).`,
      },
    }),
    alive: sentence({
      texts: {
        nl: 'Er is geen overlijdensdatum geregistreerd.',
        fr: "Aucune date de décès n'est enregistrée.",
        en: 'No date of death is registered.',
      },
    }),
  },
  check: (ev, r) => {
    const deathDate = ev.facts.person?.deathDate;
    if (!deathDate) {
      r.pass('alive', {});
      return;
    }
    const kept = ev.months.filter((m) => monthStart(m.month) <= deathDate);
    if (kept.length === 0) return r.fail('WORKER_DECEASED', 'diedBefore', { deathDate });
    if (kept.length < ev.months.length)
      r.limit('WORKER_DECEASED', 'diedDuring', { deathDate, months: ev.months.filter((m) => !kept.includes(m)).map((m) => m.month) });
    else r.pass('diedAfter', { deathDate });
    ev.months = kept;
  },
});

// 7. DIMONA: employed by the claiming employer in the months claimed.
export const employment = step({
  rule: 'EMPLOYMENT',
  paragraph: '19/038 §22 · B15',
  title: { nl: 'Tewerkstelling bij de werkgever (DIMONA)', fr: "Occupation chez l'employeur (DIMONA)", en: 'Employment with the employer (DIMONA)' },
  codes: {
    NO_EMPLOYMENT_WITH_EMPLOYER: { nl: 'Geen tewerkstelling bij de werkgever', fr: "Pas d'occupation chez l'employeur", en: 'No employment with the employer' },
  },
  sentences: {
    none: sentence({
      texts: {
        nl: 'DIMONA toont geen tewerkstelling bij de aanvragende werkgever in de aangevraagde maanden.',
        fr: "La DIMONA ne montre aucune occupation chez l'employeur demandeur pendant les mois demandés.",
        en: 'DIMONA shows no employment with the claiming employer in the months claimed.',
      },
    }),
    someMonths: sentence<{ months: readonly string[] }>({
      texts: {
        nl: (p) => `DIMONA toont geen tewerkstelling bij de aanvragende werkgever in ${p.f.months(p.months)}.`,
        fr: (p) => `La DIMONA ne montre aucune occupation chez l'employeur demandeur en ${p.f.months(p.months)}.`,
        en: (p) => `DIMONA shows no employment with the claiming employer in ${p.f.months(p.months)}.`,
      },
    }),
    everyMonth: sentence({
      texts: {
        nl: 'DIMONA toont een tewerkstelling bij de aanvragende werkgever in elke aangevraagde maand.',
        fr: "La DIMONA montre une occupation chez l'employeur demandeur pendant chacun des mois demandés.",
        en: 'DIMONA shows an employment with the claiming employer in every month claimed.',
      },
    }),
  },
  check: (ev, r) => {
    const employer = ev.claim.employerEnterpriseNumber;
    const employed = ev.months.filter((m) =>
      ev.facts.employments.some((e) => e.employerEnterpriseNumber === employer && overlaps(e.from, e.to, monthStart(m.month), monthEnd(m.month))),
    );
    if (employed.length === 0) return r.fail('NO_EMPLOYMENT_WITH_EMPLOYER', 'none', {});
    if (employed.length < ev.months.length)
      r.limit('NO_EMPLOYMENT_WITH_EMPLOYER', 'someMonths', { months: ev.months.filter((m) => !employed.includes(m)).map((m) => m.month) });
    else r.pass('everyMonth', {});
    ev.months = employed;
  },
});

// 8. A DMFA worker line with the claiming employer in the quarters claimed.
export const dmfaDeclaration = step({
  rule: 'DMFA_DECLARATION',
  paragraph: '19/038 §18 · B8, B16',
  title: { nl: 'Aangifte in de DmfA', fr: 'Déclaration DmfA', en: 'DMFA declaration' },
  codes: { HOURS_NOT_DECLARED_IN_DMFA: { nl: 'Niet aangegeven in de DmfA', fr: 'Non déclaré dans la DmfA', en: 'Not declared in DMFA' } },
  sentences: {
    noLine: sentence<{ quarters: readonly string[] }>({
      texts: {
        nl: (p) => `De werkgever heeft voor deze werknemer geen DmfA-werknemerslijn aangegeven in ${p.quarters.map(p.f.quarter).join(', ')}.`,
        fr: (p) => `L'employeur n'a déclaré aucune ligne travailleur DmfA pour ce travailleur en ${p.quarters.map(p.f.quarter).join(', ')}.`,
        en: (p) => `The employer declared no DMFA worker line for this worker in ${p.quarters.map(p.f.quarter).join(', ')}.`,
      },
    }),
  },
  check: (ev, r) => {
    ev.quarters = [...new Set(ev.months.map((m) => quarterOf(m.month)))];
    ev.lines = ev.facts.workerLines.filter((l) => l.employerEnterpriseNumber === ev.claim.employerEnterpriseNumber && ev.quarters.includes(l.quarter));
    if (ev.lines.length === 0) return r.fail('HOURS_NOT_DECLARED_IN_DMFA', 'noLine', { quarters: ev.quarters });
  },
});

// 9. The claiming employer's worker lines are in the private sector.
export const privateSector = step({
  rule: 'PRIVATE_SECTOR',
  paragraph: '19/038 §18 · B2, B16',
  title: { nl: 'Privésector', fr: 'Secteur privé', en: 'Private sector' },
  codes: { NOT_PRIVATE_SECTOR: { nl: 'Niet in de privésector', fr: 'Pas dans le secteur privé', en: 'Not in the private sector' } },
  sentences: {
    notPrivate: sentence<{ quarter: string }>({
      texts: {
        nl: (p) => `De DmfA-werknemerslijn van ${p.f.quarter(p.quarter)} valt niet onder de privésector.`,
        fr: (p) => `La ligne travailleur DmfA de ${p.f.quarter(p.quarter)} ne relève pas du secteur privé.`,
        en: (p) => `The DMFA worker line of ${p.f.quarter(p.quarter)} is not in the private sector.`,
      },
    }),
    private: sentence({
      texts: {
        nl: 'De DmfA-werknemerslijnen vallen onder de privésector.',
        fr: 'Les lignes travailleur DmfA relèvent du secteur privé.',
        en: 'The DMFA worker lines are in the private sector.',
      },
    }),
  },
  check: ({ lines }, r) => {
    const publicLine = lines.find((l) => l.sector !== 'PRIVATE');
    if (publicLine) return r.fail('NOT_PRIVATE_SECTOR', 'notPrivate', { quarter: publicLine.quarter });
    r.pass('private', {});
  },
});

// 10. The local unit (the claiming employer's) is in the Flemish Region.
export const workplace = step({
  rule: 'WORKPLACE',
  paragraph: '19/038 §18 · B2, B16',
  title: { nl: 'Vestigingseenheid in het Vlaamse Gewest', fr: "Unité d'établissement en Région flamande", en: 'Workplace in the Flemish Region' },
  codes: {
    WORKPLACE_NOT_IN_FLANDERS: {
      nl: 'Vestigingseenheid niet in het Vlaamse Gewest',
      fr: "Unité d'établissement hors de la Région flamande",
      en: 'Workplace not in the Flemish Region',
    },
  },
  sentences: {
    elsewhere: sentence<{ quarter: string }>({
      texts: {
        nl: (p) => `De vestigingseenheid van ${p.f.quarter(p.quarter)} ligt niet in het Vlaamse Gewest.`,
        fr: (p) => `L'unité d'établissement de ${p.f.quarter(p.quarter)} n'est pas située en Région flamande.`,
        en: (p) => `The local unit of ${p.f.quarter(p.quarter)} is not in the Flemish Region.`,
      },
    }),
    flanders: sentence({
      texts: {
        nl: 'De vestigingseenheid ligt in het Vlaamse Gewest.',
        fr: "L'unité d'établissement est située en Région flamande.",
        en: 'The local unit is in the Flemish Region.',
      },
    }),
  },
  check: ({ lines }, r) => {
    const elsewhere = lines.find((l) => l.localUnitRegion !== 'FLANDERS');
    if (elsewhere) return r.fail('WORKPLACE_NOT_IN_FLANDERS', 'elsewhere', { quarter: elsewhere.quarter });
    r.pass('flanders', {});
  },
});

/** The minimum of occupation, as every OCCUPATION sentence states it. */
type Minimum = { minimumFraction: number; minimumWeeklyHours: number | null };
const MINIMUM_WORDS = { nl: ['en', 'per week'], fr: ['et', 'par semaine'], en: ['and', 'a week'] } as const;

// 11. Occupation: the reference month, else the month the first training starts. The
// fraction sums every occupation with every employer: the employer reads the outcome, not
// the figures of the worker's other occupations.
export const occupation = step({
  rule: 'OCCUPATION',
  paragraph: '19/038 §17 · B4, B5, B5a',
  title: { nl: 'Minimale tewerkstelling', fr: 'Occupation minimale', en: 'Minimum occupation' },
  codes: { OCCUPATION_BELOW_MINIMUM: { nl: 'Tewerkstelling onder het minimum', fr: 'Occupation inférieure au minimum', en: 'Occupation below the minimum' } },
  sentences: {
    belowInBoth: sentence<Minimum & { fraction: number; month: string; startFraction: number; startMonth: string }>({
      texts: {
        nl: (p) =>
          `Tewerkstelling ${p.f.pct(p.fraction)} in ${p.f.month(p.month)} en ${p.f.pct(p.startFraction)} in ${p.f.month(p.startMonth)}, de maand waarin de opleiding start; minstens ${minimumOf(p, p.f, ...MINIMUM_WORDS.nl)} is vereist.`,
        fr: (p) =>
          `Occupation de ${p.f.pct(p.fraction)} en ${p.f.month(p.month)} et de ${p.f.pct(p.startFraction)} en ${p.f.month(p.startMonth)}, mois du début de la formation ; au moins ${minimumOf(p, p.f, ...MINIMUM_WORDS.fr)} sont requis.`,
        en: (p) =>
          `Occupation ${p.f.pct(p.fraction)} in ${p.f.month(p.month)} and ${p.f.pct(p.startFraction)} in ${p.f.month(p.startMonth)}, the month the training starts; at least ${minimumOf(p, p.f, ...MINIMUM_WORDS.en)} is required.`,
      },
      employerTexts: {
        nl: (p) =>
          `De tewerkstelling van de werknemer, over al zijn tewerkstellingen samen, ligt onder het minimum van ${minimumOf(p, p.f, ...MINIMUM_WORDS.nl)}, zowel in de referentiemaand ${p.f.month(p.month)} als in ${p.f.month(p.startMonth)}, de maand waarin de opleiding start.`,
        fr: (p) =>
          `L'occupation du travailleur, toutes occupations confondues, est inférieure au minimum de ${minimumOf(p, p.f, ...MINIMUM_WORDS.fr)}, tant au mois de référence (${p.f.month(p.month)}) qu'en ${p.f.month(p.startMonth)}, mois du début de la formation.`,
        en: (p) =>
          `The worker's occupation, all their occupations together, is below the minimum of ${minimumOf(p, p.f, ...MINIMUM_WORDS.en)} both in the reference month ${p.f.month(p.month)} and in ${p.f.month(p.startMonth)}, the month the training starts.`,
      },
    }),
    startMonthUsed: sentence<Minimum & { fraction: number; month: string; startFraction: number; startMonth: string }>({
      texts: {
        nl: (p) =>
          `Tewerkstelling ${p.f.pct(p.fraction)} in de referentiemaand ${p.f.month(p.month)} ligt onder ${minimumOf(p, p.f, ...MINIMUM_WORDS.nl)}; ${p.f.pct(p.startFraction)} in ${p.f.month(p.startMonth)}, wanneer de opleiding start, wordt gebruikt.`,
        fr: (p) =>
          `L'occupation de ${p.f.pct(p.fraction)} au mois de référence (${p.f.month(p.month)}) est inférieure à ${minimumOf(p, p.f, ...MINIMUM_WORDS.fr)} ; celle de ${p.f.pct(p.startFraction)} en ${p.f.month(p.startMonth)}, au début de la formation, est retenue.`,
        en: (p) =>
          `Occupation ${p.f.pct(p.fraction)} in the reference month ${p.f.month(p.month)} is below ${minimumOf(p, p.f, ...MINIMUM_WORDS.en)}; ${p.f.pct(p.startFraction)} in ${p.f.month(p.startMonth)}, when the training starts, is used.`,
      },
      employerTexts: {
        nl: (p) =>
          `De tewerkstelling in de referentiemaand ${p.f.month(p.month)} ligt onder ${minimumOf(p, p.f, ...MINIMUM_WORDS.nl)}; die van ${p.f.month(p.startMonth)}, wanneer de opleiding start, haalt het minimum en wordt gebruikt.`,
        fr: (p) =>
          `L'occupation au mois de référence (${p.f.month(p.month)}) est inférieure à ${minimumOf(p, p.f, ...MINIMUM_WORDS.fr)} ; celle de ${p.f.month(p.startMonth)}, au début de la formation, atteint le minimum et est retenue.`,
        en: (p) =>
          `The occupation in the reference month ${p.f.month(p.month)} is below ${minimumOf(p, p.f, ...MINIMUM_WORDS.en)}; that of ${p.f.month(p.startMonth)}, when the training starts, meets the minimum and is used.`,
      },
    }),
    referenceMonth: sentence<Minimum & { fraction: number; weeklyHours: number; month: string }>({
      texts: {
        nl: (p) => `Tewerkstelling ${p.f.pct(p.fraction)} (${p.f.hours(p.weeklyHours)} per week) in de referentiemaand ${p.f.month(p.month)}.`,
        fr: (p) => `Occupation de ${p.f.pct(p.fraction)} (${p.f.hours(p.weeklyHours)} par semaine) au mois de référence (${p.f.month(p.month)}).`,
        en: (p) => `Occupation ${p.f.pct(p.fraction)} (${p.f.hours(p.weeklyHours)} a week) in the reference month ${p.f.month(p.month)}.`,
      },
      employerTexts: {
        nl: (p) => `De tewerkstelling in de referentiemaand ${p.f.month(p.month)} haalt het minimum van ${minimumOf(p, p.f, ...MINIMUM_WORDS.nl)}.`,
        fr: (p) => `L'occupation au mois de référence (${p.f.month(p.month)}) atteint le minimum de ${minimumOf(p, p.f, ...MINIMUM_WORDS.fr)}.`,
        en: (p) => `The occupation in the reference month ${p.f.month(p.month)} meets the minimum of ${minimumOf(p, p.f, ...MINIMUM_WORDS.en)}.`,
      },
    }),
  },
  check: (ev, r) => {
    const { claim, parameters } = ev;
    const minimum: Minimum = { minimumFraction: parameters.minimumFraction, minimumWeeklyHours: parameters.minimumWeeklyHours ?? null };
    const meets = (o: { fraction: number; weeklyHours: number }) =>
      o.fraction >= parameters.minimumFraction && (parameters.minimumWeeklyHours === undefined || o.weeklyHours >= parameters.minimumWeeklyHours);
    let month = referenceMonthOf(claim.schoolYear, parameters);
    let found = occupationIn(ev.facts, month);
    if (!meets(found)) {
      const startMonth = claim.training.startDate.slice(0, 7);
      const atStart = occupationIn(ev.facts, startMonth);
      const params = { ...minimum, fraction: found.fraction, month, startFraction: atStart.fraction, startMonth };
      if (!meets(atStart)) return r.fail('OCCUPATION_BELOW_MINIMUM', 'belowInBoth', params);
      r.pass('startMonthUsed', params);
      month = startMonth;
      found = atStart;
    } else r.pass('referenceMonth', { ...minimum, fraction: found.fraction, weeklyHours: found.weeklyHours, month });
    ev.fraction = Math.min(1, found.fraction);
    Object.assign(ev.figures, { referenceMonth: month, occupationFraction: found.fraction });
  },
});

// 12. One school year, one maximum: once a decision has approved hours against it, later
// claims (for a training starting in another month, say) are held to the same figure.
export const personalMaximumFixed = step({
  rule: 'PERSONAL_MAXIMUM_FIXED',
  paragraph: '19/038 §17 · B3, B5',
  title: { nl: 'Persoonlijk maximum van het schooljaar', fr: "Maximum personnel de l'année scolaire", en: "The school year's personal maximum" },
  codes: {},
  sentences: {
    fixed: sentence<{ schoolYear: string; maximum: number; ownMaximum: number }>({
      texts: {
        nl: (p) =>
          `Het persoonlijk maximum van schooljaar ${p.schoolYear} is ${p.f.hours(p.maximum)}, vastgelegd door de eerste beslissing ervan; de eigen gegevens van deze aanvraag zouden ${p.f.hours(p.ownMaximum)} geven.`,
        fr: (p) =>
          `Le maximum personnel de l'année scolaire ${p.schoolYear} est de ${p.f.hours(p.maximum)}, fixé par sa première décision ; les données propres à cette demande donneraient ${p.f.hours(p.ownMaximum)}.`,
        en: (p) =>
          `The personal maximum of school year ${p.schoolYear} is ${p.f.hours(p.maximum)}, set by its first decision; this claim's own figures would give ${p.f.hours(p.ownMaximum)}.`,
      },
      // The maximum is 125 h × the occupation with every employer: its figure would tell the
      // employer the worker's occupation elsewhere. The employer reads the rule, not the figures.
      employerTexts: {
        nl: (p) => `Het persoonlijk maximum van schooljaar ${p.schoolYear} is vastgelegd door de eerste beslissing ervan en geldt ook voor deze aanvraag.`,
        fr: (p) => `Le maximum personnel de l'année scolaire ${p.schoolYear} est fixé par sa première décision et vaut aussi pour cette demande.`,
        en: (p) => `The personal maximum of school year ${p.schoolYear} is set by its first decision and applies to this claim too.`,
      },
    }),
  },
  check: (ev, r) => {
    const ownMaximum = Math.floor(ev.parameters.hoursPerYear * 100 * ev.fraction + 1e-6);
    const limit = ev.facts.alreadyApproved.schoolYearLimit;
    ev.fixedMaximum = limit === undefined ? undefined : toHundredths(limit);
    ev.personalMaximum = ev.fixedMaximum ?? ownMaximum;
    if (ev.fixedMaximum !== undefined && ev.fixedMaximum !== ownMaximum) {
      r.pass('fixed', { schoolYear: ev.claim.schoolYear, maximum: fromHundredths(ev.fixedMaximum), ownMaximum: fromHundredths(ownMaximum) });
    }
    ev.figures.personalMaximumHours = fromHundredths(ev.personalMaximum);
  },
});

// 13. Hours declared by the claiming employer under DMFA working-time code 5, per quarter,
// less what earlier decisions already took from them. Hours are allocated month by month
// in calendar order, so a cut falls on the last months.
export const dmfaCode5 = step({
  rule: 'DMFA_CODE_5',
  paragraph: '19/038 §18 · B8, B13',
  title: { nl: 'Uren onder arbeidstijdcode 5 (DmfA)', fr: 'Heures sous le code de temps de travail 5 (DmfA)', en: 'Hours under working-time code 5 (DMFA)' },
  codes: {
    HOURS_NOT_DECLARED_IN_DMFA: { nl: 'Uren niet aangegeven in de DmfA', fr: 'Heures non déclarées dans la DmfA', en: 'Hours not declared in DMFA' },
    QUARTER_HOURS_ALREADY_REIMBURSED: {
      nl: 'Uren van het kwartaal al terugbetaald',
      fr: 'Heures du trimestre déjà remboursées',
      en: "The quarter's hours already reimbursed",
    },
  },
  sentences: {
    notDeclared: sentence<{ quarters: readonly { quarter: string; declared: number; claimed: number }[] }>({
      texts: {
        nl: (p) =>
          `Uren onder arbeidstijdcode 5 in de DmfA: ${p.quarters.map((q) => `${p.f.quarter(q.quarter)}: ${p.f.hours(q.declared)} aangegeven voor ${p.f.hours(q.claimed)} aangevraagd`).join('; ')}.`,
        fr: (p) =>
          `Heures sous le code de temps de travail 5 dans la DmfA : ${p.quarters.map((q) => `${p.f.quarter(q.quarter)} : ${p.f.hours(q.declared)} déclarées pour ${p.f.hours(q.claimed)} demandées`).join(' ; ')}.`,
        en: (p) =>
          `Hours under working-time code 5 in DMFA: ${p.quarters.map((q) => `${p.f.quarter(q.quarter)}: ${p.f.hours(q.declared)} declared for ${p.f.hours(q.claimed)} claimed`).join('; ')}.`,
      },
    }),
    reimbursed: sentence<{ quarters: readonly { quarter: string; earlier: number; declared: number; left: number }[] }>({
      texts: {
        nl: (p) =>
          `Uren onder arbeidstijdcode 5 bij deze werkgever: ${p.quarters.map((q) => `${p.f.quarter(q.quarter)}: van de ${p.f.hours(q.declared)} aangegeven werd al ${p.f.hours(q.earlier)} terugbetaald voor eerdere aanvragen, ${p.f.hours(q.left)} blijft over`).join('; ')}.`,
        fr: (p) =>
          `Heures sous le code de temps de travail 5 chez cet employeur : ${p.quarters.map((q) => `${p.f.quarter(q.quarter)} : ${p.f.hours(q.earlier)} des ${p.f.hours(q.declared)} déclarées ont déjà été remboursées pour des demandes antérieures, il reste ${p.f.hours(q.left)}`).join(' ; ')}.`,
        en: (p) =>
          `Hours under working-time code 5 with this employer: ${p.quarters.map((q) => `${p.f.quarter(q.quarter)}: ${p.f.hours(q.earlier)} of the ${p.f.hours(q.declared)} declared were already reimbursed by earlier claims, ${p.f.hours(q.left)} left`).join('; ')}.`,
      },
    }),
    allDeclared: sentence({
      texts: {
        nl: 'Elk aangevraagd uur is in de DmfA aangegeven onder arbeidstijdcode 5 en nog niet terugbetaald.',
        fr: 'Chaque heure demandée est déclarée dans la DmfA sous le code de temps de travail 5 et pas encore remboursée.',
        en: 'Every claimed hour is declared in DMFA under working-time code 5 and not yet reimbursed.',
      },
    }),
  },
  check: (ev, r) => {
    const already = ev.facts.alreadyApproved;
    ev.allocation = new Map(ev.months.map((m) => [m.month, m.hundredths]));
    const notDeclared: { quarter: string; declared: number; claimed: number }[] = [];
    const reimbursed: { quarter: string; earlier: number; declared: number; left: number }[] = [];
    for (const quarter of ev.quarters) {
      const inQuarter = ev.months.filter((m) => quarterOf(m.month) === quarter);
      const claimedInQuarter = inQuarter.reduce((sum, m) => sum + m.hundredths, 0);
      const declared = toHundredths(
        ev.lines
          .filter((l) => l.quarter === quarter)
          .flatMap((l) => l.occupations)
          .reduce((sum, o) => sum + (o.workingTimeCode5Hours ?? 0), 0),
      );
      const earlier = toHundredths(already.quarters[quarter] ?? 0);
      const left = Math.max(0, declared - earlier);
      if (declared < claimedInQuarter) notDeclared.push({ quarter, declared: fromHundredths(declared), claimed: fromHundredths(claimedInQuarter) });
      if (left < Math.min(declared, claimedInQuarter))
        reimbursed.push({ quarter, earlier: fromHundredths(earlier), declared: fromHundredths(declared), left: fromHundredths(left) });
      let room = left;
      for (const m of inQuarter) {
        const take = Math.min(m.hundredths, room);
        ev.allocation.set(m.month, take);
        room -= take;
      }
      ev.quarterPostings.push({
        bound: 'QUARTER',
        scope: quarter,
        limitHours: fromHundredths(declared),
        alreadyApprovedHours: fromHundredths(earlier),
        hours: 0,
      });
    }
    if (notDeclared.length > 0) r.limit('HOURS_NOT_DECLARED_IN_DMFA', 'notDeclared', { quarters: notDeclared });
    if (reimbursed.length > 0) r.limit('QUARTER_HOURS_ALREADY_REIMBURSED', 'reimbursed', { quarters: reimbursed });
    if (notDeclared.length === 0 && reimbursed.length === 0) r.pass('allDeclared', {});
    ev.cap = ev.allocated();
  },
});

// 14. The hours attended in the training, less what earlier decisions already reimbursed of
// them (across employers: given as a total). Each bound is compared with what reaches it
// (what the bounds before it left), so a reason says a bound cut hours only when it did.
export const hoursAttended = step({
  rule: 'HOURS_ATTENDED',
  paragraph: '19/038 §4 · B10, B13',
  title: { nl: 'Gevolgde uren', fr: 'Heures suivies', en: 'Hours attended' },
  codes: {
    NOT_ATTENDED: { nl: 'Minder uren gevolgd dan aangevraagd', fr: "Moins d'heures suivies que demandées", en: 'Fewer hours attended than claimed' },
    TRAINING_HOURS_ALREADY_REIMBURSED: {
      nl: 'Opleidingsuren al terugbetaald',
      fr: 'Heures de formation déjà remboursées',
      en: 'Training hours already reimbursed',
    },
  },
  sentences: {
    fewer: sentence<{ attended: number }>({
      texts: {
        nl: (p) => `Slechts ${p.f.hours(p.attended)} gevolgd.`,
        fr: (p) => `Seulement ${p.f.hours(p.attended)} suivies.`,
        en: (p) => `Only ${p.f.hours(p.attended)} attended.`,
      },
    }),
    reimbursed: sentence<{ earlier: number; attended: number; trainingId: string; left: number }>({
      texts: {
        nl: (p) =>
          `${p.f.hours(p.earlier)} van de ${p.f.hours(p.attended)} gevolgd in opleiding ${p.trainingId} werden al terugbetaald voor eerdere aanvragen: ${p.f.hours(p.left)} blijft over.`,
        fr: (p) =>
          `${p.f.hours(p.earlier)} des ${p.f.hours(p.attended)} suivies dans la formation ${p.trainingId} ont déjà été remboursées pour des demandes antérieures : il reste ${p.f.hours(p.left)}.`,
        en: (p) =>
          `${p.f.hours(p.earlier)} of the ${p.f.hours(p.attended)} attended in training ${p.trainingId} were already reimbursed by earlier claims: ${p.f.hours(p.left)} left.`,
      },
    }),
    within: sentence<{ attended: number; earlier: number }>({
      texts: {
        nl: (p) => `${p.f.hours(p.attended)} gevolgd, waarvan ${p.f.hours(p.earlier)} al terugbetaald.`,
        fr: (p) => `${p.f.hours(p.attended)} suivies, dont ${p.f.hours(p.earlier)} déjà remboursées.`,
        en: (p) => `${p.f.hours(p.attended)} attended, ${p.f.hours(p.earlier)} of them already reimbursed.`,
      },
    }),
  },
  check: (ev, r) => {
    const attended = toHundredths(ev.hoursAttended);
    const earlier = toHundredths(ev.facts.alreadyApproved.training);
    const left = Math.max(0, attended - earlier);
    const claimed = ev.allocated();
    if (attended < ev.cap) {
      r.limit('NOT_ATTENDED', 'fewer', { attended: fromHundredths(attended) });
      ev.cap = attended;
    }
    if (left < ev.cap) {
      r.limit('TRAINING_HOURS_ALREADY_REIMBURSED', 'reimbursed', {
        earlier: fromHundredths(earlier),
        attended: fromHundredths(attended),
        trainingId: ev.claim.training.id,
        left: fromHundredths(left),
      });
      ev.cap = left;
    } else if (attended >= claimed) r.pass('within', { attended: fromHundredths(attended), earlier: fromHundredths(earlier) });
  },
});

// 15. The personal maximum of the school year, less what earlier decisions already approved
// against it (across employers and trainings: given as a total).
export const personalMaximum = step({
  rule: 'PERSONAL_MAXIMUM',
  paragraph: '19/038 §17 · B3, B13',
  title: { nl: 'Persoonlijk maximum', fr: 'Maximum personnel', en: 'Personal maximum' },
  codes: { MAXIMUM_HOURS_EXCEEDED: { nl: 'Persoonlijk maximum overschreden', fr: 'Maximum personnel dépassé', en: 'Personal maximum exceeded' } },
  sentences: {
    exceeded: sentence<{ maximum: number; hoursPerYear: number; fraction: number; earlier: number; left: number }>({
      texts: {
        nl: (p) =>
          `Persoonlijk maximum ${p.f.hours(p.maximum)} (${p.f.hours(p.hoursPerYear)} × ${p.f.pct(p.fraction)}), waarvan dit schooljaar al ${p.f.hours(p.earlier)} toegekend: ${p.f.hours(p.left)} blijft over.`,
        fr: (p) =>
          `Maximum personnel de ${p.f.hours(p.maximum)} (${p.f.hours(p.hoursPerYear)} × ${p.f.pct(p.fraction)}), dont ${p.f.hours(p.earlier)} déjà accordées cette année scolaire : il reste ${p.f.hours(p.left)}.`,
        en: (p) =>
          `Personal maximum ${p.f.hours(p.maximum)} (${p.f.hours(p.hoursPerYear)} × ${p.f.pct(p.fraction)}), ${p.f.hours(p.earlier)} already approved this school year: ${p.f.hours(p.left)} left.`,
      },
      // Neither the maximum nor the hours approved before (together they give the maximum, and
      // so the worker's occupation with every employer): what is left, which this claim receives.
      employerTexts: {
        nl: (p) =>
          `Het persoonlijk maximum van de werknemer voor dit schooljaar (volgens de tewerkstelling bij alle werkgevers samen) laat nog ${p.f.hours(p.left)} toe.`,
        fr: (p) =>
          `Le maximum personnel du travailleur pour cette année scolaire (selon son occupation chez tous ses employeurs) permet encore ${p.f.hours(p.left)}.`,
        en: (p) => `The worker's personal maximum for this school year (by their occupation with every employer) allows ${p.f.hours(p.left)} more.`,
      },
    }),
    exceededFixed: sentence<{ maximum: number; earlier: number; left: number }>({
      texts: {
        nl: (p) =>
          `Persoonlijk maximum ${p.f.hours(p.maximum)}, waarvan dit schooljaar al ${p.f.hours(p.earlier)} toegekend: ${p.f.hours(p.left)} blijft over.`,
        fr: (p) =>
          `Maximum personnel de ${p.f.hours(p.maximum)}, dont ${p.f.hours(p.earlier)} déjà accordées cette année scolaire : il reste ${p.f.hours(p.left)}.`,
        en: (p) => `Personal maximum ${p.f.hours(p.maximum)}, ${p.f.hours(p.earlier)} already approved this school year: ${p.f.hours(p.left)} left.`,
      },
      // Neither the maximum nor the hours approved before (together they give the maximum, and
      // so the worker's occupation with every employer): what is left, which this claim receives.
      employerTexts: {
        nl: (p) =>
          `Het persoonlijk maximum van de werknemer voor dit schooljaar (volgens de tewerkstelling bij alle werkgevers samen) laat nog ${p.f.hours(p.left)} toe.`,
        fr: (p) =>
          `Le maximum personnel du travailleur pour cette année scolaire (selon son occupation chez tous ses employeurs) permet encore ${p.f.hours(p.left)}.`,
        en: (p) => `The worker's personal maximum for this school year (by their occupation with every employer) allows ${p.f.hours(p.left)} more.`,
      },
    }),
    within: sentence<{ maximum: number; earlier: number }>({
      texts: {
        nl: (p) => `Binnen het persoonlijk maximum van ${p.f.hours(p.maximum)} (dit schooljaar al ${p.f.hours(p.earlier)} toegekend).`,
        fr: (p) => `Dans les limites du maximum personnel de ${p.f.hours(p.maximum)} (${p.f.hours(p.earlier)} déjà accordées cette année scolaire).`,
        en: (p) => `Within the personal maximum of ${p.f.hours(p.maximum)} (${p.f.hours(p.earlier)} already approved this school year).`,
      },
      employerTexts: {
        nl: 'Binnen het persoonlijk maximum van de werknemer voor dit schooljaar.',
        fr: 'Dans les limites du maximum personnel du travailleur pour cette année scolaire.',
        en: "Within the worker's personal maximum for this school year.",
      },
    }),
  },
  check: (ev, r) => {
    const earlier = toHundredths(ev.facts.alreadyApproved.schoolYear);
    const left = Math.max(0, ev.personalMaximum - earlier);
    const [maximum, already, remaining] = [ev.personalMaximum, earlier, left].map(fromHundredths) as [number, number, number];
    if (left < ev.cap) {
      if (ev.fixedMaximum === undefined)
        r.limit('MAXIMUM_HOURS_EXCEEDED', 'exceeded', {
          maximum,
          hoursPerYear: ev.parameters.hoursPerYear,
          fraction: ev.fraction,
          earlier: already,
          left: remaining,
        });
      else r.limit('MAXIMUM_HOURS_EXCEEDED', 'exceededFixed', { maximum, earlier: already, left: remaining });
      ev.cap = left;
    } else r.pass('within', { maximum, earlier: already });
  },
});

/** Every rule step, in the order of the evaluation (the school year's figures are read after the first). */
export const RULE_STEPS = [
  regimeStart,
  filingDeadline,
  trainingRecognised,
  attendance,
  workerKnown,
  workerAlive,
  employment,
  dmfaDeclaration,
  privateSector,
  workplace,
  occupation,
  personalMaximumFixed,
  dmfaCode5,
  hoursAttended,
  personalMaximum,
] as const satisfies readonly AnyRuleStep[];

export type RuleId = (typeof RULE_STEPS)[number]['rule'];
