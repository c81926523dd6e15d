/*
 * visibility.h — the visibility rules of policy/policy.h written as SQL conditions, for the store's list,
 * search and count queries, and the functions that bind their parameters.
 *
 * These conditions and the rules in C (policy_item, policy_member_visible, policy_user_visible in
 * policy/policy.c) are the one door written twice, independently on purpose: tests/unit/test_policy.c
 * checks on random networks that they agree. Change both or neither. They live here, below policy, so
 * that the store applies them without including the layer above it; the rule itself is stated in
 * policy.h. The bind functions keep the policy_ prefix: they are that rule's parameters.
 */
#ifndef ZW_STORE_VISIBILITY_H
#define ZW_STORE_VISIBILITY_H

#include "auth/user.h"
#include "db/db.h"

/* SQL condition: the signed-in user stands in today for the coach whose user id is the SQL expression
 * `coach` (a literal column such as "vc.user_id"); `a` is a literal alias for the stand-in row. Three
 * parameters: the user id, today, today (YYYY-MM-DD). Part of the conditions below. */
#define POLICY_SQL_STANDS_IN_FOR(coach, a)                                                                  \
  "EXISTS (SELECT 1 FROM coach_standins " a " WHERE " a ".coach_id = " coach " AND " a ".stand_in_id = ?"    \
  " AND " a ".cancelled_at IS NULL AND " a ".from_on <= ? AND " a ".until_on >= ?)"

/* SQL condition over an items row aliased `i` that holds exactly when the user may see it: the same
 * rule as policy_item, written as SQL for lists, search and counts (a property test checks that the two
 * agree). Bind its parameters with policy_bind_item_filter starting at the first `?` of the condition. */
#define POLICY_SQL_ITEM_VISIBLE                                                                            \
  "(i.deleted_at IS NULL AND (i.author_id = ?"                                                              \
  " OR (? = 1 AND EXISTS (SELECT 1 FROM trajectory_coaches vc"                                               \
  "      WHERE vc.trajectory_id = i.trajectory_id AND (vc.user_id = ? OR "                                   \
  POLICY_SQL_STANDS_IN_FOR("vc.user_id", "vsi") ")))"                                                       \
  " OR (? = 1 AND i.source_member_id IS NULL AND EXISTS (SELECT 1 FROM trajectories vt"                      \
  "      JOIN participants vp ON vp.id = vt.participant_id WHERE vt.id = i.trajectory_id AND vp.user_id = ?))" \
  " OR EXISTS (SELECT 1 FROM network_members vs WHERE vs.id = i.source_member_id AND vs.user_id = ?"         \
  "      AND vs.removed_at IS NULL)"                                                                         \
  " OR EXISTS (SELECT 1 FROM network_members vm JOIN consents vk ON vk.trajectory_id = vm.trajectory_id"     \
  "      WHERE vm.trajectory_id = i.trajectory_id AND vm.user_id = ? AND vm.removed_at IS NULL"              \
  "      AND vk.category = i.category AND COALESCE(vk.source_member_id, 0) = COALESCE(i.source_member_id, 0)" \
  "      AND (vk.grantee_member_id = vm.id OR (vk.grantee_side = vm.side AND vm.shares_side = 1))"           \
  "      AND vk.withdrawn_at IS NULL AND vk.given_on <= ? AND (vk.valid_until IS NULL OR vk.valid_until >= ?)" \
  "      AND (i.category <> 'health' OR vm.side <> 'work' OR ? = 1))"                                         \
  " OR (? = 1 AND i.source_member_id IS NOT NULL AND EXISTS (SELECT 1 FROM consents pk"                      \
  "      JOIN trajectories pt ON pt.id = pk.trajectory_id JOIN participants pp ON pp.id = pt.participant_id" \
  "      WHERE pk.trajectory_id = i.trajectory_id AND pp.user_id = ? AND pk.grantee_side = 'participant'"     \
  "      AND pk.source_member_id = i.source_member_id AND pk.category = i.category"                          \
  "      AND pk.withdrawn_at IS NULL AND pk.given_on <= ? AND (pk.valid_until IS NULL OR pk.valid_until >= ?)))))"

/* Binds the parameters of POLICY_SQL_ITEM_VISIBLE from index idx; returns the next free index. */
int policy_bind_item_filter(Stmt *st, int idx, const User *u, const char *today);

/* SQL condition: the network_members row aliased `m` (a literal alias, e.g. "m") is visible to the user —
 * policy_member_visible written as SQL (a property test checks that the two agree). Bind with
 * policy_bind_member_filter at the condition's first `?`. */
#define POLICY_SQL_MEMBER_VISIBLE(m)                                                                        \
  "((? = 1 AND EXISTS (SELECT 1 FROM trajectory_coaches zmc WHERE zmc.trajectory_id = " m ".trajectory_id"   \
  "      AND (zmc.user_id = ? OR " POLICY_SQL_STANDS_IN_FOR("zmc.user_id", "zms") ")))"                          \
  " OR (? = 1 AND EXISTS (SELECT 1 FROM trajectories zmt JOIN participants zmp ON zmp.id = zmt.participant_id" \
  "      WHERE zmt.id = " m ".trajectory_id AND zmp.user_id = ?))"                                             \
  " OR EXISTS (SELECT 1 FROM network_members zmv WHERE zmv.trajectory_id = " m ".trajectory_id"               \
  "      AND zmv.user_id = ? AND zmv.removed_at IS NULL AND zmv.side = " m ".side"                           \
  "      AND (zmv.id = " m ".id OR (zmv.shares_side = 1 AND " m ".shares_side = 1))))"

