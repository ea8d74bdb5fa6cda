-- Up Migration
-- Every filter of the claim lists served by an index that leads with it, in the lists' order
-- (newest first): 0002 has employer, employer + status, employer + school year, status and
-- school year; these are the two combinations left, status + school year (DWSE) and all
-- three (an employer's, or DWSE naming one). A page then reads the rows it returns.
CREATE INDEX IF NOT EXISTS claims_by_school_year_status ON bcss.claims (school_year, status, submitted_at DESC, claim_id DESC);
CREATE INDEX IF NOT EXISTS claims_by_employer_school_year_status ON bcss.claims (employer_enterprise_number, school_year, status, submitted_at DESC, claim_id DESC);

-- Down Migration
DROP INDEX IF EXISTS bcss.claims_by_employer_school_year_status;
DROP INDEX IF EXISTS bcss.claims_by_school_year_status;
