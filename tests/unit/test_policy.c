/*
 * test_policy.c — the one door for trajectories: only an assigned coach and the participant
 * themselves get through; another coach, an administrator, a team lead, a partner without membership
 * and a participant looking at somebody else's trajectory are refused, as is a trajectory that does not
 * exist. Also the audit chain: entries verify, and a changed, removed or inserted entry is found. The
 * membership rule (who may learn who is in the network) on a fixed network, and on random networks that
 * its C and SQL forms agree, like the item rule. Stand-ins (migration 015): a coach standing in for an
 * assigned coach has coach grounds during the period only, in C, in the SQL conditions and in
 * POLICY_SQL_COACH_JOIN (checked on a fixed case and in the random worlds, with periods around both the
 * test's fixed day and the real today).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/text.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "dbfixture.h"

static Grounds door(Db *db, int64_t uid, unsigned roles, int64_t tid) {
  User u = {.id = uid, .roles = roles};
  Grounds g = GROUNDS_COACH;
  int64_t pid = -1;
  assert_int_equal(policy_trajectory(db, &u, tid, &g, &pid), DB_OK);
  return g;
}

static void trajectory_door(void **state) {
  (void)state;
  Db *db = fixture_open();
  int64_t coach = fixture_user(db, "c1@x", ROLE_COACH), other = fixture_user(db, "c2@x", ROLE_COACH);
  int64_t admin = fixture_user(db, "a@x", ROLE_ADMIN), lead = fixture_user(db, "l@x", ROLE_TEAMLEAD);
  int64_t lead_coach = fixture_user(db, "lc@x", ROLE_TEAMLEAD | ROLE_COACH);
  int64_t part = fixture_user(db, "p@x", ROLE_PARTICIPANT), part2 = fixture_user(db, "p2@x", ROLE_PARTICIPANT);
  int64_t partner = fixture_user(db, "hr@x", ROLE_PARTNER);
  int64_t t1 = fixture_trajectory(db, "One", part, coach);
  int64_t t2 = fixture_trajectory(db, "Two", part2, lead_coach);

  assert_int_equal(door(db, coach, ROLE_COACH, t1), GROUNDS_COACH);
  assert_int_equal(door(db, other, ROLE_COACH, t1), GROUNDS_NONE);
  assert_int_equal(door(db, admin, ROLE_ADMIN, t1), GROUNDS_NONE);
  assert_int_equal(door(db, lead, ROLE_TEAMLEAD, t1), GROUNDS_NONE);
  assert_int_equal(door(db, lead_coach, ROLE_TEAMLEAD | ROLE_COACH, t1), GROUNDS_NONE);
  assert_int_equal(door(db, lead_coach, ROLE_TEAMLEAD | ROLE_COACH, t2), GROUNDS_COACH);
  assert_int_equal(door(db, part, ROLE_PARTICIPANT, t1), GROUNDS_SELF);
  assert_int_equal(door(db, part, ROLE_PARTICIPANT, t2), GROUNDS_NONE);
  assert_int_equal(door(db, partner, ROLE_PARTNER, t1), GROUNDS_NONE);
  /* the role bit is needed, not only the id: a coach id presented without the coach role gets nothing */
  assert_int_equal(door(db, coach, ROLE_PARTICIPANT, t1), GROUNDS_NONE);
  assert_int_equal(door(db, coach, ROLE_COACH, 999999), GROUNDS_NONE);
  fixture_close(db);
}

/* A UTC day relative to the real today, as YYYY-MM-DD (into a static ring of buffers). */
static const char *day_rel(int delta) {
  static char ring[8][11];
  static int k;
  char *out = ring[k++ % 8];
  date_format(date_today() + delta, out);
  return out;
}

