/*
 * audit.c — see audit.h. The hash is BLAKE2b-256 over the previous hash and the entry's fields, each
 * length-prefixed so that no two different entries serialise alike. From the chain's boundary on
 * (audit_chain.keyed_from, migration 013) the hash is keyed with the chain key and takes the boundary in
 * as well; entries before it keep the unkeyed hash they were written with. After every committed batch the
 * writer seals the head outside the database (seal.h) and names it in the server log.
 */
#include "policy/audit.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "store/audit_chain.h"

static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* The bytes an entry's hash covers, gathered in a buffer and handed to BLAKE2b in few updates (the hash of
 * the concatenation is the same however it is split). Each field is "<decimal length>:<bytes>"; a number is
 * its decimal text ("-12") as such a field. Numbers are written by hand: snprintf cost more than the hash. */
typedef struct Feed {
  crypto_generichash_state s;
  size_t n;
  unsigned char buf[512];
} Feed;

static void feed_bytes(Feed *f, const void *p, size_t n) {
  if (f->n + n > sizeof f->buf) {
    crypto_generichash_update(&f->s, f->buf, f->n);
    f->n = 0;
    if (n > sizeof f->buf) {
      crypto_generichash_update(&f->s, p, n);
      return;
    }
  }
  memcpy(f->buf + f->n, p, n);
  f->n += n;
}

/* Writes the decimal digits of v so that they end just before end; returns where they begin. */
static char *decimal(char *end, uint64_t v) {
  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return end;
}

/* Appends "<n>:" to the buffer (n at most 20 digits). */
static void feed_len(Feed *f, size_t n) {
  char num[24], *end = num + sizeof num;
  *--end = ':';
  char *p = decimal(end, n);
  feed_bytes(f, p, (size_t)(num + sizeof num - p));
}

static void feed(Feed *f, const char *v) {
  size_t n = v ? strlen(v) : 0;
  feed_len(f, n);
  if (n) feed_bytes(f, v, n);
}

/* As feed of the text "%lld" makes of v. */
static void feed_int(Feed *f, int64_t v) {
  char num[24], *end = num + sizeof num;
  char *p = decimal(end, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
  if (v < 0) *--p = '-';
  size_t n = (size_t)(end - p);
  feed_len(f, n);
  feed_bytes(f, p, n);
}

/* How entries are hashed: the key (NULL: not available) and the first keyed entry. */
typedef struct ChainCtx {
  const unsigned char *key;
  int64_t keyed_from;
} ChainCtx;

/* The hash of one entry. Entries before cx->keyed_from: unkeyed, exactly as before migration 013. From it
 * on: keyed with cx->key (which must be set), with the boundary as the second field. */
static void entry_hash(const ChainCtx *cx, const char *prev, int64_t id, int64_t at, int64_t user_id,
                       const char *role, int64_t pid, int64_t tid, const char *item, const char *action,
                       const char *outcome, const char *grounds, const char *client, const char *rid,
                       int64_t consent_id, int64_t on_behalf_of, char out[65]) {
  bool keyed = id >= cx->keyed_from;
  Feed f;
  f.n = 0;
  crypto_generichash_init(&f.s, keyed ? cx->key : NULL, keyed ? SEAL_KEY_BYTES : 0, 32);
  feed(&f, prev);
  if (keyed) feed_int(&f, cx->keyed_from);
  feed_int(&f, id);
  feed_int(&f, at);
  feed_int(&f, user_id);
  feed(&f, role);
  feed_int(&f, pid);
  feed_int(&f, tid);
  feed(&f, item);
  feed(&f, action);
  feed(&f, outcome);
  feed(&f, grounds);
  feed(&f, client);
  feed(&f, rid);
  /* fields added in migration 002 enter the hash only when set, so older entries keep verifying */
  if (consent_id || on_behalf_of) {
    feed_int(&f, consent_id);
    feed_int(&f, on_behalf_of);
  }
  crypto_generichash_update(&f.s, f.buf, f.n);
  unsigned char h[32];
  crypto_generichash_final(&f.s, h, sizeof h);
  /* lowercase hex, as sodium_bin2hex writes it (whose constant time a public hash does not need) */
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof h; i++) {
    out[2 * i] = digits[h[i] >> 4];
    out[2 * i + 1] = digits[h[i] & 15];
  }
  out[64] = 0;
}

/* ---- the key: loaded once per process (serve loads it before any thread starts) ---- */

static pthread_mutex_t key_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char g_key[SEAL_KEY_BYTES];
static KeyStatus g_key_status = KEY_MISSING;
static bool g_key_tried;

KeyStatus audit_key_load(void) {
  char path[1100];
  pthread_mutex_lock(&key_mu);
  g_key_status = seal_key_load(seal_key_path(path, sizeof path), g_key);
  g_key_tried = true;
  KeyStatus st = g_key_status;
  pthread_mutex_unlock(&key_mu);
  return st;
}

