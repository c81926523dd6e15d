/*
 * store/mail_daily.h — what the day's mails need (table daily_mails, migration 025): who has plan actions
 * due, how many new messages a digest counts, and the durable record that a user's mail of a kind was dealt
 * with on a day. Reads no case content: user ids and numbers only.
 */
#ifndef ZW_STORE_MAIL_DAILY_H
#define ZW_STORE_MAIL_DAILY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* The active accounts whose mail hour (users.digest_hour) is at or before hour and that own an open action
 * of the current plan of an open trajectory due on or before by (YYYY-MM-DD; tomorrow for "today, tomorrow
 * or overdue"): the participant for their own actions, a live network member for the actions of their
 * membership, the assigned coaches and whoever stands in for one of them on day (coach_standins) for the
 * coach's actions; those with an action_due row for day are left
 * out. At most max ids, ascending, into *out (allocated in a), count in *n. Returns a DB code. */
int mail_daily_actions_due(Db *db, Arena *a, const char *by, const char *day, int hour, int max, int64_t **out,
                           int *n);

/* The active accounts that chose the daily digest of new messages (users.message_mail 'daily') whose mail
 * hour is at or before hour and that have no digest row for day. Like mail_daily_actions_due. */
int mail_daily_digest_due(Db *db, Arena *a, const char *day, int hour, int max, int64_t **out, int *n);

/* The number of messages addressed to user_id, not withdrawn and still unread, that arrived after the user's
 * last digest pass (or in the 24 hours before now when there was none), into *count. Returns a DB code. */
int mail_daily_new_messages(Db *db, int64_t user_id, int64_t now, int64_t *count);

/* Records that the mail of kind ("action_due" or "digest") for user_id on day was dealt with (amount: the
 * digest's count, or -1 for none). Call inside the transaction that queues the mail. DB_CONSTRAINT when it
 * was recorded already (another pass was first: queue nothing). Returns a DB code. */
int mail_daily_record(Db *db, int64_t user_id, const char *kind, const char *day, int64_t amount, int64_t now);

/* The hour (0-23) of user_id's mails of the day into *hour (7 when there is no such user). Returns a DB
 * code. */
int mail_daily_hour(Db *db, int64_t user_id, int *hour);

/* Sets user_id's mail hour (0-23). Returns a DB code (DB_CONSTRAINT for an hour out of range). */
int mail_daily_set_hour(Db *db, int64_t user_id, int hour);

#endif
