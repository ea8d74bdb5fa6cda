-- Up Migration
-- The container runtime's schema starts here; each port's tables follow in their own migration.
CREATE SCHEMA IF NOT EXISTS bcss;

-- Down Migration
DROP SCHEMA IF EXISTS bcss;
