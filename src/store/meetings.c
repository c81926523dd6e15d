/*
 * meetings.c — see meetings.h. The row of a meeting is mapped in one place (meeting_from_row); whether a user
 * attends is written once as SQL (ATTENDS).
 */
#include "store/meetings.h"

#include <string.h>

#include "store/items.h"
#include "store/visibility.h"

const char *const meeting_kinds[] = {"consultation", "evaluation", "intake", "jobcoaching", "other", NULL};
const char *const meeting_modes[] = {"individual", "group", "online", "phone", NULL};

/* SQL condition: the meeting_attendees row aliased `a` is the signed-in user — the account of a live network
 * member, or the participant's account. Two parameters: the user id, twice. */
#define ATTENDS(a)                                                                                           \
  "((" a ".member_id IS NOT NULL AND EXISTS (SELECT 1 FROM network_members xm WHERE xm.id = " a ".member_id" \
  "   AND xm.user_id = ? AND xm.removed_at IS NULL))"                                                        \
  " OR (" a ".member_id IS NULL AND EXISTS (SELECT 1 FROM meetings xg JOIN trajectories xt"                   \
  "   ON xt.id = xg.trajectory_id JOIN participants xp ON xp.id = xt.participant_id"                          \
  "   WHERE xg.id = " a ".meeting_id AND xp.user_id = ?)))"

/* SQL condition: meeting `g` may be seen: the first parameter is 1 (the reader sees all), or the reader
 * attends. Three parameters: all, user id, user id. */
#define MEETING_VISIBLE                                                                                      \
  "(? = 1 OR EXISTS (SELECT 1 FROM meeting_attendees va WHERE va.meeting_id = g.id AND " ATTENDS("va") "))"

#define MEETING_COLUMNS                                                                                      \
  "SELECT g.id, g.trajectory_id, g.kind, g.mode, g.starts_at, g.duration_minutes, g.place, g.video_url, "     \
  "g.agenda, g.created_by, g.created_at, g.sequence, g.cancelled_at FROM meetings g "

static Meeting meeting_from_row(Arena *a, Stmt *st) {
  const char *place = db_text_copy(a, st, "place"), *video = db_text_copy(a, st, "video_url"),
             *agenda = db_text_copy(a, st, "agenda");
  return (Meeting){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                   .starts_at = db_int(st, "starts_at"), .minutes = db_int(st, "duration_minutes"),
                   .created_by = db_int(st, "created_by"), .created_at = db_int(st, "created_at"),
                   .sequence = db_int(st, "sequence"),
                   .cancelled_at = db_null(st, "cancelled_at") ? 0 : db_int(st, "cancelled_at"),
                   .kind = db_text_copy(a, st, "kind"), .mode = db_text_copy(a, st, "mode"),
                   .place = place ? place : "", .video_url = video ? video : "", .agenda = agenda ? agenda : ""};
}

static int bind_visible(Stmt *st, int i, const User *u, bool all) {
  db_bind_int(st, i++, all ? 1 : 0);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id);
  return i;
}

/* Binds text s, or NULL for "". */
static void bind_opt(Stmt *st, int i, const char *s) {
  if (s && *s) db_bind_text(st, i, s);
  else db_bind_null(st, i);
}

