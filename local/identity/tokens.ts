import { SignJWT } from 'jose';
import { ALGORITHM, type SigningKey } from './keys.js';

import type { Principal } from '../../shared/auth/principal.js';

export { DWSE_TEAMS, type DwseTeam, type Principal } from '../../shared/auth/principal.js';
export const AUDIENCE = 'bcss-exchanges';

const subjectOf = (p: Principal): string => {
  switch (p.role) {
    case 'citizen':
      return `citizen:${p.niss}`;
    case 'employer':
      return `employer:${p.enterpriseNumber}`;
    case 'dwse':
      return `dwse:${p.team}`;
    case 'actiris':
      return 'actiris:staff';
  }
};

export const signToken = async (
  key: SigningKey,
  principal: Principal,
  { issuer, audience = AUDIENCE, expiresIn = '1h' }: { issuer: string; audience?: string; expiresIn?: string },
): Promise<string> =>
  new SignJWT({ ...principal })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(subjectOf(principal))
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
