import { describe, expect, it } from 'vitest';
import {
  CLOSURE_LABELS,
  CLOSURES,
  PLAN_CAVEAT_LABELS,
  PLAN_CAVEATS,
  PLAN_REFUSAL_LABELS,
  PLAN_REFUSALS,
  REASON_LABELS,
  REASONS,
} from '../../shared/domain/career-break/codes.js';
import { LANGUAGES } from '../../shared/domain/i18n/language.js';

// The citizen pages offer fr, nl, de and en: every reason, closure, refusal and caveat the
// career-break answers label is written in each, none of them a copy of another language.
const FIGURES = { n: 3, d: '2027-01-01' };
const tables = {
  reasons: [REASONS, (code: string) => REASON_LABELS[code as (typeof REASONS)[number]]],
  closures: [CLOSURES, (code: string) => CLOSURE_LABELS[code as (typeof CLOSURES)[number]]],
  refusals: [PLAN_REFUSALS, (code: string) => PLAN_REFUSAL_LABELS[code as (typeof PLAN_REFUSALS)[number]]],
  caveats: [PLAN_CAVEATS, (code: string) => PLAN_CAVEAT_LABELS[code as (typeof PLAN_CAVEATS)[number]]],
} as const;

describe('career-break labels, refusals and caveats in fr, nl, de and en', () => {
  it.each(Object.entries(tables))('every one of the %s has its text in each language', (_name, [codes, labelsOf]) => {
    for (const code of codes) {
      const labels = labelsOf(code) as Record<string, string | ((figures: typeof FIGURES) => string)> | undefined;
      expect(labels, code).toBeDefined();
      const said = LANGUAGES.map((language) => {
        const label = labels?.[language];
        return typeof label === 'function' ? label(FIGURES) : label;
      });
      for (const [i, text] of said.entries()) expect(text?.trim(), `${code} ${LANGUAGES[i]}`).toBeTruthy();
      expect(new Set(said).size, `${code}: ${said.join(' | ')}`).toBe(LANGUAGES.length);
    }
  });
});
