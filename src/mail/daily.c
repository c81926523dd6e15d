/*
 * mail/daily.c — see daily.h.
 */
#include "mail/daily.h"

#include <string.h>

#include "core/dates.h"
#include "core/log.h"
#include "core/text.h"
#include "mail/outbox.h"
#include "store/mail_daily.h"

enum { PASS_MAX_USERS = 100000 };

/* One user's mail of kind for day: records it and queues the mail (count < 0: "actions due"; 0: recorded,
 * nothing queued) in one transaction. A pass that was first elsewhere (DB_CONSTRAINT on the record) and an
 * account without a usable address are no failure. *sent is set when a mail was queued. Returns a DB code. */
static int one_user(Db *db, Arena *a, int64_t uid, const char *kind, const char *day, int64_t count, int64_t now,
                    bool *sent) {
  *sent = false;
  int rc = db_begin(db);
  if (rc != DB_OK) return rc;
  rc = mail_daily_record(db, uid, kind, day, count, now);
  if (rc == DB_OK && count != 0) {
    if (count < 0) rc = outbox_queue(db, uid, NULL, "action_due", outbox_portal_url(a, "/"), NULL);
    else rc = outbox_queue_digest(db, uid, outbox_portal_url(a, "/messages"), count);
    if (rc == DB_OK) *sent = true;
    else if (rc == DB_CONSTRAINT) rc = DB_OK; /* no usable address: recorded, no mail */
  }
  if (rc == DB_OK) return db_commit(db);
  db_rollback(db);
  return rc == DB_CONSTRAINT ? DB_OK : rc; /* recorded already by another pass */
}

int mail_daily_pass(Db *db, int64_t now, int *queued) {
  if (queued) *queued = 0;
  if (!outbox_enabled()) return DB_OK;
  struct tm tm;
  if (!dates_local(now, &tm)) return DB_ERROR;
  int32_t today = days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
  char day[11], by[11];
  date_format(today, day);
  date_format(today + 1, by);
  Arena *a = arena_new();
  int64_t *ids;
  int n = 0, rc = mail_daily_actions_due(db, a, by, day, tm.tm_hour, PASS_MAX_USERS, &ids, &n);
  for (int i = 0; i < n && rc == DB_OK; i++) {
    bool sent;
    rc = one_user(db, a, ids[i], "action_due", day, -1, now, &sent);
    if (sent && queued) (*queued)++;
  }
  if (rc == DB_OK) rc = mail_daily_digest_due(db, a, day, tm.tm_hour, PASS_MAX_USERS, &ids, &n);
  for (int i = 0; i < n && rc == DB_OK; i++) {
    int64_t count = 0;
    bool sent;
    rc = mail_daily_new_messages(db, ids[i], now, &count);
    if (rc == DB_OK) rc = one_user(db, a, ids[i], "digest", day, count, now, &sent);
    if (rc == DB_OK && sent && queued) (*queued)++;
  }
  arena_free(a);
  if (rc != DB_OK) log_warn("mail: the day's pass stopped (%s)", db_code_name(rc));
  return rc;
}
