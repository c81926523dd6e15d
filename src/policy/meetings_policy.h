/*
 * meetings_policy.h — the decisions of meetings and case reviews (issue 12, parts 2 and 3): who sees every
 * meeting of a trajectory, who plans, changes and cancels them, how a participant on a case review's agenda
 * is named to a reader, and the access-log batches of their lists. Opening a trajectory is the case door
 * (policy/case.h); the minutes are items and go through items_disclose.
 */
#ifndef ZW_POLICY_MEETINGS_POLICY_H
#define ZW_POLICY_MEETINGS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "policy/policy.h"
#include "store/meetings.h"
#include "store/reviews.h"

/* Whether a reader with grounds g on a trajectory sees every meeting of it (an assigned coach, the
 * participant) rather than only the meetings they attend. */
bool policy_sees_all_meetings(Grounds g);

/* Whether a reader with grounds g plans meetings of the trajectory, changes or cancels them and records their
 * minutes: an assigned coach only. */
bool policy_may_plan_meetings(Grounds g);

/* Whether a participant on a case review's agenda is named (first and last name) to a reader with grounds g
 * on the trajectory: an assigned coach, or anybody who sees the review when the participant consented to
 * team discussion (team_consent). Otherwise initials and the trajectory number. */
bool policy_review_names_participant(Grounds g, bool team_consent);

/* Whether a reader with grounds g on a trajectory on a review's agenda records the advice given: its
 * assigned coach only. */
bool policy_may_record_review_advice(Grounds g);

/* The one access-log batch of a list of meetings of trajectory tid (the store's filtered list,
 * meetings_visible): the list ("meetings", "list", the reader's grounds g) and a "view" of each meeting
 * shown. Allocates the batch in the request arena. Returns a DB code (nothing logged on an error). */
int meetings_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const Meeting *ms, int n);

/* Whether a user takes part in a case review (reads its agenda): a coach of the team (coach), or a
 * practitioner invited to that review (invited). */
bool policy_review_member(bool coach, bool invited);

/* The reader's grounds on the trajectory of each of the n agenda items of review rid (store's review_items)
 * into gs[i], and whether its participant is named to the reader into named[i] (arena arrays of n): to a
 * coach by policy_review_names_participant; to a practitioner (a reader who is not a coach) only when they
 * are a live network member of the trajectory holding the participant's live consent for
 * REVIEW_ADVICE_CATEGORY (to them or their side; the team-discussion consent is for the team's coaches).
 * Then one access-log batch with a "view" of the review per trajectory shown: grounds "coach" for its own
 * coach, "consent" (with the consent) for a named practitioner, "review" for the other members (who read
 * initials and the number). Returns a DB code (nothing logged on an error). */
int review_agenda_disclose(Req *r, int64_t rid, const ReviewItem *items, int n, Grounds **gs, bool **named);

#endif
