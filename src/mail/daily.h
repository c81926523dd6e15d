/*
 * mail/daily.h — the mails of the day (issue 12, part 4): "actions due" and the digest of new messages.
 *
 * A pass (mail_daily_pass) queues, per user and day (the portal's time zone), at most one "actions due" mail
 * — when an open action of a current plan that they own (the participant's own, a network member's of their
 * membership, the coach's for the assigned coaches) is due today, tomorrow or overdue — and, for who chose
 * the daily digest, at most one digest counting their new messages since the previous digest (none when
 * there are none). Both go out at or after the user's mail hour (users.digest_hour, default 7). The mails
 * say only that there is something and how many messages: never a name, an action or a message text. Each
 * is recorded in daily_mails in the transaction that queues it, so a second pass the same day — the
 * server's worker after a restart, or `zorgwerk mail due` from cron — queues nothing again.
 */
#ifndef ZW_MAIL_DAILY_H
#define ZW_MAIL_DAILY_H

#include <stdint.h>

#include "db/db.h"

/* Runs the day's pass at unix time now; *queued (may be NULL) gets the number of mails queued. Without
 * smtp_url it does nothing. A user whose mail cannot be queued (no usable address) is recorded all the
 * same and skipped. Returns a DB code (the first failure; the users before it keep their mails). */
int mail_daily_pass(Db *db, int64_t now, int *queued);

#endif
