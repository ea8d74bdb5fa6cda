/**
 * The external sources a purpose may name. A leaf module: purposes name sources, and the
 * source adapters (shared/sources/) implement them, so imports run one way.
 */
export const SOURCE_NAMES = ['onem', 'career', 'dmfa', 'dimona', 'bcssRegisters', 'referenceDirectory', 'trainingDatabase'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
