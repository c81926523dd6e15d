/*
 * policy.c — see policy.h. policy_item evaluates the visibility rule step by step in C; the list filter
 * POLICY_SQL_ITEM_VISIBLE states the same rule in SQL. They are written independently on purpose, and
 * tests/unit/test_policy.c checks on random networks that they agree.
 * The membership rule (policy_member_visible, policy_user_visible) is written the same way, twice, with
 * POLICY_SQL_MEMBER_VISIBLE and POLICY_SQL_USER_VISIBLE. The SQL conditions and their bind functions are in
 * store/visibility.h (.c), where the store applies them.
 */
#include "policy/policy.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/text.h"

const char *grounds_name(Grounds g) {
  switch (g) {
    case GROUNDS_COACH: return "coach";
    case GROUNDS_SELF: return "self";
    case GROUNDS_AUTHOR: return "author";
    case GROUNDS_SOURCE: return "source";
    case GROUNDS_CONSENT: return "consent";
    case GROUNDS_MEMBER: return "member";
    default: return "none";
  }
}

bool policy_consent_allowed(const char *category, const char *grantee_side) {
  return cfg.allow_health_to_work || strcmp(category, "health") != 0 || strcmp(grantee_side, "work") != 0;
  /* "care" and "participant" grantees may receive every category */
}

/* Whether user uid stands in on day `today` for an assigned coach of trajectory tid: a stand-in that was not
 * cancelled, from_on <= today <= until_on, compared here in C. Returns a DB code. */