void audit_key_use(const unsigned char key[SEAL_KEY_BYTES]) {
  pthread_mutex_lock(&key_mu);
  memcpy(g_key, key, SEAL_KEY_BYTES);
  g_key_status = KEY_OK;
  g_key_tried = true;
  pthread_mutex_unlock(&key_mu);
}

/* The key, loaded from its file on first use; NULL (and *st why) when it cannot be had. */
static const unsigned char *chain_key(KeyStatus *st) {
  pthread_mutex_lock(&key_mu);
  if (!g_key_tried || g_key_status != KEY_OK) {
    char path[1100];
    g_key_status = seal_key_load(seal_key_path(path, sizeof path), g_key);
    g_key_tried = true;
  }
  KeyStatus s = g_key_status;
  pthread_mutex_unlock(&key_mu);
  if (st) *st = s;
  return s == KEY_OK ? g_key : NULL;
}

bool audit_key_derive(uint64_t subkey_id, const char context[8], unsigned char out[SEAL_KEY_BYTES]) {
  _Static_assert(SEAL_KEY_BYTES == crypto_kdf_KEYBYTES, "the chain key is a crypto_kdf master key");
  const unsigned char *key = chain_key(NULL);
  return key && crypto_kdf_derive_from_key(out, SEAL_KEY_BYTES, subkey_id, context, key) == 0;
}

/* Fills cx for appending: the boundary from the database and the key. DB_ERROR (logged) when either is
 * missing: no entry is written that could not be verified. */
