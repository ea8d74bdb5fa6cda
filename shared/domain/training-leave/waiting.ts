import { NoRuleInForceError } from '../effective-dated.js';
import { brusselsDateTime } from '../brussels-time.js';
import { formatDate } from '../i18n/formats.js';
import { type Language, say, type Texts } from '../i18n/language.js';
import { schoolYearParameters } from './evaluate.js';

/**
 * A claim that is received but cannot be decided yet, and why (docs/training-leave.md, "A
 * claim's life"). Pure: no I/O. The claim stays `RECEIVED` (it may still be withdrawn, and
 * every condition that guards a decision stays "still RECEIVED"); what it waits for is kept
 * beside it (`waitingFor`) and shown, in the reader's language, to its employer and to DWSE.
 */
export const WAITING_CODES = ['SCHOOL_YEAR_FIGURES_NOT_PUBLISHED'] as const;
export type WaitingCode = (typeof WAITING_CODES)[number];

/** As stored on the claim: language-neutral; the texts are written when it is read. */
export interface ClaimWait {
  code: WaitingCode;
  /** When an attempt first met this reason (ISO instant). */
  since: string;
  /** Attempts that met it, the first included: the back-off's exponent. */
  attempts: number;
  /** The earliest instant the sweeper puts the claim back on the queue (ISO instant). */
  nextAttemptAt: string;
}

/**
 * The back-off between attempts: 1 h, doubling, at most 1 day. Why these figures: the school
 * year's figures are rows of the rule table (rules.ts), so they arrive with a deploy, never
 * between two sweeps of one code version; trying every 5 minutes (the sweeper's pace) would
 * only re-read the claim and log. When a deploy adds the row, the sweeper takes every claim
 * waiting for that school year at its next run, whatever its back-off (see
 * `figuresPublished`), so the back-off does not delay the decision: it is the safety net
 * that has a waiting claim looked at again at least once a day, at a cost of at most one
 * attempt per claim and day.
 */
export const FIRST_RETRY_MS = 60 * 60 * 1000;
export const MAX_RETRY_MS = 24 * 60 * 60 * 1000;
export const retryDelayMs = (attempts: number): number => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));

/** The wait after one more attempt met `code` at `now`: `since` kept from the first, the delay doubled. */
export const nextWait = (previous: ClaimWait | undefined, code: WaitingCode, now: Date): ClaimWait => {
  const same = previous?.code === code ? previous : undefined;
  const attempts = (same?.attempts ?? 0) + 1;
  return {
    code,
    since: same?.since ?? now.toISOString(),
    attempts,
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
  };
};

/** Whether the school year's figures are in the rule table (the consumer can decide its claims). */
export const figuresPublished = (schoolYear: string): boolean => {
  try {
    schoolYearParameters(schoolYear);
    return true;
  } catch (error) {
    if (error instanceof NoRuleInForceError) return false;
    throw error;
  }
};

interface WaitParams {
  schoolYear: string;
  since: string;
  next: string;
}

/** The texts beside the code: a title and a sentence with the school year, since when and the next attempt. */
export const WAITING_TEXTS: Record<WaitingCode, { title: Texts; detail: Texts<WaitParams> }> = {
  SCHOOL_YEAR_FIGURES_NOT_PUBLISHED: {
    title: {
      nl: 'Wacht op de cijfers van het schooljaar',
      fr: 'En attente des chiffres de l’année scolaire',
      en: 'Waiting for the school year’s figures',
    },
    detail: {
      nl: ({ schoolYear, since, next }) =>
        `De regels en bedragen van het Vlaams opleidingsverlof voor schooljaar ${schoolYear} zijn nog niet gepubliceerd. De aanvraag is ontvangen en wacht sinds ${since}; ze wordt beslist zodra ze gepubliceerd zijn. Volgende poging: ${next}.`,
      fr: ({ schoolYear, since, next }) =>
        `Les règles et montants du congé-formation flamand pour l’année scolaire ${schoolYear} ne sont pas encore publiés. La demande est reçue et attend depuis le ${since} ; elle sera décidée dès leur publication. Prochaine tentative : ${next}.`,
      en: ({ schoolYear, since, next }) =>
        `The rules and figures of Flemish training leave for school year ${schoolYear} are not published yet. The claim is received and has been waiting since ${since}; it is decided as soon as they are. Next attempt: ${next}.`,
    },
  },
};

/** An instant as a reader in Belgium reads it: "03/12/2026 14:00" (the day as formatDate writes it, Brussels time). */
export const formatInstant = (instant: string, language: Language): string => {
  const [day = '', time = ''] = brusselsDateTime(new Date(instant)).split(' ');
  return `${formatDate(day, language)} ${time}`;
};

/** What a reader is shown of a wait: the code with its title and sentence in `language`, the school year, since when, the next attempt. */
export interface WaitAnswer {
  code: WaitingCode;
  title: string;
  detail: string;
  schoolYear: string;
  since: string;
  nextAttemptAt: string;
}

export const presentWait = (wait: ClaimWait, schoolYear: string, language: Language): WaitAnswer => {
  const texts = WAITING_TEXTS[wait.code];
  return {
    code: wait.code,
    title: say(texts.title, language),
    detail: say(texts.detail, language, {
      schoolYear,
      since: formatInstant(wait.since, language),
      next: formatInstant(wait.nextAttemptAt, language),
    }),
    schoolYear,
    since: wait.since,
    nextAttemptAt: wait.nextAttemptAt,
  };
};
