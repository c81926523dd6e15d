/*
 * policy.h — the one door: every decision about who may see case information is made here.
 *
 * Visibility rule (DOMAIN.md): a user may see an item if and only if they are its author, a coach
 * assigned to the trajectory, the source party itself, or a network member holding a live consent from
 * the source party for the item's category. Administrators and team leads see no case content unless
 * they are also an assigned coach.
 *
 * Coach grounds: a user with the coach role has them on a trajectory they are assigned to
 * (trajectory_coaches), and — as a stand-in — on every trajectory of a coach they stand in for, on the
 * days from_on..until_on (both included) of a stand-in that was not cancelled (coach_standins, set by the
 * team lead). Before and after that period the stand-in has none. Every form of the rule below (C, the
 * SQL conditions, POLICY_SQL_COACH_JOIN) includes the stand-in; "today" is the UTC calendar day.
 *
 * Pages, lists, search, exports and the API ask these functions (or use the matching SQL filters declared
 * here); a refusal answers 404 so that existence does not leak.
 */
#ifndef ZW_POLICY_H
#define ZW_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "db/db.h"

typedef enum Grounds {
  GROUNDS_NONE = 0,
  GROUNDS_COACH,   /* assigned coach of the trajectory */
  GROUNDS_SELF,    /* the participant whose trajectory it is */
  GROUNDS_AUTHOR,  /* wrote the item */
  GROUNDS_SOURCE,  /* the item is the user's own information */
  GROUNDS_CONSENT, /* network member (or, for a member's information, the participant) with a live consent */
  GROUNDS_MEMBER,  /* network member with an account: may open the trajectory, sees only consented items */
} Grounds;

const char *grounds_name(Grounds g);

/* Whether u may open trajectory tid at all (its page; what is shown inside is decided per item).
 * Returns a DB code; on DB_OK *g is GROUNDS_NONE when refused (also for a trajectory that does not exist)
 * and *participant_id is set when the trajectory exists. */
int policy_trajectory(Db *db, const User *u, int64_t tid, Grounds *g, int64_t *participant_id);

/* The item facts the rule needs. */
typedef struct ItemRef {
  int64_t id, trajectory_id, author_id;
  int64_t source_member_id; /* 0: the participant is the source */
  char category[16];
} ItemRef;

/* Whether u may see item item_id — the rule evaluated in C, one item at a time. Returns a DB code; on
 * DB_OK *g is GROUNDS_NONE when refused (also for a deleted or non-existent item), *consent_id the
 * consent that allowed it (GROUNDS_CONSENT) or 0, and *item (if not NULL) the item's facts when it
 * exists. `today` is a YYYY-MM-DD date (consent validity is by calendar day). */
int policy_item(Db *db, const User *u, int64_t item_id, const char *today, Grounds *g, int64_t *consent_id,
                ItemRef *item);

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
  "      AND (vk.grantee_member_id = vm.id OR vk.grantee_side = vm.side)"                                    \
  "      AND vk.withdrawn_at IS NULL AND vk.given_on <= ? AND (vk.valid_until IS NULL OR vk.valid_until >= ?)" \
  "      AND (i.category <> 'health' OR vm.side <> 'work' OR ? = 1))"                                         \
  " OR (? = 1 AND i.source_member_id IS NOT NULL AND EXISTS (SELECT 1 FROM consents pk"                      \
  "      JOIN trajectories pt ON pt.id = pk.trajectory_id JOIN participants pp ON pp.id = pt.participant_id" \
  "      WHERE pk.trajectory_id = i.trajectory_id AND pp.user_id = ? AND pk.grantee_side = 'participant'"     \
  "      AND pk.source_member_id = i.source_member_id AND pk.category = i.category"                          \
  "      AND pk.withdrawn_at IS NULL AND pk.given_on <= ? AND (pk.valid_until IS NULL OR pk.valid_until >= ?)))))"

