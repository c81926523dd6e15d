/*
 * meetings.h — meetings of a trajectory (a network consultation, an evaluation talk with the employer, an
 * intake, a job-coaching contact...), their attendees and answers, their minutes, and the personal calendar
 * feed's tokens.
 *
 * Who sees a meeting: a reader who sees all meetings of the trajectory (the caller's decision from the
 * reader's grounds: the assigned coaches and the participant) or who is one of its attendees — a network
 * member while the membership is live, or the participant. Attendees are named only as the membership rule
 * allows (POLICY_SQL_MEMBER_VISIBLE). The minutes are items (kind 'minutes') with a category and a source
 * party, listed through POLICY_SQL_ITEM_VISIBLE: a meeting's attendee does not see minutes the rule hides.
 * Times are unix seconds (UTC). Texts are copied into the arena given; every function returns a DB code.
 */
#ifndef ZW_STORE_MEETINGS_H
#define ZW_STORE_MEETINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"
#include "store/items.h"

/* Kinds, contact modes and answers as stored, NULL-terminated. */
extern const char *const meeting_kinds[];
extern const char *const meeting_modes[];

/* One meeting row. place, video_url, agenda: "" when not given. sequence: the calendar's SEQUENCE (0 when
 * planned, raised by each change and the cancellation); cancelled_at: 0 unless cancelled. */
typedef struct Meeting {
  int64_t id, trajectory_id, starts_at, minutes, created_by, created_at, sequence, cancelled_at;
  const char *kind, *mode, *place, *video_url, *agenda;
} Meeting;

/* One attendee. name: NULL when the membership rule withholds it; participant: the participant attends
 * (member_id 0); me: the reader is this attendee (and may answer). */
typedef struct Attendee {
  int64_t id, member_id;
  const char *name, *response;
  bool participant, me;
} Attendee;

/* A meeting to plan; the attendees are member ids (live members of the trajectory, checked by the caller)
 * and, when with_participant, the participant. */
typedef struct MeetingNew {
  int64_t trajectory_id, starts_at, minutes, created_by, created_at;
  const char *kind, *mode, *place, *video_url, *agenda;
  const int64_t *members;
  int nmembers;
  bool with_participant;
} MeetingNew;

/* Inserts meeting n and its attendees (answers pending) inside the caller's transaction; writes the new
 * id. */
int meeting_create(Db *db, const MeetingNew *n, int64_t *id);

/* Changes meeting mid (not cancelled) to n's kind, mode, time, duration, place, video link, agenda and
 * attendees (kept attendees keep their answers unless the time or duration changed, which asks them again;
 * removed ones are deleted; new ones are pending) and raises its sequence, inside the caller's transaction. DB_DONE when there is no such meeting or it was cancelled. */
int meeting_update(Db *db, int64_t mid, const MeetingNew *n);

/* Cancels meeting mid (cancelled_at now, sequence raised), inside the caller's transaction; the meeting and
 * its attendees stay. DB_DONE when there is no such meeting or it was cancelled already. */
int meeting_cancel(Db *db, int64_t mid, int64_t now);

/* The meetings of trajectory tid that u may see (all: u sees every meeting of it; else those u attends),
 * soonest first, at most max, into an arena array. */
int meetings_visible(Db *db, Arena *a, const User *u, int64_t tid, bool all, int max, Meeting **out, int *n);

/* Meeting mid of trajectory tid into *out when u may see it (all as above): DB_ROW, or DB_DONE when it does
 * not exist, belongs to another trajectory or u may not see it. */
int meeting_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t mid, bool all, Meeting *out);

/* The trajectory meeting mid belongs to into *tid (0: no such meeting). */
int meeting_trajectory(Db *db, int64_t mid, int64_t *tid);

/* The attendees of meeting mid (at most 64), named as the membership rule lets u see them, the participant
 * first; arena array. */
int meeting_attendees(Db *db, Arena *a, const User *u, int64_t mid, Attendee **out, int *n);

/* Records u's answer ("accepted" or "declined") on every attendance of u at meeting mid, inside the caller's
 * transaction; *changed: how many attendances (0: u does not attend). */
int meeting_respond(Db *db, const User *u, int64_t mid, const char *response, int64_t now, int64_t *changed);

/* New minutes of meeting mid: an items row (kind 'minutes', via item_create) linked to the meeting, inside
 * the caller's transaction; writes the item id. */
int meeting_minutes_add(Db *db, int64_t mid, const ItemNew *item, int64_t *id);

/* The minutes of meeting mid that u may see on day today (POLICY_SQL_ITEM_VISIBLE), oldest first, at most
 * max, as Notes (source named as the membership rule allows); arena array. */
int meeting_minutes_visible(Db *db, Arena *a, const User *u, int64_t mid, const char *today, int max, Note **out,
                            int *n);

/* ---- the personal calendar feed ---- */

/* Makes token_hash the only live feed token of user uid (earlier ones revoked at now), inside the caller's
 * transaction. */
int calendar_token_set(Db *db, int64_t uid, const char *token_hash, int64_t now);
/* Revokes every live feed token of uid; *changed: how many. */
int calendar_token_revoke(Db *db, int64_t uid, int64_t now, int64_t *changed);
/* Whether uid has a live feed token, and since when (*since, 0 if none). */
int calendar_token_live(Db *db, int64_t uid, int64_t *since);
/* The user of the live (not revoked) token with this hash: DB_ROW with *uid, or DB_DONE. */
int calendar_token_user(Db *db, const char *token_hash, int64_t *uid);

/* The meetings of user uid for the feed — those uid attends and those of trajectories uid is an assigned
 * coach of — starting after `from`, soonest first, at most max; only id, trajectory_id, starts_at and
 * minutes, sequence and cancelled_at are filled. Cancelled meetings are included. */
int calendar_meetings(Db *db, Arena *a, int64_t uid, int64_t from, int max, Meeting **out, int *n);

#endif
