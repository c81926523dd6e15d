/*
 * messages.h — secure messages in a trajectory (issue 12). A message is an items row of kind 'message'
 * (created by item_create, policy.h: its category and source party are the sender's) plus a messages row
 * (its thread, its withdrawal) and one message_recipients row per addressee (the read receipt).
 *
 * Who reads a message: the visibility rule (POLICY_SQL_ITEM_VISIBLE) and, on top of it, its author, its
 * recipients and the trajectory's coaches (the hub) — a message is never shown to more people than the rule
 * allows, and not to everybody the rule allows. List functions take the reader and apply both inside; the
 * caller still discloses what it shows (items_disclose, policy/case.h). Names follow the membership rule
 * (POLICY_SQL_USER_VISIBLE): NULL when withheld. All texts are copied into the arena given; every function
 * returns a DB code.
 *
 * The unread badge and the inbox read a summary per recipient (message_inbox, migration 024) that the writes
 * here keep in the same transaction; anything that adds receipts, sets them or withdraws messages goes
 * through these functions (a test or import that writes the tables directly recomputes the summary).
 */
#ifndef ZW_STORE_MESSAGES_H
#define ZW_STORE_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* One message as a reader sees it. */
typedef struct Message {
  int64_t id, thread_id, author_id, created_at, withdrawn_at; /* id: items.id; thread_id 0: starts a thread */
  const char *body, *category;                                 /* body "" once withdrawn */
  const char *author;                                          /* NULL: withheld by the membership rule */
  bool to_me, unread;                                          /* addressed to the reader; not yet read by them */
} Message;

/* One addressee of a message, with the receipt. */
typedef struct MessageRecipient {
  int64_t user_id, read_at; /* read_at 0: not read */
  const char *name;         /* NULL: withheld by the membership rule */
} MessageRecipient;

/* Somebody a message could be addressed to in a trajectory. */
typedef struct MessageCandidate {
  int64_t user_id;
  unsigned roles;          /* the account's role bits: with user_id, enough to ask the rule about them */
  const char *name, *kind; /* kind: "coach", "participant", "care" or "work" */
} MessageCandidate;

/* The messages of trajectory tid that u may read on day today (coach: u has coach grounds on tid), oldest
 * first within a thread, threads by their first message, at most limit, into an arena array. */
int messages_visible(Db *db, Arena *a, const User *u, int64_t tid, bool coach, const char *today, int limit,
                     Message **out, int *n);

/* Message mid of trajectory tid as u reads it: DB_ROW, or DB_DONE when it is not a message of tid that u may
 * read (the rule and author/recipient/coach), or a DB error code. */
int message_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t mid, bool coach, const char *today,
                Message *out);

/* The addressees of message mid (at most 64), named as the membership rule lets u see them. */
int message_recipients_of(Db *db, Arena *a, const User *u, int64_t mid, MessageRecipient **out, int *n);

/* Everybody with an account and standing in trajectory tid — its assigned coaches, its participant, its live
 * network members — other than u and whose name u may see (the membership rule), at most 64. Whether each
 * may read a given message is asked separately (message_reader_allowed). */
int message_candidates(Db *db, Arena *a, const User *u, int64_t tid, MessageCandidate **out, int *n);

/* Whether reader would see an item of trajectory tid with this category, source party (0: the participant)
 * and author under the visibility rule (the SQL form, on a row that does not exist yet) into *ok. */
int message_reader_allowed(Db *db, const User *reader, int64_t tid, const char *category, int64_t source_member_id,
                           int64_t author_id, const char *today, bool *ok);

/* Writes: the messages row of item id (thread 0: it starts one) and one recipient (with the recipient's
 * summary row, message_inbox: message_create first). Inside the caller's transaction. */
int message_create(Db *db, int64_t id, int64_t tid, int64_t thread_id);
int message_add_recipient(Db *db, int64_t id, int64_t user_id);

/* Sets the read receipt of user_id on message id (if addressed to them and unread) to now, and takes it off
 * their summary's unread count (unless withdrawn). Inside the caller's transaction. */
int message_mark_read(Db *db, int64_t id, int64_t user_id, int64_t now);

/* Withdraws message id: withdrawn_at now, its text cleared (the items row and its receipts are kept); it no
 * longer counts as unread in any recipient's summary. Inside the caller's transaction. */
int message_withdraw(Db *db, int64_t id, int64_t now);

/* How many messages addressed to u are unread (not withdrawn, still visible to u under the rule), into *n:
 * one query over u's summary rows with unread messages (message_inbox, migration 024), the rule applied to
 * each row as to the messages it stands for. */
int messages_unread_count(Db *db, const User *u, const char *today, int64_t *n);

/* One trajectory in u's inbox: the conversations with messages addressed to u. */
typedef struct InboxRow {
  int64_t trajectory_id, participant_id, unread, total;
  const char *participant; /* the participant's name */
  /* u's standing in the trajectory as policy_trajectory reads it, the first that holds (at most one is set;
   * policy_inbox_grounds names the grounds): a coach assigned or standing in today, its participant's
   * account, a live network member */
  bool coach, participant_self, member;
} InboxRow;

/* The trajectories with messages addressed to u that u may read, most recent first, at most limit: from u's
 * summary rows (message_inbox), the rule applied to each; with u's standing in each trajectory. */
int messages_inbox(Db *db, Arena *a, const User *u, const char *today, int limit, InboxRow **out, int *n);

#endif