/* Binds the parameters of POLICY_SQL_ITEM_VISIBLE from index idx; returns the next free index. */
int policy_bind_item_filter(Stmt *st, int idx, const User *u, const char *today);

/* Membership visibility: who may learn that somebody is in a trajectory's network — their name,
 * organisation, function, even that they exist (the mere presence of a psychologist in the care network is
 * health information the work side must not learn). The assigned coaches and the participant see every
 * member; a network member sees the members of their own side; everybody else none. Coaches and the
 * participant themselves are known to everyone who may open the trajectory. Pages that name a member
 * (option lists, owners, authors, sources, grantees, counts, error messages) ask these functions or use
 * the SQL conditions below, and show a neutral label ("another member of the network") otherwise.
 *
 * Whether u may see network member member_id (live or removed). Returns a DB code; *visible false also for
 * a member that does not exist. */
int policy_member_visible(Db *db, const User *u, int64_t member_id, bool *visible);

/* Whether u may see the name of user user_id where it appears in trajectory tid (as author, owner,
 * confirmer...): u themselves, an assigned coach or the participant of tid; a user with a membership of
 * tid (live or removed) when one of those memberships is visible to u (policy_member_visible); a user
 * without membership only when their account is not on a side (coaching staff, e.g. a former coach), or
 * when u is an assigned coach or the participant. Returns a DB code. */
int policy_user_visible(Db *db, const User *u, int64_t tid, int64_t user_id, bool *visible);

/* SQL condition: the network_members row aliased `m` (a literal alias, e.g. "m") is visible to the user —
 * policy_member_visible written as SQL (a property test checks that the two agree). Bind with
 * policy_bind_member_filter at the condition's first `?`. */
#define POLICY_SQL_MEMBER_VISIBLE(m)                                                                        \
  "((? = 1 AND EXISTS (SELECT 1 FROM trajectory_coaches zmc WHERE zmc.trajectory_id = " m ".trajectory_id"   \
  "      AND (zmc.user_id = ? OR " POLICY_SQL_STANDS_IN_FOR("zmc.user_id", "zms") ")))"                          \
  " OR (? = 1 AND EXISTS (SELECT 1 FROM trajectories zmt JOIN participants zmp ON zmp.id = zmt.participant_id" \
  "      WHERE zmt.id = " m ".trajectory_id AND zmp.user_id = ?))"                                             \
  " OR EXISTS (SELECT 1 FROM network_members zmv WHERE zmv.trajectory_id = " m ".trajectory_id"               \
  "      AND zmv.user_id = ? AND zmv.removed_at IS NULL AND zmv.side = " m ".side))"

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
  "      AND zav.user_id = ? AND zav.removed_at IS NULL)"                                                       \
  " OR (NOT EXISTS (SELECT 1 FROM network_members zan WHERE zan.trajectory_id = " tid " AND zan.user_id = " user ")" \
  "      AND EXISTS (SELECT 1 FROM users zau WHERE zau.id = " user " AND zau.side IS NULL)))"

/* Binds the parameters of POLICY_SQL_USER_VISIBLE from index idx; returns the next free index. */
int policy_bind_user_filter(Stmt *st, int idx, const User *u);

/* A new piece of case information: the items row the visibility rule reads. Every kind (note, plan,
 * referral, follow-up, assessment) is created here, so none can skip a field the rule needs.
 * source_member_id 0: the participant is the source party. Call inside the caller's transaction;
 * writes the new id. Returns a DB code. */
typedef struct ItemNew {
  int64_t trajectory_id, source_member_id, author_id, created_at;
  const char *kind, *category, *title, *body;
} ItemNew;
int item_create(Db *db, const ItemNew *n, int64_t *id);

/* Whether a consent for category may be given to a member or side (the legal guardrail: health details
 * never go to the work side unless cfg.allow_health_to_work). */
bool policy_consent_allowed(const char *category, const char *grantee_side);

