-- Up Migration
-- A claim still RECEIVED that cannot be decided yet (a school year without published
-- figures) keeps why (`waiting_for`: code, since, attempts, next attempt) and when the
-- sweeper takes it again (`next_attempt_at`, exponential back-off). A row without them (every
-- row before this migration) was never postponed: due for the sweeper as before.
ALTER TABLE bcss.claims ADD COLUMN waiting_for jsonb;
ALTER TABLE bcss.claims ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE bcss.claims ADD CONSTRAINT claims_waiting_for_received
  CHECK ((waiting_for IS NULL AND next_attempt_at IS NULL) OR (status = 'RECEIVED' AND waiting_for IS NOT NULL AND next_attempt_at IS NOT NULL));

-- The sweeper: the claims never postponed by submission (a message lost), and the postponed
-- ones per school year by their next attempt (all of a school year once its figures are in force).
DROP INDEX bcss.claims_waiting;
CREATE INDEX claims_waiting ON bcss.claims (submitted_at, claim_id) WHERE status = 'RECEIVED' AND next_attempt_at IS NULL;
CREATE INDEX claims_postponed ON bcss.claims (school_year, next_attempt_at, claim_id) WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL;

-- Down Migration
DROP INDEX bcss.claims_postponed;
DROP INDEX bcss.claims_waiting;
CREATE INDEX claims_waiting ON bcss.claims (submitted_at, claim_id) WHERE status = 'RECEIVED';
ALTER TABLE bcss.claims DROP CONSTRAINT claims_waiting_for_received;
ALTER TABLE bcss.claims DROP COLUMN next_attempt_at;
ALTER TABLE bcss.claims DROP COLUMN waiting_for;
