/*
 * audit.c — see audit.h. The hash is BLAKE2b-256 over the previous hash and the entry's fields, each
 * length-prefixed so that no two different entries serialise alike.
 */
#include "policy/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "html/frame.h"

static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void feed(crypto_generichash_state *s, const char *v) {
  char len[24];
  size_t n = v ? strlen(v) : 0;
  snprintf(len, sizeof len, "%zu:", n);
  crypto_generichash_update(s, (const unsigned char *)len, strlen(len));
  if (n) crypto_generichash_update(s, (const unsigned char *)v, n);
}

static void feed_int(crypto_generichash_state *s, int64_t v) {
  char num[24];
  snprintf(num, sizeof num, "%lld", (long long)v);
  feed(s, num);
}

static void entry_hash(const char *prev, int64_t id, int64_t at, int64_t user_id, const char *role, int64_t pid,
                       int64_t tid, const char *item, const char *action, const char *outcome, const char *grounds,
                       const char *client, const char *rid, char out[65]) {
  crypto_generichash_state s;
  crypto_generichash_init(&s, NULL, 0, 32);
  feed(&s, prev);
  feed_int(&s, id);
  feed_int(&s, at);
  feed_int(&s, user_id);
  feed(&s, role);
  feed_int(&s, pid);
  feed_int(&s, tid);
  feed(&s, item);
  feed(&s, action);
  feed(&s, outcome);
  feed(&s, grounds);
  feed(&s, client);
  feed(&s, rid);
  unsigned char h[32];
  crypto_generichash_final(&s, h, sizeof h);
  sodium_bin2hex(out, 65, h, sizeof h);
}

int audit_append(Db *db, int64_t user_id, const char *role, const char *client, const char *rid,
                 const AuditEntry *e) {
  bool own = !db_in_tx(db);
  int rc;
  if (own && (rc = db_begin(db)) != DB_OK) return rc;
  Stmt *st = db_prepare(db, "SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1");
  if (!st) rc = DB_ERROR;
  else {
    rc = db_step(st);
    char prev[65];
    int64_t id = 1;
    if (rc == DB_ROW) {
      snprintf(prev, sizeof prev, "%s", db_text(st, "hash"));
      id = db_int(st, "id") + 1;
    } else {
      snprintf(prev, sizeof prev, "%s", GENESIS);
    }
    db_done(st);
    if (rc == DB_ROW || rc == DB_DONE) {
      int64_t at = (int64_t)time(NULL);
      char hash[65];
      entry_hash(prev, id, at, user_id, role, e->participant_id, e->trajectory_id, e->item, e->action, e->outcome,
                 e->grounds, client, rid, hash);
      Stmt *ins = db_prepare(db,
                             "INSERT INTO access_log (id, at, user_id, role, participant_id, trajectory_id, item, "
                             "action, outcome, grounds, client, request_id, prev_hash, hash) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!ins) rc = DB_ERROR;
      else {
        db_bind_int(ins, 1, id);
        db_bind_int(ins, 2, at);
        if (user_id) db_bind_int(ins, 3, user_id); else db_bind_null(ins, 3);
        db_bind_text(ins, 4, role);
        if (e->participant_id) db_bind_int(ins, 5, e->participant_id); else db_bind_null(ins, 5);
        if (e->trajectory_id) db_bind_int(ins, 6, e->trajectory_id); else db_bind_null(ins, 6);
        db_bind_text(ins, 7, e->item);
        db_bind_text(ins, 8, e->action);
        db_bind_text(ins, 9, e->outcome);
        db_bind_text(ins, 10, e->grounds);
        db_bind_text(ins, 11, client);
        db_bind_text(ins, 12, rid);
        db_bind_text(ins, 13, prev);
        db_bind_text(ins, 14, hash);
        rc = db_run(ins);
      }
    }
  }
  if (own) {
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
  }
  return rc;
}

static const char *role_code(unsigned roles) {
  if (roles & ROLE_COACH) return "coach";
  if (roles & ROLE_PARTICIPANT) return "participant";
  if (roles & ROLE_PARTNER) return "partner";
  if (roles & ROLE_TEAMLEAD) return "teamlead";
  if (roles & ROLE_LOGOFFICER) return "logofficer";
  if (roles & ROLE_ADMIN) return "admin";
  return "anonymous";
}

int audit_write(Req *r, const AuditEntry *e) {
  if (cfg.access_log_off) return DB_OK;
  return audit_append(r->db, r->user ? r->user->id : 0, r->user ? role_code(r->user->roles) : "anonymous", r->ip,
                      r->rid, e);
}

int audit_verify(Db *db, int64_t *bad_id, int64_t *checked) {
  *bad_id = 0;
  *checked = 0;
  Stmt *st = db_prepare(db,
                        "SELECT id, at, user_id, role, participant_id, trajectory_id, item, action, outcome, "
                        "grounds, client, request_id, prev_hash, hash FROM access_log ORDER BY id");
  if (!st) return DB_ERROR;
  char prev[65];
  snprintf(prev, sizeof prev, "%s", GENESIS);
  int64_t expect_id = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t id = db_int(st, "id");
    char h[65];
    entry_hash(prev, id, db_int(st, "at"), db_int(st, "user_id"), db_text(st, "role"), db_int(st, "participant_id"),
               db_int(st, "trajectory_id"), db_text(st, "item"), db_text(st, "action"), db_text(st, "outcome"),
               db_text(st, "grounds"), db_text(st, "client"), db_text(st, "request_id"), h);
    const char *stored = db_text(st, "hash"), *stored_prev = db_text(st, "prev_hash");
    if ((expect_id && id != expect_id + 1) || strcmp(stored_prev, prev) != 0 || strcmp(stored, h) != 0) {
      *bad_id = id;
      break;
    }
    snprintf(prev, sizeof prev, "%s", stored);
    expect_id = id;
    (*checked)++;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
