import { type Language, say, type Texts } from '../i18n/language.js';
import type { Correction } from './ports.js';

/**
 * Why a decision was replaced (a settlement) or set aside (a withdrawal). A correction keeps
 * its reason as the English record (as a reason keeps `detail`); a reader reads it in their
 * language. A reason not among these (written by another version) is shown as it was kept.
 */
export const CORRECTION_REASONS = {
  SETTLED: {
    en: 'Settled after the end of the training, on the attendance reported for the whole training.',
    nl: 'Afgerekend na het einde van de opleiding, op de aanwezigheid gemeld voor de hele opleiding.',
    fr: 'Régularisée après la fin de la formation, sur la présence déclarée pour toute la formation.',
  },
  WITHDRAWN: {
    en: 'Withdrawn by the employer before the decision was final.',
    nl: 'Ingetrokken door de werkgever voordat de beslissing definitief was.',
    fr: "Retirée par l'employeur avant que la décision ne soit définitive.",
  },
} as const satisfies Record<string, Texts & { en: string }>;

export type CorrectionReason = keyof typeof CORRECTION_REASONS;

/** The English record kept with a correction. */
export const correctionRecord = (reason: CorrectionReason): string => CORRECTION_REASONS[reason].en;

/** A correction as a reader in `language` reads it. */
export const presentCorrection = (correction: Correction, language: Language): Correction => {
  const known = (Object.values(CORRECTION_REASONS) as Texts[]).find((texts) => texts.en === correction.reason);
  return known ? { ...correction, reason: say(known, language) } : correction;
};
