import type pg from 'pg';
import type { PremiumEvaluation } from '../../domain/premium-check/evaluate.js';
import type { PremiumCheckRepository, StoredPremiumCheck } from '../../domain/premium-check/ports.js';
import type { Purpose } from '../../purposes/purpose.js';
import { RetentionError } from '../../purposes/retention.js';
import type { Clock } from '../retention-repository.js';
import { settings } from '../../config/env.js';
import type { RetentionOverrides } from '../../purposes/retention.js';
import { expiryOf, purgeExpiredRows } from './retention.js';

interface PremiumCheckRow {
  check_id: string;
  checked_at: Date;
  scheme: StoredPremiumCheck['scheme'];
  employer_enterprise_number: string;
  worker_subject: string;
  month: string;
  result: PremiumEvaluation;
}

const COLUMNS = 'check_id, checked_at, scheme, employer_enterprise_number, worker_subject, month, result';

/**
 * Premium checks on PostgreSQL (`bcss.premium_checks`), meaning what PremiumCheckStore means
 * on DynamoDB: one id, one answer. The keys and the expiry are columns; the outcome, amounts
 * and findings a jsonb; the worker only as `workerSubject` (a subject hash: the table refuses
 * anything else). A row past its expiry is as absent: hidden, and replaced by a new save.
 */
export class PgPremiumCheckStore implements PremiumCheckRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly purpose: Pick<Purpose, 'id' | 'retention'>,
    private readonly clock: Clock = () => new Date(),
    private readonly env: RetentionOverrides = settings().retentionOverrides,
  ) {
    if (purpose.retention.kind === 'none') throw new RetentionError(`purpose ${purpose.id} may not store anything (${purpose.retention.source})`);
  }

  async save(check: StoredPremiumCheck): Promise<{ created: boolean; check: StoredPremiumCheck }> {
    const now = this.clock();
    const { checkId, checkedAt, scheme, employerEnterpriseNumber, workerSubject, month, ...result } = check;
    // Inserted unless a live row has the id (concurrent saves wait on the first and find its row).
    const inserted = await this.pool.query<PremiumCheckRow>(
      `INSERT INTO bcss.premium_checks (${COLUMNS}, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (check_id) DO UPDATE SET
         checked_at = EXCLUDED.checked_at, scheme = EXCLUDED.scheme, employer_enterprise_number = EXCLUDED.employer_enterprise_number,
         worker_subject = EXCLUDED.worker_subject, month = EXCLUDED.month, result = EXCLUDED.result, expires_at = EXCLUDED.expires_at
       WHERE bcss.premium_checks.expires_at <= $9
       RETURNING ${COLUMNS}`,
      [
        checkId,
        new Date(checkedAt),
        scheme,
        employerEnterpriseNumber,
        workerSubject,
        month,
        JSON.stringify(result),
        expiryOf(this.purpose, new Date(checkedAt), this.env),
        now,
      ],
    );
    if (inserted.rows[0]) return { created: true, check: toCheck(inserted.rows[0]) };
    const stored = await this.pool.query<PremiumCheckRow>(`SELECT ${COLUMNS} FROM bcss.premium_checks WHERE check_id = $1 AND expires_at > $2`, [checkId, now]);
    if (!stored.rows[0]) throw new Error(`premium check ${checkId} exists but cannot be read`);
    return { created: false, check: toCheck(stored.rows[0]) };
  }

  /** Deletes the checks past their retention at `now`. */
  purgeExpired(now: Date = this.clock()): Promise<{ table: string; deleted: number }> {
    return purgeExpiredRows(this.pool, 'bcss.premium_checks', now);
  }
}

const toCheck = (row: PremiumCheckRow): StoredPremiumCheck => ({
  checkId: row.check_id,
  checkedAt: row.checked_at.toISOString(),
  scheme: row.scheme,
  employerEnterpriseNumber: row.employer_enterprise_number,
  workerSubject: row.worker_subject,
  month: row.month,
  ...row.result,
});
