import * as z from 'zod/mini';
import '../schemas/locale.js';
import { isValidEnterpriseNumber, isValidNiss } from '../domain/identifiers.js';

/**
 * Who a token speaks for. One shape for the issuer side (local identity provider) and
 * the verifying side (middleware), so the two cannot drift apart.
 *
 * The three DWSE teams are those named in deliberation 19/038 §6: Competenties case
 * handlers, Vlaamse Sociale Inspectie inspectors, Administratieve Geldboetes case handlers.
 */
export const DWSE_TEAMS = ['competenties', 'inspectie', 'geldboetes'] as const;
export type DwseTeam = (typeof DWSE_TEAMS)[number];

export const ROLES = ['citizen', 'employer', 'dwse', 'actiris'] as const;
export type Role = (typeof ROLES)[number];

export const principalSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('citizen'), niss: z.string().check(z.refine(isValidNiss, 'not a valid NISS')) }),
  z.object({
    role: z.literal('employer'),
    enterpriseNumber: z.string().check(z.refine(isValidEnterpriseNumber, 'not a valid enterprise number')),
  }),
  // Any team string is accepted here; which teams may do what is the purpose's business.
  z.object({ role: z.literal('dwse'), team: z.string().check(z.minLength(1)) }),
  z.object({ role: z.literal('actiris') }),
]);

export type Principal = z.infer<typeof principalSchema>;

/** The organisation or team acting, for the audit trail (never a person's NISS). */
export const actorOrganisation = (p: Principal): string => {
  switch (p.role) {
    case 'citizen':
      return 'MYCAREER';
    case 'employer':
      return p.enterpriseNumber;
    case 'dwse':
      return `DWSE:${p.team}`;
    case 'actiris':
      return 'ACTIRIS';
  }
};
