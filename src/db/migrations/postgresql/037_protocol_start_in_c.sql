-- PostgreSQL never had migration 003's trigger (src/db/pgddl.c leaves it out): nothing to drop. The statement
-- keeps the migration's number in the schema's history.
SELECT 1;
