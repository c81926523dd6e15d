/*
 * audit.c — see audit.h. The hash is BLAKE2b-256 over the previous hash and the entry's fields, each
 * length-prefixed so that no two different entries serialise alike.
 */
#include "policy/audit.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "html/frame.h"
#include "http/server.h"

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
                       const char *client, const char *rid, int64_t consent_id, int64_t on_behalf_of,
                       char out[65]) {
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
  /* fields added in migration 002 enter the hash only when set, so older entries keep verifying */
  if (consent_id || on_behalf_of) {
    feed_int(&s, consent_id);
    feed_int(&s, on_behalf_of);
  }
  unsigned char h[32];
  crypto_generichash_final(&s, h, sizeof h);
  sodium_bin2hex(out, 65, h, sizeof h);
}

/* The newest entry: its id and hash (GENESIS and 0 for an empty log). Call inside the write transaction. */
typedef struct ChainHead {
  int64_t id;
  char hash[65];
} ChainHead;

static int chain_head(Db *db, ChainHead *head) {
  Stmt *st = db_prepare(db, "SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  head->id = 0;
  snprintf(head->hash, sizeof head->hash, "%s", GENESIS);
  if (rc == DB_ROW) {
    head->id = db_int(st, "id");
    snprintf(head->hash, sizeof head->hash, "%s", db_text(st, "hash"));
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Appends e after head and moves head to it. Call inside the write transaction that read head. */
static int chain_insert(Db *db, ChainHead *head, int64_t user_id, const char *role, const char *client,
                        const char *rid, const AuditEntry *e) {
  int64_t id = head->id + 1, at = (int64_t)time(NULL);
  char hash[65];
  entry_hash(head->hash, id, at, user_id, role, e->participant_id, e->trajectory_id, e->item, e->action, e->outcome,
             e->grounds, client, rid, e->consent_id, e->on_behalf_of, hash);
  Stmt *ins = db_prepare(db,
                         "INSERT INTO access_log (id, at, user_id, role, participant_id, trajectory_id, item, "
                         "action, outcome, grounds, client, request_id, prev_hash, hash, consent_id, on_behalf_of) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ins) return DB_ERROR;
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
  db_bind_text(ins, 13, head->hash);
  db_bind_text(ins, 14, hash);
  if (e->consent_id) db_bind_int(ins, 15, e->consent_id); else db_bind_null(ins, 15);
  if (e->on_behalf_of) db_bind_int(ins, 16, e->on_behalf_of); else db_bind_null(ins, 16);
  int rc = db_run(ins);
  if (rc == DB_OK) {
    head->id = id;
    memcpy(head->hash, hash, sizeof hash);
  }
  return rc;
}

int audit_append(Db *db, int64_t user_id, const char *role, const char *client, const char *rid,
                 const AuditEntry *e) {
  bool own = !db_in_tx(db);
  int rc;
  if (own && (rc = db_begin(db)) != DB_OK) return rc;
  ChainHead head;
  rc = chain_head(db, &head);
  if (rc == DB_OK) rc = chain_insert(db, &head, user_id, role, client, rid, e);
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

/* ---- group commit ----
 * Requests put a Pending (on their own stack) on the queue and sleep on `done_cv` until the writer has
 * committed the batch holding it. The writer takes the whole queue at once, appends every entry in one
 * transaction on its own connection, commits (one fsync for the batch) and wakes the waiters. */

typedef struct Pending {
  struct Pending *next;
  Req *req;       /* queued by a served request, resumed when done; NULL: a waiter on done_cv */
  AuditEntry copy; /* the entry, copied into the request's arena (the caller's may be on its stack) */
  int64_t user_id;
  const char *role, *client, *rid;
  const AuditEntry *e;
  int rc;
  bool done;
} Pending;

static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER, done_cv = PTHREAD_COND_INITIALIZER;
static Pending *q_head, **q_tail = &q_head;
static int q_reqs; /* served requests with entries in the queue */
static bool running, stopping;
static pthread_t writer;
static Db *wdb;

static int write_batch(Pending *batch) {
  int rc = DB_BUSY;
  for (int attempt = 0; attempt < 3 && rc == DB_BUSY; attempt++) { /* each waits the busy timeout */
    rc = db_begin(wdb);
    if (rc == DB_BUSY) continue; /* busy_timeout already waited */
    ChainHead head; /* read once per batch: the batch holds the write lock, nobody else appends */
    rc = chain_head(wdb, &head);
    for (Pending *p = batch; p && rc == DB_OK; p = p->next)
      rc = chain_insert(wdb, &head, p->user_id, p->role, p->client, p->rid, p->e);
    if (rc == DB_OK) rc = db_commit(wdb);
    else db_rollback(wdb);
  }
  return rc;
}

/* Group commit with a short wait (like PostgreSQL's commit_delay): when more requests are being served than
 * have entries queued, wait up to cfg.audit_commit_delay_us for them, so that one commit (one fsync, and
 * one invalidation of every reader's page cache) covers more entries. A lone request never waits. Called
 * and returns with q_mu held. */
static void linger(void) {
  if (cfg.audit_commit_delay_us <= 0 || stopping) return;
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += (long)cfg.audit_commit_delay_us * 1000;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  while (!stopping && q_reqs < server_in_flight())
    if (pthread_cond_timedwait(&work_cv, &q_mu, &until) != 0) break;
}

static void *writer_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&q_mu);
  for (;;) {
    while (!q_head && !stopping) pthread_cond_wait(&work_cv, &q_mu);
    if (!q_head && stopping) break;
    linger();
    Pending *batch = q_head;
    q_head = NULL;
    q_tail = &q_head;
    q_reqs = 0;
    pthread_mutex_unlock(&q_mu);
    int rc = write_batch(batch);
    if (rc != DB_OK) log_error("access log: batch not written (%s)", db_code_name(rc));
    pthread_mutex_lock(&q_mu);
    for (Pending *p = batch, *n; p; p = n) {
      n = p->next; /* read before the waiter may return and drop its stack frame */
      if (p->req) {
        Req *r = p->req;
        if (rc != DB_OK && r->audit_rc == DB_OK) r->audit_rc = rc;
        if (--r->audit_pending == 0 && r->suspended) {
          r->suspended = false;
          r->resumed = true;
          MHD_resume_connection((struct MHD_Connection *)r->conn);
        }
        continue;
      }
      p->rc = rc;
      p->done = true;
    }
    pthread_cond_broadcast(&done_cv);
  }
  pthread_mutex_unlock(&q_mu);
  return NULL;
}

bool audit_start(const char *path) {
  if (db_open(path, &wdb) != DB_OK) return false;
  stopping = false;
  if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
    db_close(wdb);
    wdb = NULL;
    return false;
  }
  running = true;
  return true;
}

void audit_stop(void) {
  if (!running) return;
  pthread_mutex_lock(&q_mu);
  stopping = true;
  pthread_cond_signal(&work_cv);
  pthread_mutex_unlock(&q_mu);
  pthread_join(writer, NULL);
  running = false;
  db_close(wdb);
  wdb = NULL;
}

int audit_write_many(Req *r, const AuditEntry *entries, int n) {
  if (cfg.access_log_off || n <= 0) return DB_OK;
  int64_t uid = r->user ? r->user->id : 0;
  const char *role = r->user ? role_code(r->user->roles) : "anonymous";
  if (!running || db_in_tx(r->db)) {
    for (int i = 0; i < n; i++) {
      int rc = audit_append(r->db, uid, role, r->ip, r->rid, &entries[i]);
      if (rc != DB_OK) return rc;
    }
    return DB_OK;
  }
  Pending *p = arena_alloc(r->a, sizeof *p * (size_t)n);
  for (int i = 0; i < n; i++)
    p[i] = (Pending){.user_id = uid, .role = role, .client = r->ip, .rid = r->rid, .e = &entries[i],
                     .next = i + 1 < n ? &p[i + 1] : NULL};
  if (r->conn) {
    /* a served request: queue and go on; audit_hold makes the response wait */
    for (int i = 0; i < n; i++) {
      p[i].req = r;
      p[i].copy = entries[i];
      p[i].copy.item = arena_strdup(r->a, entries[i].item);
      p[i].copy.action = arena_strdup(r->a, entries[i].action);
      p[i].copy.outcome = arena_strdup(r->a, entries[i].outcome);
      p[i].copy.grounds = arena_strdup(r->a, entries[i].grounds);
      p[i].e = &p[i].copy;
    }
    pthread_mutex_lock(&q_mu);
    if (r->audit_pending == 0) q_reqs++;
    r->audit_pending += n;
    *q_tail = &p[0];
    q_tail = &p[n - 1].next;
    pthread_cond_signal(&work_cv);
    pthread_mutex_unlock(&q_mu);
    return DB_OK;
  }
  pthread_mutex_lock(&q_mu);
  *q_tail = &p[0];
  q_tail = &p[n - 1].next;
  pthread_cond_signal(&work_cv);
  /* one batch takes the whole queue, so the last entry is done when all are */
  while (!p[n - 1].done) pthread_cond_wait(&done_cv, &q_mu);
  pthread_mutex_unlock(&q_mu);
  for (int i = 0; i < n; i++)
    if (p[i].rc != DB_OK) return p[i].rc;
  return DB_OK;
}

int audit_write(Req *r, const AuditEntry *e) { return audit_write_many(r, e, 1); }

int audit_verify(Db *db, int64_t *bad_id, int64_t *checked) {
  *bad_id = 0;
  *checked = 0;
  Stmt *st = db_prepare(db,
                        "SELECT id, at, user_id, role, participant_id, trajectory_id, item, action, outcome, "
                        "grounds, client, request_id, prev_hash, hash, consent_id, on_behalf_of "
                        "FROM access_log ORDER BY id");
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
               db_text(st, "grounds"), db_text(st, "client"), db_text(st, "request_id"), db_int(st, "consent_id"),
               db_int(st, "on_behalf_of"), h);
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

bool audit_hold(Req *r, int status) {
  pthread_mutex_lock(&q_mu);
  bool hold = r->audit_pending > 0;
  if (hold) {
    r->held_status = status;
    r->suspended = true;
    MHD_suspend_connection((struct MHD_Connection *)r->conn);
  }
  pthread_mutex_unlock(&q_mu);
  return hold;
}
