/*
 * proposals.h — proposals of a participant for an opening, to its employer (issue 13, part 4), mapped from
 * their row into one struct in one place, and their writes.
 *
 * The mediator (an assigned coach) makes a proposal; the participant answers it first (agreeing gives the
 * consents that let the employer's contact person see the job profile's 'work' and 'capacity' parts); then
 * the employer's users see it — only while such a consent is live (proposals_for_employer applies the
 * visibility rule to the profile's items inside) — and accept (invite for a talk) or decline. Statuses:
 * draft, awaiting_participant, declined_by_participant, sent, accepted, declined_by_employer, withdrawn.
 * Which status may follow which, and who moves it, is the pages' and policy's decision; these functions
 * store it. Texts are copied into the arena given.
 */
#ifndef ZW_STORE_PROPOSALS_H
#define ZW_STORE_PROPOSALS_H

#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One proposal, with its opening's title and employer's name and the participant's name joined in.
 * member_id, consent_*_id 0: none yet; employer_reply NULL: none. */
typedef struct Proposal {
  int64_t id, trajectory_id, participant_id, opening_id, employer_org_id, member_id, consent_work_id,
      consent_capacity_id, created_by, created_at, status_changed_at;
  const char *status, *note, *employer_reply;
  const char *opening_title, *employer_name, *first_name, *last_name;
  int hours_min, hours_max; /* the opening's (hours_min -1: none) */
  const char *region, *work_kind;
} Proposal;

/* The proposals of trajectory tid, newest first, at most max, into an arena array. The caller passed the one
 * door for tid. Returns a DB code. */
int proposals_of_trajectory(Db *db, Arena *a, int64_t tid, int max, Proposal **out, int *n);

/* Proposal id into *out: DB_ROW, DB_DONE when there is none, or a DB error code. Decides nothing. */
int proposal_get(Db *db, Arena *a, int64_t id, Proposal *out);

/* The proposals to employer org that went to the employer (sent, accepted, declined_by_employer) and whose
 * participant's job profile u may see at least one part of on day today (POLICY_SQL_ITEM_VISIBLE), newest
 * first, at most max, into an arena array. The caller still discloses what it shows. Returns a DB code. */
int proposals_for_employer(Db *db, Arena *a, const User *u, int64_t org, const char *today, int max, Proposal **out,
                           int *n);

/* A new proposal, in status 'awaiting_participant'. */
typedef struct ProposalNew {
  int64_t trajectory_id, opening_id, employer_org_id, created_by, created_at;
  const char *note;
  bool draft; /* kept by the mediator as a draft (status 'draft'), else waiting for the participant */
} ProposalNew;

/* Creates proposal n inside the caller's transaction; writes its id. DB_CONSTRAINT when the trajectory has
 * a live proposal for this opening already. Returns a DB code. */
int proposal_create(Db *db, const ProposalNew *n, int64_t *id);

/* Moves proposal id from status `from` to `to` by user `by` at now, inside the caller's transaction;
 * reply (or NULL) becomes the employer's reply. Returns DB_OK, DB_DONE when it is no longer in `from`
 * (changed meanwhile: nothing written), or a DB error code. */
int proposal_move(Db *db, int64_t id, const char *from, const char *to, int64_t by, int64_t now, const char *reply);

/* Records the consents and the member an agreed proposal gave (inside the caller's transaction). */
int proposal_set_consents(Db *db, int64_t id, int64_t member_id, int64_t consent_work, int64_t consent_capacity);

/* The user who receives proposals for employer org: the profile's contact person when set and active, else
 * the first active partner user of that organisation (by id); 0 when there is none. Returns a DB code. */
int proposal_employer_contact(Db *db, int64_t org, int64_t *user_id);

/* ---- notices : who is told of a proposal's step, and what they are told in the portal */

/* Who hears of a proposal's step: bits of ProposalAudience. */
enum { PA_PARTICIPANT = 1, PA_COACHES = 2, PA_EMPLOYER = 4 };

/* The active accounts to tell of a step of proposal id: the participant's own account (PA_PARTICIPANT), the
 * trajectory's assigned coaches (PA_COACHES), the employer's member of the network that the participant's yes
 * made (PA_EMPLOYER: pr.member_id's account, while the membership lasts) — never except_user (who took the
 * step). At most max, into an arena array *uids with *roles (the PA_ bit each was chosen by). Returns a DB
 * code. */
int proposal_audience(Db *db, Arena *a, int64_t id, unsigned who, int64_t except_user, int max, int64_t **uids,
                      unsigned **roles, int *n);

/* The number of proposals of trajectory tid waiting for the participant's answer into *n. Returns a DB code. */
int proposals_awaiting_count(Db *db, int64_t tid, int64_t *n);

/* An undismissed notice about a proposal: ids for the link and the event, nothing else. */
typedef struct ProposalNotice {
  int64_t id, trajectory_id, proposal_id, at;
  const char *event;
} ProposalNotice;

/* Adds a notice of event (a proposals.status the step moved to) for user_id. Inside the caller's transaction.
 * Returns a DB code. */
int proposal_notice_add(Db *db, int64_t user_id, int64_t tid, int64_t proposal_id, const char *event, int64_t at);
/* The undismissed notices of user_id, newest first, at most max, into an arena array. Returns a DB code. */
int proposal_notices_open(Db *db, Arena *a, int64_t user_id, int max, ProposalNotice **out, int *n);
/* Dismisses every open notice of event about proposal id (the question it told of is gone: answered or
 * withdrawn). Inside the caller's transaction. Returns a DB code. */
int proposal_notices_close(Db *db, int64_t proposal_id, const char *event, int64_t now);
/* Dismisses notice id of user_id. Returns a DB code; DB_DONE when it is not an open notice of that user. */
int proposal_notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now);

#endif
