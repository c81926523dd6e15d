-- 013: the access log's chain is keyed from here on (issue 9). Entries written before this migration keep
-- their unkeyed hash and are verified as before; from keyed_from on, each entry's hash is BLAKE2b keyed
-- with the 32-byte key kept outside the database (setting audit_key_file) and takes keyed_from in too,
-- and the head of the chain is sealed outside the database (audit_seal_file, with a MAC under the key).
-- keyed_from is the id the next entry gets: 1 for a new database. One row.
CREATE TABLE audit_chain (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  keyed_from BIGINT NOT NULL CHECK (keyed_from >= 1)
);
INSERT INTO audit_chain (id, keyed_from) SELECT 1, COALESCE(MAX(id), 0) + 1 FROM access_log;
