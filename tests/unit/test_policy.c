/*
 * test_policy.c — the one door for trajectories: only an assigned coach and the participant
 * themselves get through; another coach, an administrator, a team lead, a partner without membership
 * and a participant looking at somebody else's trajectory are refused, as is a trajectory that does not
 * exist. Also the audit chain: entries verify, and a changed, removed or inserted entry is found. The
 * membership rule (who may learn who is in the network) on a fixed network, and on random networks that
 * its C and SQL forms agree, like the item rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

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
    st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, user_id, created_at, removed_at) "
                        "VALUES (?, ?, 'x', 'M', ?, 0, ?) RETURNING id");
    db_bind_int(st, 1, tid);
    db_bind_text(st, 2, rnd(2) ? "care" : "work");
    if (uid) db_bind_int(st, 3, uid); else db_bind_null(st, 3);
    if (rnd(6) == 0) db_bind_int(st, 4, 5); else db_bind_null(st, 4);
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
      (*checked)++;
      *visible += sql;
    }
  }
  membership_check(db, tid, users, roles, nusers, members, nm);
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

static int64_t add_member(Db *db, int64_t tid, const char *side, int64_t user, bool removed) {
  Stmt *st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, user_id, created_at, removed_at) "
                            "VALUES (?, ?, 'x', 'M', ?, 0, ?) RETURNING id");
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, side);
  if (user) db_bind_int(st, 3, user); else db_bind_null(st, 3);
  if (removed) db_bind_int(st, 4, 1); else db_bind_null(st, 4);
  return insert_id(db, st);
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
      cmocka_unit_test(audit_chain),
      cmocka_unit_test(item_rule_sql_and_c_agree),
      cmocka_unit_test(membership_rule),
      cmocka_unit_test(guardrail_health_never_to_work),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
