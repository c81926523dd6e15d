/*
 * clientaddr.c — see clientaddr.h.
 *
 * X-Forwarded-For is a comma-separated list of addresses (some proxies add a port: 192.0.2.1:4711,
 * [2001:db8::1]:4711). Forwarded (RFC 7239) is a list of elements, each a ';'-separated list of
 * parameter=value pairs whose value is a token or a quoted string; the client of each hop is its "for"
 * parameter: an IPv4 address, a bracketed IPv6 address in quotes, either with an optional port, "unknown"
 * or an obfuscated name ("_hidden"). The whole Forwarded header must be well-formed (a comma inside a
 * quoted string is not a separator, so it cannot be split blindly); in X-Forwarded-For only the entries
 * actually walked, from the right, must be addresses.
 */
#include "http/clientaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/mem.h"

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool netaddr_parse(const char *s, size_t len, NetAddr *out) {
  char buf[64];
  if (len == 0 || len >= sizeof buf) return false;
  memcpy(buf, s, len);
  buf[len] = 0;
  if (strlen(buf) != len) return false; /* a NUL inside */
  memset(out, 0, sizeof *out);
  if (memchr(buf, ':', len)) {
    if (inet_pton(AF_INET6, buf, out->b) != 1) return false;
    out->family = AF_INET6;
    if (memcmp(out->b, v4mapped, sizeof v4mapped) == 0) {
      memmove(out->b, out->b + 12, 4);
      memset(out->b + 4, 0, 12);
      out->family = AF_INET;
    }
    return true;
  }
  if (inet_pton(AF_INET, buf, out->b) != 1) return false;
  out->family = AF_INET;
  return true;
}

