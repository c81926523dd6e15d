/*
 * clientaddr.h — who the client is when requests arrive through reverse proxies.
 *
 * Behind a proxy every request comes from the proxy's address. The proxy names the client in an
 * X-Forwarded-For or Forwarded (RFC 7239) header, which a client can also send itself; so the header is
 * believed only when the TCP peer is one of the configured trusted proxies (setting trusted_proxies), and
 * it is read from the right: each proxy appends the address it received the request from, so the
 * right-most entry that is not itself a trusted proxy is the client; everything left of it is whatever
 * that client chose to send.
 *
 * Also here: a table counting connections or requests per address, for the per-client limits that
 * libmicrohttpd's per_ip_limit cannot apply behind a proxy.
 *
 * Everything but AddrCount is pure (no globals, no allocation) and safe to call from any thread.
 */
#ifndef ZW_CLIENTADDR_H
#define ZW_CLIENTADDR_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr;

/* An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are kept as IPv4, so a proxy is
 * recognised whether the server listens on IPv4 or IPv6. */
typedef struct NetAddr {
  int family;    /* AF_INET or AF_INET6; 0 = none */
  uint8_t b[16]; /* network order; IPv4 uses the first 4 bytes, the rest is 0 */
} NetAddr;

enum { CLIENTADDR_MAX_PROXIES = 32 };

/* The trusted proxies: addresses or CIDR ranges. */
typedef struct ProxyList {
  struct {
    NetAddr a;
    int prefix; /* bits that must match: 32 or 128 for a single address */
  } v[CLIENTADDR_MAX_PROXIES];
  int n;
} ProxyList;

/* Parses an IPv4 or IPv6 literal of exactly len bytes (no brackets, no port, no zone). Returns false if it
 * is not one. */
bool netaddr_parse(const char *s, size_t len, NetAddr *out);

/* The address of a socket address (AF_INET or AF_INET6); false for another family. */
bool netaddr_from_sockaddr(const struct sockaddr *sa, NetAddr *out);

/* Writes the address as canonical text ("192.0.2.1", "2001:db8::1") into buf (n >= 46 always fits). */
void netaddr_text(const NetAddr *a, char *buf, size_t n);

bool netaddr_equal(const NetAddr *a, const NetAddr *b);

/* Parses the trusted_proxies setting: addresses or ranges (192.0.2.10, ::1, 10.0.0.0/8, fd00::/8)
 * separated by commas and/or blanks; "" is the empty list. On an error returns false and names the bad
 * item in err (n bytes). Allocates nothing. */
bool proxylist_parse(const char *spec, ProxyList *out, char *err, size_t errn);

/* True if a is one of the trusted proxies (or inside one of their ranges). */
bool proxylist_has(const ProxyList *l, const NetAddr *a);

typedef enum {
  CLIENTADDR_PEER,      /* the peer is not a trusted proxy, or sent no forwarding header: the peer is the client */
  CLIENTADDR_FORWARDED, /* a trusted proxy named the client: *client is that address */
  CLIENTADDR_MALFORMED, /* a trusted proxy sent a header that does not name a client we can use (syntax
                           error, "unknown" or obfuscated node, or X-Forwarded-For and Forwarded that
                           disagree): the peer is used */
} ClientAddrResult;

/* Chooses the client address of a request from `peer`. xff: every X-Forwarded-For value of the request,
 * in order, joined with ","; forwarded: the same for Forwarded; NULL when the request has no such header.
 * Only when peer is in `trusted` are the headers read; then, walking each header from the right, the
 * first address that is not a trusted proxy is the client (the left-most if all are). When both headers
 * are present they must agree, since a proxy that writes one of them passes the other through from the
 * client untouched. *client is always set (to peer unless CLIENTADDR_FORWARDED). */
ClientAddrResult clientaddr_pick(const ProxyList *trusted, const NetAddr *peer, const char *xff,
                                 const char *forwarded, NetAddr *client);

/* A count of connections or requests per address, bounded: at most `capacity` distinct addresses at once.
 * Thread-safe (one mutex). */
typedef struct AddrCount {
  pthread_mutex_t mu;
  struct AddrCountEntry {
    NetAddr a;
    int n;
  } *v;
  int n, cap;
} AddrCount;

/* Allocates room for `capacity` addresses (aborts if memory runs out). */
void addrcount_init(AddrCount *c, int capacity);
void addrcount_free(AddrCount *c);
/* Counts one more for a if it has fewer than `limit` (limit <= 0: no limit) and the table has room;
 * returns false (nothing counted) otherwise. */
bool addrcount_acquire(AddrCount *c, const NetAddr *a, int limit);
/* Counts one less for a (which must have been acquired). */
void addrcount_release(AddrCount *c, const NetAddr *a);
/* The current count of a. */
int addrcount_get(AddrCount *c, const NetAddr *a);

#endif
