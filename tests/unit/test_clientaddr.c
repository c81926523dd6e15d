/*
 * test_clientaddr.c — unit tests for the client address behind trusted proxies (src/http/clientaddr.c):
 * address and range parsing, the right-most-untrusted rule for X-Forwarded-For and Forwarded, what a
 * malformed or contradictory header from a trusted proxy gives, and the per-address counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "http/clientaddr.h"

static NetAddr addr(const char *s) {
  NetAddr a;
  assert_true(netaddr_parse(s, strlen(s), &a));
  return a;
}

static const char *text(const NetAddr *a) {
  static char buf[64];
  netaddr_text(a, buf, sizeof buf);
  return buf;
}

/* The client of a request from peer with the given headers, as text, and the result. */
static ClientAddrResult pick(const char *proxies, const char *peer, const char *xff, const char *fwd,
                             const char **client) {
  ProxyList l;
  char err[160];
  assert_true(proxylist_parse(proxies, &l, err, sizeof err));
  NetAddr p = addr(peer), c;
  ClientAddrResult res = clientaddr_pick(&l, &p, xff, fwd, &c);
  *client = text(&c);
  return res;
}

static void test_parse_addresses(void **state) {
  (void)state;
  NetAddr a;
  assert_string_equal(text(&(NetAddr){0}), "?");
  a = addr("192.0.2.1");
  assert_int_equal(a.family, AF_INET);
  assert_string_equal(text(&a), "192.0.2.1");
  a = addr("2001:DB8:0::1");
  assert_int_equal(a.family, AF_INET6);
  assert_string_equal(text(&a), "2001:db8::1");
  a = addr("::ffff:198.51.100.7"); /* v4-mapped: kept as IPv4 */
  assert_int_equal(a.family, AF_INET);
  assert_string_equal(text(&a), "198.51.100.7");
  const char *bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "fe80::1%eth0", "[::1]",
                       "::1:", "localhost", "1.2.3.4/8", "unknown", "1.2.3.4:80"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) assert_false(netaddr_parse(bad[i], strlen(bad[i]), &a));
  assert_false(netaddr_parse("1.2.3.4\0x", 9, &a)); /* a NUL inside */
}

static void test_proxy_list(void **state) {
  (void)state;
  ProxyList l;
  char err[160];
  assert_true(proxylist_parse("", &l, err, sizeof err));
  assert_int_equal(l.n, 0);
  assert_true(proxylist_parse(" 127.0.0.1, ::1 ,10.0.0.0/8 fd00::/8,,192.0.2.128/25", &l, err, sizeof err));
  assert_int_equal(l.n, 5);
  NetAddr a;
  a = addr("127.0.0.1"), assert_true(proxylist_has(&l, &a));
  a = addr("127.0.0.2"), assert_false(proxylist_has(&l, &a));
  a = addr("::1"), assert_true(proxylist_has(&l, &a));
  a = addr("10.200.3.4"), assert_true(proxylist_has(&l, &a));
  a = addr("11.0.0.1"), assert_false(proxylist_has(&l, &a));
  a = addr("fd12:3456::1"), assert_true(proxylist_has(&l, &a));
  a = addr("fe00::1"), assert_false(proxylist_has(&l, &a));
  a = addr("192.0.2.200"), assert_true(proxylist_has(&l, &a));
  a = addr("192.0.2.127"), assert_false(proxylist_has(&l, &a));
  a = addr("::ffff:127.0.0.1"), assert_true(proxylist_has(&l, &a)); /* IPv4 proxy on an IPv6 socket */
  assert_true(proxylist_parse("::ffff:10.1.0.0/112", &l, err, sizeof err));
  a = addr("10.1.44.5"), assert_true(proxylist_has(&l, &a));
  a = addr("10.2.0.1"), assert_false(proxylist_has(&l, &a));
  assert_true(proxylist_parse("0.0.0.0/0", &l, err, sizeof err));
  a = addr("203.0.113.9"), assert_true(proxylist_has(&l, &a));
  a = addr("::1"), assert_false(proxylist_has(&l, &a));
  const char *bad[] = {"proxy.example", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "1.2.3.4:80",
                       "10.0.0.0/8/8", "[::1]", "::ffff:10.0.0.0/95"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_false(proxylist_parse(bad[i], &l, err, sizeof err));
    assert_non_null(strstr(err, "is not an IPv4 or IPv6 address"));
  }
  char many[1024] = "";
  for (int i = 0; i <= CLIENTADDR_MAX_PROXIES; i++) snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d,", i);
  assert_false(proxylist_parse(many, &l, err, sizeof err));
  assert_non_null(strstr(err, "more than"));
}

static void test_untrusted_peer_is_the_client(void **state) {
  (void)state;
  const char *c;
  assert_int_equal(pick("127.0.0.1", "203.0.113.5", "198.51.100.1", "for=198.51.100.1", &c), CLIENTADDR_PEER);
  assert_string_equal(c, "203.0.113.5");
  assert_int_equal(pick("", "127.0.0.1", "198.51.100.1", NULL, &c), CLIENTADDR_PEER);
  assert_string_equal(c, "127.0.0.1");
  /* a trusted proxy without a header (its own health check) */
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, NULL, &c), CLIENTADDR_PEER);
  assert_string_equal(c, "127.0.0.1");
}

