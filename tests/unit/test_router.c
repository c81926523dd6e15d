/*
 * test_router.c — route matching over the real route table, and the table's own consistency: every
 * route is reachable, declares who may call it, and no two routes claim the same method and path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/http.h"
#include "pages/routes.h"

static const Route *m(const char *method, const char *path, int *status, int64_t ids[REQ_MAX_IDS], int *nids,
                      const char **rest) {
  return router_match(route_tables, method, path, ids, nids, rest, NULL, status);
}

static void matching(void **state) {
  (void)state;
  int st, n;
  int64_t ids[REQ_MAX_IDS];
  const char *rest;
  const Route *r = m("GET", "/login", &st, ids, &n, &rest);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/login");
  assert_string_equal(r->method, "GET");
  r = m("POST", "/login", &st, ids, &n, &rest);
  assert_non_null(r);
  assert_string_equal(r->method, "POST");
  r = m("HEAD", "/login", &st, ids, &n, &rest);
  assert_non_null(r);
  assert_string_equal(r->method, "GET");
  assert_null(m("PUT", "/login", &st, ids, &n, &rest));
  assert_int_equal(st, 405);
  assert_null(m("GET", "/no/such/page", &st, ids, &n, &rest));
  assert_int_equal(st, 404);
  assert_null(m("GET", "/login/", &st, ids, &n, &rest));
  assert_int_equal(st, 404);

  r = m("GET", "/static/style.css", &st, ids, &n, &rest);
  assert_non_null(r);
  assert_string_equal(rest, "style.css");

  r = m("GET", "/t/12", &st, ids, &n, &rest);
  assert_non_null(r);
  assert_string_equal(r->pattern, "/t/{id}");
  assert_int_equal(n, 1);
  assert_int_equal(ids[0], 12);
  /* ids are positive decimal numbers without leading zeros and of sane length */
  assert_null(m("GET", "/t/0", &st, ids, &n, &rest));
  assert_null(m("GET", "/t/012", &st, ids, &n, &rest));
  assert_null(m("GET", "/t/-1", &st, ids, &n, &rest));
  assert_null(m("GET", "/t/1e3", &st, ids, &n, &rest));
  assert_null(m("GET", "/t/1234567890123456789", &st, ids, &n, &rest));
  assert_null(m("GET", "/t/", &st, ids, &n, &rest));
}

static void table_is_consistent(void **state) {
  (void)state;
  int count = 0;
  for (int t = 0; route_tables[t]; t++) {
    for (const Route *r = route_tables[t]; r->pattern; r++, count++) {
      assert_true(r->pattern[0] == '/');
      assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST"));
      assert_non_null(r->handler);
      /* a route is either public or names the roles that may call it */
      assert_true((r->flags & R_PUBLIC) ? r->roles == 0 : r->roles != 0);
      /* no other route shadows it */
      for (int u = 0; route_tables[u]; u++)
        for (const Route *o = route_tables[u]; o->pattern; o++)
          if (o != r) assert_false(!strcmp(o->method, r->method) && !strcmp(o->pattern, r->pattern));
    }
  }
  assert_true(count >= 8);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(matching),
      cmocka_unit_test(table_is_consistent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