static int chain_ctx(Db *db, ChainCtx *cx) {
  KeyStatus ks;
  cx->key = chain_key(&ks);
  int rc = audit_chain_keyed_from(db, &cx->keyed_from);
  if (rc == DB_DONE) {
    log_error("access log: the record of where the keyed chain begins (audit_chain) is missing; entry not "
              "written");
    return DB_ERROR;
  }
  if (rc != DB_OK) return rc;
  if (!cx->key) {
    char path[1100];
    log_error("access log: the chain key file %s %s; entry not written", seal_key_path(path, sizeof path),
              seal_key_problem(ks));
    return DB_ERROR;
  }
  return DB_OK;
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

/* The statements that append 1, 2, 4, 8 or 16 entries at once: a batch is written as a few multi-row
 * inserts (16 + 4 for a page listing 20 participants) rather than one statement per entry, which paid the
 * statement's start, end and reset once per entry (measured with callgrind). Each entry is hashed and chained
 * exactly as one appended alone. */
enum { CHAIN_ROWS_MAX = 16, CHAIN_COLS = 16 };
#define CHAIN_INSERT                                                                                        \
  "INSERT INTO access_log (id, at, user_id, role, participant_id, trajectory_id, item, action, outcome, "  \
  "grounds, client, request_id, prev_hash, hash, consent_id, on_behalf_of) VALUES "
#define CHAIN_ROW1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define CHAIN_ROW2 CHAIN_ROW1 ", " CHAIN_ROW1
#define CHAIN_ROW4 CHAIN_ROW2 ", " CHAIN_ROW2
#define CHAIN_ROW8 CHAIN_ROW4 ", " CHAIN_ROW4
#define CHAIN_ROW16 CHAIN_ROW8 ", " CHAIN_ROW8
static const char *const chain_insert_sql[] = {CHAIN_INSERT CHAIN_ROW1, CHAIN_INSERT CHAIN_ROW2,
                                               CHAIN_INSERT CHAIN_ROW4, CHAIN_INSERT CHAIN_ROW8,
                                               CHAIN_INSERT CHAIN_ROW16};

/* One entry to append, with who appends it. */
typedef struct ChainEntry {
  int64_t user_id;
  const char *role, *client, *rid;
  const AuditEntry *e;
} ChainEntry;

/* Appends the n entries v after head, in order, and moves head to the last. Call inside the write
 * transaction that read head. The texts of v are bound without copies: they stay valid during the call. */
static int chain_insert(Db *db, const ChainCtx *cx, ChainHead *head, const ChainEntry *v, int n) {
  char hashes[CHAIN_ROWS_MAX + 1][65]; /* [0]: the head's; [i + 1]: the hash of the chunk's entry i */
  while (n > 0) {
    int k = CHAIN_ROWS_MAX, which = 4;
    while (k > n) {
      k /= 2;
      which--;
    }
    Stmt *ins = db_prepare(db, chain_insert_sql[which]);
    if (!ins) return DB_ERROR;
    memcpy(hashes[0], head->hash, sizeof hashes[0]);
    int64_t at = (int64_t)time(NULL);
    for (int i = 0; i < k; i++) {
      const AuditEntry *e = v[i].e;
      int64_t id = head->id + 1 + i;
      entry_hash(cx, hashes[i], id, at, v[i].user_id, v[i].role, e->participant_id, e->trajectory_id, e->item,
                 e->action, e->outcome, e->grounds, v[i].client, v[i].rid, e->consent_id, e->on_behalf_of,
                 hashes[i + 1]);
      int c = i * CHAIN_COLS;
      db_bind_int(ins, c + 1, id);
      db_bind_int(ins, c + 2, at);
      if (v[i].user_id) db_bind_int(ins, c + 3, v[i].user_id); else db_bind_null(ins, c + 3);
      db_bind_text_static(ins, c + 4, v[i].role);
      if (e->participant_id) db_bind_int(ins, c + 5, e->participant_id); else db_bind_null(ins, c + 5);
      if (e->trajectory_id) db_bind_int(ins, c + 6, e->trajectory_id); else db_bind_null(ins, c + 6);
      db_bind_text_static(ins, c + 7, e->item);
      db_bind_text_static(ins, c + 8, e->action);
      db_bind_text_static(ins, c + 9, e->outcome);
      db_bind_text_static(ins, c + 10, e->grounds);
      db_bind_text_static(ins, c + 11, v[i].client);
      db_bind_text_static(ins, c + 12, v[i].rid);
      db_bind_text_static(ins, c + 13, hashes[i]);
      db_bind_text_static(ins, c + 14, hashes[i + 1]);
      if (e->consent_id) db_bind_int(ins, c + 15, e->consent_id); else db_bind_null(ins, c + 15);
      if (e->on_behalf_of) db_bind_int(ins, c + 16, e->on_behalf_of); else db_bind_null(ins, c + 16);
    }
    int rc = db_run(ins); /* runs and resets: nothing bound above outlives this */
    if (rc != DB_OK) return rc;
    head->id += k;
    memcpy(head->hash, hashes[k], sizeof head->hash);
    v += k;
    n -= k;
  }
  return DB_OK;
}

/* Whether the log whose newest entry is head still holds the chain sealed in s: 1 yes, 0 no (entries up
 * to the sealed one were removed, or the sealed entry changed), -1 the database could not say. */
static int seal_continues(Db *db, const ChainHead *head, const Seal *s) {
  if (s->id == 0) return 1;
  if (head->id < s->id) return 0;
  if (head->id == s->id) return strcmp(head->hash, s->hash) == 0;
  char h[65];
  int rc = audit_chain_hash_at(db, s->id, h);
  if (rc == DB_DONE) return 0;
  if (rc != DB_OK) return -1;
  return strcmp(h, s->hash) == 0;
}

static Seal seal_of(const ChainCtx *cx, const ChainHead *head) {
  Seal s = {.keyed_from = cx->keyed_from, .id = head->id, .count = head->id};
  memcpy(s.hash, head->hash, sizeof s.hash);
  return s;
}

static bool running; /* the group-commit writer runs (serve) */
static const AuditServer *srv; /* the server's hold, release and count of requests (set while running) */
static atomic_bool seal_stale; /* an entry was appended outside the writer: the writer reseals soon */

int audit_append(Db *db, int64_t user_id, const char *role, const char *client, const char *rid,
                 const AuditEntry *e) {
  bool own = !db_in_tx(db);
  ChainCtx cx;
  int rc = chain_ctx(db, &cx);
  if (rc != DB_OK) return rc;
  if (own && (rc = db_begin(db)) != DB_OK) return rc;
  ChainHead head;
  rc = db_lock(db, "access_log"); /* the chain head: one appender at a time across servers */
  if (rc == DB_OK) rc = chain_head(db, &head);
  /* a command that commits its own entry while no writer runs moves the seal on, if the log still holds
   * what was sealed (otherwise the seal stays as it is: it is the evidence) */
  char seal_path[1100];
  Seal seal;
  bool reseal = own && !running && rc == DB_OK &&
                seal_read(seal_file_path(seal_path, sizeof seal_path), cx.key, &seal) == SEAL_OK &&
                seal.keyed_from == cx.keyed_from && seal_continues(db, &head, &seal) == 1;
  if (rc == DB_OK)
    rc = chain_insert(db, &cx, &head, &(ChainEntry){.user_id = user_id, .role = role, .client = client, .rid = rid,
                                                     .e = e}, 1);
  if (own) {
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
  }
  if (rc == DB_OK && reseal) {
    seal = seal_of(&cx, &head);
    if (!seal_write(seal_path, cx.key, &seal)) log_warn("access log: cannot write the seal %s", seal_path);
  }
  if (rc == DB_OK && !own && running) atomic_store(&seal_stale, true);
  return rc;
}

/* The role an entry names for a user holding roles: the one that reaches case information first. */
static const char *acting_role(unsigned roles) {
  if (roles & ROLE_COACH) return "coach";
  if (roles & ROLE_PARTICIPANT) return "participant";
  if (roles & ROLE_PARTNER) return "partner";
  if (roles & ROLE_TEAMLEAD) return "teamlead";
  if (roles & ROLE_LOGOFFICER) return "logofficer";
  if (roles & ROLE_PROGRAMME) return "programme";
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
static bool stopping;
static pthread_t writer;
static Db *wdb;

/* The writer's seal (writer thread only, and audit_start/audit_stop before and after it): the chain context
 * read at start, the last seal checked or written, and whether it may be moved on at all — not once the log
 * stopped holding what was sealed: the seal file then stays as it was, as evidence. */
static ChainCtx w_cx;
static Seal w_seal;
static bool w_sealing, w_seal_dirty;
static char w_seal_path[1100];

/* The sealer thread writes the seals the writer hands it (the newest only: under load they coalesce), so
 * that the seal's fsync never delays a batch, and names them in the server log. */
static pthread_t sealer;
static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cv = PTHREAD_COND_INITIALIZER;
static Seal s_pending, s_written; /* s_written: sealer thread only */
static bool s_has, s_stop, s_unlogged;
static struct timespec s_logged_at;

/* Stops moving the seal on, with the reason in the server log. */
static void seal_freeze(const ChainHead *head) {
  w_sealing = false;
  log_error("access log: the log no longer holds the chain that was sealed (sealed up to entry %lld, hash %s; "
            "the log now ends at entry %lld): entries were removed or changed behind the portal's back. The seal "
            "%s is kept as it is, as evidence; run `zorgwerk audit verify`",
            (long long)w_seal.id, w_seal.hash, (long long)head->id, w_seal_path);
}

/* Moves the writer's seal to `to` when the log still held the sealed chain at `from` (cont: what
 * seal_continues said of `from`, read in the same transaction as `to`). The file is written later, by
 * seal_flush. */
static void seal_advance(int cont, const ChainHead *from, const ChainHead *to) {
  if (!w_sealing) return;
  if (cont == 0) {
    seal_freeze(from);
    return;
  }
  if (cont != 1 || to->id == w_seal.id) return;
  w_seal = seal_of(&w_cx, to);
  w_seal_dirty = true;
}

/* Names the last seal written in the server log, at most once a second (force: now), so that a copy of it
 * leaves the machine with the log: ids and hashes only. Sealer thread. */
static void seal_log(bool force) {
  if (!s_unlogged) return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (!force && s_logged_at.tv_sec && now.tv_sec - s_logged_at.tv_sec < 1) return;
  log_info("access log sealed: keyed_from=%lld id=%lld count=%lld hash=%s", (long long)s_written.keyed_from,
           (long long)s_written.id, (long long)s_written.count, s_written.hash);
  s_logged_at = now;
  s_unlogged = false;
}

static void *sealer_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&s_mu);
  for (;;) {
    if (!s_has && !s_stop) {
      if (!s_unlogged) pthread_cond_wait(&s_cv, &s_mu);
      else { /* a seal not yet in the server log: name it within a second */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&s_cv, &s_mu, &until);
      }
    }
    bool has = s_has, stop = s_stop;
    Seal seal = s_pending;
    s_has = false;
    pthread_mutex_unlock(&s_mu);
    if (has) {
      if (seal_write(w_seal_path, w_cx.key, &seal)) {
        s_written = seal;
        s_unlogged = true;
      } else {
        log_error("access log: cannot write the seal %s: %s", w_seal_path, strerror(errno));
      }
    }
    seal_log(stop);
    pthread_mutex_lock(&s_mu);
    if (stop && !s_has) break;
  }
  pthread_mutex_unlock(&s_mu);
  return NULL;
}