static void test_x_forwarded_for(void **state) {
  (void)state;
  const char *c;
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "198.51.100.1", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  /* what the client sent itself is left of what the proxy appended */
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "1.1.1.1, 2.2.2.2,198.51.100.1", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  /* garbage the client sent, left of the proxy's entry, does not matter */
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "<script>, unknown ,198.51.100.1", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  /* a chain of trusted proxies is skipped */
  assert_int_equal(pick("127.0.0.1 10.0.0.0/8", "127.0.0.1", "9.9.9.9, 198.51.100.1, 10.1.2.3 , 10.0.0.1", NULL, &c),
                   CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  /* all trusted: the left-most */
  assert_int_equal(pick("127.0.0.1 10.0.0.0/8", "127.0.0.1", "10.0.0.7, 10.0.0.1", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "10.0.0.7");
  /* IPv6, brackets, ports; several header lines joined with ',' */
  assert_int_equal(pick("::1", "::1", "2001:DB8::5", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "2001:db8::5");
  assert_int_equal(pick("::1", "::1", "[2001:db8::5]:4711", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "2001:db8::5");
  assert_int_equal(pick("::1", "::1", "1.1.1.1,198.51.100.1:80", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  assert_int_equal(pick("::1", "::1", "198.51.100.1,,", NULL, &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  /* malformed where it is read: the peer */
  const char *bad[] = {"", " , ", "unknown", "198.51.100.1, garbage", "198.51.100", "[198.51.100.1]", "[::1",
                       "2001:db8::1:80x", "198.51.100.1:", "198.51.100.1:123456", "[2001:db8::1]x",
                       "198.51.100.1 198.51.100.2", "fe80::1%eth0"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(pick("127.0.0.1", "127.0.0.1", bad[i], NULL, &c), CLIENTADDR_MALFORMED);
    assert_string_equal(c, "127.0.0.1");
  }
}

static void test_forwarded(void **state) {
  (void)state;
  const char *c;
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, "for=198.51.100.1", &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL,
                        "for=1.1.1.1;proto=http, For=\"198.51.100.1:443\" ; proto=https;by=127.0.0.1", &c),
                   CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, "for=\"[2001:db8:cafe::17]:4711\"", &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "2001:db8:cafe::17");
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, "for=\"[2001:db8::17]:_port\"", &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "2001:db8::17");
  /* a quoted comma is not a separator; elements of trusted proxies are skipped */
  assert_int_equal(pick("127.0.0.1 10.0.0.1", "127.0.0.1", NULL,
                        "for=\"x,y\";by=\"a\\\"b\", for=198.51.100.1, for=10.0.0.1", &c),
                   CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
  const char *bad[] = {"for=unknown", "for=_hidden", "proto=https", "for=198.51.100.1;for=1.1.1.1",
                       "for=\"198.51.100.1", "for =198.51.100.1", "for=[2001:db8::1]", "for=\"[2001:db8::1\"",
                       "for=2001:db8::1", "for=198.51.100.1 x", "for=", "=x", "for=\"198.51.100.1\x01\"",
                       "for=\"[198.51.100.1]\"", "for=\"198.51.100.1:_bad!\"", "for=1.1.1.1, for=unknown"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, bad[i], &c), CLIENTADDR_MALFORMED);
    assert_string_equal(c, "127.0.0.1");
  }
  /* unknown or garbage left of the usable element does not matter once the syntax holds */
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", NULL, "for=unknown, for=198.51.100.1", &c), CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
}

static void test_both_headers_must_agree(void **state) {
  (void)state;
  const char *c;
  /* the proxy appends to X-Forwarded-For; the client's own Forwarded passes through: not believed */
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "198.51.100.1", "for=6.6.6.6", &c), CLIENTADDR_MALFORMED);
  assert_string_equal(c, "127.0.0.1");
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "6.6.6.6", "for=198.51.100.1", &c), CLIENTADDR_MALFORMED);
  assert_string_equal(c, "127.0.0.1");
  assert_int_equal(pick("127.0.0.1", "127.0.0.1", "6.6.6.6, 198.51.100.1", "for=198.51.100.1", &c),
                   CLIENTADDR_FORWARDED);
  assert_string_equal(c, "198.51.100.1");
}

static void test_counts(void **state) {
  (void)state;
  AddrCount c;
  addrcount_init(&c, 2);
  NetAddr a = addr("198.51.100.1"), b = addr("2001:db8::1"), d = addr("203.0.113.1");
  assert_true(addrcount_acquire(&c, &a, 2));
  assert_true(addrcount_acquire(&c, &a, 2));
  assert_false(addrcount_acquire(&c, &a, 2));
  assert_int_equal(addrcount_get(&c, &a), 2);
  assert_true(addrcount_acquire(&c, &b, 2));
  assert_false(addrcount_acquire(&c, &d, 2)); /* no room for a third address */
  addrcount_release(&c, &a);
  addrcount_release(&c, &a);
  assert_int_equal(addrcount_get(&c, &a), 0);
  assert_true(addrcount_acquire(&c, &d, 0));
  assert_int_equal(addrcount_get(&c, &b), 1);
  assert_int_equal(addrcount_get(&c, &d), 1);
  addrcount_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_addresses),        cmocka_unit_test(test_proxy_list),
      cmocka_unit_test(test_untrusted_peer_is_the_client), cmocka_unit_test(test_x_forwarded_for),
      cmocka_unit_test(test_forwarded),              cmocka_unit_test(test_both_headers_must_agree),
      cmocka_unit_test(test_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
