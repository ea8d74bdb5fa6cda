-- Up Migration
-- Per ledger bound its decision posted to, the row's subject (a keyed hash): a withdrawal
-- releases a provisional decision's hours by these, without opening the worker's NISS.
ALTER TABLE bcss.claims ADD COLUMN ledger_items jsonb;

-- Down Migration
ALTER TABLE bcss.claims DROP COLUMN ledger_items;
