/*
 * policy.h — the one door: every decision about who may see case information is made here.
 *
 * Visibility rule (doc/DOMAIN.md): a user may see an item if and only if they are its author, a coach
 * assigned to the trajectory, the source party itself, or a network member holding a live consent from
 * the source party for the item's category. Administrators and team leads see no case content unless
 * they are also an assigned coach.
 *
 * Coach grounds: a user with the coach role has them on a trajectory they are assigned to
 * (trajectory_coaches), and — as a stand-in — on every trajectory of a coach they stand in for, on the
 * days from_on..until_on (both included) of a stand-in that was not cancelled (coach_standins, set by the
 * team lead). Before and after that period the stand-in has none. Every form of the rule (C below, the
 * SQL conditions and POLICY_SQL_COACH_JOIN in store/visibility.h) includes the stand-in; "today" is the
 * UTC calendar day.
 *
 * Pages, lists, search, exports and the API ask these functions (or use the matching SQL filters of
 * store/visibility.h, which the store's list functions apply); a refusal answers 404 so that existence
 * does not leak.
 */
#ifndef ZW_POLICY_H
#define ZW_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "db/db.h"
#include "store/items.h"      /* item_create: every piece of case information is made there */
#include "store/visibility.h" /* this rule as SQL conditions for lists (POLICY_SQL_*) */

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

/* Membership visibility: who may learn that somebody is in a trajectory's network — their name,
 * organisation, function, even that they exist (the mere presence of a psychologist in the care network is
 * health information the work side must not learn). The assigned coaches and the participant see every
 * member; a network member sees the members of their own side; everybody else none. A member who does not
 * share their side (network_members.shares_side 0: the contact person of an employer a proposal reached)
 * sees no other member and is seen by no other member, and receives only consents given to them by name,
 * never what was shared with the whole side. Coaches and the
 * participant themselves are known to everyone who may open the trajectory. Pages that name a member
 * (option lists, owners, authors, sources, grantees, counts, error messages) ask these functions or use
 * the SQL conditions of store/visibility.h, and show a neutral label ("another member of the network")
 * otherwise.
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

/* Whether a consent for category may be given to a member or side (the legal guardrail: health details
 * never go to the work side unless cfg.allow_health_to_work). */
bool policy_consent_allowed(const char *category, const char *grantee_side);

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

/* A request to correct information (GDPR art. 16) is asked by the participant about their own trajectory,
 * and seen and answered by an assigned coach (as their task). */
bool policy_may_ask_correction(Grounds g);
bool policy_answers_corrections(Grounds g);

#endif
