/*
 * reviews.h — case reviews of the team (issue 12, part 3): a meeting of the coaches with a chair who rotates,
 * an agenda of trajectories each brought in by its own coach with a short question, and the advice given
 * (also stored on the trajectory as a coach note, an item of kind 'note', category 'plan').
 *
 * The team is every active user with the coach role, joined per review by the care-side practitioners a coach
 * invites (case_review_practitioners, migration 025). Agenda items carry what is needed to name the
 * participant (the caller decides, by the reader's grounds and the team-discussion consent, whether to show
 * the name or initials and the trajectory number). Texts are copied into the arena given; every function
 * returns a DB code.
 */
#ifndef ZW_STORE_REVIEWS_H
#define ZW_STORE_REVIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One review: when, its chair, how many trajectories are on its agenda. */
typedef struct Review {
  int64_t id, chair_id, items;
  const char *held_on, *chair_name;
} Review;

/* One coach of the team and the day they last chaired a review (NULL: never). */
typedef struct ReviewCoach {
  int64_t id;
  const char *name, *last_chaired;
} ReviewCoach;

/* One agenda item. advice: NULL while none was recorded. team_consent: the participant consented to team
 * discussion (their name may be shown to every coach of the team). */
typedef struct ReviewItem {
  int64_t id, review_id, trajectory_id, participant_id, brought_by, note_id;
  const char *first_name, *last_name, *question, *advice, *brought_by_name;
  bool team_consent;
} ReviewItem;

/* The category of a review's advice as stored on the trajectory (a coach note), and the category a
 * practitioner's consent must cover for the participant to be named to them on an agenda. */
#define REVIEW_ADVICE_CATEGORY "plan"

/* A practitioner of a review (or one who may be invited): an active care-side partner. */
typedef struct ReviewPerson {
  int64_t id;
  const char *name, *function;
} ReviewPerson;

/* The active coaches of the team in the order of the rotation: who never chaired first, then who chaired
 * least recently, ties by name; at most 200, into an arena array. The first is the proposed chair. */
int reviews_coaches_rotation(Db *db, Arena *a, ReviewCoach **out, int *n);

/* Whether user_id is an active coach of the team, into *is. */
int reviews_is_team_coach(Db *db, int64_t user_id, bool *is);

/* A new review held on held_on (YYYY-MM-DD) chaired by chair_id, made by u; writes the new id. */
int review_create(Db *db, const User *u, const char *held_on, int64_t chair_id, int64_t now, int64_t *id);

/* The reviews, newest first (at most 200), with the chair's name and the number of agenda items (counts only:
 * fit for a team lead), into an arena array. u is the reader: a coach or team lead sees every review, anybody
 * else (a practitioner) only the reviews they are invited to. */
int reviews_list(Db *db, Arena *a, const User *u, Review **out, int *n);

/* Review id into *out: DB_ROW, DB_DONE when there is none, or a DB error. */
int review_get(Db *db, Arena *a, const User *u, int64_t id, Review *out);

/* The agenda of review rid, in the order brought in (at most 100), into an arena array. u takes part in the
 * review — a coach of the team, or a practitioner invited to it (the caller's door, policy_review_member);
 * the caller decides per item what of the participant to show (review_agenda_disclose). */
int review_items(Db *db, Arena *a, const User *u, int64_t rid, ReviewItem **out, int *n);

/* Agenda item iid of trajectory tid into *out: DB_ROW, DB_DONE when there is none. */
int review_item_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t iid, ReviewItem *out);

/* Puts trajectory tid on the agenda of review rid with question, brought by u; writes the new id. */
int review_item_add(Db *db, const User *u, int64_t rid, int64_t tid, const char *question, int64_t now, int64_t *id);

/* Records the advice of item iid and the coach note it was stored in (note_id). Inside the caller's
 * transaction. */
int review_item_advice(Db *db, int64_t iid, const char *advice, int64_t note_id);

/* The practitioners invited to review rid, by name (at most 100), into an arena array. */
int review_practitioners(Db *db, Arena *a, int64_t rid, ReviewPerson **out, int *n);

/* The practitioners who may be invited to a review: active partners on the care side not invited to rid yet,
 * by name (at most 200), into an arena array. */
int review_practitioner_candidates(Db *db, Arena *a, int64_t rid, ReviewPerson **out, int *n);

/* Invites user_id (an active care-side partner; DB_CONSTRAINT otherwise, or when invited already) to review
 * rid, by u. Inside the caller's transaction. */
int review_practitioner_add(Db *db, const User *u, int64_t rid, int64_t user_id, int64_t now);

/* Whether user_id is invited to review rid, into *yes. */
int review_practitioner_invited(Db *db, int64_t rid, int64_t user_id, bool *yes);

/* Whether the participant of trajectory tid consented to team discussion, into *yes (and *on, the date, or
 * NULL). */
int review_team_consent(Db *db, Arena *a, int64_t tid, bool *yes, const char **on);

/* Records that the participant of trajectory tid consented to team discussion on date on, recorded by u. */
int review_team_consent_set(Db *db, const User *u, int64_t tid, const char *on, int64_t now);

#endif