/* Hands the writer's seal to the sealer thread if it moved. Writer thread. */
static void seal_flush(void) {
  if (!w_seal_dirty) return;
  w_seal_dirty = false;
  pthread_mutex_lock(&s_mu);
  s_pending = w_seal;
  s_has = true;
  pthread_cond_signal(&s_cv);
  pthread_mutex_unlock(&s_mu);
}

/* Seals entries appended inside requests' own transactions since the last batch. */
static void seal_refresh(void) {
  atomic_store(&seal_stale, false);
  if (!w_sealing) return;
  ChainHead head;
  if (db_snapshot_begin(wdb) != DB_OK) return;
  int rc = chain_head(wdb, &head);
  int cont = rc == DB_OK ? seal_continues(wdb, &head, &w_seal) : -1;
  db_snapshot_end(wdb);
  if (rc == DB_OK) seal_advance(cont, &head, &head);
  seal_flush();
}

static int write_batch(Pending *batch) {
  int rc = DB_BUSY;
  for (int attempt = 0; attempt < 3 && rc == DB_BUSY; attempt++) { /* each waits the busy timeout */
    rc = db_begin(wdb);
    if (rc == DB_BUSY) continue; /* busy_timeout already waited */
    ChainHead head, start; /* read once per batch: the batch holds the write lock, nobody else appends */
    rc = db_lock(wdb, "access_log"); /* the chain head: one appender at a time across servers */
    if (rc == DB_OK) rc = chain_head(wdb, &head);
    start = head;
    /* one look-up by id: does the log still hold the entry last sealed, unchanged? */
    int cont = rc == DB_OK && w_sealing ? seal_continues(wdb, &start, &w_seal) : -1;
    for (Pending *p = batch; p && rc == DB_OK;) { /* in chunks of at most CHAIN_ROWS_MAX entries */
      ChainEntry v[CHAIN_ROWS_MAX];
      int k = 0;
      for (; p && k < CHAIN_ROWS_MAX; p = p->next)
        v[k++] = (ChainEntry){.user_id = p->user_id, .role = p->role, .client = p->client, .rid = p->rid, .e = p->e};
      rc = chain_insert(wdb, &w_cx, &head, v, k);
    }
    if (rc == DB_OK) rc = db_commit(wdb);
    else db_rollback(wdb);
    if (rc == DB_OK) seal_advance(cont, &start, &head);
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
  while (!stopping && q_reqs < srv->in_flight())
    if (pthread_cond_timedwait(&work_cv, &q_mu, &until) != 0) break;
}

static void *writer_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&q_mu);
  for (;;) {
    while (!q_head && !stopping) {
      if (!atomic_load(&seal_stale)) {
        pthread_cond_wait(&work_cv, &q_mu);
        continue;
      }
      /* idle with entries not sealed yet (appended in requests' own transactions): seal them after a
       * second without batches */
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_sec += 1;
      if (pthread_cond_timedwait(&work_cv, &q_mu, &until) == 0 || q_head || stopping) continue;
      pthread_mutex_unlock(&q_mu);
      seal_refresh();
      pthread_mutex_lock(&q_mu);
    }
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
          srv->resume(r);
        }
        continue;
      }
      p->rc = rc;
      p->done = true;
    }
    pthread_cond_broadcast(&done_cv);
    pthread_mutex_unlock(&q_mu);
    seal_flush();
    pthread_mutex_lock(&q_mu);
  }
  pthread_mutex_unlock(&q_mu);
  if (atomic_load(&seal_stale)) seal_refresh();
  seal_flush();
  return NULL;
}