static int64_t add_standin(Db *db, int64_t coach, int64_t stand_in, const char *from, const char *until, bool cancelled) {
  Stmt *st = db_prepare(db, "INSERT INTO coach_standins (coach_id, stand_in_id, from_on, until_on, created_by, created_at, "
                            "cancelled_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id");
  db_bind_int(st, 1, coach);
  db_bind_int(st, 2, stand_in);
  db_bind_text(st, 3, from);
  db_bind_text(st, 4, until);
  db_bind_int(st, 5, coach);
  if (cancelled) db_bind_int(st, 6, 1); else db_bind_null(st, 6);
  int64_t id = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  return id;
}

/* How many rows POLICY_SQL_COACH_JOIN gives user uid for trajectory tid (0 or 1; never more). */
static int64_t join_rows(Db *db, int64_t uid, int64_t tid) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM " POLICY_SQL_COACH_JOIN " WHERE t.id = ?");
  db_bind_int(st, 1, uid);
  db_bind_int(st, 2, tid);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t n = db_int(st, "n");
  db_done(st);
  return n;
}

/* A stand-in has coach grounds on the absent coach's trajectories during the period only: before, after,
 * cancelled, or for a user without the coach role, none; the trajectory is in the stand-in's caseload once,
 * also when the stand-in is a coach of it already or stands in for both of its coaches. */
static void standin_door(void **state) {
  (void)state;
  Db *db = fixture_open();
  int64_t sofie = fixture_user(db, "s@x", ROLE_COACH), pieter = fixture_user(db, "p@x", ROLE_COACH);
  int64_t third = fixture_user(db, "t@x", ROLE_COACH), lead = fixture_user(db, "l@x", ROLE_TEAMLEAD);
  int64_t part = fixture_user(db, "an@x", ROLE_PARTICIPANT);
  int64_t t1 = fixture_trajectory(db, "Stand", part, sofie);
  assert_int_equal(door(db, pieter, ROLE_COACH, t1), GROUNDS_NONE);
  int64_t later = add_standin(db, sofie, pieter, day_rel(1), day_rel(10), false);
  int64_t past = add_standin(db, sofie, pieter, day_rel(-10), day_rel(-1), false);
  assert_true(later && past);
  assert_int_equal(door(db, pieter, ROLE_COACH, t1), GROUNDS_NONE); /* before and after */
  assert_int_equal(join_rows(db, pieter, t1), 0);
  add_standin(db, sofie, pieter, day_rel(-1), day_rel(1), true);   /* cancelled */
  assert_int_equal(door(db, pieter, ROLE_COACH, t1), GROUNDS_NONE);
  add_standin(db, sofie, pieter, day_rel(0), day_rel(0), false);   /* today only */
  assert_int_equal(door(db, pieter, ROLE_COACH, t1), GROUNDS_COACH);
  assert_int_equal(join_rows(db, pieter, t1), 1);
  assert_int_equal(door(db, pieter, ROLE_PARTICIPANT, t1), GROUNDS_NONE); /* the role bit is needed */
  add_standin(db, sofie, lead, day_rel(-1), day_rel(1), false);
  assert_int_equal(door(db, lead, ROLE_TEAMLEAD, t1), GROUNDS_NONE);
  assert_int_equal(door(db, third, ROLE_COACH, t1), GROUNDS_NONE);
  /* item: an item of t1 by the participant is visible to the stand-in on the day, in C and SQL */
  Stmt *st = db_prepare(db, "INSERT INTO items (trajectory_id, category, author_id, title, body, created_at) "
                            "VALUES (?, 'health', ?, 't', 'b', 0) RETURNING id");
  db_bind_int(st, 1, t1);
  db_bind_int(st, 2, part);
  int64_t item = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  User u = {.id = pieter, .roles = ROLE_COACH};
  Grounds g;
  int64_t consent;
  assert_int_equal(policy_item(db, &u, item, day_rel(0), &g, &consent, NULL), DB_OK);
  assert_int_equal(g, GROUNDS_COACH);
  assert_int_equal(policy_item(db, &u, item, day_rel(11), &g, &consent, NULL), DB_OK);
  assert_int_equal(g, GROUNDS_NONE);
  /* one row per trajectory: Pieter becomes a second coach and also stands in for a third coach of t1 */
  st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
  db_bind_int(st, 1, t1);
  db_bind_int(st, 2, pieter);
  assert_int_equal(db_run(st), DB_OK);
  st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
  db_bind_int(st, 1, t1);
  db_bind_int(st, 2, third);
  assert_int_equal(db_run(st), DB_OK);
  add_standin(db, third, pieter, day_rel(-3), day_rel(3), false);
  assert_int_equal(join_rows(db, pieter, t1), 1);
  add_standin(db, sofie, third, day_rel(-3), day_rel(3), false);
  assert_int_equal(join_rows(db, third, t1), 1);
  assert_int_equal(join_rows(db, sofie, t1), 1);
  fixture_close(db);
}

