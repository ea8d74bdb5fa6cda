/**
 * Prints a signed token for the local cloud:
 *   npm run --silent token -- --as citizen --niss 85073003328
 *   npm run --silent token -- --as employer --enterprise 0403170701
 *   npm run --silent token -- --as dwse --team competenties|inspectie|geldboetes
 *   npm run --silent token -- --as actiris
 * Options: --expires 1h, --issuer URL (default http://127.0.0.1:${IDP_PORT:-4011}).
 */
import { localEndpoints } from '../endpoints.js';
import { parseArgs } from 'node:util';
import { isValidEnterpriseNumber, isValidNiss } from '../../shared/domain/identifiers.js';
import { loadOrCreateSigningKey } from './keys.js';
import { DWSE_TEAMS, signToken, type DwseTeam, type Principal } from './tokens.js';

const usage = `usage: npm run --silent token -- --as citizen --niss <NISS>
       npm run --silent token -- --as employer --enterprise <enterprise number>
       npm run --silent token -- --as dwse --team ${DWSE_TEAMS.join('|')}
       npm run --silent token -- --as actiris
options: --expires <duration, e.g. 15m, 1h> --issuer <url>`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
};

const principalFrom = (values: Record<string, string | undefined>): Principal => {
  switch (values.as) {
    case 'citizen':
      if (!values.niss || !isValidNiss(values.niss)) return fail('--niss must be a valid 11-digit NISS');
      return { role: 'citizen', niss: values.niss };
    case 'employer':
      if (!values.enterprise || !isValidEnterpriseNumber(values.enterprise)) return fail('--enterprise must be a valid 10-digit enterprise number');
      return { role: 'employer', enterpriseNumber: values.enterprise };
    case 'dwse':
      if (!DWSE_TEAMS.includes(values.team as DwseTeam)) return fail(`--team must be one of ${DWSE_TEAMS.join(', ')}`);
      return { role: 'dwse', team: values.team as DwseTeam };
    case 'actiris':
      return { role: 'actiris' };
    default:
      return fail('--as must be citizen, employer, dwse or actiris');
  }
};

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      as: { type: 'string' },
      niss: { type: 'string' },
      enterprise: { type: 'string' },
      team: { type: 'string' },
      expires: { type: 'string', default: '1h' },
      issuer: { type: 'string' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
const principal = principalFrom(values!);
const issuer = values!.issuer ?? process.env.TOKEN_ISSUER ?? localEndpoints().TOKEN_ISSUER;
const token = await signToken(await loadOrCreateSigningKey(), principal, { issuer, expiresIn: values!.expires! });
process.stdout.write(`${token}\n`);
