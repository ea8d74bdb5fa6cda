import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../domain/pagination.js';

/**
 * The claim lists' cursors, the same on every engine (DynamoDB, PostgreSQL): the position
 * of the page's last claim (`<submittedAt>#<claimId>`, the lists' sort key) and a tag
 * binding it to its list, `<tag: 32 hex digits><position, base64url>` (base64url as the
 * contract declares), as the access log's (shared/storage/audit-records.ts).
 *
 * - Stable across pages and shards: the next page is "every claim of this list before the
 *   position", asked of each shard; it names no shard, so it survives a change of the
 *   shard count, and claims arriving meanwhile (newer) never shift it.
 * - Bound to its list: the tag is a SHA-256 (truncated to 128 bits) of the position and of
 *   the list (employer, status, school year), so a cursor edited, truncated, made up or
 *   carried to another list (another employer's, another filter's) is refused. The tag has
 *   no secret: it keeps a cursor whole, it does not hide the position. A made-up position
 *   could only start a page inside a list its caller may read anyway (the list is the
 *   query's, from the token, never the cursor's).
 */
const CURSOR = /^([0-9a-f]{32})([A-Za-z0-9_-]{1,160})$/;
/** `<ISO instant>#<claim id>`: the position of a claim in every list. */
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z#[A-Za-z0-9-]{1,64}$/;

export interface ClaimList {
  employerEnterpriseNumber?: string;
  status?: string;
  schoolYear?: string;
}

/** The list a cursor belongs to, as its tag binds it. */
const listOf = (list: ClaimList) => `employer=${list.employerEnterpriseNumber ?? '*'}|status=${list.status ?? '*'}|schoolYear=${list.schoolYear ?? '*'}`;

const tagOf = (position: string, list: ClaimList): Buffer =>
  createHash('sha256')
    .update(`claim-list-cursor\u0000${listOf(list)}\u0000`)
    .update(position)
    .digest()
    .subarray(0, 16);

/** The position of a claim in the lists: `<submittedAt>#<claimId>`. */
export const listPosition = (claim: { submittedAt: string; claimId: string }) => `${claim.submittedAt}#${claim.claimId}`;

export const sealListCursor = (position: string, list: ClaimList): string =>
  `${tagOf(position, list).toString('hex')}${Buffer.from(position, 'utf8').toString('base64url')}`;

/** The position a cursor of this list carries; InvalidCursorError for any other. */
export const openListCursor = (cursor: string, list: ClaimList): string => {
  const refused = () => new InvalidCursorError('the cursor is not one this list gave');
  const match = CURSOR.exec(cursor);
  if (!match) throw refused();
  const position = Buffer.from(match[2]!, 'base64url').toString('utf8');
  if (!timingSafeEqual(Buffer.from(match[1]!, 'hex'), tagOf(position, list)) || !POSITION.test(position)) throw refused();
  return position;
};