static int exec(Db *db, const char *sql) { return db_exec(db, sql); }

static void audit_chain(void **state) {
  (void)state;
  Db *db = fixture_open();
  unsigned char key[SEAL_KEY_BYTES] = {1}; /* entries are keyed from entry 1 on (migration 013) */
  audit_key_use(key);
  for (int i = 0; i < 5; i++) {
    AuditEntry e = {.participant_id = 1, .trajectory_id = 1, .item = "trajectory", .action = "view", .outcome = "ok",
                    .grounds = "coach"};
    assert_int_equal(audit_append(db, 7, "coach", "127.0.0.1", "rid", &e), DB_OK);
  }
  int64_t bad, n;
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 0);
  assert_int_equal(n, 5);

  /* changed */
  assert_int_equal(exec(db, "UPDATE access_log SET user_id = 8 WHERE id = 3"), DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 3);
  assert_int_equal(exec(db, "UPDATE access_log SET user_id = 7 WHERE id = 3"), DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 0);

  /* removed */
  assert_int_equal(exec(db, "CREATE TABLE saved AS SELECT * FROM access_log WHERE id = 2"), DB_OK);
  assert_int_equal(exec(db, "DELETE FROM access_log WHERE id = 2"), DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_int_equal(bad, 3);
  assert_int_equal(exec(db, "INSERT INTO access_log SELECT * FROM saved"), DB_OK);

  /* inserted: a copy of entry 4 slipped in as 4.5 is out of sequence */
  assert_int_equal(exec(db, "UPDATE access_log SET id = id * 10"), DB_OK);
  assert_int_equal(exec(db, "INSERT INTO access_log SELECT 45, at, user_id, role, participant_id, trajectory_id, item,"
                            " action, outcome, grounds, client, request_id, prev_hash, hash, consent_id, on_behalf_of FROM access_log WHERE id = 40"),
                   DB_OK);
  assert_int_equal(audit_verify(db, &bad, &n), DB_OK);
  assert_true(bad != 0);
  fixture_close(db);
}

/* ---- property: policy_item (C) and POLICY_SQL_ITEM_VISIBLE (SQL) agree ---- */

