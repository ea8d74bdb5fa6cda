-- Up Migration
-- Training-leave claims (19/038) and the ledger of hours approved across claims, for the
-- container runtime (shared/storage/postgres/claims.ts). No column holds a NISS: a claim
-- keeps its worker's subject hash and the NISS sealed for that claim; the ledger is keyed
-- by the subject hash (with its key version).

CREATE TABLE bcss.claims (
  -- Byte order ("C"), as DynamoDB orders keys: lists and cursors tie-break on it.
  claim_id text COLLATE "C" PRIMARY KEY,
  employer_enterprise_number text NOT NULL,
  worker_subject text NOT NULL,
  worker_niss_sealed text NOT NULL,
  school_year text NOT NULL,
  training jsonb NOT NULL,
  hours_by_month jsonb NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('RECEIVED', 'DECIDED', 'WITHDRAWN')),
  submitted_at timestamptz NOT NULL,
  decision jsonb,
  corrections jsonb,
  withdrawn_at timestamptz,
  -- Set while the decision is provisional: the day after which it is settled (its training's end, at most the school year's).
  settle_on date,
  -- Retention (10 years from the submission, renewed from the decision): reads hide rows past it, the purge deletes them.
  expires_at timestamptz NOT NULL,
  CHECK (settle_on IS NULL OR status = 'DECIDED')
);

-- Lists, newest first: an employer's own, and all of them for the DWSE teams; with a status or school-year filter.
CREATE INDEX claims_by_employer ON bcss.claims (employer_enterprise_number, submitted_at DESC, claim_id DESC);
CREATE INDEX claims_by_time ON bcss.claims (submitted_at DESC, claim_id DESC);
CREATE INDEX claims_by_employer_status ON bcss.claims (employer_enterprise_number, status, submitted_at DESC, claim_id DESC);
CREATE INDEX claims_by_employer_school_year ON bcss.claims (employer_enterprise_number, school_year, submitted_at DESC, claim_id DESC);
CREATE INDEX claims_by_status ON bcss.claims (status, submitted_at DESC, claim_id DESC);
CREATE INDEX claims_by_school_year ON bcss.claims (school_year, submitted_at DESC, claim_id DESC);
-- The sweeper reads only the claims still waiting, the settlement only the provisional ones.
CREATE INDEX claims_waiting ON bcss.claims (submitted_at, claim_id) WHERE status = 'RECEIVED';
CREATE INDEX claims_to_settle ON bcss.claims (settle_on, claim_id) WHERE settle_on IS NOT NULL;
CREATE INDEX claims_expiry ON bcss.claims (expires_at);

CREATE TABLE bcss.ledger (
  -- The worker's subject hash, `<key version>:<hex>`: a bound has one row per key version that posted to it.
  subject text NOT NULL,
  bound text NOT NULL CHECK (bound IN ('SCHOOL_YEAR', 'TRAINING', 'QUARTER')),
  -- The school year, the training id, or the quarter.
  scope text NOT NULL,
  -- The claiming employer for a quarter (code-5 hours are declared per employer); '' for the other bounds.
  employer text NOT NULL DEFAULT '' CHECK ((bound = 'QUARTER') = (employer <> '')),
  approved_hundredths integer NOT NULL CHECK (approved_hundredths >= 0),
  -- The limit last posted against; for a school year, the maximum its first approving decision set.
  limit_hundredths integer,
  claim_ids text[] NOT NULL DEFAULT '{}',
  last_decided_at timestamptz NOT NULL,
  -- 10 years after the last posting.
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (subject, bound, scope, employer)
);

CREATE INDEX ledger_expiry ON bcss.ledger (expires_at);

-- Down Migration
DROP TABLE IF EXISTS bcss.ledger;
DROP TABLE IF EXISTS bcss.claims;
