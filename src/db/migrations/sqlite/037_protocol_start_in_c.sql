-- A new trajectory's protocol (its template's steps and the first stay in its phase) is started by the store
-- in C (store/protocol.c: protocol_on_insert, called by every insert of a trajectory), on SQLite as on
-- PostgreSQL; migration 003's trigger, which did the same on SQLite only, goes.
DROP TRIGGER IF EXISTS trajectories_protocol_start;
