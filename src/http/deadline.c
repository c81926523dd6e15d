/*
 * deadline.c — see deadline.h.
 *
 * An entry moves through FREE -> IDLE -> RECEIVING -> COMPLETE -> IDLE ... -> FREE. The worker thread of the
 * connection makes every move but one: IDLE -> RECEIVING when the watchdog sees that the kernel has
 * received bytes (tcpi_bytes_received) since the connection opened or since the last request ended, which
 * catches a request line sent one byte at a time before libmicrohttpd can report it. CUT marks an entry
 * whose socket the watchdog has shut down; libmicrohttpd then reads end-of-file and closes the connection.
 */
#include "http/deadline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"

typedef enum { PH_FREE, PH_IDLE, PH_RECEIVING, PH_COMPLETE, PH_CUT } Phase;
typedef enum { ST_REQUEST_LINE, ST_HEADERS, ST_BODY } Stage;

struct DeadlineConn {
  pthread_mutex_t mu;
  atomic_int phase;     /* Phase; written under mu, read without it for the watchdog's first look */
  int fd;               /* the socket (libmicrohttpd's) */
  Stage stage;          /* RECEIVING: how far the request got, for the log line */
  int64_t since_ns;     /* RECEIVING: when the request began (CLOCK_MONOTONIC) */
  uint64_t seen_bytes;  /* IDLE: tcpi_bytes_received at the last look */
  bool seen_known;      /* IDLE: seen_bytes is valid (false right after a request ended) */
  int next_free;        /* free list (under free_mu); -1 ends it */
  char rid[17];         /* the current request's id ("" before its request line), for the log line */
  char client[48];      /* its client address once the headers named it ("": not yet) */
};

static DeadlineConn *table;
static int table_cap;
static pthread_mutex_t free_mu = PTHREAD_MUTEX_INITIALIZER;
static int free_head = -1;
static atomic_bool full_logged;

static pthread_t watchdog;
static pthread_mutex_t stop_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cv;
static bool stopping, running;
static int64_t deadline_ns, tick_ns;
static atomic_uint_least64_t cuts;

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Bytes the kernel has received on the TCP socket fd; false if it cannot tell (not TCP, old kernel). */
static bool tcp_bytes_received(int fd, uint64_t *out) {
  struct tcp_info ti;
  socklen_t len = sizeof ti;
  memset(&ti, 0, sizeof ti);
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0) return false;
  if (len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof ti.tcpi_bytes_received) return false;
  *out = ti.tcpi_bytes_received;
  return true;
}

/* The peer's address as text into buf ("?" if unknown). */
static void peer_text(int fd, char *buf, size_t n) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  snprintf(buf, n, "?");
  if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) return;
  if (ss.ss_family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, (socklen_t)n);
  else if (ss.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, (socklen_t)n);
}

static const char *stage_name(Stage s) {
  switch (s) {
    case ST_REQUEST_LINE: return "request line";
    case ST_HEADERS: return "headers";
    case ST_BODY: return "body";
  }
  return "?";
}

/* One look at entry c (its lock held): notices the first bytes of a request, cuts an overdue one. On a cut,
 * fills what the caller logs after unlocking and returns true. */
static bool look(DeadlineConn *c, int64_t now, char *who, size_t whon, double *secs, Stage *stage) {
  int ph = atomic_load_explicit(&c->phase, memory_order_relaxed);
  if (ph == PH_IDLE) {
    uint64_t b;
    if (!tcp_bytes_received(c->fd, &b)) return false;
    if (c->seen_known && b != c->seen_bytes) {
      c->since_ns = now; /* the first byte came since the last look: the client has the benefit of the doubt */
      c->stage = ST_REQUEST_LINE;
      atomic_store_explicit(&c->phase, PH_RECEIVING, memory_order_relaxed);
    }
    c->seen_bytes = b;
    c->seen_known = true;
    return false;
  }
  if (ph != PH_RECEIVING || now - c->since_ns < deadline_ns) return false;
  /* the request's id and client address where known; the TCP peer (behind a proxy: the proxy) is named
   * only while the connection has no request yet, or, marked as the peer, beside the id */
  char peer[INET6_ADDRSTRLEN];
  peer_text(c->fd, peer, sizeof peer); /* before the shutdown, after which the peer may be unknown */
  if (c->rid[0] && c->client[0]) snprintf(who, whon, "request %s from %s", c->rid, c->client);
  else if (c->rid[0]) snprintf(who, whon, "request %s (peer %s)", c->rid, peer);
  else snprintf(who, whon, "%s", peer);
  /* SHUT_RDWR: libmicrohttpd's next read sees end-of-file and it closes the connection itself */
  if (shutdown(c->fd, SHUT_RDWR) != 0 && errno != ENOTCONN) return false;
  atomic_store_explicit(&c->phase, PH_CUT, memory_order_relaxed);
  *secs = (double)(now - c->since_ns) / 1e9;
  *stage = c->stage;
  return true;
}

static void *watchdog_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&stop_mu);
  while (!stopping) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t ns = until.tv_nsec + tick_ns;
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    while (!stopping && pthread_cond_timedwait(&stop_cv, &stop_mu, &until) != ETIMEDOUT) {
    }
    if (stopping) break;
    pthread_mutex_unlock(&stop_mu);
    int64_t now = mono_ns();
    for (int i = 0; i < table_cap; i++) {
      DeadlineConn *c = &table[i];
      int ph = atomic_load_explicit(&c->phase, memory_order_relaxed);
      if (ph != PH_IDLE && ph != PH_RECEIVING) continue; /* free, complete or already cut: no lock needed */
      char who[INET6_ADDRSTRLEN + 96] = "";
      double secs = 0;
      Stage stage = ST_REQUEST_LINE;
      pthread_mutex_lock(&c->mu);
      bool cut = look(c, now, who, sizeof who, &secs, &stage);
      pthread_mutex_unlock(&c->mu);
      if (cut) {
        atomic_fetch_add(&cuts, 1);
        log_warn("request deadline: closed the connection of %s after %.1f s with an incomplete request (%s)",
                 who, secs, stage_name(stage));
      }
    }
    pthread_mutex_lock(&stop_mu);
  }
  pthread_mutex_unlock(&stop_mu);
  return NULL;
}

