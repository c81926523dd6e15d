-- 018: a database copy holds no usable one-time link; the access log drops an index nothing reads.
--
-- A live link keeps its token so that its creator can be shown the same link again (migration 011). From
-- here on one_time_links.token holds it only sealed (libsodium secretbox under a key derived from the
-- access log's chain key file, which is kept outside the database: auth/links.c), so reading the database
-- or a backup of it no longer gives a link that works. Tokens kept in plain text before this migration are
-- cleared rather than sealed (a migration has no access to the key): those links still work for whoever
-- holds them, but their creator is no longer shown them again; asking again gives a new link that replaces
-- the creator's own (for an invitation) or every earlier one (for a reset).
UPDATE one_time_links SET token = NULL WHERE token IS NOT NULL;

-- access_log_user (user_id, at) served no query: the participant's view reads by participant
-- (access_log_participant), the log officer's by id; each entry paid for keeping it up to date.
DROP INDEX access_log_user;
