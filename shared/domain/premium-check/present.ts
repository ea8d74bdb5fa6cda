import { type Language, say, type Texts } from '../i18n/language.js';
import { DECLARATION_MATCH } from './checks/declaration-match.js';
import { DMFA_DUE } from './checks/dmfa-due.js';
import { DOUBLE_SUBSIDY } from './checks/double-subsidy.js';
import { EMPLOYER_SHARE } from './checks/employer-share.js';
import { NON_REPLACEMENT } from './checks/non-replacement.js';
import { PROPORTIONAL_DAYS } from './checks/proportional-days.js';
import { PTP_CAREER_LIMIT } from './checks/ptp-career-limit.js';
import { SALARY_BASIS } from './checks/salary-basis.js';
import { SALARY_COST_CAP } from './checks/salary-cost-cap.js';
import type { CheckDefinition, CheckName, Finding, FindingView, TextParams } from './findings.js';

/** Every check's definition, by name: what renders a stored finding in a reader's language. */
export const CHECKS: { [C in CheckName]: CheckDefinition & { check: C } } = {
  NON_REPLACEMENT: NON_REPLACEMENT as CheckDefinition & { check: 'NON_REPLACEMENT' },
  PROPORTIONAL_DAYS: PROPORTIONAL_DAYS as CheckDefinition & { check: 'PROPORTIONAL_DAYS' },
  EMPLOYER_SHARE: EMPLOYER_SHARE as CheckDefinition & { check: 'EMPLOYER_SHARE' },
  SALARY_BASIS: SALARY_BASIS as CheckDefinition & { check: 'SALARY_BASIS' },
  SALARY_COST_CAP: SALARY_COST_CAP as CheckDefinition & { check: 'SALARY_COST_CAP' },
  DOUBLE_SUBSIDY: DOUBLE_SUBSIDY as CheckDefinition & { check: 'DOUBLE_SUBSIDY' },
  DECLARATION_MATCH: DECLARATION_MATCH as CheckDefinition & { check: 'DECLARATION_MATCH' },
  PTP_CAREER_LIMIT: PTP_CAREER_LIMIT as CheckDefinition & { check: 'PTP_CAREER_LIMIT' },
  DMFA_DUE: DMFA_DUE as CheckDefinition & { check: 'DMFA_DUE' },
};

export const presentFinding = (finding: Finding, language: Language): FindingView => {
  const definition = CHECKS[finding.check];
  const texts = definition.texts[finding.text] as Texts<TextParams> | undefined;
  // A check stored before its texts were keyed carries its English sentence: shown as it is.
  const detail = texts ? say(texts, language, finding.params ?? {}) : (finding.detail ?? '');
  return {
    check: finding.check,
    outcome: finding.outcome,
    paragraph: definition.paragraph,
    title: say(definition.title, language),
    detail,
    ...(finding.declared === undefined ? {} : { declared: finding.declared }),
    ...(finding.found === undefined ? {} : { found: finding.found }),
  };
};

export const presentFindings = (findings: readonly Finding[], language: Language): FindingView[] => findings.map((f) => presentFinding(f, language));
