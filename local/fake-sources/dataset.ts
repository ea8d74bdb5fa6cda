import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { isValidEnterpriseNumber, isValidNiss } from '../../shared/domain/identifiers.js';
import { REASONS } from '../../shared/domain/career-break/codes.js';

/**
 * Schema of the synthetic dataset served by the fake external sources. Every
 * identifier must pass its check digits and every date must be ISO, so a typo
 * in a hand-edited dataset is refused at start rather than surfacing as a
 * confusing answer later. Documented in local/fake-sources/README.md.
 */
const isoDate = z.iso.date({ error: 'expected an ISO date YYYY-MM-DD' });
const niss = z.string().refine(isValidNiss, { error: 'expected a valid NISS (11 digits, mod-97 check)' });
const enterpriseNumber = z.string().refine(isValidEnterpriseNumber, { error: 'expected a valid enterprise number (10 digits, mod-97 check)' });
const quarter = z.string().regex(/^\d{4}-Q[1-4]$/, { error: 'expected a quarter YYYY-Qn' });
const decimal = z.string().regex(/^\d+(\.\d+)?$/, { error: 'expected a decimal string such as "10.5"' });
const sector = z.enum(['PRIVATE', 'PUBLIC', 'SELF_EMPLOYED']);

const person = z.strictObject({ niss, birthDate: isoDate, deathDate: isoDate.optional() });

const career = z.strictObject({
  niss,
  birthDate: isoDate,
  periods: z.array(z.strictObject({ sector, employerEnterpriseNumber: enterpriseNumber.optional(), from: isoDate, to: isoDate.optional() })),
});

const careerBreakHistory = z.strictObject({
  niss,
  sector: z.enum(['PRIVATE', 'PUBLIC']),
  /** Public sector only: the authority's level and the worker's statute, where they change the regimes offered (A3.1). */
  publicStaff: z.strictObject({ level: z.enum(['FEDERAL', 'OTHER']), statute: z.enum(['STATUTORY', 'CONTRACTUAL']) }).optional(),
  employerEnterpriseNumber: enterpriseNumber,
  seniorityMonths: z.int().nonnegative(),
  children: z.array(z.strictObject({ birthDate: isoDate, disabled: z.boolean().optional() })).default([]),
  interruptions: z.array(
    z.strictObject({
      reason: z.enum(REASONS),
      regime: z.enum(['FULL_TIME', 'HALF_TIME', 'ONE_FIFTH', 'ONE_TENTH']),
      from: isoDate,
      to: isoDate,
      childIndex: z.int().nonnegative().optional(),
      careFor: z.string().min(1).optional(),
    }),
  ),
});

const employment = z.strictObject({ niss, employerEnterpriseNumber: enterpriseNumber, from: isoDate, to: isoDate.optional() });

const dmfaWorkerLine = z.strictObject({
  niss,
  employerEnterpriseNumber: enterpriseNumber,
  quarter,
  sector,
  localUnitRegion: z.enum(['FLANDERS', 'BRUSSELS', 'WALLONIA']),
  occupations: z.array(
    z.strictObject({
      from: isoDate,
      to: isoDate.optional(),
      q: z.number().positive(),
      s: z.number().positive(),
      daysPerWeek: z.number().positive().max(7),
      workingTimeCode5Hours: z.number().nonnegative().default(0),
      grossSalary: decimal.optional(),
      /** The quarter's occupation broken down by month (DMFA day justification and remuneration). */
      monthly: z
        .array(
          z.strictObject({
            month: z.string().regex(/^\d{4}-\d{2}$/, { error: 'expected a month YYYY-MM' }),
            daysWorked: z.int().nonnegative(),
            assimilatedDays: z.int().nonnegative(),
            grossSalary: decimal,
            salaryCost: decimal,
            otherPremiums: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

const dmfaEmployerAggregate = z.strictObject({ employerEnterpriseNumber: enterpriseNumber, quarter, regularFte: decimal, exemption: z.boolean().optional() });

const referenceDirectoryEntry = z.strictObject({
  niss,
  registeredBy: z.string().min(1),
  qualityCode: z.string().regex(/^\d{3}$/, { error: 'expected a 3-digit quality code such as "001"' }),
});

const training = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  recognisedFrom: isoDate,
  recognisedTo: isoDate.optional(),
  contactHours: z.number().positive().optional(),
  /** The provider has reported the attendance of the whole training (possibly before its planned end). */
  attendanceFinal: z.boolean().optional(),
  attendance: z.array(z.strictObject({ niss, hoursAttended: z.number().nonnegative() })).default([]),
});

export const datasetSchema = z.strictObject({
  $comment: z.string().optional(),
  persons: z.array(person),
  careers: z.array(career),
  careerBreakHistories: z.array(careerBreakHistory),
  employments: z.array(employment),
  dmfaWorkerLines: z.array(dmfaWorkerLine),
  dmfaEmployerAggregates: z.array(dmfaEmployerAggregate),
  referenceDirectory: z.array(referenceDirectoryEntry),
  trainings: z.array(training),
});

export type Dataset = z.infer<typeof datasetSchema>;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

const formatPath = (path: PropertyKey[]): string =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');

/** Validates a parsed dataset; the error names every bad entry by its path, e.g. `persons[2].niss`. */
export const parseDataset = (raw: unknown, origin = 'dataset'): Dataset => {
  const result = datasetSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 10).map((issue) => `  - ${formatPath(issue.path) || '(root)'}: ${issue.message}`);
  const more = result.error.issues.length > 10 ? `\n  … and ${result.error.issues.length - 10} more` : '';
  throw new DatasetError(`${origin} is not a valid sources dataset:\n${lines.join('\n')}${more}`);
};

export const DEFAULT_DATASET = new URL('./synthetic-dataset.json', import.meta.url);

export const loadDataset = async (path: string | URL = DEFAULT_DATASET): Promise<Dataset> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DatasetError(`cannot read sources dataset ${String(path)}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`sources dataset ${String(path)} is not JSON: ${(error as Error).message}`);
  }
  return parseDataset(raw, String(path));
};