/* The writer's chain context and seal at start: the key and boundary (false, logged, if either is missing),
 * and whether the seal file matches the log; if it does not, it is left alone (and the log officer's view
 * and `audit verify` show why). */
static bool seal_start(void) {
  KeyStatus ks;
  w_cx.key = chain_key(&ks);
  seal_file_path(w_seal_path, sizeof w_seal_path);
  if (!w_cx.key) {
    char kp[1100];
    log_error("access log: the chain key file %s %s", seal_key_path(kp, sizeof kp), seal_key_problem(ks));
    return false;
  }
  if (audit_chain_keyed_from(wdb, &w_cx.keyed_from) != DB_OK) {
    log_error("access log: the record of where the keyed chain begins (audit_chain) cannot be read");
    return false;
  }
  w_sealing = w_seal_dirty = false;
  s_has = s_stop = s_unlogged = false;
  s_logged_at = (struct timespec){0};
  atomic_store(&seal_stale, false);
  SealStatus ss = seal_read(w_seal_path, w_cx.key, &w_seal);
  if (ss != SEAL_OK) {
    log_error("access log: the seal %s %s; it is not replaced: run `zorgwerk audit verify`", w_seal_path,
              ss == SEAL_MISSING ? "does not exist" : ss == SEAL_UNREADABLE ? "cannot be read"
                                                                             : "was not written with the chain key");
    return true;
  }
  if (w_seal.keyed_from != w_cx.keyed_from) {
    log_error("access log: the seal %s names entry %lld as the start of the keyed chain, the database %lld; the "
              "seal is not replaced: run `zorgwerk audit verify`",
              w_seal_path, (long long)w_seal.keyed_from, (long long)w_cx.keyed_from);
    return true;
  }
  ChainHead head;
  int rc = db_snapshot_begin(wdb);
  if (rc == DB_OK) rc = chain_head(wdb, &head);
  int cont = rc == DB_OK ? seal_continues(wdb, &head, &w_seal) : -1;
  db_snapshot_end(wdb);
  w_sealing = true;
  if (cont == 0) seal_freeze(&head);
  else if (cont == 1) seal_advance(1, &head, &head); /* entries committed after the last seal (a kill) */
  return true;
}

bool audit_start(const char *path, const AuditServer *server) {
  srv = server;
  if (db_open(path, &wdb) != DB_OK) return false;
  if (!seal_start()) {
    db_close(wdb);
    wdb = NULL;
    return false;
  }
  if (pthread_create(&sealer, NULL, sealer_main, NULL) != 0) {
    db_close(wdb);
    wdb = NULL;
    return false;
  }
  seal_flush(); /* entries committed after the last seal, before a kill */
  stopping = false;
  if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
    pthread_mutex_lock(&s_mu);
    s_stop = true;
    pthread_cond_signal(&s_cv);
    pthread_mutex_unlock(&s_mu);
    pthread_join(sealer, NULL);
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
  pthread_join(writer, NULL); /* it hands the last seal to the sealer */
  pthread_mutex_lock(&s_mu);
  s_stop = true;
  pthread_cond_signal(&s_cv);
  pthread_mutex_unlock(&s_mu);
  pthread_join(sealer, NULL); /* writes it and names it in the server log */
  running = false;
  db_close(wdb);
  wdb = NULL;
}