static int attendee_add(Db *db, int64_t mid, int64_t member_id) {
  Stmt *st = db_prepare(db, "INSERT INTO meeting_attendees (meeting_id, member_id) VALUES (?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  if (member_id) db_bind_int(st, 2, member_id);
  else db_bind_null(st, 2);
  return db_run(st);
}

int meeting_create(Db *db, const MeetingNew *n, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, place, "
                            "video_url, agenda, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, n->trajectory_id);
  db_bind_text(st, 2, n->kind);
  db_bind_text(st, 3, n->mode);
  db_bind_int(st, 4, n->starts_at);
  db_bind_int(st, 5, n->minutes);
  bind_opt(st, 6, n->place);
  bind_opt(st, 7, n->video_url);
  bind_opt(st, 8, n->agenda);
  db_bind_int(st, 9, n->created_by);
  db_bind_int(st, 10, n->created_at);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  if (n->with_participant && (rc = attendee_add(db, *id, 0)) != DB_OK) return rc;
  for (int i = 0; i < n->nmembers; i++)
    if ((rc = attendee_add(db, *id, n->members[i])) != DB_OK) return rc;
  return DB_OK;
}

/* Runs st (one id parameter bound already) and reports how many rows changed into *changed. */
static int run_counted(Db *db, Stmt *st, int64_t *changed) {
  int rc = db_run(st);
  *changed = rc == DB_OK ? db_changes(db) : 0;
  return rc;
}

int meeting_update(Db *db, int64_t mid, const MeetingNew *n) {
  /* a new time asks every kept attendee to answer again (RFC 5546: PARTSTAT back to NEEDS-ACTION) */
  Stmt *st = db_prepare(db, "UPDATE meeting_attendees SET response = 'pending', responded_at = NULL "
                            "WHERE meeting_id = ? AND EXISTS (SELECT 1 FROM meetings g WHERE g.id = ? "
                            "AND g.cancelled_at IS NULL AND (g.starts_at <> ? OR g.duration_minutes <> ?))");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  db_bind_int(st, 2, mid);
  db_bind_int(st, 3, n->starts_at);
  db_bind_int(st, 4, n->minutes);
  int rc0 = db_run(st);
  if (rc0 != DB_OK) return rc0;
  st = db_prepare(db, "UPDATE meetings SET kind = ?, mode = ?, starts_at = ?, duration_minutes = ?, place = ?, "
                            "video_url = ?, agenda = ?, sequence = sequence + 1 WHERE id = ? AND cancelled_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, n->kind);
  db_bind_text(st, 2, n->mode);
  db_bind_int(st, 3, n->starts_at);
  db_bind_int(st, 4, n->minutes);
  bind_opt(st, 5, n->place);
  bind_opt(st, 6, n->video_url);
  bind_opt(st, 7, n->agenda);
  db_bind_int(st, 8, mid);
  int64_t changed;
  int rc = run_counted(db, st, &changed);
  if (rc != DB_OK) return rc;
  if (!changed) return DB_DONE;
  /* the attendees: the participant's row, then each member's, removed or added as n says */
  st = db_prepare(db, "SELECT id, member_id FROM meeting_attendees WHERE meeting_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  enum { MAX = 256 };
  int64_t have_id[MAX], have_member[MAX];
  int nh = 0;
  while ((rc = db_step(st)) == DB_ROW && nh < MAX) {
    have_id[nh] = db_int(st, "id");
    have_member[nh++] = db_null(st, "member_id") ? 0 : db_int(st, "member_id");
  }
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return rc;
  for (int i = 0; i < nh; i++) {
    bool keep = have_member[i] == 0 ? n->with_participant : false;
    for (int j = 0; j < n->nmembers && !keep; j++) keep = have_member[i] == n->members[j];
    if (keep) continue;
    st = db_prepare(db, "DELETE FROM meeting_attendees WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, have_id[i]);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  bool had_participant = false;
  for (int i = 0; i < nh; i++) had_participant |= have_member[i] == 0;
  if (n->with_participant && !had_participant && (rc = attendee_add(db, mid, 0)) != DB_OK) return rc;
  for (int j = 0; j < n->nmembers; j++) {
    bool had = false;
    for (int i = 0; i < nh && !had; i++) had = have_member[i] == n->members[j];
    if (!had && (rc = attendee_add(db, mid, n->members[j])) != DB_OK) return rc;
  }
  return DB_OK;
}

int meeting_cancel(Db *db, int64_t mid, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE meetings SET cancelled_at = ?, sequence = sequence + 1 WHERE id = ? "
                            "AND cancelled_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, mid);
  int64_t changed;
  int rc = run_counted(db, st, &changed);
  return rc == DB_OK && !changed ? DB_DONE : rc;
}

int meetings_visible(Db *db, Arena *a, const User *u, int64_t tid, bool all, int max, Meeting **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, MEETING_COLUMNS "WHERE g.trajectory_id = ? AND " MEETING_VISIBLE
                                            " ORDER BY g.starts_at, g.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, bind_visible(st, 2, u, all), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = meeting_from_row(a, st);
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int meeting_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t mid, bool all, Meeting *out) {
  Stmt *st = db_prepare(db, MEETING_COLUMNS "WHERE g.id = ? AND g.trajectory_id = ? AND " MEETING_VISIBLE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  db_bind_int(st, 2, tid);
  bind_visible(st, 3, u, all);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = meeting_from_row(a, st);
  db_done(st);
  return rc;
}

int meeting_trajectory(Db *db, int64_t mid, int64_t *tid) {
  *tid = 0;
  Stmt *st = db_prepare(db, "SELECT trajectory_id FROM meetings WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  int rc = db_step(st);
  if (rc == DB_ROW) *tid = db_int(st, "trajectory_id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int meeting_attendees(Db *db, Arena *a, const User *u, int64_t mid, Attendee **out, int *n) {
  enum { MAX = 64 };
  *n = 0;
  *out = arena_alloc(a, sizeof **out * MAX);
  Stmt *st = db_prepare(db,
      "SELECT at.id, at.member_id, at.response, "
      "CASE WHEN at.member_id IS NULL THEN p.first_name || ' ' || p.last_name "
      "     WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS name, "
      "CASE WHEN " ATTENDS("at") " THEN 1 ELSE 0 END AS me "
      "FROM meeting_attendees at JOIN meetings g ON g.id = at.meeting_id "
      "JOIN trajectories t ON t.id = g.trajectory_id JOIN participants p ON p.id = t.participant_id "
      "LEFT JOIN network_members m ON m.id = at.member_id "
      "WHERE at.meeting_id = ? ORDER BY CASE WHEN at.member_id IS NULL THEN 0 ELSE 1 END, at.id LIMIT ?");
  if (!st) return DB_ERROR;
  int i = policy_bind_member_filter(st, 1, u);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, mid);
  db_bind_int(st, i, MAX);
  int rc = DB_DONE;
  while (*n < MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (Attendee){.id = db_int(st, "id"),
                                .member_id = db_null(st, "member_id") ? 0 : db_int(st, "member_id"),
                                .participant = db_null(st, "member_id"),
                                .name = db_text_copy(a, st, "name"),
                                .response = db_text_copy(a, st, "response"),
                                .me = db_int(st, "me") == 1};
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int meeting_respond(Db *db, const User *u, int64_t mid, const char *response, int64_t now, int64_t *changed) {
  *changed = 0;
  Stmt *st = db_prepare(db, "UPDATE meeting_attendees SET response = ?, responded_at = ? WHERE meeting_id = ? AND "
                            "id IN (SELECT at.id FROM meeting_attendees at WHERE at.meeting_id = ? AND "
                            ATTENDS("at") ")");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, response);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, mid);
  db_bind_int(st, 4, mid);
  db_bind_int(st, 5, u->id);
  db_bind_int(st, 6, u->id);
  int rc = db_run(st);
  if (rc == DB_OK) *changed = db_changes(db);
  return rc;
}

int meeting_minutes_add(Db *db, int64_t mid, const ItemNew *item, int64_t *id) {
  int rc = item_create(db, item, id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO meeting_minutes (item_id, meeting_id) VALUES (?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, mid);
  return db_run(st);
}

int meeting_minutes_visible(Db *db, Arena *a, const User *u, int64_t mid, const char *today, int max, Note **out,
                            int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db,
      "SELECT i.id, i.title, i.body, i.category, i.created_at, i.source_member_id, "
      "CASE WHEN " POLICY_SQL_USER_VISIBLE("i.author_id", "i.trajectory_id") " THEN u.name END AS author, "
      "CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS source_name "
      "FROM meeting_minutes mm JOIN items i ON i.id = mm.item_id JOIN users u ON u.id = i.author_id "
      "LEFT JOIN network_members m ON m.id = i.source_member_id "
      "WHERE mm.meeting_id = ? AND i.kind = 'minutes' AND " POLICY_SQL_ITEM_VISIBLE
      " ORDER BY i.created_at, i.id LIMIT ?");
  if (!st) return DB_ERROR;
  int i = policy_bind_member_filter(st, policy_bind_user_filter(st, 1, u), u);
  db_bind_int(st, i++, mid);
  i = policy_bind_item_filter(st, i, u, today);
  db_bind_int(st, i, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (Note){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                            .title = db_text_copy(a, st, "title"), .body = db_text_copy(a, st, "body"),
                            .category = db_text_copy(a, st, "category"), .author = db_text_copy(a, st, "author"),
                            .source_name = db_text_copy(a, st, "source_name"),
                            .source_member = !db_null(st, "source_member_id")};
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int calendar_token_revoke(Db *db, int64_t uid, int64_t now, int64_t *changed) {
  *changed = 0;
  Stmt *st = db_prepare(db, "UPDATE calendar_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, uid);
  int rc = db_run(st);
  if (rc == DB_OK) *changed = db_changes(db);
  return rc;
}

int calendar_token_set(Db *db, int64_t uid, const char *token_hash, int64_t now) {
  int64_t changed;
  int rc = calendar_token_revoke(db, uid, now, &changed);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  db_bind_text(st, 2, token_hash);
  db_bind_int(st, 3, now);
  return db_run(st);
}

int calendar_token_live(Db *db, int64_t uid, int64_t *since) {
  *since = 0;
  Stmt *st = db_prepare(db, "SELECT MAX(created_at) AS since FROM calendar_tokens "
                            "WHERE user_id = ? AND revoked_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  int rc = db_step(st);
  if (rc == DB_ROW && !db_null(st, "since")) *since = db_int(st, "since");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int calendar_token_user(Db *db, const char *token_hash, int64_t *uid) {
  *uid = 0;
  Stmt *st = db_prepare(db, "SELECT c.user_id FROM calendar_tokens c JOIN users u ON u.id = c.user_id "
                            "WHERE c.token_hash = ? AND c.revoked_at IS NULL AND u.active = 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, token_hash);
  int rc = db_step(st);
  if (rc == DB_ROW) *uid = db_int(st, "user_id");
  db_done(st);
  return rc;
}

int calendar_meetings(Db *db, Arena *a, int64_t uid, int64_t from, int max, Meeting **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db,
      "SELECT g.id, g.trajectory_id, g.starts_at, g.duration_minutes, g.sequence, g.cancelled_at FROM meetings g "
      "WHERE g.starts_at >= ? AND "
      "(EXISTS (SELECT 1 FROM trajectory_coaches c WHERE c.trajectory_id = g.trajectory_id AND c.user_id = ?) "
      " OR EXISTS (SELECT 1 FROM meeting_attendees va WHERE va.meeting_id = g.id AND " ATTENDS("va") ")) "
      "ORDER BY g.starts_at, g.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, from);
  db_bind_int(st, 2, uid);
  db_bind_int(st, 3, uid);
  db_bind_int(st, 4, uid);
  db_bind_int(st, 5, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (Meeting){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                               .starts_at = db_int(st, "starts_at"), .minutes = db_int(st, "duration_minutes"),
                               .sequence = db_int(st, "sequence"),
                               .cancelled_at = db_null(st, "cancelled_at") ? 0 : db_int(st, "cancelled_at"),
                               .kind = "", .mode = "", .place = "", .video_url = "", .agenda = ""};
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
