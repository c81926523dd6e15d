/*
 * users.c — see users.h. Tables users, sessions and organisations (migration 001).
 */
#include "store/users.h"

#include <string.h>

#include "db/rows.h"
#include "store/outbox.h"

/* ---- accounts ---- */

int user_create(Db *db, const NewUser *u, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO users (email, name, roles, org_id, side, function, password_hash, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, u->email);
  db_bind_text(st, 2, u->name);
  db_bind_int(st, 3, u->roles);
  if (u->org_id) db_bind_int(st, 4, u->org_id);
  else db_bind_null(st, 4);
  db_bind_text(st, 5, u->side);
  db_bind_text(st, 6, u->function);
  db_bind_text(st, 7, u->password_hash);
  db_bind_int(st, 8, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int user_find_by_email(Db *db, const char *email, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM users WHERE email = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The signed-in user's view of the current row of st, which selects uid, roles, name, email, lang, org_id,
 * side, org_kind and totp_secret, into *u (text in a). The one mapping of a users row into a User. */
static void user_from_row(Arena *a, Stmt *st, User *u) {
  u->id = db_int(st, "uid");
  u->roles = (unsigned)db_int(st, "roles");
  u->name = arena_strdup(a, db_text(st, "name"));
  u->email = arena_strdup(a, db_text(st, "email"));
  u->lang = arena_strdup(a, db_text(st, "lang"));
  u->org_id = db_int(st, "org_id");
  u->side = db_text_copy(a, st, "side");
  const char *kind = db_text(st, "org_kind");
  u->org_employer = kind && strcmp(kind, "employer") == 0;
  u->totp_enabled = !db_null(st, "totp_secret");
}

int user_load(Db *db, Arena *a, int64_t id, User **u) {
  *u = NULL;
  Stmt *st = db_prepare(db, "SELECT u.id AS uid, u.roles, u.name, u.email, u.lang, u.org_id, u.side, o.kind AS org_kind, "
                            "u.totp_secret FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *u = arena_alloc(a, sizeof **u);
    user_from_row(a, st, *u);
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int user_credentials(Db *db, Arena *a, const char *email, UserCredentials *out) {
  *out = (UserCredentials){0};
  Stmt *st = db_prepare(db, "SELECT id, roles, password_hash, active, locked, totp_secret FROM users WHERE email = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->id = db_int(st, "id");
    out->roles = (unsigned)db_int(st, "roles");
    out->password_hash = arena_strdup(a, db_text(st, "password_hash"));
    out->active = db_int(st, "active") != 0;
    out->locked = db_int(st, "locked") != 0;
    out->has_totp = !db_null(st, "totp_secret");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int user_password_hash(Db *db, Arena *a, int64_t id, const char **hash) {
  *hash = NULL;
  Stmt *st = db_prepare(db, "SELECT password_hash FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *hash = arena_strdup(a, db_text(st, "password_hash"));
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int user_set_password(Db *db, int64_t id, const char *hash, bool unlock) {
  Stmt *st = db_prepare(db, unlock ? "UPDATE users SET password_hash = ?, failed_logins = 0, locked = 0 WHERE id = ?"
                                   : "UPDATE users SET password_hash = ?, failed_logins = 0 WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, id);
  return db_run(st);
}

int user_login_failed(Db *db, int64_t id, int lock_after) {
  Stmt *st = db_prepare(db, "UPDATE users SET failed_logins = failed_logins + 1, "
                            "locked = CASE WHEN failed_logins + 1 >= ? THEN 1 ELSE locked END WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, lock_after);
  db_bind_int(st, 2, id);
  return db_run(st);
}

int user_login_succeeded(Db *db, int64_t id, int64_t now, bool reset) {
  Stmt *st = db_prepare(db, "UPDATE users SET last_login_at = ?, "
                            "failed_logins = CASE WHEN ? = 1 THEN 0 ELSE failed_logins END WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, reset ? 1 : 0);
  db_bind_int(st, 3, id);
  return db_run(st);
}

int user_set_lang(Db *db, int64_t id, const char *lang) {
  Stmt *st = db_prepare(db, "UPDATE users SET lang = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, lang);
  db_bind_int(st, 2, id);
  return db_run(st);
}

/* Runs st (an UPDATE of one account, its id already bound). DB_DONE when no row changed. */
static int update_one(Db *db, Stmt *st) {
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int user_set_active(Db *db, int64_t id, bool active) {
  Stmt *st = db_prepare(db, "UPDATE users SET active = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, active ? 1 : 0);
  db_bind_int(st, 2, id);
  return update_one(db, st);
}

int user_unlock(Db *db, int64_t id) {
  Stmt *st = db_prepare(db, "UPDATE users SET locked = 0, failed_logins = 0, totp_failures = 0 WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  return update_one(db, st);
}

int user_active_with_role(Db *db, int64_t id, unsigned role, bool *yes) {
  *yes = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM users WHERE id = ? AND active = 1 AND (roles & ?) <> 0");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, role);
  int rc = db_step(st);
  *yes = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The columns of a UserRecord, from users u joined with organisations o. */
#define USER_RECORD_COLUMNS                                                                                      \
  "u.id, u.name, u.email, u.roles, u.side, u.function, u.active, u.locked, u.failed_logins, "                    \
  "CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, "                                        \
  "CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS has_totp, u.totp_failures, u.created_at, "               \
  "u.last_login_at, o.name AS org_name FROM users u LEFT JOIN organisations o ON o.id = u.org_id "

/* The one mapping of a USER_RECORD_COLUMNS row into *out (text in a). */
static void record_from_row(Arena *a, Stmt *st, UserRecord *out) {
  out->id = db_int(st, "id");
  out->name = arena_strdup(a, db_text(st, "name"));
  out->email = arena_strdup(a, db_text(st, "email"));
  out->roles = (unsigned)db_int(st, "roles");
  out->side = arena_strdup(a, db_text(st, "side"));
  out->function = arena_strdup(a, db_text(st, "function"));
  out->org_name = arena_strdup(a, db_text(st, "org_name"));
  out->active = db_int(st, "active") != 0;
  out->locked = db_int(st, "locked") != 0;
  out->has_password = db_int(st, "has_password") != 0;
  out->has_totp = db_int(st, "has_totp") != 0;
  out->failed_logins = db_int(st, "failed_logins");
  out->totp_failures = db_int(st, "totp_failures");
  out->created_at = db_int(st, "created_at");
  out->last_login_at = db_null(st, "last_login_at") ? 0 : db_int(st, "last_login_at");
}

int user_record(Db *db, Arena *a, int64_t id, UserRecord *out) {
  *out = (UserRecord){0};
  Stmt *st = db_prepare(db, "SELECT " USER_RECORD_COLUMNS "WHERE u.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) record_from_row(a, st, out);
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Maps a user row into the UserRecord at p. */
static void record_map(Arena *a, Stmt *st, void *p) { record_from_row(a, st, p); }

/* Steps st to its end, mapping every row into an arena array (*out, *n). */
static int records_collect(Arena *a, Stmt *st, UserRecord **out, size_t *n) {
  int got, rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, record_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

/* The LIKE pattern that matches q as a literal substring with ESCAPE '\' (arena a). */
static const char *like_substring(Arena *a, const char *q) {
  char *p = arena_alloc(a, 2 * strlen(q) + 3), *o = p;
  *o++ = '%';
  for (const char *s = q; *s; s++) {
    if (*s == '%' || *s == '_' || *s == '\\') *o++ = '\\';
    *o++ = *s;
  }
  *o++ = '%';
  *o = '\0';
  return p;
}

/* The search condition of users_count and users_search: three parameters (q, pattern, pattern). */
#define USERS_MATCH                                                                                              \
  "WHERE ? = '' OR LOWER(u.name) LIKE LOWER(?) ESCAPE '\\' OR LOWER(u.email) LIKE LOWER(?) ESCAPE '\\' "

int users_count(Db *db, Arena *a, const char *q, int64_t *n) {
  *n = 0;
  const char *like = like_substring(a, q);
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM users u " USERS_MATCH);
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, q);
  db_bind_text(st, 2, like);
  db_bind_text(st, 3, like);
  int rc = db_step(st);
  if (rc == DB_ROW) *n = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int users_search(Db *db, Arena *a, const char *q, int64_t limit, int64_t offset, UserRecord **out, size_t *n) {
  *out = NULL;
  *n = 0;
  const char *like = like_substring(a, q);
  Stmt *st = db_prepare(db, "SELECT " USER_RECORD_COLUMNS USERS_MATCH "ORDER BY LOWER(u.name), u.id LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, q);
  db_bind_text(st, 2, like);
  db_bind_text(st, 3, like);
  db_bind_int(st, 4, limit);
  db_bind_int(st, 5, offset);
  return records_collect(a, st, out, n);
}

int users_all(Db *db, Arena *a, UserRecord **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT " USER_RECORD_COLUMNS "ORDER BY u.id");
  if (!st) return DB_ERROR;
  return records_collect(a, st, out, n);
}

/* ---- sessions ---- */

int session_row_insert(Db *db, const char *token_hash, int64_t user_id, const char *csrf, bool mfa_ok, int64_t now) {
  Stmt *st = db_prepare(db, "INSERT INTO sessions (token_hash, user_id, csrf, mfa_ok, created_at, last_seen) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, token_hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, csrf);
  db_bind_int(st, 4, mfa_ok);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, now);
  return db_run(st);
}

int session_row_find(Db *db, Arena *a, const char *token_hash, SessionRow *out) {
  *out = (SessionRow){0};
  Stmt *st = db_prepare(db, "SELECT s.id AS sid, s.csrf, s.mfa_ok, s.created_at, s.last_seen, u.active, "
                            " u.id AS uid, u.roles, u.name, u.email, u.lang, u.org_id, u.side, o.kind AS org_kind, u.totp_secret "
                            "FROM sessions s JOIN users u ON u.id = s.user_id "
                            "LEFT JOIN organisations o ON o.id = u.org_id WHERE s.token_hash = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, token_hash);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->session.id = db_int(st, "sid");
    out->session.csrf = arena_strdup(a, db_text(st, "csrf"));
    out->session.mfa_ok = db_int(st, "mfa_ok") != 0;
    out->session.created_at = db_int(st, "created_at");
    out->last_seen = db_int(st, "last_seen");
    out->user_active = db_int(st, "active") != 0;
    user_from_row(a, st, &out->user);
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int session_row_touch(Db *db, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE sessions SET last_seen = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_run(st);
}

int session_row_delete(Db *db, int64_t id) {
  Stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  return db_run(st);
}

int session_rows_delete_user(Db *db, int64_t user_id) {
  Stmt *st = db_prepare(db, "DELETE FROM sessions WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  return db_run(st);
}

/* ---- organisations ---- */

/* Maps a row (id, name, kind, active and, for org_counted_map, user_count) into the Organisation at p. */
static void org_map(Arena *a, Stmt *st, void *p) {
  *(Organisation *)p = (Organisation){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                      .kind = db_text_copy(a, st, "kind"), .active = db_int(st, "active") != 0};
}
static void org_counted_map(Arena *a, Stmt *st, void *p) {
  org_map(a, st, p);
  ((Organisation *)p)->user_count = db_int(st, "user_count");
}

/* Steps st (id, name, kind, active and, with counted, user_count) to its end into an arena array. */
static int orgs_collect(Arena *a, Stmt *st, bool counted, Organisation **out, size_t *n) {
  int got, rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, counted ? org_counted_map : org_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

int orgs_all(Db *db, Arena *a, Organisation **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT o.id, o.name, o.kind, o.active, "
                            "(SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS user_count "
                            "FROM organisations o ORDER BY LOWER(o.name), o.id");
  if (!st) return DB_ERROR;
  return orgs_collect(a, st, true, out, n);
}

int orgs_active(Db *db, Arena *a, Organisation **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id, name, kind, active FROM organisations WHERE active = 1 "
                            "ORDER BY LOWER(name), id");
  if (!st) return DB_ERROR;
  return orgs_collect(a, st, false, out, n);
}

int org_active_kind(Db *db, Arena *a, int64_t id, const char **kind) {
  *kind = NULL;
  Stmt *st = db_prepare(db, "SELECT kind FROM organisations WHERE id = ? AND active = 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *kind = arena_strdup(a, db_text(st, "kind"));
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int org_create(Db *db, const char *name, const char *kind, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM organisations WHERE LOWER(name) = LOWER(?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, name);
  int rc = db_step(st);
  db_done(st);
  if (rc == DB_ROW) return DB_CONSTRAINT;
  if (rc != DB_DONE) return rc;
  st = db_prepare(db, "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, kind);
  db_bind_int(st, 3, now);
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int org_set_active(Db *db, int64_t id, bool active) {
  Stmt *st = db_prepare(db, "UPDATE organisations SET active = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, active ? 1 : 0);
  db_bind_int(st, 2, id);
  return update_one(db, st);
}

/* ---- reaching the coach, and mails about new messages (issue 12, part 5) ---- */

static void bind_opt_text(Stmt *st, int i, const char *s) {
  if (s && *s) db_bind_text(st, i, s);
  else db_bind_null(st, i);
}

int user_set_work_contact(Db *db, int64_t id, const char *phone, const char *email) {
  Stmt *st = db_prepare(db, "UPDATE users SET work_phone = ?, work_email = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  bind_opt_text(st, 1, phone);
  bind_opt_text(st, 2, email);
  db_bind_int(st, 3, id);
  return update_one(db, st);
}

/* Maps a row (id, name, work_phone, work_email) into the WorkContact at p. */
static void work_contact_map(Arena *a, Stmt *st, void *p) {
  *(WorkContact *)p = (WorkContact){.user_id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                    .phone = db_text_copy(a, st, "work_phone"),
                                    .email = db_text_copy(a, st, "work_email")};
}

int user_work_contact(Db *db, Arena *a, int64_t id, WorkContact *out) {
  *out = (WorkContact){0};
  Stmt *st = db_prepare(db, "SELECT id, name, work_phone, work_email FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) work_contact_map(a, st, out);
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int trajectory_coach_contacts(Db *db, Arena *a, int64_t tid, int max, WorkContact **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, u.work_phone, u.work_email FROM trajectory_coaches tc "
                            "JOIN users u ON u.id = tc.user_id WHERE tc.trajectory_id = ? ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, work_contact_map, n, &rc);
  return rc;
}

int user_message_mail(Db *db, int64_t id, const char **pref) {
  *pref = "immediately";
  Stmt *st = db_prepare(db, "SELECT message_mail FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    const char *v = db_text(st, "message_mail");
    *pref = v && strcmp(v, "daily") == 0 ? "daily" : v && strcmp(v, "never") == 0 ? "never" : "immediately";
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int user_set_message_mail(Db *db, int64_t id, const char *pref) {
  Stmt *st = db_prepare(db, "UPDATE users SET message_mail = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, pref);
  db_bind_int(st, 2, id);
  return update_one(db, st);
}

int user_message_mail_due(Db *db, int64_t id, int64_t now, bool *due) {
  *due = false;
  const char *pref;
  int rc = user_message_mail(db, id, &pref);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_OK) return rc;
  if (strcmp(pref, "never") == 0) return DB_OK;
  if (strcmp(pref, "immediately") == 0) {
    *due = true;
    return DB_OK;
  }
  bool recent;
  rc = outbox_message_since(db, id, now - 86400, &recent);
  if (rc == DB_OK) *due = !recent;
  return rc;
}

/* Maps a row's id into the int64_t at p. */
static void id_map(Arena *a, Stmt *st, void *p) {
  (void)a;
  *(int64_t *)p = db_int(st, "id");
}

int meeting_attendee_accounts(Db *db, Arena *a, int64_t mid, int max, int64_t **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db,
                        "SELECT u.id FROM meeting_attendees ma JOIN network_members m ON m.id = ma.member_id "
                        "JOIN users u ON u.id = m.user_id WHERE ma.meeting_id = ? AND m.removed_at IS NULL "
                        "AND u.active = 1 "
                        "UNION SELECT u.id FROM meeting_attendees ma JOIN meetings g ON g.id = ma.meeting_id "
                        "JOIN trajectories t ON t.id = g.trajectory_id JOIN participants p ON p.id = t.participant_id "
                        "JOIN users u ON u.id = p.user_id WHERE ma.meeting_id = ? AND ma.member_id IS NULL "
                        "AND u.active = 1 ORDER BY 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  db_bind_int(st, 2, mid);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, id_map, n, &rc);
  return rc;
}
