import { type Language, say, type Texts } from '../i18n/language.js';
import type { DecisionReason, ReasonCode } from './evaluate.js';
import type { StoredDecision } from './ports.js';
import { type Audience, writeSentence } from './reason-texts.js';
import { type AnyRuleStep, RULE_STEPS } from './steps.js';

/**
 * A stored decision's reasons as a reader is given them: written when read, in the reader's
 * language, from the rule step's sentence and the parameters the decision kept. The
 * employer (the addressee of the decision, law of 29 July 1991 on the formal motivation of
 * administrative acts) reads its own phrasing where a step gives one: the worker's other
 * occupations and employers are never named, hours already reimbursed come as a total.
 */
export interface AnsweredReason {
  rule: string;
  outcome: DecisionReason['outcome'];
  code?: ReasonCode;
  /** The paragraph of deliberation 19/038 (and the rule ids of docs/training-leave.md) the rule rests on. */
  paragraph: string;
  /** The rule, or the reason code when the check failed or cut hours, in words. */
  title: string;
  /** Why, in one or two sentences. */
  detail: string;
}

export type AnsweredDecision = Omit<StoredDecision, 'reasons'> & { reasons: AnsweredReason[] };

export type { Audience } from './reason-texts.js';

const STEPS: ReadonlyMap<string, AnyRuleStep> = new Map(RULE_STEPS.map((s) => [s.rule, s as AnyRuleStep]));

/** The title of each code, wherever a step gives it (for a reason whose own step does not name it). */
const CODE_TITLES = new Map<ReasonCode, Texts>();
for (const s of RULE_STEPS as readonly AnyRuleStep[]) {
  for (const [code, texts] of Object.entries(s.codes) as [ReasonCode, Texts][]) if (!CODE_TITLES.has(code)) CODE_TITLES.set(code, texts);
}

/** Whether a step words anything differently for the employer: a stored detail of such a step is not shown to it. */
const speaksOtherwiseToEmployer = (s: AnyRuleStep) => Object.values(s.sentences).some((x) => x.employerTexts !== undefined);

/** The paragraph of a reason whose rule is not (or no longer) a step. */
const DELIBERATION = '19/038';

export const renderReason = (reason: DecisionReason, language: Language, audience: Audience): AnsweredReason => {
  const step = STEPS.get(reason.rule);
  const titleTexts = (reason.code && (step?.codes[reason.code] ?? CODE_TITLES.get(reason.code))) || step?.title;
  const title = titleTexts ? say(titleTexts, language) : (reason.code ?? reason.rule);
  const sentence = reason.sentence === undefined ? undefined : step?.sentences[reason.sentence];
  let detail: string;
  if (sentence && reason.params) detail = writeSentence(sentence, reason.params, language, audience);
  // A decision stored before reasons had parameters: its English record, unless it says more than the employer may read.
  else if (audience === 'employer' && (!step || speaksOtherwiseToEmployer(step))) detail = title;
  else detail = reason.detail;
  return {
    rule: reason.rule,
    outcome: reason.outcome,
    ...(reason.code ? { code: reason.code } : {}),
    paragraph: step?.paragraph ?? DELIBERATION,
    title,
    detail,
  };
};

/** A stored decision with its reasons written for `audience` in `language`. */
export const answerDecision = (decision: StoredDecision, language: Language, audience: Audience): AnsweredDecision => ({
  ...decision,
  reasons: decision.reasons.map((reason) => renderReason(reason, language, audience)),
});