static uint64_t rng_state;
static unsigned rnd(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static int64_t insert_id(Db *db, Stmt *st) {
  int rc = db_step(st);
  assert_int_equal(rc, DB_ROW);
  int64_t id = db_int(st, "id");
  db_done(st);
  return id;
}

static const char *const cats[] = {"health", "capacity", "work", "plan", "practical"};
static const char *const days[] = {"2026-11-10", "2026-11-20", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-30"};

/* ---- property: policy_member_visible / policy_user_visible (C) and their SQL conditions agree ---- */

static long member_checked, member_visible, user_checked, user_visible;
static long standin_grounds, join_checked, join_standin; /* coach grounds reached only as a stand-in */

/* Every user against every member of trajectory tid, and against every user as named in tid. */
static void membership_check(Db *db, int64_t tid, const int64_t *users, const unsigned *roles, int nusers,
                             const int64_t *members, int nm) {
  for (int k = 0; k < nusers; k++) {
    User u = {.id = users[k], .roles = roles[k]};
    for (int m = 0; m < nm; m++) {
      bool c;
      assert_int_equal(policy_member_visible(db, &u, members[m], &c), DB_OK);
      Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM network_members m WHERE m.id = ? AND "
                                POLICY_SQL_MEMBER_VISIBLE("m"));
      db_bind_int(st, 1, members[m]);
      policy_bind_member_filter(st, 2, &u);
      assert_int_equal(db_step(st), DB_ROW);
      bool sql = db_int(st, "n") == 1;
      db_done(st);
      if (sql != c) {
        fprintf(stderr, "disagree: user %lld (roles %u) member %lld: C says %d, SQL says %d\n", (long long)u.id,
                u.roles, (long long)members[m], c, sql);
        fail();
      }
      member_checked++;
      member_visible += sql;
    }
    for (int j = 0; j < nusers; j++) {
      bool c;
      assert_int_equal(policy_user_visible(db, &u, tid, users[j], &c), DB_OK);
      Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM users w JOIN trajectories tt ON tt.id = ? WHERE w.id = ? AND "
                                POLICY_SQL_USER_VISIBLE("w.id", "tt.id"));
      db_bind_int(st, 1, tid);
      db_bind_int(st, 2, users[j]);
      policy_bind_user_filter(st, 3, &u);
      assert_int_equal(db_step(st), DB_ROW);
      bool sql = db_int(st, "n") == 1;
      db_done(st);
      if (sql != c) {
        fprintf(stderr, "disagree: user %lld (roles %u) names user %lld in trajectory %lld: C says %d, SQL says %d\n",
                (long long)u.id, u.roles, (long long)users[j], (long long)tid, c, sql);
        fail();
      }
      user_checked++;
      user_visible += sql;
    }
  }
}