bool netaddr_from_sockaddr(const struct sockaddr *sa, NetAddr *out) {
  memset(out, 0, sizeof *out);
  if (!sa) return false;
  if (sa->sa_family == AF_INET) {
    memcpy(out->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    out->family = AF_INET;
    return true;
  }
  if (sa->sa_family == AF_INET6) {
    const uint8_t *b = (const uint8_t *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (memcmp(b, v4mapped, sizeof v4mapped) == 0) {
      memcpy(out->b, b + 12, 4);
      out->family = AF_INET;
    } else {
      memcpy(out->b, b, 16);
      out->family = AF_INET6;
    }
    return true;
  }
  return false;
}

void netaddr_text(const NetAddr *a, char *buf, size_t n) {
  if (!n) return;
  buf[0] = 0;
  if ((a->family == AF_INET || a->family == AF_INET6) && inet_ntop(a->family, a->b, buf, (socklen_t)n)) return;
  snprintf(buf, n, "?");
}

bool netaddr_equal(const NetAddr *a, const NetAddr *b) {
  return a->family == b->family && memcmp(a->b, b->b, sizeof a->b) == 0;
}

/* True if the first `bits` bits of a and b agree. */
static bool prefix_match(const uint8_t *a, const uint8_t *b, int bits) {
  int whole = bits / 8, rest = bits % 8;
  if (memcmp(a, b, (size_t)whole) != 0) return false;
  if (!rest) return true;
  uint8_t mask = (uint8_t)(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

static bool is_sep(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool proxylist_parse(const char *spec, ProxyList *out, char *err, size_t errn) {
  memset(out, 0, sizeof *out);
  if (errn) err[0] = 0;
  const char *p = spec ? spec : "";
  for (;;) {
    while (*p && is_sep(*p)) p++;
    if (!*p) return true;
    const char *start = p;
    while (*p && !is_sep(*p)) p++;
    size_t len = (size_t)(p - start);
    const char *slash = memchr(start, '/', len);
    size_t alen = slash ? (size_t)(slash - start) : len;
    NetAddr a;
    int prefix = -1;
    bool ok = netaddr_parse(start, alen, &a);
    if (ok) {
      int max = a.family == AF_INET ? 32 : 128;
      /* a v4-mapped range (::ffff:10.0.0.0/104) counts its prefix in IPv6 bits */
      bool mapped = a.family == AF_INET && memchr(start, ':', alen);
      if (!slash) {
        prefix = max;
      } else {
        const char *d = slash + 1;
        size_t dl = len - alen - 1;
        int v = 0;
        ok = dl >= 1 && dl <= 3;
        for (size_t i = 0; ok && i < dl; i++) {
          if (d[i] < '0' || d[i] > '9') ok = false;
          else v = v * 10 + (d[i] - '0');
        }
        if (ok && mapped) {
          ok = v >= 96 && v <= 128;
          v -= 96;
        }
        ok = ok && v <= max;
        prefix = v;
      }
    }
    if (!ok) {
      if (errn) snprintf(err, errn, "'%.*s' is not an IPv4 or IPv6 address or range", (int)(len > 60 ? 60 : len), start);
      return false;
    }
    if (out->n >= CLIENTADDR_MAX_PROXIES) {
      if (errn) snprintf(err, errn, "more than %d entries", CLIENTADDR_MAX_PROXIES);
      return false;
    }
    out->v[out->n].a = a;
    out->v[out->n].prefix = prefix;
    out->n++;
  }
}

bool proxylist_has(const ProxyList *l, const NetAddr *a) {
  for (int i = 0; i < l->n; i++)
    if (l->v[i].a.family == a->family && prefix_match(l->v[i].a.b, a->b, l->v[i].prefix)) return true;
  return false;
}

/* ---- X-Forwarded-For ---- */

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

static bool digits(const char *s, size_t len) {
  if (len < 1 || len > 5) return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/* One X-Forwarded-For entry: 192.0.2.1, 192.0.2.1:80, 2001:db8::1, [2001:db8::1], [2001:db8::1]:80. */
static bool xff_node(const char *s, size_t len, NetAddr *out) {
  if (len && s[0] == '[') {
    const char *close = memchr(s, ']', len);
    if (!close) return false;
    size_t in = (size_t)(close - s - 1), after = len - in - 2;
    if (!memchr(s + 1, ':', in) || !netaddr_parse(s + 1, in, out)) return false; /* brackets hold IPv6 */
    return after == 0 || (close[1] == ':' && digits(close + 2, after - 1));
  }
  const char *colon = memchr(s, ':', len);
  if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1)) { /* exactly one colon: v4:port */
    size_t al = (size_t)(colon - s);
    return netaddr_parse(s, al, out) && out->family == AF_INET && !memchr(s, ':', al) &&
           digits(colon + 1, len - al - 1);
  }
  return netaddr_parse(s, len, out);
}

typedef enum { WALK_FOUND, WALK_BAD } Walk;

/* Walks X-Forwarded-For from the right. */
static Walk walk_xff(const ProxyList *l, const char *s, NetAddr *client) {
  size_t end = strlen(s);
  bool any = false;
  for (;;) {
    size_t start = end;
    while (start > 0 && s[start - 1] != ',') start--;
    size_t a = start, b = end;
    while (a < b && is_ows(s[a])) a++;
    while (b > a && is_ows(s[b - 1])) b--;
    if (a < b) {
      NetAddr n;
      if (!xff_node(s + a, b - a, &n)) return WALK_BAD;
      *client = n;
      any = true;
      if (!proxylist_has(l, &n)) return WALK_FOUND;
    }
    if (start == 0) break;
    end = start - 1;
  }
  return any ? WALK_FOUND : WALK_BAD; /* all trusted: the left-most; none at all: nothing usable */
}

/* ---- Forwarded (RFC 7239) ---- */

enum { FWD_RING = 32, FWD_VALUE_MAX = 64 };

typedef struct {
  bool has_for;
  char value[FWD_VALUE_MAX]; /* the for= value, unquoted */
} FwdElement;

static bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("!#$%&'*+-.^_`|~", c)); /* strchr finds the terminator too */
}

/* Reads a token or quoted string at *p into out (NUL-terminated; false if longer than FWD_VALUE_MAX - 1 or
 * malformed). */
static bool fwd_value(const char **p, char *out) {
  const char *s = *p;
  size_t n = 0;
  if (*s == '"') {
    s++;
    for (;;) {
      unsigned char c = (unsigned char)*s;
      if (c == '"') break;
      if (c == '\\') {
        s++;
        c = (unsigned char)*s;
        if (!(c == '\t' || (c >= 0x20 && c != 0x7f))) return false;
      } else if (!(c == '\t' || (c >= 0x20 && c != 0x7f))) {
        return false; /* control character or the end of the header before the closing quote */
      }
      if (n + 1 >= FWD_VALUE_MAX) return false;
      out[n++] = (char)c;
      s++;
    }
    s++;
  } else {
    while (*s && is_tchar(*s)) {
      if (n + 1 >= FWD_VALUE_MAX) return false;
      out[n++] = *s++;
    }
    if (!n) return false;
  }
  out[n] = 0;
  *p = s;
  return true;
}

/* Parses the whole header; keeps the last FWD_RING elements in ring (count in *total). */
static bool fwd_parse(const char *s, FwdElement ring[FWD_RING], int *total) {
  *total = 0;
  const char *p = s;
  for (;;) {
    while (is_ows(*p) || *p == ',') p++; /* empty list elements are allowed */
    if (!*p) return *total > 0;
    FwdElement *e = &ring[*total % FWD_RING];
    memset(e, 0, sizeof *e);
    (*total)++;
    for (;;) { /* pairs of one element */
      const char *name = p;
      while (is_tchar(*p)) p++;
      size_t nl = (size_t)(p - name);
      if (!nl || *p != '=') return false;
      p++;
      char value[FWD_VALUE_MAX];
      if (!fwd_value(&p, value)) return false;
      if (nl == 3 && strncasecmp(name, "for", 3) == 0) {
        if (e->has_for) return false; /* a parameter occurs at most once per element */
        e->has_for = true;
        memcpy(e->value, value, sizeof value);
      }
      while (is_ows(*p)) p++;
      if (*p == ';') {
        p++;
        while (is_ows(*p)) p++;
        continue;
      }
      if (*p == ',' || !*p) break;
      return false;
    }
  }
}

/* A for= node: IPv4 or [IPv6], optionally :port (digits or obfuscated); false for unknown, obfuscated or
 * malformed nodes. */
static bool fwd_node(const char *v, NetAddr *out) {
  size_t len = strlen(v);
  const char *port = NULL;
  const char *addr = v;
  size_t alen = len;
  if (v[0] == '[') {
    const char *close = strchr(v, ']');
    if (!close) return false;
    addr = v + 1;
    alen = (size_t)(close - v - 1);
    if (close[1] == ':') port = close + 2;
    else if (close[1]) return false;
    if (!netaddr_parse(addr, alen, out) || !memchr(addr, ':', alen)) return false;
  } else {
    const char *colon = strchr(v, ':');
    if (colon) {
      alen = (size_t)(colon - v);
      port = colon + 1;
    }
    if (!netaddr_parse(addr, alen, out) || out->family != AF_INET || memchr(addr, ':', alen)) return false;
  }
  if (port) {
    size_t pl = strlen(port);
    if (!(digits(port, pl) || (pl > 1 && port[0] == '_'))) return false;
    for (size_t i = 1; port[0] == '_' && i < pl; i++)
      if (!((port[i] >= 'a' && port[i] <= 'z') || (port[i] >= 'A' && port[i] <= 'Z') ||
            (port[i] >= '0' && port[i] <= '9') || port[i] == '.' || port[i] == '_' || port[i] == '-'))
        return false;
  }
  return true;
}

static Walk walk_forwarded(const ProxyList *l, const char *s, NetAddr *client) {
  FwdElement ring[FWD_RING];
  int total;
  if (!fwd_parse(s, ring, &total)) return WALK_BAD;
  int first = total > FWD_RING ? total - FWD_RING : 0;
  for (int i = total - 1; i >= first; i--) {
    const FwdElement *e = &ring[i % FWD_RING];
    NetAddr n;
    if (!e->has_for || !fwd_node(e->value, &n)) return WALK_BAD;
    *client = n;
    if (!proxylist_has(l, &n)) return WALK_FOUND;
  }
  return first == 0 ? WALK_FOUND : WALK_BAD; /* all trusted: the left-most, if we still have it */
}

ClientAddrResult clientaddr_pick(const ProxyList *trusted, const NetAddr *peer, const char *xff,
                                 const char *forwarded, NetAddr *client) {
  *client = *peer;
  if (!proxylist_has(trusted, peer) || (!xff && !forwarded)) return CLIENTADDR_PEER;
  NetAddr a = *peer, b = *peer;
  if (xff && walk_xff(trusted, xff, &a) != WALK_FOUND) return CLIENTADDR_MALFORMED;
  if (forwarded && walk_forwarded(trusted, forwarded, &b) != WALK_FOUND) return CLIENTADDR_MALFORMED;
  if (xff && forwarded && !netaddr_equal(&a, &b)) return CLIENTADDR_MALFORMED;
  *client = xff ? a : b;
  return CLIENTADDR_FORWARDED;
}

/* ---- counts per address ---- */

void addrcount_init(AddrCount *c, int capacity) {
  if (capacity < 1) capacity = 1;
  pthread_mutex_init(&c->mu, NULL);
  c->v = xcalloc((size_t)capacity, sizeof *c->v);
  c->n = 0;
  c->cap = capacity;
}

void addrcount_free(AddrCount *c) {
  if (!c->v) return;
  pthread_mutex_destroy(&c->mu);
  free(c->v);
  c->v = NULL;
  c->n = c->cap = 0;
}

static int addrcount_find(AddrCount *c, const NetAddr *a) {
  for (int i = 0; i < c->n; i++)
    if (netaddr_equal(&c->v[i].a, a)) return i;
  return -1;
}

bool addrcount_acquire(AddrCount *c, const NetAddr *a, int limit) {
  pthread_mutex_lock(&c->mu);
  int i = addrcount_find(c, a);
  bool ok;
  if (i >= 0) {
    ok = limit <= 0 || c->v[i].n < limit;
    if (ok) c->v[i].n++;
  } else {
    ok = c->n < c->cap;
    if (ok) {
      c->v[c->n].a = *a;
      c->v[c->n].n = 1;
      c->n++;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return ok;
}

void addrcount_release(AddrCount *c, const NetAddr *a) {
  pthread_mutex_lock(&c->mu);
  int i = addrcount_find(c, a);
  if (i >= 0 && --c->v[i].n <= 0) c->v[i] = c->v[--c->n];
  pthread_mutex_unlock(&c->mu);
}

int addrcount_get(AddrCount *c, const NetAddr *a) {
  pthread_mutex_lock(&c->mu);
  int i = addrcount_find(c, a);
  int n = i >= 0 ? c->v[i].n : 0;
  pthread_mutex_unlock(&c->mu);
  return n;
}
