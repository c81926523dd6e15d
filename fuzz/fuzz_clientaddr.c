/*
 * fuzz_clientaddr.c — fuzz target for the client address behind trusted proxies (src/http/clientaddr.c):
 * the trusted_proxies setting, X-Forwarded-For and Forwarded (RFC 7239) headers.
 *
 * The input is up to four fields separated by newlines: the trusted_proxies list, the peer address, the
 * X-Forwarded-For value and the Forwarded value (a field "-" means the header is absent). Each reaches the
 * parsers as an exact-size NUL-terminated copy. Properties: a list that parses has at most
 * CLIENTADDR_MAX_PROXIES entries with prefixes in range; an untrusted peer, or one without headers, is the
 * client; anything but CLIENTADDR_FORWARDED leaves the peer as the client; a forwarded client is a valid
 * address whose text form parses back to itself, and each header present gives that same client on its
 * own; the answer is the same when asked twice; the per-address count returns to zero.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/mem.h"
#include "http/clientaddr.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static char *field(const uint8_t **p, const uint8_t *end) {
  const uint8_t *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
  const uint8_t *e = nl ? nl : end;
  char *out = xmalloc((size_t)(e - s) + 1);
  memcpy(out, s, (size_t)(e - s));
  out[e - s] = 0;
  *p = nl ? nl + 1 : end;
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *p = data, *end = data + size;
  char *spec = field(&p, end), *peer_s = field(&p, end), *xff = field(&p, end), *fwd = field(&p, end);
  const char *xh = strcmp(xff, "-") == 0 ? NULL : xff, *fh = strcmp(fwd, "-") == 0 ? NULL : fwd;

  ProxyList l;
  char err[160];
  if (!proxylist_parse(spec, &l, err, sizeof err)) {
    CHECK(err[0] != 0);
    CHECK(proxylist_parse("127.0.0.1, ::1, 10.0.0.0/8", &l, err, sizeof err));
  }
  CHECK(l.n >= 0 && l.n <= CLIENTADDR_MAX_PROXIES);
  for (int i = 0; i < l.n; i++)
    CHECK(l.v[i].prefix >= 0 && l.v[i].prefix <= (l.v[i].a.family == AF_INET ? 32 : 128));

  NetAddr peer;
  if (!netaddr_parse(peer_s, strlen(peer_s), &peer)) peer = l.n ? l.v[0].a : (NetAddr){.family = AF_INET};
  NetAddr client, again;
  ClientAddrResult res = clientaddr_pick(&l, &peer, xh, fh, &client);
  CHECK(res == CLIENTADDR_PEER || res == CLIENTADDR_FORWARDED || res == CLIENTADDR_MALFORMED);
  CHECK(clientaddr_pick(&l, &peer, xh, fh, &again) == res && netaddr_equal(&client, &again));
  if (!proxylist_has(&l, &peer) || (!xh && !fh)) CHECK(res == CLIENTADDR_PEER);
  if (res != CLIENTADDR_FORWARDED) {
    CHECK(netaddr_equal(&client, &peer));
  } else {
    char txt[64];
    NetAddr back;
    netaddr_text(&client, txt, sizeof txt);
    CHECK(netaddr_parse(txt, strlen(txt), &back) && netaddr_equal(&back, &client));
    /* each header alone gives the same client, when it is present */
    if (xh) CHECK(clientaddr_pick(&l, &peer, xh, NULL, &again) == CLIENTADDR_FORWARDED && netaddr_equal(&again, &client));
    if (fh) CHECK(clientaddr_pick(&l, &peer, NULL, fh, &again) == CLIENTADDR_FORWARDED && netaddr_equal(&again, &client));
  }

  AddrCount c;
  addrcount_init(&c, 4);
  CHECK(addrcount_acquire(&c, &client, 2) && addrcount_acquire(&c, &peer, 0));
  addrcount_release(&c, &client);
  addrcount_release(&c, &peer);
  CHECK(addrcount_get(&c, &client) == 0 && addrcount_get(&c, &peer) == 0);
  addrcount_free(&c);

  free(spec);
  free(peer_s);
  free(xff);
  free(fwd);
  return 0;
}