static void one_world(Db *db, const int64_t *users, const unsigned *roles, int nusers, long *checked, long *visible) {
  /* a trajectory with a random participant account and coach */
  int64_t participant = users[rnd(2) + 2], coach = users[rnd(2)];
  static int world;
  char last[32];
  snprintf(last, sizeof last, "Prop%d", world++);
  int64_t tid = fixture_trajectory(db, last, 0, coach);
  assert_true(tid > 0);
  Stmt *st = db_prepare(db, "UPDATE participants SET user_id = ? WHERE id = (SELECT participant_id FROM trajectories WHERE id = ?) "
                            "AND NOT EXISTS (SELECT 1 FROM participants x WHERE x.user_id = ?)");
  db_bind_int(st, 1, participant);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, participant);
  assert_int_equal(db_run(st), DB_OK);

  /* sometimes a second coach; stand-ins of this world only, periods around the fixed day of the item checks
   * and around the real today (the door, the membership rule and the join use the real today) */
  if (rnd(4) == 0) {
    st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
    db_bind_int(st, 1, tid);
    db_bind_int(st, 2, users[coach == users[0] ? 1 : 0]);
    assert_int_equal(db_run(st), DB_OK);
  }
  assert_int_equal(db_exec(db, "DELETE FROM coach_standins"), DB_OK);
  int nsi = (int)rnd(4);
  for (int k = 0; k < nsi; k++) {
    const char *pool[] = {days[rnd(6)], day_rel(-2), day_rel(-1), day_rel(0), day_rel(1), day_rel(2)};
    const char *a = pool[rnd(6)], *b = pool[rnd(6)];
    if (strcmp(a, b) > 0) {
      const char *x = a;
      a = b;
      b = x;
    }
    int64_t absent = rnd(3) ? coach : users[rnd((unsigned)nusers)];
    int64_t sub = users[rnd(3) ? rnd(2) : rnd((unsigned)nusers)];
    if (sub == absent) continue;
    assert_true(add_standin(db, absent, sub, a, b, rnd(6) == 0) > 0);
  }
  /* account sides of everybody but the coaches and participants: none, care or work */
  for (int k = 4; k < nusers; k++) {
    static const char *const account_sides[] = {NULL, "care", "work"};
    st = db_prepare(db, "UPDATE users SET side = ? WHERE id = ?");
    db_bind_text(st, 1, account_sides[rnd(3)]);
    db_bind_int(st, 2, users[k]);
    assert_int_equal(db_run(st), DB_OK);
  }
  /* members: some with an account (a partner user, each at most once), some removed */
  int64_t members[6];
  int64_t member_user[6];
  int nm = 3 + (int)rnd(4);
  bool used[16] = {0};
  for (int m = 0; m < nm; m++) {
    int64_t uid = 0;
    unsigned k = 4 + rnd((unsigned)nusers - 4);
    if (rnd(4) && !used[k] && (roles[k] & ROLE_PARTNER)) {
      used[k] = true;
      uid = users[k];
    }
    st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, user_id, created_at, removed_at, "
                        "shares_side) VALUES (?, ?, 'x', 'M', ?, 0, ?, ?) RETURNING id");
    db_bind_int(st, 1, tid);
    db_bind_text(st, 2, rnd(2) ? "care" : "work");
    if (uid) db_bind_int(st, 3, uid); else db_bind_null(st, 3);
    if (rnd(6) == 0) db_bind_int(st, 4, 5); else db_bind_null(st, 4);
    db_bind_int(st, 5, rnd(4) ? 1 : 0); /* now and then a member reached only by name (a proposal's employer) */
    members[m] = insert_id(db, st);
    member_user[m] = uid;
  }
  /* consents */
  int nc = (int)rnd(12);
  for (int c = 0; c < nc; c++) {
    st = db_prepare(db, "INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, grantee_side, category, "
                        "given_on, method, recorded_by, valid_until, withdrawn_at, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, 'portal', ?, ?, ?, 0) RETURNING id");
    db_bind_int(st, 1, tid);
    if (rnd(2)) db_bind_null(st, 2); else db_bind_int(st, 2, members[rnd((unsigned)nm)]);
    if (rnd(2)) {
      db_bind_int(st, 3, members[rnd((unsigned)nm)]);
      db_bind_null(st, 4);
    } else {
      db_bind_null(st, 3);
      static const char *const sides[] = {"care", "work", "participant"};
      db_bind_text(st, 4, sides[rnd(3)]);
    }
    db_bind_text(st, 5, cats[rnd(5)]);
    db_bind_text(st, 6, days[rnd(6)]);
    db_bind_int(st, 7, coach);
    if (rnd(2)) db_bind_null(st, 8); else db_bind_text(st, 8, days[rnd(6)]);
    if (rnd(5) == 0) db_bind_int(st, 9, 1); else db_bind_null(st, 9);
    insert_id(db, st);
  }
  /* items by random authors with random sources */
  int ni = 4 + (int)rnd(8);
  int64_t items[12];
  for (int i = 0; i < ni; i++) {
    int64_t author;
    switch (rnd(3)) {
      case 0: author = coach; break;
      case 1: author = participant; break;
      default: { int m = (int)rnd((unsigned)nm); author = member_user[m] ? member_user[m] : coach; }
    }
    st = db_prepare(db, "INSERT INTO items (trajectory_id, category, source_member_id, author_id, title, body, created_at, "
                        "deleted_at) VALUES (?, ?, ?, ?, 't', 'b', 0, ?) RETURNING id");
    db_bind_int(st, 1, tid);
    db_bind_text(st, 2, cats[rnd(5)]);
    if (rnd(2)) db_bind_null(st, 3); else db_bind_int(st, 3, members[rnd((unsigned)nm)]);
    db_bind_int(st, 4, author);
    if (rnd(10) == 0) db_bind_int(st, 5, 1); else db_bind_null(st, 5);
    items[i] = insert_id(db, st);
  }
  /* every user against every item, both ways */
  for (int k = 0; k < nusers; k++) {
    User u = {.id = users[k], .roles = roles[k]};
    for (int i = 0; i < ni; i++) {
      Grounds g;
      int64_t consent;
      assert_int_equal(policy_item(db, &u, items[i], "2026-11-23", &g, &consent, NULL), DB_OK);
      st = db_prepare(db, "SELECT COUNT(*) AS n FROM items i WHERE i.id = ? AND " POLICY_SQL_ITEM_VISIBLE);
      db_bind_int(st, 1, items[i]);
      policy_bind_item_filter(st, 2, &u, "2026-11-23");
      assert_int_equal(db_step(st), DB_ROW);
      bool sql = db_int(st, "n") == 1;
      db_done(st);
      if (sql != (g != GROUNDS_NONE)) {
        fprintf(stderr, "disagree: user %lld (roles %u) item %lld: C says %s, SQL says %s\n", (long long)u.id,
                u.roles, (long long)items[i], grounds_name(g), sql ? "visible" : "hidden");
        fail();
      }
      if (g == GROUNDS_COACH) {
        st = db_prepare(db, "SELECT COUNT(*) AS n FROM trajectory_coaches WHERE trajectory_id = ? AND user_id = ?");
        db_bind_int(st, 1, tid);
        db_bind_int(st, 2, u.id);
        assert_int_equal(db_step(st), DB_ROW);
        standin_grounds += db_int(st, "n") == 0;
        db_done(st);
      }
      (*checked)++;
      *visible += sql;
    }
  }
  membership_check(db, tid, users, roles, nusers, members, nm);
  /* the coach's lists (POLICY_SQL_COACH_JOIN) hold a trajectory exactly when the door gives coach grounds */
  for (int k = 0; k < nusers; k++) {
    if (!(roles[k] & ROLE_COACH)) continue; /* the join serves coach-only routes */
    Grounds g = door(db, users[k], roles[k], tid);
    int64_t n = join_rows(db, users[k], tid);
    if (n > 1 || (n == 1) != (g == GROUNDS_COACH)) {
      fprintf(stderr, "disagree: coach %lld trajectory %lld: door says %s, the join gives %lld rows\n",
              (long long)users[k], (long long)tid, grounds_name(g), (long long)n);
      fail();
    }
    join_checked++;
    if (n == 1) {
      st = db_prepare(db, "SELECT COUNT(*) AS n FROM trajectory_coaches WHERE trajectory_id = ? AND user_id = ?");
      db_bind_int(st, 1, tid);
      db_bind_int(st, 2, users[k]);
      assert_int_equal(db_step(st), DB_ROW);
      join_standin += db_int(st, "n") == 0;
      db_done(st);
    }
  }
}

