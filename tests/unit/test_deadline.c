/*
 * test_deadline.c — unit tests for the whole-request deadline (src/http/deadline.c) on real loopback TCP
 * connections, with a deadline of 300 ms looked at every 50 ms: a quiet connection is not cut; a request
 * that began (bytes seen by the kernel, or the request line reported) and is not complete is cut once the
 * deadline has passed; a complete request is never cut, however long it waits; after a request ends the
 * connection is idle again until new bytes come; a full table hands out no entry; a closed entry is reused.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "http/deadline.h"

enum { DEADLINE_MS = 300, TICK_MS = 50 };

typedef struct {
  int client, server; /* the two ends; the server end is the one the deadline watches */
} Pair;

static int listener = -1;

static int setup(void **state) {
  (void)state;
  log_set_quiet(1);
  listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 || listen(listener, 8) != 0) return -1;
  return deadline_start(2, DEADLINE_MS, TICK_MS) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  deadline_stop();
  close(listener);
  return 0;
}

static Pair pair_open(void) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  getsockname(listener, (struct sockaddr *)&a, &len);
  Pair p;
  p.client = socket(AF_INET, SOCK_STREAM, 0);
  assert_int_equal(connect(p.client, (struct sockaddr *)&a, sizeof a), 0);
  p.server = accept(listener, NULL, NULL);
  assert_true(p.server >= 0);
  return p;
}

static void pair_close(Pair *p) {
  close(p->client);
  close(p->server);
}

/* True if the client end sees end-of-file (the server end was shut down) within ms. */
static bool cut_within(const Pair *p, int ms) {
  struct pollfd pf = {.fd = p->client, .events = POLLIN};
  if (poll(&pf, 1, ms) <= 0) return false;
  char b;
  return recv(p->client, &b, 1, MSG_DONTWAIT) == 0;
}

static void send_byte(const Pair *p) { assert_int_equal(send(p->client, "G", 1, 0), 1); }

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_quiet_connection_is_not_cut(void **state) {
  (void)state;
  Pair p = pair_open();
  DeadlineConn *c = deadline_open(p.server);
  assert_non_null(c);
  assert_false(cut_within(&p, 3 * DEADLINE_MS));
  deadline_close(c);
  pair_close(&p);
}

static void test_first_bytes_start_the_clock(void **state) {
  (void)state;
  Pair p = pair_open();
  uint64_t before = deadline_cut_count();
  DeadlineConn *c = deadline_open(p.server);
  send_byte(&p); /* half a request line: nothing but the kernel's counter knows */
  int64_t t0 = mono_ns();
  assert_true(cut_within(&p, 3 * DEADLINE_MS));
  int64_t ms = (mono_ns() - t0) / 1000000;
  assert_true(ms >= DEADLINE_MS - TICK_MS && ms <= DEADLINE_MS + 6 * TICK_MS);
  assert_int_equal(deadline_cut_count(), before + 1);
  deadline_close(c);
  pair_close(&p);
}

static void test_complete_request_waits_without_deadline(void **state) {
  (void)state;
  Pair p = pair_open();
  DeadlineConn *c = deadline_open(p.server);
  send_byte(&p);
  deadline_request_line(c, mono_ns());
  deadline_headers_done(c);
  deadline_request_done(c); /* e.g. suspended while the access log is written */
  assert_false(cut_within(&p, 3 * DEADLINE_MS));
  deadline_request_end(c);
  /* idle between requests: only conn_timeout applies */
  assert_false(cut_within(&p, 3 * DEADLINE_MS));
  /* the next request begins and stalls */
  send_byte(&p);
  assert_true(cut_within(&p, 3 * DEADLINE_MS));
  deadline_close(c);
  pair_close(&p);
}

static void test_request_line_starts_the_clock(void **state) {
  (void)state;
  Pair p = pair_open();
  DeadlineConn *c = deadline_open(p.server);
  /* no byte reached the kernel's counter, but the request line is reported, as having begun long ago */
  deadline_request_line(c, mono_ns() - (int64_t)DEADLINE_MS * 1000000);
  assert_true(cut_within(&p, DEADLINE_MS));
  deadline_close(c);
  pair_close(&p);
}

static void test_full_table_and_reuse(void **state) {
  (void)state;
  Pair a = pair_open(), b = pair_open(), x = pair_open();
  DeadlineConn *ca = deadline_open(a.server), *cb = deadline_open(b.server);
  assert_non_null(ca);
  assert_non_null(cb);
  assert_null(deadline_open(x.server)); /* capacity 2: not watched */
  deadline_close(ca);
  DeadlineConn *cx = deadline_open(x.server);
  assert_ptr_equal(cx, ca);
  /* NULL entries are accepted everywhere */
  deadline_request_line(NULL, 0);
  deadline_headers_done(NULL);
  deadline_request_done(NULL);
  deadline_request_end(NULL);
  deadline_close(NULL);
  deadline_close(cb);
  deadline_close(cx);
  pair_close(&a);
  pair_close(&b);
  pair_close(&x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quiet_connection_is_not_cut),
      cmocka_unit_test(test_first_bytes_start_the_clock),
      cmocka_unit_test(test_complete_request_waits_without_deadline),
      cmocka_unit_test(test_request_line_starts_the_clock),
      cmocka_unit_test(test_full_table_and_reuse),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
