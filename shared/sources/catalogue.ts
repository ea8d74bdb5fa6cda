/**
 * The external sources the functions may reach, each under its own path on the
 * sources gateway (`SOURCES_BASE_URL`). Locally the fake sources serve the same paths.
 */
export const SOURCES = {
  onem: { path: '/onem', title: 'ONEM career-break counters' },
  career: { path: '/career', title: 'Career data (SIGEDIS)' },
  dmfa: { path: '/dmfa', title: 'DMFA quarterly declarations' },
  dimona: { path: '/dimona', title: 'DIMONA employment declarations' },
  bcssRegisters: { path: '/bcss-registers', title: 'BCSS registers (national register and BIS)' },
  referenceDirectory: { path: '/reference-directory', title: 'BCSS reference directory' },
  trainingDatabase: { path: '/training-database', title: 'Flemish training database' },
} as const;

export type SourceName = keyof typeof SOURCES;
export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];