static void item_rule_sql_and_c_agree(void **state) {
  (void)state;
  Db *db = fixture_open();
  const char *env = getenv("ZW_PROPERTY_SEED");
  rng_state = env ? strtoull(env, NULL, 10) : 0x9e3779b97f4a7c15ull;
  unsigned roles[12] = {ROLE_COACH, ROLE_COACH, ROLE_PARTICIPANT, ROLE_PARTICIPANT, ROLE_PARTNER, ROLE_PARTNER,
                        ROLE_PARTNER, ROLE_PARTNER, ROLE_PARTNER, ROLE_PARTNER, ROLE_ADMIN, ROLE_TEAMLEAD};
  int64_t users[12];
  for (int k = 0; k < 12; k++) {
    char email[32];
    snprintf(email, sizeof email, "u%d@x", k);
    users[k] = fixture_user(db, email, roles[k]);
  }
  long checked = 0, visible = 0;
  for (int round = 0; round < 150; round++) {
    cfg.allow_health_to_work = round % 5 == 4;
    assert_int_equal(db_begin(db), DB_OK); /* one fsync per world */
    one_world(db, users, roles, 12, &checked, &visible);
    assert_int_equal(db_commit(db), DB_OK);
  }
  cfg.allow_health_to_work = false;
  printf("property: %ld user-item pairs checked, %ld visible, C and SQL agree\n", checked, visible);
  printf("property: %ld user-member pairs (%ld visible) and %ld user-named-user pairs (%ld visible): membership rule "
         "in C and SQL agree\n", member_checked, member_visible, user_checked, user_visible);
  assert_true(member_visible > member_checked / 10 && member_visible < member_checked - member_checked / 10);
  assert_true(user_visible > user_checked / 10 && user_visible < user_checked - user_checked / 10);
  printf("property: %ld user-item pairs visible only as a stand-in; %ld coach-trajectory pairs of the join agree "
         "with the door, %ld of them as a stand-in\n", standin_grounds, join_checked, join_standin);
  assert_true(standin_grounds > 0 && join_standin > 0 && join_standin < join_checked);
  /* the random worlds must exercise both answers */
  assert_true(visible > checked / 20 && visible < checked - checked / 20);
  fixture_close(db);
}

