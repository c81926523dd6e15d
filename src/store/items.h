/*
 * items.h — case items and notes. Every piece of case information (note, plan version, referral, follow-up,
 * assessment) is an items row, created by item_create (policy.h) so that none skips a field the visibility
 * rule reads; a note is an item of kind 'note' whose title and body are its content.
 *
 * List functions take the reader and filter with POLICY_SQL_ITEM_VISIBLE, so a hidden note is not fetched,
 * not counted and not searchable; authors and source parties are named only as the membership rule allows
 * (POLICY_SQL_USER_VISIBLE, POLICY_SQL_MEMBER_VISIBLE). The caller still discloses what it shows
 * (items_disclose, policy/case.h). All texts are copied into the arena given.
 */
#ifndef ZW_STORE_ITEMS_H
#define ZW_STORE_ITEMS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One note. */
typedef struct Note {
  int64_t id, created_at; /* id: items.id */
  const char *title, *body, *category;
  const char *author, *source_name; /* NULL: withheld by the membership rule */
  bool source_member;               /* false: the participant is the source party */
} Note;

/* Which notes of a trajectory a list shows: category "" for all; like "" for no search, else a LIKE pattern
 * (lower case, with %, _ and \ escaped by \). */
typedef struct NoteFilter {
  int64_t trajectory_id;
  const char *category, *like;
} NoteFilter;

/* How many notes match f that u may see on day today (YYYY-MM-DD), into *total. Returns a DB code. */
int notes_count(Db *db, const User *u, const NoteFilter *f, const char *today, int64_t *total);

/* The notes matching f that u may see on day today, newest first, at most limit from offset, into an arena
 * array. Returns a DB code; *n may be 0. */
int notes_visible(Db *db, Arena *a, const User *u, const NoteFilter *f, const char *today, int64_t limit,
                  int64_t offset, Note **out, int *n);

/* Note nid (any kind of item, by id) into *out, its author and source named as the membership rule lets u
 * see them: DB_ROW, DB_DONE when there is no such item, or a DB error code. Does not decide whether u may see
 * it: the caller asked policy_item first. */
int note_get(Db *db, Arena *a, const User *u, int64_t nid, Note *out);

/* A new piece of case information: the items row the visibility rule reads. Every kind (note, plan,
 * referral, follow-up, assessment, and what comes) is created here, so none can skip a field the rule
 * needs (policy.h includes this file for it). source_member_id 0: the participant is the source party.
 * Call inside the caller's transaction; writes the new id. Returns a DB code. */
typedef struct ItemNew {
  int64_t trajectory_id, source_member_id, author_id, created_at;
  const char *kind, *category, *title, *body;
} ItemNew;
int item_create(Db *db, const ItemNew *n, int64_t *id);

#endif
