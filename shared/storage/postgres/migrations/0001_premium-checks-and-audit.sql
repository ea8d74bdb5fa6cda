-- Up Migration
-- Premium checks (05/012) and the audit trail, as the DynamoDB tables keep them: no NISS,
-- the person only as a subject hash `<key version>:<hex>` (checked below, so a NISS put
-- there by mistake is refused), every row with the expiry its purpose gives it.

CREATE TABLE bcss.premium_checks (
  check_id text PRIMARY KEY,
  checked_at timestamptz NOT NULL,
  scheme text NOT NULL CHECK (scheme IN ('ACS', 'PTP')),
  employer_enterprise_number text NOT NULL,
  worker_subject text NOT NULL CHECK (worker_subject ~ '^[A-Za-z0-9_-]{1,32}:[0-9a-f]{64}$'),
  month text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  -- The outcome, the amounts and the findings, as the check answered them.
  result jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The purge's scan: past expiry first.
CREATE INDEX premium_checks_expires_at ON bcss.premium_checks (expires_at);

CREATE TABLE bcss.audit_records (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  purpose text NOT NULL,
  deliberation text NOT NULL,
  request_id text NOT NULL,
  actor_role text NOT NULL,
  actor_organisation text,
  outcome text NOT NULL CHECK (outcome IN ('ALLOWED', 'DENIED', 'FAILED')),
  status integer,
  code text,
  subject_hash text CHECK (subject_hash ~ '^[A-Za-z0-9_-]{1,32}:[0-9a-f]{64}$'),
  sources text[],
  -- A list's disclosure of this subject (a page of claims), rather than an access to them alone.
  listed boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL
);

-- The access log: one subject's records, newest first, a page after (at, id).
CREATE INDEX audit_records_by_subject ON bcss.audit_records (subject_hash, at DESC, id DESC) WHERE subject_hash IS NOT NULL;
CREATE INDEX audit_records_expires_at ON bcss.audit_records (expires_at);

-- Down Migration
DROP TABLE IF EXISTS bcss.audit_records;
DROP TABLE IF EXISTS bcss.premium_checks;