/* Who may learn who is in the network (issue 9, finding 6): coach and participant everybody, a member their
 * own side, nobody else anyone; an author is named as their membership allows. */
static bool member_seen(Db *db, int64_t uid, unsigned roles, int64_t mid) {
  User u = {.id = uid, .roles = roles};
  bool v = true;
  assert_int_equal(policy_member_visible(db, &u, mid, &v), DB_OK);
  return v;
}

static bool user_named(Db *db, int64_t uid, unsigned roles, int64_t tid, int64_t named) {
  User u = {.id = uid, .roles = roles};
  bool v = true;
  assert_int_equal(policy_user_visible(db, &u, tid, named, &v), DB_OK);
  return v;
}

/* A member of tid on side for user (0: no account); shares: takes part in its side (network_members.shares_side). */
static int64_t add_member_of(Db *db, int64_t tid, const char *side, int64_t user, bool removed, bool shares) {
  Stmt *st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, user_id, created_at, removed_at, "
                            "shares_side) VALUES (?, ?, 'x', 'M', ?, 0, ?, ?) RETURNING id");
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, side);
  if (user) db_bind_int(st, 3, user); else db_bind_null(st, 3);
  if (removed) db_bind_int(st, 4, 1); else db_bind_null(st, 4);
  db_bind_int(st, 5, shares ? 1 : 0);
  return insert_id(db, st);
}

static int64_t add_member(Db *db, int64_t tid, const char *side, int64_t user, bool removed) {
  return add_member_of(db, tid, side, user, removed, true);
}