/* Binds the parameters of POLICY_SQL_MEMBER_VISIBLE from index idx (today: the UTC day, for stand-ins);
 * returns the next free index. */
int policy_bind_member_filter(Stmt *st, int idx, const User *u);

/* SQL condition: the user whose id is the SQL expression `user` may be named to the signed-in user in the
 * trajectory whose id is the SQL expression `tid` — policy_user_visible written as SQL. Both are literal
 * SQL (column names such as "i.author_id", "i.trajectory_id"). Bind with policy_bind_user_filter. */
#define POLICY_SQL_USER_VISIBLE(user, tid)                                                                  \
  "(" user " = ?"                                                                                           \
  " OR (? = 1 AND EXISTS (SELECT 1 FROM trajectory_coaches zuc WHERE zuc.trajectory_id = " tid               \
  "      AND (zuc.user_id = ? OR " POLICY_SQL_STANDS_IN_FOR("zuc.user_id", "zus") ")))"                          \
  " OR (? = 1 AND EXISTS (SELECT 1 FROM trajectories zut JOIN participants zup ON zup.id = zut.participant_id" \
  "      WHERE zut.id = " tid " AND zup.user_id = ?))"                                                         \
  " OR EXISTS (SELECT 1 FROM trajectory_coaches zac WHERE zac.trajectory_id = " tid " AND zac.user_id = " user ")" \
  " OR EXISTS (SELECT 1 FROM trajectories zat JOIN participants zap ON zap.id = zat.participant_id"           \
  "      WHERE zat.id = " tid " AND zap.user_id = " user ")"                                                   \
  " OR EXISTS (SELECT 1 FROM network_members zam JOIN network_members zav ON zav.trajectory_id = zam.trajectory_id" \
  "      AND zav.side = zam.side WHERE zam.trajectory_id = " tid " AND zam.user_id = " user                   \
  "      AND zav.user_id = ? AND zav.removed_at IS NULL AND zam.shares_side = 1 AND zav.shares_side = 1)"         \
  " OR (NOT EXISTS (SELECT 1 FROM network_members zan WHERE zan.trajectory_id = " tid " AND zan.user_id = " user ")" \
  "      AND EXISTS (SELECT 1 FROM users zau WHERE zau.id = " user " AND zau.side IS NULL)))"

/* Binds the parameters of POLICY_SQL_USER_VISIBLE from index idx; returns the next free index. */
int policy_bind_user_filter(Stmt *st, int idx, const User *u);

/* The coach's own trajectories, as the FROM clause of a list: `FROM ` POLICY_SQL_COACH_JOIN ` ...` yields a
 * trajectories row `t` for exactly the trajectories the coach has coach grounds on — assigned, or assigned to
 * a coach they stand in for today (CURRENT_DATE, the UTC day, as date_today()) — each once, and binds one
 * parameter, the user id, which must be the first `?` of the query. A join rather than `t.id IN (SELECT ...)`:
 * the database walks the assignments of the user and of the coaches they stand in for instead of building
 * the list of them for every query (measured: the IN list is an ephemeral table per query). No row is
 * doubled: the user's own assignment always counts, and a trajectory reached only as a stand-in comes
 * through the absent coach with the lowest user id (the NOT EXISTS, evaluated for stand-in rows only, so a
 * coach without stand-ins pays a few index lookups per query, not per row). Used by the caseload, its
 * search and the coach's day. Aliases taken: pu, pa, pc, pd, pj, pk. The coaches `pa` whose assignments count
 * (the user, and those they stand in for today) are a UNION ALL joined on `via` = the user, not `pa.id = pu.id
 * OR pa.id IN (...)`: PostgreSQL cannot use an index for that OR and hashed every open trajectory per query
 * (bench-scale: /caseload 85 ms at 10,000 participants); with the union both drivers push the user id into
 * each arm and walk the user's assignments by index. The arms cannot overlap (coach_id <> stand_in_id). */
#define POLICY_SQL_STANDIN_TODAY(a)                                                                         \
  "SELECT " a ".coach_id FROM coach_standins " a " WHERE " a ".stand_in_id = pu.id AND " a ".cancelled_at IS NULL" \
  " AND " a ".from_on <= CAST(CURRENT_DATE AS TEXT) AND " a ".until_on >= CAST(CURRENT_DATE AS TEXT)"
#define POLICY_SQL_COACH_JOIN                                                                               \
  "users pu JOIN (SELECT id, id AS via FROM users UNION ALL SELECT DISTINCT pj.coach_id, pj.stand_in_id"    \
  " FROM coach_standins pj WHERE pj.cancelled_at IS NULL AND pj.from_on <= CAST(CURRENT_DATE AS TEXT)"       \
  " AND pj.until_on >= CAST(CURRENT_DATE AS TEXT)) pa ON pa.via = pu.id"                                     \
  " JOIN trajectory_coaches pc ON pc.user_id = pa.id"                                                        \
  " JOIN trajectories t ON t.id = pc.trajectory_id AND pu.id = ?"                                            \
  " AND (pa.id = pu.id OR NOT EXISTS (SELECT 1 FROM trajectory_coaches pd WHERE pd.trajectory_id = pc.trajectory_id" \
  "   AND (pd.user_id = pu.id OR (pd.user_id < pc.user_id AND pd.user_id IN (" POLICY_SQL_STANDIN_TODAY("pk") ")))))"

#endif
