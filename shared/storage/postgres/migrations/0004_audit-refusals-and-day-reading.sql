-- Up Migration
-- The route of an HTTP access (`GET /v1/…`), as DynamoDB's records keep it.
ALTER TABLE bcss.audit_records ADD COLUMN route text;

-- An investigator's reading of one purpose's day, in the order written: (purpose, at, id).
CREATE INDEX audit_records_by_purpose_day ON bcss.audit_records (purpose, at, id);

-- Refusals before any principal is known (no token, a bad one): one row per purpose, route,
-- status, reason code and minute, counted (INSERT … ON CONFLICT DO UPDATE count = count + 1),
-- instead of one row per request: a flood of 401s cannot flood the trail. No subject, no
-- organisation, no address: a sample of request ids (the first and the last) to find them in the logs.
CREATE TABLE bcss.audit_refusals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  minute timestamptz NOT NULL CHECK (date_trunc('minute', minute) = minute),
  purpose text NOT NULL,
  deliberation text NOT NULL,
  route text NOT NULL,
  status integer NOT NULL,
  code text NOT NULL,
  actor_role text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('DENIED', 'FAILED')),
  count integer NOT NULL CHECK (count > 0),
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  first_request_id text NOT NULL,
  last_request_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  -- What ON CONFLICT counts by; in this order, it is also the day reading's index.
  UNIQUE (purpose, minute, route, status, code)
);
CREATE INDEX audit_refusals_expires_at ON bcss.audit_refusals (expires_at);

-- Down Migration
DROP TABLE IF EXISTS bcss.audit_refusals;
DROP INDEX IF EXISTS bcss.audit_records_by_purpose_day;
ALTER TABLE bcss.audit_records DROP COLUMN IF EXISTS route;