int audit_write_many(Req *r, const AuditEntry *entries, int n) {
  if (n <= 0) return DB_OK;
  r->audit_count += n; /* the server checks that a case route's answer wrote entries (R_CASE) */
  if (cfg.access_log_off) return DB_OK;
  int64_t uid = r->user ? r->user->id : 0;
  const char *role = r->user ? acting_role(r->user->roles) : "anonymous";
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

void audit_nothing_shown(Req *r) { r->audit_none = true; }

/* Walks the chain from the entry after `after` (0: from entry 1), whose predecessor's hash is prev:
 * *bad_id the first entry that does not fit (0: none), *walked the entries that verified, last the hash
 * of the last of them (prev when none). Without a key (cx->key NULL) the walk stops before the first
 * keyed entry, and *unchecked_from says where. Returns a DB code. */
static int chain_walk(Db *db, const ChainCtx *cx, int64_t after, const char *prev_hash, int64_t *bad_id,
                      int64_t *walked, int64_t *unchecked_from, char last[65]) {
  enum { PAGE = 20000 }; /* entries read per statement: PostgreSQL's driver holds a whole result in memory */
  *bad_id = 0;
  *walked = 0;
  *unchecked_from = 0;
  snprintf(last, 65, "%s", prev_hash);
  char prev[65];
  snprintf(prev, sizeof prev, "%s", prev_hash);
  int64_t expect_id = after + 1; /* ids run from 1 without gaps: removed first entries break the chain too */
  int rc = DB_DONE;
  for (bool more = true, stop = false; more && !stop;) {
    Stmt *st = db_prepare(db,
                          "SELECT id, at, user_id, role, participant_id, trajectory_id, item, action, outcome, "
                          "grounds, client, request_id, prev_hash, hash, consent_id, on_behalf_of "
                          "FROM access_log WHERE id > ? ORDER BY id LIMIT ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, after);
    db_bind_int(st, 2, PAGE);
    int rows = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
      rows++;
      int64_t id = db_int(st, "id");
      after = id;
      if (id >= cx->keyed_from && !cx->key) {
        *unchecked_from = id;
        stop = true;
        break;
      }
      char h[65];
      entry_hash(cx, prev, id, db_int(st, "at"), db_int(st, "user_id"), db_text(st, "role"),
                 db_int(st, "participant_id"), db_int(st, "trajectory_id"), db_text(st, "item"),
                 db_text(st, "action"), db_text(st, "outcome"), db_text(st, "grounds"), db_text(st, "client"),
                 db_text(st, "request_id"), db_int(st, "consent_id"), db_int(st, "on_behalf_of"), h);
      const char *stored = db_text(st, "hash"), *stored_prev = db_text(st, "prev_hash");
      if (id != expect_id || !stored || !stored_prev || strcmp(stored_prev, prev) != 0 || strcmp(stored, h) != 0) {
        *bad_id = id;
        stop = true;
        break;
      }
      snprintf(prev, sizeof prev, "%s", stored);
      expect_id = id + 1;
      (*walked)++;
    }
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    more = rows == PAGE;
  }
  snprintf(last, 65, "%s", prev);
  return DB_OK;
}

int audit_verify(Db *db, int64_t *bad_id, int64_t *checked) {
  ChainCtx cx;
  int rc = chain_ctx(db, &cx);
  if (rc != DB_OK) return rc;
  int64_t unchecked;
  char last[65];
  return chain_walk(db, &cx, 0, GENESIS, bad_id, checked, &unchecked, last);
}

bool audit_entry_hash(const char *prev, int64_t keyed_from, int64_t id, int64_t at, int64_t user_id, const char *role,
                      int64_t pid, int64_t tid, const char *item, const char *action, const char *outcome,
                      const char *grounds, const char *client, const char *rid, char out[65]) {
  ChainCtx cx = {.key = id >= keyed_from ? chain_key(NULL) : NULL, .keyed_from = keyed_from};
  if (id >= keyed_from && !cx.key) return false;
  entry_hash(&cx, prev, id, at, user_id, role, pid, tid, item, action, outcome, grounds, client, rid, 0, 0, out);
  return true;
}

/* ---- the verified checkpoint (store/audit_chain.h) ----
 * Its MAC is keyed BLAKE2b-256 under a subkey of the chain key, over every other field, each
 * length-prefixed as in an entry's hash: without the key nobody can write a checkpoint that is accepted. */

static bool checkpoint_mac(const AuditCheckpoint *cp, char out[65]) {
  unsigned char k[SEAL_KEY_BYTES];
  if (!audit_key_derive(3, "zw-chkpt", k)) return false;
  Feed f;
  f.n = 0;
  crypto_generichash_init(&f.s, k, sizeof k, 32);
  feed_int(&f, cp->entry_id);
  feed(&f, cp->hash);
  feed_int(&f, cp->keyed_from);
  feed_int(&f, cp->verified_at);
  feed_int(&f, cp->full_at);
  feed_int(&f, cp->full_entry_id);
  crypto_generichash_update(&f.s, f.buf, f.n);
  unsigned char h[32];
  crypto_generichash_final(&f.s, h, sizeof h);
  sodium_bin2hex(out, 65, h, sizeof h);
  sodium_memzero(k, sizeof k);
  return true;
}

/* Whether cp's MAC is the one the key gives. */
static bool checkpoint_authentic(const AuditCheckpoint *cp) {
  char mac[65];
  return checkpoint_mac(cp, mac) && strlen(cp->mac) == 64 && sodium_memcmp(mac, cp->mac, 64) == 0;
}

/* Moves the checkpoint to the newest entry c's walk verified (with the key), keeping or (full) setting
 * when the whole chain was last verified. Returns a DB code; DB_ERROR when the key cannot be had. */
static int checkpoint_advance(Db *db, const AuditCheck *c, const AuditCheckpoint *old, bool old_ok,
                              const char last[65], bool full) {
  int64_t upto = c->checked; /* ids run from 1 without gaps: the last entry verified */
  AuditCheckpoint cp = {.entry_id = upto, .keyed_from = c->keyed_from, .verified_at = (int64_t)time(NULL)};
  snprintf(cp.hash, sizeof cp.hash, "%s", last);
  if (full) {
    cp.full_at = cp.verified_at;
    cp.full_entry_id = upto;
  } else if (old_ok) {
    cp.full_at = old->full_at;
    cp.full_entry_id = old->full_entry_id;
  }
  if (!checkpoint_mac(&cp, cp.mac)) return DB_ERROR;
  return audit_checkpoint_write(db, &cp);
}

int audit_check_mode(Db *db, AuditCheck *c, bool from_checkpoint) {
  memset(c, 0, sizeof *c);
  ChainCtx cx;
  cx.key = chain_key(&c->key);
  /* the seal first, then the log: the writer seals only what it has committed, so a log read after the
   * seal holds at least what the seal names */
  char path[1100];
  seal_file_path(path, sizeof path);
  c->seal_status = cx.key ? seal_read(path, cx.key, &c->seal) : SEAL_UNREADABLE;
  int rc = audit_chain_keyed_from(db, &c->keyed_from);
  if (rc != DB_OK && rc != DB_DONE) return rc;
  bool seal_ok = c->seal_status == SEAL_OK;
  c->boundary_changed = !c->keyed_from || (seal_ok && c->seal.keyed_from != c->keyed_from);
  /* with the record gone, the seal says where keyed entries start (or, without a seal, every entry is
   * taken as keyed: the strictest reading) */
  cx.keyed_from = c->keyed_from ? c->keyed_from : seal_ok ? c->seal.keyed_from : 1;
  /* the checkpoint: authentic, made with this boundary, and its entry unchanged — else the whole chain is
   * walked (and a forged or contradicted checkpoint is a finding of its own) */
  AuditCheckpoint cp;
  rc = audit_checkpoint_read(db, &cp);
  if (rc != DB_OK && rc != DB_DONE) return rc;
  bool cp_ok = false;
  if (rc == DB_OK && cx.key) {
    if (!checkpoint_authentic(&cp)) c->checkpoint_forged = true;
    else {
      cp_ok = true;
      c->checkpoint_id = cp.entry_id;
      c->checkpoint_at = cp.verified_at;
      c->full_at = cp.full_at;
      c->full_entry_id = cp.full_entry_id;
      if (cp.keyed_from != cx.keyed_from) c->boundary_changed = true;
      else if (cp.entry_id > 0) {
        char h[65];
        rc = audit_chain_hash_at(db, cp.entry_id, h);
        if (rc != DB_OK && rc != DB_DONE) return rc;
        if (rc == DB_DONE || strcmp(h, cp.hash) != 0) c->checkpoint_changed = true;
      }
    }
  }
  int64_t after = 0;
  const char *prev = GENESIS;
  if (from_checkpoint && cp_ok && !c->checkpoint_changed && !c->boundary_changed) {
    after = cp.entry_id;
    prev = cp.hash;
    c->from_checkpoint = after > 0;
  }
  char last[65];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if ((rc = chain_walk(db, &cx, after, prev, &c->bad_id, &c->walked, &c->unchecked_from, last)) != DB_OK) return rc;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  c->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  c->checked = after + c->walked;
  if ((rc = audit_chain_last_id(db, &c->last_id)) != DB_OK) return rc;
  if (seal_ok && c->seal.id > 0) {
    char h[65];
    rc = audit_chain_hash_at(db, c->seal.id, h);
    if (rc != DB_OK && rc != DB_DONE) return rc;
    c->truncated = c->last_id < c->seal.id || rc == DB_DONE;
    c->head_changed = rc == DB_OK && strcmp(h, c->seal.hash) != 0;
  }
  if (audit_check_intact(c) && c->checked > 0 && (!c->from_checkpoint || c->walked > 0)) {
    bool full = !c->from_checkpoint;
    if ((rc = checkpoint_advance(db, c, &cp, cp_ok, last, full)) != DB_OK)
      log_warn("access log: the verified checkpoint cannot be written (%s)", db_code_name(rc));
    else if (full) {
      c->full_at = (int64_t)time(NULL);
      c->full_entry_id = c->checked;
    }
  }
  return DB_OK;
}

int audit_check(Db *db, AuditCheck *c) { return audit_check_mode(db, c, false); }

bool audit_check_intact(const AuditCheck *c) {
  return c->key == KEY_OK && c->seal_status == SEAL_OK && !c->boundary_changed && !c->bad_id &&
         !c->unchecked_from && !c->truncated && !c->head_changed && !c->checkpoint_forged && !c->checkpoint_changed;
}

int audit_reseal(Db *db, AuditCheck *before, Seal *now) {
  int rc = audit_check(db, before);
  if (rc != DB_OK) return rc;
  if (before->key != KEY_OK || before->bad_id || before->unchecked_from || !before->keyed_from) return DB_ERROR;
  ChainCtx cx = {.key = chain_key(NULL), .keyed_from = before->keyed_from};
  ChainHead head;
  if ((rc = chain_head(db, &head)) != DB_OK) return rc;
  /* the walk above saw a whole chain up to its newest entry; an entry added since by a running server
   * extends it, and the writer moves the seal on from here */
  *now = seal_of(&cx, &head);
  char path[1100];
  if (!seal_write(seal_file_path(path, sizeof path), cx.key, now)) return DB_IOERR;
  /* a new checkpoint at the end of the walk, replacing a forged or contradicted one */
  char last[65];
  if (before->checked > 0 && audit_chain_hash_at(db, before->checked, last) == DB_OK) {
    AuditCheck full = *before;
    full.keyed_from = cx.keyed_from;
    if ((rc = checkpoint_advance(db, &full, NULL, false, last, true)) != DB_OK)
      log_warn("access log: the verified checkpoint cannot be written (%s)", db_code_name(rc));
  }
  return DB_OK;
}

int audit_chain_prepare(Db *db, bool fresh, char *msg, size_t n) {
  *msg = 0;
  char kpath[1100], spath[1100];
  seal_key_path(kpath, sizeof kpath);
  seal_file_path(spath, sizeof spath);
  ChainCtx cx;
  int rc = audit_chain_keyed_from(db, &cx.keyed_from);
  if (rc != DB_OK) {
    snprintf(msg, n, "the record of where the keyed chain begins (table audit_chain) %s",
             rc == DB_DONE ? "is missing: the database was changed behind the portal's back" : "cannot be read");
    return 1;
  }
  ChainHead head;
  if ((rc = chain_head(db, &head)) != DB_OK) {
    snprintf(msg, n, "cannot read the access log (%s)", db_code_name(rc));
    return 1;
  }
  Seal old;
  unsigned char key[SEAL_KEY_BYTES];
  KeyStatus ks = seal_key_load(kpath, key);
  SealStatus ss = ks == KEY_OK ? seal_read(spath, key, &old) : access(spath, F_OK) == 0 ? SEAL_INVALID : SEAL_MISSING;
  bool keyed_entries = head.id >= cx.keyed_from;
  size_t len = 0;
  if (ks == KEY_MISSING) {
    if (!fresh && (keyed_entries || ss != SEAL_MISSING)) {
      snprintf(msg, n, "the access-log key file %s is missing, but the log %s: restore the key file from "
               "its backup (a new key could not verify what was written)",
               kpath, keyed_entries ? "has entries written with a key" : "was sealed with a key");
      return 1;
    }
    if ((ks = seal_key_create(kpath, key)) != KEY_OK) {
      snprintf(msg, n, "cannot create the access-log key file %s: %s", kpath, strerror(errno));
      return 1;
    }
    audit_key_use(key);
    len += (size_t)snprintf(msg + len, n - len, "created the access-log key %s (mode 0600): back it up apart "
                            "from the database\n", kpath);
    ss = SEAL_MISSING;
    if (fresh) seal_remove(spath); /* a seal left by the database this one replaces */
  } else if (ks != KEY_OK) {
    snprintf(msg, n, "the access-log key file %s %s", kpath, seal_key_problem(ks));
    return 1;
  }
  if (fresh || (ss == SEAL_MISSING && !keyed_entries)) {
    cx.key = key;
    Seal s = seal_of(&cx, &head);
    if (!seal_write(spath, key, &s)) {
      snprintf(msg + len, n - len, "cannot write the access-log seal %s: %s", spath, strerror(errno));
      return 1;
    }
    if (len < n)
      snprintf(msg + len, n - len, "sealed the access log at entry %lld in %s\n", (long long)s.id, spath);
  } else if (ss != SEAL_OK && len < n) {
    snprintf(msg + len, n - len, "the access-log seal %s %s: run `zorgwerk audit verify`\n", spath,
             ss == SEAL_MISSING ? "is missing" : ss == SEAL_UNREADABLE ? "cannot be read"
                                                                       : "was not written with the key");
    return 3;
  }
  sodium_memzero(key, sizeof key);
  return 0;
}

bool audit_hold(Req *r, int status) {
  pthread_mutex_lock(&q_mu);
  bool hold = r->audit_pending > 0;
  if (hold) {
    r->held_status = status;
    r->suspended = true;
    srv->suspend(r);
  }
  pthread_mutex_unlock(&q_mu);
  return hold;
}