bool deadline_start(int capacity, int64_t deadline_ms, int64_t tick_ms) {
  if (capacity < 1) capacity = 1;
  table = xcalloc((size_t)capacity, sizeof *table);
  table_cap = capacity;
  for (int i = 0; i < capacity; i++) {
    pthread_mutex_init(&table[i].mu, NULL);
    atomic_init(&table[i].phase, PH_FREE);
    table[i].fd = -1;
    table[i].next_free = i + 1 < capacity ? i + 1 : -1;
  }
  free_head = 0;
  atomic_store(&full_logged, false);
  atomic_store(&cuts, 0);
  deadline_ns = deadline_ms * 1000000;
  tick_ns = tick_ms * 1000000;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&stop_cv, &ca);
  pthread_condattr_destroy(&ca);
  stopping = false;
  int rc = pthread_create(&watchdog, NULL, watchdog_main, NULL);
  if (rc != 0) {
    log_error("request deadline: cannot start the watchdog thread: %s", strerror(rc));
    for (int i = 0; i < capacity; i++) pthread_mutex_destroy(&table[i].mu);
    free(table);
    table = NULL;
    table_cap = 0;
    pthread_cond_destroy(&stop_cv);
    return false;
  }
  running = true;
  return true;
}

void deadline_stop(void) {
  if (!running) return;
  pthread_mutex_lock(&stop_mu);
  stopping = true;
  pthread_cond_signal(&stop_cv);
  pthread_mutex_unlock(&stop_mu);
  pthread_join(watchdog, NULL);
  running = false;
  pthread_cond_destroy(&stop_cv);
  for (int i = 0; i < table_cap; i++) pthread_mutex_destroy(&table[i].mu);
  free(table);
  table = NULL;
  table_cap = 0;
  free_head = -1;
}

DeadlineConn *deadline_open(int fd) {
  if (!table || fd < 0) return NULL;
  pthread_mutex_lock(&free_mu);
  int i = free_head;
  if (i >= 0) free_head = table[i].next_free;
  pthread_mutex_unlock(&free_mu);
  if (i < 0) {
    if (!atomic_exchange(&full_logged, true))
      log_warn("request deadline: more than %d connections; further ones are not watched", table_cap);
    return NULL;
  }
  DeadlineConn *c = &table[i];
  pthread_mutex_lock(&c->mu);
  c->fd = fd;
  c->seen_bytes = 0; /* a new connection: any byte received starts its first request */
  c->seen_known = true;
  c->stage = ST_REQUEST_LINE;
  c->rid[0] = c->client[0] = 0;
  atomic_store_explicit(&c->phase, PH_IDLE, memory_order_relaxed);
  pthread_mutex_unlock(&c->mu);
  return c;
}

void deadline_close(DeadlineConn *c) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  atomic_store_explicit(&c->phase, PH_FREE, memory_order_relaxed);
  c->fd = -1;
  pthread_mutex_unlock(&c->mu);
  int i = (int)(c - table);
  pthread_mutex_lock(&free_mu);
  table[i].next_free = free_head;
  free_head = i;
  pthread_mutex_unlock(&free_mu);
}

void deadline_request_line(DeadlineConn *c, int64_t t_ns) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  int ph = atomic_load_explicit(&c->phase, memory_order_relaxed);
  if (ph == PH_IDLE || ph == PH_COMPLETE) { /* else RECEIVING (the watchdog saw it begin) or CUT */
    c->since_ns = t_ns;
    atomic_store_explicit(&c->phase, PH_RECEIVING, memory_order_relaxed);
  }
  c->stage = ST_HEADERS;
  pthread_mutex_unlock(&c->mu);
}

void deadline_headers_done(DeadlineConn *c) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  c->stage = ST_BODY;
  pthread_mutex_unlock(&c->mu);
}

void deadline_request_done(DeadlineConn *c) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  if (atomic_load_explicit(&c->phase, memory_order_relaxed) == PH_RECEIVING)
    atomic_store_explicit(&c->phase, PH_COMPLETE, memory_order_relaxed);
  pthread_mutex_unlock(&c->mu);
}

void deadline_request_end(DeadlineConn *c) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  int ph = atomic_load_explicit(&c->phase, memory_order_relaxed);
  if (ph != PH_CUT && ph != PH_FREE) {
    /* bytes of the next request may already be counted; the next look takes the count as the new baseline
     * and the request line, when it comes, marks the request anyway */
    c->seen_known = false;
    atomic_store_explicit(&c->phase, PH_IDLE, memory_order_relaxed);
  }
  c->rid[0] = c->client[0] = 0;
  pthread_mutex_unlock(&c->mu);
}

void deadline_request_info(DeadlineConn *c, const char *rid, const char *client) {
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  if (rid) snprintf(c->rid, sizeof c->rid, "%s", rid);
  if (client) snprintf(c->client, sizeof c->client, "%s", client);
  pthread_mutex_unlock(&c->mu);
}

uint64_t deadline_cut_count(void) { return atomic_load(&cuts); }