static void membership_rule(void **state) {
  (void)state;
  Db *db = fixture_open();
  int64_t coach = fixture_user(db, "c@x", ROLE_COACH), other_coach = fixture_user(db, "c2@x", ROLE_COACH);
  int64_t part = fixture_user(db, "p@x", ROLE_PARTICIPANT), gp = fixture_user(db, "gp@x", ROLE_PARTNER);
  int64_t hr = fixture_user(db, "hr@x", ROLE_PARTNER), outsider = fixture_user(db, "o@x", ROLE_PARTNER);
  int64_t admin = fixture_user(db, "a@x", ROLE_ADMIN), gone = fixture_user(db, "gone@x", ROLE_PARTNER);
  assert_int_equal(db_exec(db, "UPDATE users SET side = 'care' WHERE email IN ('gp@x', 'gone@x')"), DB_OK);
  assert_int_equal(db_exec(db, "UPDATE users SET side = 'work' WHERE email IN ('hr@x', 'o@x')"), DB_OK);
  int64_t t = fixture_trajectory(db, "Member", part, coach);
  int64_t m_gp = add_member(db, t, "care", gp, false), m_psy = add_member(db, t, "care", 0, false);
  int64_t m_hr = add_member(db, t, "work", hr, false), m_boss = add_member(db, t, "work", 0, false);
  int64_t m_gone = add_member(db, t, "care", gone, true);
  const int64_t care[] = {m_gp, m_psy, m_gone}, work[] = {m_hr, m_boss};
  for (int i = 0; i < 3; i++) {
    assert_true(member_seen(db, coach, ROLE_COACH, care[i]));
    assert_true(member_seen(db, part, ROLE_PARTICIPANT, care[i]));
    assert_true(member_seen(db, gp, ROLE_PARTNER, care[i]));
    assert_false(member_seen(db, hr, ROLE_PARTNER, care[i])); /* the work side never learns of the care side */
    assert_false(member_seen(db, outsider, ROLE_PARTNER, care[i]));
    assert_false(member_seen(db, other_coach, ROLE_COACH, care[i]));
    assert_false(member_seen(db, admin, ROLE_ADMIN, care[i]));
    assert_false(member_seen(db, coach, ROLE_PARTICIPANT, care[i])); /* the role bit is needed */
  }
  for (int i = 0; i < 2; i++) {
    assert_true(member_seen(db, hr, ROLE_PARTNER, work[i]));
    assert_false(member_seen(db, gp, ROLE_PARTNER, work[i])); /* nor the care side of the work side */
    assert_false(member_seen(db, gone, ROLE_PARTNER, work[i]));
  }
  assert_false(member_seen(db, gone, ROLE_PARTNER, m_psy)); /* a removed member sees nobody */
  assert_false(member_seen(db, coach, ROLE_COACH, 999999));
  /* names of users as authors, owners, confirmers */
  assert_true(user_named(db, hr, ROLE_PARTNER, t, coach));
  assert_true(user_named(db, hr, ROLE_PARTNER, t, part));
  assert_true(user_named(db, hr, ROLE_PARTNER, t, hr));
  assert_false(user_named(db, hr, ROLE_PARTNER, t, gp));
  assert_false(user_named(db, hr, ROLE_PARTNER, t, gone));
  assert_true(user_named(db, gp, ROLE_PARTNER, t, gone));
  assert_false(user_named(db, gp, ROLE_PARTNER, t, hr));
  assert_false(user_named(db, gp, ROLE_PARTNER, t, outsider)); /* a partner with no part here: not named */
  assert_true(user_named(db, gp, ROLE_PARTNER, t, other_coach)); /* staff without a side (a former coach) */
  assert_true(user_named(db, part, ROLE_PARTICIPANT, t, gp));
  assert_true(user_named(db, coach, ROLE_COACH, t, hr));
  /* the contact of an employer a proposal reached: a work-side member that does not share the side — the
   * work side does not learn of them, they learn of nobody on it; coach and participant see them */
  int64_t prospect = fixture_user(db, "new@x", ROLE_PARTNER);
  assert_int_equal(db_exec(db, "UPDATE users SET side = 'work' WHERE email = 'new@x'"), DB_OK);
  int64_t m_new = add_member_of(db, t, "work", prospect, false, false);
  assert_false(member_seen(db, hr, ROLE_PARTNER, m_new));
  assert_false(member_seen(db, prospect, ROLE_PARTNER, m_hr));
  assert_false(member_seen(db, prospect, ROLE_PARTNER, m_boss));
  assert_true(member_seen(db, prospect, ROLE_PARTNER, m_new)); /* their own membership */
  assert_true(member_seen(db, coach, ROLE_COACH, m_new));
  assert_true(member_seen(db, part, ROLE_PARTICIPANT, m_new));
  assert_false(user_named(db, hr, ROLE_PARTNER, t, prospect));
  assert_false(user_named(db, prospect, ROLE_PARTNER, t, hr));
  assert_true(user_named(db, prospect, ROLE_PARTNER, t, coach));
  assert_true(user_named(db, hr, ROLE_PARTNER, t, hr));
  fixture_close(db);
}

static void guardrail_health_never_to_work(void **state) {
  (void)state;
  cfg.allow_health_to_work = false;
  assert_false(policy_consent_allowed("health", "work"));
  assert_true(policy_consent_allowed("health", "care"));
  assert_true(policy_consent_allowed("capacity", "work"));
  cfg.allow_health_to_work = true;
  assert_true(policy_consent_allowed("health", "work"));
  cfg.allow_health_to_work = false;
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(trajectory_door),
      cmocka_unit_test(standin_door),
      cmocka_unit_test(audit_chain),
      cmocka_unit_test(item_rule_sql_and_c_agree),
      cmocka_unit_test(membership_rule),
      cmocka_unit_test(guardrail_health_never_to_work),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