/* The coach's own trajectories, as the FROM clause of a list: `FROM ` POLICY_SQL_COACH_JOIN ` ...` yields a
 * trajectories row `t` for exactly the trajectories the coach has coach grounds on — assigned, or assigned to
 * a coach they stand in for today (CURRENT_DATE, the UTC day, as date_today()) — each once, and binds one
 * parameter, the user id, which must be the first `?` of the query. A join rather than `t.id IN (SELECT ...)`:
 * the database walks the assignments of the user and of the coaches they stand in for instead of building
 * the list of them for every query (measured: the IN list is an ephemeral table per query). No row is
 * doubled: the user's own assignment always counts, and a trajectory reached only as a stand-in comes
 * through the absent coach with the lowest user id (the NOT EXISTS, evaluated for stand-in rows only, so a
 * coach without stand-ins pays a few index lookups per query, not per row). Used by the caseload, its
 * search and the coach's day. Aliases taken: pu, pa, pc, pd, pj, pk. */
#define POLICY_SQL_STANDIN_TODAY(a)                                                                         \
  "SELECT " a ".coach_id FROM coach_standins " a " WHERE " a ".stand_in_id = pu.id AND " a ".cancelled_at IS NULL" \
  " AND " a ".from_on <= CAST(CURRENT_DATE AS TEXT) AND " a ".until_on >= CAST(CURRENT_DATE AS TEXT)"
#define POLICY_SQL_COACH_JOIN                                                                               \
  "users pu JOIN users pa ON (pa.id = pu.id OR pa.id IN (" POLICY_SQL_STANDIN_TODAY("pj") "))"               \
  " JOIN trajectory_coaches pc ON pc.user_id = pa.id"                                                        \
  " JOIN trajectories t ON t.id = pc.trajectory_id AND pu.id = ?"                                            \
  " AND (pa.id = pu.id OR NOT EXISTS (SELECT 1 FROM trajectory_coaches pd WHERE pd.trajectory_id = pc.trajectory_id" \
  "   AND (pd.user_id = pu.id OR (pd.user_id < pc.user_id AND pd.user_id IN (" POLICY_SQL_STANDIN_TODAY("pk") ")))))"

/* Decisions on grounds (the reader's grounds on a trajectory, from the one door). The participant's own
 * details — contact details and registration data on the overview — are for the assigned coaches and the
 * participant themselves, never for network members. */
bool policy_sees_own_details(Grounds g);
/* Questionnaires are filled in by the participant themselves or entered by an assigned coach on their
 * behalf; nobody else may open the form or store answers. */
bool policy_may_fill_questionnaire(Grounds g);

/* Network and consents (network.c, consent.c). The contact details of network members (e-mail, phone) are
 * for the assigned coaches and the participant; a network member sees names and roles of their own side
 * only (the membership rule), never contact details. */
bool policy_sees_member_contacts(Grounds g);
/* Who may give a consent on a trajectory: the participant and a live network member for their own
 * information, the assigned coach (recording one given in a conversation or on a signed form). own_member:
 * the reader's live membership of the trajectory (0: none). */
bool policy_may_give_consent(Grounds g, int64_t own_member);
/* Whether a consent given is recorded by the coach on the source party's behalf: the coach chooses whose
 * information it is, says how and when it was given, and the access log names the source party. Otherwise
 * the reader gives it in the portal, today, for their own information. */
bool policy_consent_on_behalf(Grounds g);
/* Whether the reader may give a consent to the participant: for a network member's information (the coach
 * or that member); the participant sees their own information already. */
bool policy_may_consent_to_participant(Grounds g);
/* The consents a reader sees in the history and may withdraw or renew: the coach all of the trajectory's;
 * the participant those about their own information (source 0); a member those about theirs
 * (source_member_id == own_member, the reader's live membership). */
bool policy_consent_own(Grounds g, int64_t own_member, int64_t source_member_id);
/* Whose information a consent is that the reader gives in the portal (not on behalf): the participant's
 * (0) for the participant, else the reader's own membership (own_member). */
int64_t policy_consent_own_source(Grounds g, int64_t own_member);

#endif
