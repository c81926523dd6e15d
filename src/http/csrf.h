/*
 * csrf.h — the checks that a state-changing request (POST) comes from one of our own pages: the browser's
 * same-origin headers and the CSRF token of the form. The server runs both before every POST handler;
 * both are pure (the server hands them the header values), so they depend on nothing but the settings.
 */
#ifndef ZW_CSRF_H
#define ZW_CSRF_H

#include <stdbool.h>

/* Same-origin check on the request's Sec-Fetch-Site, Origin and Host headers (each NULL when absent).
 * Sec-Fetch-Site (set by the browser, not by scripts) must say same-origin (or none: typed by the user)
 * when present. Origin must be ours (base_url, else host with our scheme) when present; "null" is accepted
 * only together with Sec-Fetch-Site: same-origin, because browsers send Origin: null on same-site form
 * posts from pages with Referrer-Policy: no-referrer. Clients that send neither header still need the
 * token. Cannot fail. */
bool csrf_origin_ok(const char *fetch_site, const char *origin, const char *host);

/* True if the token the form sent equals, in constant time, the one it must carry (the session's when
 * signed in, else the anonymous zw_csrf cookie's); false if either is NULL or the one it must carry is
 * empty. */
bool csrf_token_ok(const char *sent, const char *want);

#endif