static int stands_in(Db *db, int64_t uid, int64_t tid, const char *today, bool *yes) {
  *yes = false;
  Stmt *st = db_prepare(db, "SELECT s.from_on, s.until_on, s.cancelled_at FROM coach_standins s "
                            "JOIN trajectory_coaches c ON c.user_id = s.coach_id WHERE c.trajectory_id = ? "
                            "AND s.stand_in_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, uid);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    if (db_null(st, "cancelled_at") && strcmp(db_text(st, "from_on"), today) <= 0 &&
        strcmp(db_text(st, "until_on"), today) >= 0)
      *yes = true;
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* Coach grounds (the coach role, and assigned or standing in today), participant user and this user's live
 * membership. */
typedef struct Standing {
  bool coach, participant;
  int64_t member_id;
  char side[8];
  bool shares_side; /* the membership takes part in its side (network_members.shares_side) */
} Standing;

static int standing(Db *db, const User *u, int64_t tid, const char *today, bool *exists, Standing *s,
                    int64_t *participant_id) {
  memset(s, 0, sizeof *s);
  *exists = false;
  Stmt *st = db_prepare(db,
                        "SELECT t.participant_id, p.user_id AS participant_user, "
                        " (SELECT COUNT(*) FROM trajectory_coaches c WHERE c.trajectory_id = t.id AND c.user_id = ?)"
                        " AS is_coach, m.id AS member_id, m.side, m.shares_side "
                        "FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                        "LEFT JOIN network_members m ON m.id = (SELECT MIN(m2.id) FROM network_members m2 "
                        "  WHERE m2.trajectory_id = t.id AND m2.user_id = ? AND m2.removed_at IS NULL) "
                        "WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  db_bind_int(st, 2, u->id);
  db_bind_int(st, 3, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *exists = true;
    if (participant_id) *participant_id = db_int(st, "participant_id");
    s->coach = (u->roles & ROLE_COACH) && db_int(st, "is_coach") > 0;
    s->participant = (u->roles & ROLE_PARTICIPANT) && !db_null(st, "participant_user") &&
                     db_int(st, "participant_user") == u->id;
    s->member_id = db_null(st, "member_id") ? 0 : db_int(st, "member_id");
    if (s->member_id) { /* this user's live membership, read with the trajectory */
      snprintf(s->side, sizeof s->side, "%s", db_text(st, "side"));
      s->shares_side = db_int(st, "shares_side") != 0;
    }
  }
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
  if ((u->roles & ROLE_COACH) && !s->coach && (rc = stands_in(db, u->id, tid, today, &s->coach)) != DB_OK) return rc;
  return DB_OK;
}

int policy_trajectory(Db *db, const User *u, int64_t tid, Grounds *g, int64_t *participant_id) {
  *g = GROUNDS_NONE;
  *participant_id = 0;
  if (!u) return DB_OK;
  bool exists;
  Standing s;
  char today[11]; /* the day of stand-in periods: the UTC calendar day, as date_today_text gives it */
  date_format(date_today(), today);
  int rc = standing(db, u, tid, today, &exists, &s, participant_id);
  if (rc != DB_OK || !exists) return rc;
  if (s.coach) *g = GROUNDS_COACH;
  else if (s.participant) *g = GROUNDS_SELF;
  else if (s.member_id) *g = GROUNDS_MEMBER;
  return DB_OK;
}

int policy_item(Db *db, const User *u, int64_t item_id, const char *today, Grounds *g, int64_t *consent_id,
                ItemRef *out) {
  *g = GROUNDS_NONE;
  *consent_id = 0;
  ItemRef it = {0};
  if (!u) return DB_OK;
  Stmt *st = db_prepare(db, "SELECT id, trajectory_id, author_id, source_member_id, category, deleted_at "
                            "FROM items WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, item_id);
  int rc = db_step(st);
  bool deleted = false;
  if (rc == DB_ROW) {
    it.id = db_int(st, "id");
    it.trajectory_id = db_int(st, "trajectory_id");
    it.author_id = db_int(st, "author_id");
    it.source_member_id = db_null(st, "source_member_id") ? 0 : db_int(st, "source_member_id");
    snprintf(it.category, sizeof it.category, "%s", db_text(st, "category"));
    deleted = !db_null(st, "deleted_at");
  }
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
  if (out) *out = it;
  if (deleted) return DB_OK;

  /* 1. the author */
  if (it.author_id == u->id) {
    *g = GROUNDS_AUTHOR;
    return DB_OK;
  }
  bool exists;
  Standing s;
  if ((rc = standing(db, u, it.trajectory_id, today, &exists, &s, NULL)) != DB_OK || !exists) return rc;
  /* 2. an assigned coach */
  if (s.coach) {
    *g = GROUNDS_COACH;
    return DB_OK;
  }
  /* 3. the source party itself */
  if (it.source_member_id == 0 && s.participant) {
    *g = GROUNDS_SELF;
    return DB_OK;
  }
  if (it.source_member_id) {
    st = db_prepare(db, "SELECT user_id, removed_at FROM network_members WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, it.source_member_id);
    rc = db_step(st);
    bool source = rc == DB_ROW && !db_null(st, "user_id") && db_int(st, "user_id") == u->id && db_null(st, "removed_at");
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (source) {
      *g = GROUNDS_SOURCE;
      return DB_OK;
    }
  }
  /* 4. a network member with a live consent of the source party for this category, or the participant
   *    with a live consent of the member whose information it is */
  bool as_participant = s.participant && it.source_member_id;
  if (!s.member_id && !as_participant) return DB_OK;
  if (s.member_id && !as_participant && !policy_consent_allowed(it.category, s.side)) return DB_OK;
  st = db_prepare(db, "SELECT id, source_member_id, grantee_member_id, grantee_side, given_on, valid_until, withdrawn_at "
                      "FROM consents WHERE trajectory_id = ? AND category = ? ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, it.trajectory_id);
  db_bind_text(st, 2, it.category);
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t src = db_null(st, "source_member_id") ? 0 : db_int(st, "source_member_id");
    if (src != it.source_member_id || !db_null(st, "withdrawn_at")) continue;
    bool to_me;
    if (!db_null(st, "grantee_member_id")) to_me = s.member_id && db_int(st, "grantee_member_id") == s.member_id;
    else if (strcmp(db_text(st, "grantee_side"), "participant") == 0) to_me = as_participant;
    else to_me = s.member_id && s.shares_side && strcmp(db_text(st, "grantee_side"), s.side) == 0 &&
                 policy_consent_allowed(it.category, s.side);
    if (!to_me) continue;
    if (strcmp(db_text(st, "given_on"), today) > 0) continue;
    if (!db_null(st, "valid_until") && strcmp(db_text(st, "valid_until"), today) < 0) continue;
    *g = GROUNDS_CONSENT;
    *consent_id = db_int(st, "id");
    break;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- membership visibility (see policy.h) ---- */

int policy_member_visible(Db *db, const User *u, int64_t member_id, bool *visible) {
  *visible = false;
  if (!u) return DB_OK;
  Stmt *st = db_prepare(db, "SELECT trajectory_id, side, shares_side FROM network_members WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  int rc = db_step(st);
  int64_t tid = 0;
  char side[8] = "";
  bool shares = false;
  if (rc == DB_ROW) {
    tid = db_int(st, "trajectory_id");
    snprintf(side, sizeof side, "%s", db_text(st, "side"));
    shares = db_int(st, "shares_side") != 0;
  }
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_OK : rc;
  bool exists;
  Standing s;
  char today[11]; /* the day of stand-in periods: the UTC calendar day, as date_today_text gives it */
  date_format(date_today(), today);
  if ((rc = standing(db, u, tid, today, &exists, &s, NULL)) != DB_OK || !exists) return rc;
  /* the coach and the participant see the whole network; a member sees their own side, both sharing it (or
   * their own membership) */
  *visible = s.coach || s.participant ||
             (s.member_id && strcmp(s.side, side) == 0 && (s.member_id == member_id || (s.shares_side && shares)));
  return DB_OK;
}

int policy_user_visible(Db *db, const User *u, int64_t tid, int64_t user_id, bool *visible) {
  *visible = false;
  if (!u) return DB_OK;
  if (user_id == u->id) {
    *visible = true;
    return DB_OK;
  }
  bool exists;
  Standing s;
  char today[11]; /* the day of stand-in periods: the UTC calendar day, as date_today_text gives it */
  date_format(date_today(), today);
  int rc = standing(db, u, tid, today, &exists, &s, NULL);
  if (rc != DB_OK) return rc;
  if (s.coach || s.participant) { /* the whole network */
    *visible = true;
    return DB_OK;
  }
  /* the named user's place in the trajectory: coach, participant, member (on which sides), or none */
  Stmt *st = db_prepare(db, "SELECT (SELECT COUNT(*) FROM trajectory_coaches c WHERE c.trajectory_id = ? AND c.user_id = ?)"
                            " AS is_coach, (SELECT COUNT(*) FROM trajectories t JOIN participants p ON p.id = t.participant_id"
                            " WHERE t.id = ? AND p.user_id = ?) AS is_participant");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, tid);
  db_bind_int(st, 4, user_id);
  rc = db_step(st);
  bool known = rc == DB_ROW && (db_int(st, "is_coach") > 0 || db_int(st, "is_participant") > 0);
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  if (known) {
    *visible = true;
    return DB_OK;
  }
  st = db_prepare(db, "SELECT side, shares_side FROM network_members WHERE trajectory_id = ? AND user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, user_id);
  bool member = false;
  while ((rc = db_step(st)) == DB_ROW) {
    member = true;
    if (s.member_id && s.shares_side && db_int(st, "shares_side") && strcmp(db_text(st, "side"), s.side) == 0)
      *visible = true;
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  if (member) return DB_OK;
  /* no part in this trajectory: staff without a side (a former coach) may be named, partners not */
  st = db_prepare(db, "SELECT side FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  rc = db_step(st);
  if (rc == DB_ROW) *visible = db_null(st, "side");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

bool policy_sees_own_details(Grounds g) { return g == GROUNDS_COACH || g == GROUNDS_SELF; }

bool policy_may_fill_questionnaire(Grounds g) { return g == GROUNDS_COACH || g == GROUNDS_SELF; }

bool policy_sees_member_contacts(Grounds g) { return g == GROUNDS_COACH || g == GROUNDS_SELF; }

bool policy_may_give_consent(Grounds g, int64_t own_member) {
  return g == GROUNDS_COACH || g == GROUNDS_SELF || own_member != 0;
}

bool policy_consent_on_behalf(Grounds g) { return g == GROUNDS_COACH; }

bool policy_may_consent_to_participant(Grounds g) { return g != GROUNDS_SELF; }

bool policy_consent_own(Grounds g, int64_t own_member, int64_t source_member_id) {
  if (g == GROUNDS_COACH) return true;
  if (g == GROUNDS_SELF) return source_member_id == 0;
  return own_member && source_member_id == own_member;
}

int64_t policy_consent_own_source(Grounds g, int64_t own_member) { return g == GROUNDS_SELF ? 0 : own_member; }

bool policy_may_ask_correction(Grounds g) { return g == GROUNDS_SELF; }

bool policy_answers_corrections(Grounds g) { return g == GROUNDS_COACH; }
