/*
 * server.c — see server.h.
 *
 * Life of a request: the URI-log callback allocates the Req and its arena; the first access-handler call
 * checks Content-Length against the body cap; further calls collect the body (a body that grows past the
 * cap is dropped and answered 413); the last call runs the pipeline and queues the response. The
 * completion callback writes one access line to stderr (no query, no body, no names) and frees the arena.
 *
 * The connection callback gives each connection an entry in the request-deadline table (deadline.h); the
 * request callbacks above tell it when a request begins, when it is complete and when it is over.
 *
 * Every Req is owned by its connection (Conn) until it is released, once, by whichever comes first: the
 * completion callback, the next request on the same connection, or the connection's close. libmicrohttpd
 * 0.9.75 skips the completion callback on some error paths (a second error response while the first is
 * being set up sets the connection's state to closed directly, e.g. too many header fields); the close
 * notification always comes, and after it nothing refers to the connection's request again.
 *
 * The client's address (r->ip) is the peer's, or the one a trusted proxy names (clientaddr.h). With
 * trusted proxies configured, the limit of connections per address is applied here instead of by
 * libmicrohttpd, which would apply it to the proxy: per peer for everybody but the proxies, and as a limit
 * of simultaneous requests per forwarded client address.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/token.h"
#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "html/html.h"
#include "http/clientaddr.h"
#include "http/csrf.h"
#include "http/deadline.h"
#include "http/flash.h"
#include "http/http.h"
#include "i18n/i18n.h"

static atomic_int active_requests;
static const Site *site; /* what is served: routes, error page, sessions, the access log's hold (server_run) */

/* What the server keeps per connection (owned by the connection's worker thread). */
typedef struct Conn {
  DeadlineConn *deadline; /* its entry in the request-deadline table, or NULL */
  Req *req;               /* the request being served, until it is released */
  NetAddr peer;           /* the TCP peer */
  bool peer_trusted;      /* the peer is a trusted proxy */
  bool peer_counted;      /* holds a place in peer_conns */
  bool client_counted;    /* the current request holds a place in client_reqs for `client` */
  NetAddr client;
} Conn;

static ProxyList trusted;   /* cfg.trusted_proxies, parsed at start */
static AddrCount peer_conns; /* connections per peer that is not a trusted proxy (only with trusted proxies) */
static AddrCount client_reqs; /* requests in progress per forwarded client address */

int server_in_flight(void) { return atomic_load(&active_requests); }

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- response helpers for handlers ---- */

void http_header(Req *r, const char *name, const char *value) {
  if (r->nheaders % 8 == 0) {
    Param *n = arena_alloc(r->a, sizeof(Param) * (size_t)(r->nheaders + 8));
    if (r->nheaders) memcpy(n, r->headers, sizeof(Param) * (size_t)r->nheaders);
    r->headers = n;
  }
  r->headers[r->nheaders].key = arena_strdup(r->a, name);
  r->headers[r->nheaders].val = arena_strdup(r->a, value);
  r->nheaders++;
}

void http_cookie(Req *r, const char *cookie) {
  if (r->ncookies < (int)(sizeof r->set_cookie / sizeof *r->set_cookie))
    r->set_cookie[r->ncookies++] = arena_strdup(r->a, cookie);
}

const char *http_cookie_name(const char *base) {
  if (!cfg.tls) return base;
  if (strcmp(base, "zw_session") == 0) return "__Host-zw_session";
  if (strcmp(base, "zw_csrf") == 0) return "__Host-zw_csrf";
  if (strcmp(base, "zw_lang") == 0) return "__Host-zw_lang";
  return base;
}

void http_set_cookie(Req *r, const char *base, const char *value, int max_age) {
  char *c = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", http_cookie_name(base), value,
                         cfg.tls ? "; Secure" : "", max_age >= 0 ? "; Max-Age=" : "");
  if (max_age >= 0) c = arena_printf(r->a, "%s%d", c, max_age);
  http_cookie(r, c);
}

int http_redirect(Req *r, const char *location) {
  http_header(r, "Location", location);
  buf_reset(&r->out);
  return 303;
}

int http_redirect_flash(Req *r, const char *location, const char *flash_key) {
  return http_redirect(r, arena_printf(r->a, "%s%cflash=%s", location, strchr(location, '?') ? '&' : '?', flash_key));
}

int http_error(Req *r, int status, const char *message) {
  buf_reset(&r->out);
  site->error_page(r, status, message);
  return status;
}

/* The change the handler was making is rolled back when its request's hold on the database ends
 * (req_db_end), before the response is sent. */
int http_db_error(Req *r, int code) {
  switch (code) {
    case DB_BUSY:
      http_header(r, "Retry-After", "5");
      return http_error(r, 503, _("The portal is very busy right now. Please try again in a few seconds; "
                                  "nothing you saved earlier is lost."));
    case DB_FULL:
    case DB_IOERR:
      http_header(r, "Retry-After", "30");
      return http_error(r, 503, _("The portal cannot store data at the moment. Your change was not saved; "
                                  "nothing saved earlier is lost. Please try again later."));
    default:
      return http_error(r, 500, NULL);
  }
}

const char *form_str(Req *r, const char *key) {
  const char *v = params_get(&r->form, key);
  return v ? text_trim(arena_strdup(r->a, v)) : "";
}

const char *query_str(Req *r, const char *key) {
  const char *v = params_get(&r->query, key);
  return v ? v : "";
}

int64_t query_int(Req *r, const char *key, int64_t def) {
  const char *v = params_get(&r->query, key);
  if (!v || !*v || strlen(v) > 12) return def;
  int64_t n = 0;
  for (const char *p = v; *p; p++) {
    if (*p < '0' || *p > '9') return def;
    n = n * 10 + (*p - '0');
  }
  return n;
}

/* ---- the pipeline ---- */

const char *req_header(Req *r, const char *name) {
  return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_HEADER_KIND, name);
}
#define conn_header req_header

static bool needs_mfa(const User *u) { return u->totp_enabled || user_mfa_required(u->roles); }

/* Reads the request's cookies (none if they cannot be parsed). */
static void request_cookies(Req *r) {
  if (params_parse_cookies(r->a, conn_header(r, "Cookie"), &r->cookies) != PARAMS_OK) r->cookies.n = 0;
}

/* Picks the request's language — the one place it is chosen, before any text is written: the account's
 * (when the session is known), else the language cookie's, else the default. */
static void request_language(Req *r) {
  const char *lang = r->user && r->user->lang ? r->user->lang : params_get(&r->cookies, http_cookie_name("zw_lang"));
  r->lang = i18n_known(lang) ? lang : cfg.lang;
  i18n_use(r->lang);
}

/* True if the path part of the raw URI encodes a NUL byte (%00), which the decoded C string would hide. */
static bool path_has_nul(const char *raw) {
  for (const char *p = raw; *p && *p != '?'; p++)
    if (p[0] == '%' && p[1] == '0' && p[2] == '0') return true;
  return false;
}

/* True if the browser asks for the page as a page: navigated to (Sec-Fetch-Dest: document), fetched by a
 * script of ours (empty), or sent by a client that is not a browser (no header). An image, style sheet,
 * script, font, media, object or frame load is not a view of what the page shows: a note with
 * ![](/t/2/notes/1) must not make its reader's browser write access-log entries on another file, and a
 * frame of ours is never displayed (X-Frame-Options: DENY, frame-ancestors 'none'). */
static bool fetched_as_page(Req *r) {
  const char *dest = conn_header(r, "Sec-Fetch-Dest");
  return !dest || strcasecmp(dest, "document") == 0 || strcasecmp(dest, "empty") == 0;
}

/* What the request asks for, checked before anything is read: the size of the body, the path, the query
 * and the route (r->route). Returns 0, or the status to refuse with and in *why the reason (English msgid,
 * translated once the language is known). */
static int request_target(Req *r, const char **why) {
  if (r->body_too_large) {
    *why = N_("What you sent is too large. Shorten the text and try again.");
    return 413;
  }
  if (!text_valid(r->path, strlen(r->path)) || r->path[0] != '/' || path_has_nul(r->raw_uri)) {
    *why = N_("The address is not valid.");
    return 400;
  }
  const char *q = strchr(r->raw_uri, '?');
  int qrc = q ? params_parse_urlencoded(r->a, q + 1, strlen(q + 1), &r->query) : PARAMS_OK;
  if (qrc != PARAMS_OK) {
    *why = qrc == PARAMS_TOO_MANY ? N_("The address is too long.") : N_("The address holds characters that are not allowed.");
    return qrc == PARAMS_TOO_MANY ? 414 : 400;
  }
  r->flash = flash_key(params_get(&r->query, "flash"));

  int status;
  r->route = router_match(site->routes, r->method, r->path, r->ids, &r->nids, &r->rest, r->a, &status);
  if (!r->route) {
    if (status == 405) http_header(r, "Allow", "GET, POST");
    *why = status == 404 ? N_("This page does not exist, or you have no access to it.") : N_("This action is not possible here.");
    return status;
  }
  /* before the session and the handler: such a request reads nothing and writes no access-log entry */
  if ((r->route->flags & R_CASE) && !fetched_as_page(r)) {
    *why = N_("This page can only be opened on its own, not inside another page.");
    return 403;
  }
  return 0;
}

/* The request's database connection (not for public assets) and its session, if its cookie names a live
 * one (r->user, r->sess). Returns a DB code. */
static int request_session(Req *r) {
  const Route *rt = r->route;
  if (!(rt->flags & R_NOFRAME) || !(rt->flags & R_PUBLIC)) {
    r->db = db_thread();
    if (!r->db) return DB_IOERR;
  }
  const char *token = params_get(&r->cookies, http_cookie_name("zw_session"));
  if (!token || !r->db) return DB_OK;
  return site->find_session(r->db, r->a, token, (int64_t)time(NULL), &r->user, &r->sess);
}

/* The request's hold on the database, begun and ended in these two functions only. A page (GET, HEAD)
 * reads one consistent state (one read transaction, not one per query); a POST handler takes the write
 * lock itself with db_begin ... db_commit. Returns a DB code. */
static int req_db_begin(Req *r) {
  if (!r->db || strcmp(r->method, "POST") == 0) return DB_OK;
  return db_snapshot_begin(r->db);
}

/* Ends it once the handler is done, before the request may wait for the access log: a transaction left
 * open is rolled back (an error answer's change is abandoned here, http_db_error; after any other answer
 * the handler forgot it: logged), every statement is reset (logged if one was unfinished) and the read
 * snapshot ends. Idempotent: r->db is NULL afterwards. */
static void req_db_end(Req *r, int status) {
  if (!r->db) return;
  if (db_in_tx(r->db)) {
    if (status < 500) log_error("rid=%s handler left a transaction open; rolled back", r->rid);
    db_rollback(r->db);
  }
  int busy = db_reset_all(r->db);
  if (busy) log_error("rid=%s %d statement(s) left unfinished", r->rid, busy);
  db_snapshot_end(r->db);
  r->db = NULL;
}

/* Who may use the route: a session for all but public routes (a GET without one is sent to sign in), the
 * second factor unless the route comes before it, and one of the route's roles. Returns 0 or the answer. */
static int request_access(Req *r) {
  const Route *rt = r->route;
  if (rt->flags & R_PUBLIC) return 0;
  if (!r->user) {
    if (strcmp(rt->method, "GET") != 0)
      return http_error(r, 403, _("Your session has ended. Sign in again; what you typed was not saved."));
    Buf b = {0};
    buf_puts(&b, "/login?next=");
    html_urlarg(&b, r->path);
    int status = http_redirect(r, arena_strdup(r->a, b.p));
    buf_free(&b);
    return status;
  }
  if (needs_mfa(r->user) && !r->sess->mfa_ok && !(rt->flags & R_PRE_MFA))
    return http_redirect(r, r->user->totp_enabled ? "/login/2fa" : "/account/2fa");
  if (!(r->user->roles & rt->roles)) return http_error(r, 403, _("Your role does not give access to this page."));
  return 0;
}

/* A POST: sent from our own pages (csrf.h), its body a urlencoded form (parsed into r->form) holding the
 * CSRF token. Returns 0 or the answer. */
static int request_form(Req *r) {
  if (!csrf_origin_ok(conn_header(r, "Sec-Fetch-Site"), conn_header(r, "Origin"), conn_header(r, "Host")))
    return http_error(r, 403, _("This form was sent from another site and has been refused."));
  const char *ct = conn_header(r, "Content-Type");
  if (r->body.len) {
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
      return http_error(r, 415, _("This kind of upload is not accepted here."));
    int prc = params_parse_urlencoded(r->a, r->body.p, r->body.len, &r->form);
    if (prc == PARAMS_BAD_TEXT)
      return http_error(r, 400, _("The form holds characters that are not allowed (invalid text encoding)."));
    if (prc != PARAMS_OK) return http_error(r, 400, _("The form has too many fields."));
  }
  const char *want = r->sess ? r->sess->csrf : params_get(&r->cookies, http_cookie_name("zw_csrf"));
  if (!csrf_token_ok(params_get(&r->form, "_csrf"), want))
    return http_error(r, 403, _("This form has expired. Reload the page and try again; nothing was saved."));
  return 0;
}

/* A case route (R_CASE) that answers 2xx has shown or changed case information, so it must have written
 * an access-log entry in this request (r->audit_count, counted by audit_write*), or said that this answer
 * shows none (audit_nothing_shown). One that did neither is a bug: logged (route and request id, no
 * content), and in test builds (ZW_TEST_BUILD) an assertion, so that the HTTP tests, which reach every
 * route as every user (test_matrix.py), find it. */
static void case_logged_check(Req *r, int status) {
  if (!r->route || !(r->route->flags & R_CASE) || status < 200 || status > 299) return;
  if (r->audit_count > 0 || r->audit_none) return;
  log_error("rid=%s case route %s %s answered %d without an access-log entry", r->rid, r->route->method,
            r->route->pattern, status);
#ifdef ZW_TEST_BUILD
  assert(!"a case route answered 2xx without an access-log entry");
#endif
}

/* Runs the request through the central checks to its handler. Returns the status. */
static int pipeline(Req *r) {
  request_cookies(r);
  const char *why = NULL;
  int refused = request_target(r, &why);
  int rc = refused ? DB_OK : request_session(r);
  request_language(r);
  if (refused) return http_error(r, refused, _(why));
  if (rc != DB_OK) return http_db_error(r, rc);
  int status = request_access(r);
  if (!status && strcmp(r->method, "POST") == 0) status = request_form(r);
  if (status) return status;
  rc = req_db_begin(r);
  if (rc != DB_OK) return http_db_error(r, rc);
  return r->route->handler(r);
}

static void add_security_headers(struct MHD_Response *resp, Req *r) {
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                          "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
  MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  MHD_add_response_header(resp, "X-Request-Id", r->rid);
  if (cfg.tls) MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (!r->cacheable) MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result respond(Req *r, int status) {
  req_db_end(r, status);
  if (status >= 500 && status != 503 && status != 501) { /* 501: the request asked for what we do not do */
    buf_reset(&r->out);
    site->error_page(r, status, NULL);
  } else if (status >= 400 && r->out.len == 0) {
    site->error_page(r, status, NULL);
  }
  r->status = status;
  struct MHD_Response *resp;
  if (r->out.len) {
    resp = MHD_create_response_from_buffer(r->out.len, r->out.p, MHD_RESPMEM_MUST_FREE);
    r->out.p = NULL;
    r->out.len = r->out.cap = 0;
  } else {
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  }
  if (!resp) return MHD_NO;
  if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
  else if (status != 303 && status != 304) MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
  for (int i = 0; i < r->nheaders; i++) MHD_add_response_header(resp, r->headers[i].key, r->headers[i].val);
  for (int i = 0; i < r->ncookies; i++) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie[i]);
  add_security_headers(resp, r);
  enum MHD_Result ret = MHD_queue_response((struct MHD_Connection *)r->conn, (unsigned)status, resp);
  MHD_destroy_response(resp);
  return ret;
}

static Conn *conn_of(struct MHD_Connection *conn) {
  const union MHD_ConnectionInfo *sc = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return sc ? sc->socket_context : NULL;
}

/* Ends a request for good: logs it, gives back its places in the counts and frees it. `how` is NULL for
 * the completion callback, else why libmicrohttpd dropped the request without calling it. */
static void req_release(Conn *c, Req *r, int toe, const char *how) {
  deadline_request_end(r->deadline);
  double ms = (double)(now_ns() - r->t0_ns) / 1e6;
  if (how)
    log_info("req %s %s %s %d %.1fms (%s)", r->rid, r->method ? r->method : "-",
             r->route ? r->route->pattern : "-", r->status, ms, how);
  else if (r->method)
    log_info("req %s %s %s %d %.1fms%s", r->rid, r->method, r->route ? r->route->pattern : "-", r->status, ms,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
  if (c) {
    if (c->req == r) c->req = NULL;
    if (c->client_counted) {
      addrcount_release(&client_reqs, &c->client);
      c->client_counted = false;
    }
  }
  buf_free(&r->out);
  buf_free(&r->body);
  arena_free(r->a);
  free(r);
  atomic_fetch_sub(&active_requests, 1);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  Conn *c = conn_of(conn);
  /* a request before this one on the connection that libmicrohttpd never completed: release it now */
  if (c && c->req) req_release(c, c->req, 0, "dropped by libmicrohttpd before the next request");
  Req *r = xcalloc(1, sizeof *r);
  r->a = arena_new();
  r->conn = conn;
  r->raw_uri = arena_strdup(r->a, uri ? uri : "/");
  /* libmicrohttpd 0.9.75 goes on to split the query string into its own argument list in the connection's
   * memory pool, which a long one (~1,500 parameters in 11 KB) exhausts: it then drops the request with no
   * answer. We never read that list (the pipeline parses r->raw_uri and answers 414 for too many
   * parameters), so the library's copy of the query is cut here: the string it is about to parse is its
   * own buffer, behind the '?' it will overwrite next. */
  char *q = uri ? strchr((char *)uri, '?') : NULL;
  if (q) q[1] = 0;
  r->t0_ns = now_ns();
  r->lang = cfg.lang;
  r->deadline = c ? c->deadline : NULL;
  deadline_request_line(r->deadline, r->t0_ns);
  token_short(r->rid);
  if (c) {
    netaddr_text(&c->peer, r->ip, sizeof r->ip);
    c->req = r;
  }
  deadline_request_info(r->deadline, r->rid, NULL);
  atomic_fetch_add(&active_requests, 1);
  return r;
}

/* Collects every value of one request header, in order, joined with ',' (NULL if there is none). */
typedef struct {
  const char *name;
  Buf b;
  bool any;
} HeaderJoin;

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  HeaderJoin *j = cls;
  if (!key || strcasecmp(key, j->name) != 0) return MHD_YES;
  if (j->any) buf_puts(&j->b, ",");
  buf_puts(&j->b, value ? value : "");
  j->any = true;
  return MHD_YES;
}

static const char *joined_header(Req *r, const char *name) {
  HeaderJoin j = {.name = name};
  MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_HEADER_KIND, join_header, &j);
  const char *out = j.any ? arena_strdup(r->a, j.b.p ? j.b.p : "") : NULL;
  buf_free(&j.b);
  return out;
}

/* Sets r->ip from a trusted proxy's X-Forwarded-For / Forwarded header (the peer's address otherwise) and
 * takes the forwarded client's place in client_reqs. Returns false if that client already has
 * per_ip_limit requests in progress. */
static bool client_address(Conn *c, Req *r) {
  if (!c || !c->peer_trusted) return true;
  NetAddr client;
  ClientAddrResult res = clientaddr_pick(&trusted, &c->peer, joined_header(r, "X-Forwarded-For"),
                                         joined_header(r, "Forwarded"), &client);
  if (res == CLIENTADDR_MALFORMED) log_warn("rid=%s forwarding header of a trusted proxy not usable; using the peer's address", r->rid);
  if (res != CLIENTADDR_FORWARDED) return true;
  netaddr_text(&client, r->ip, sizeof r->ip);
  if (!addrcount_acquire(&client_reqs, &client, cfg.per_ip_limit)) return false;
  c->client = client;
  c->client_counted = true;
  return true;
}

/* How the request's body is framed, checked before libmicrohttpd reads it: one Content-Length at most, one
 * Transfer-Encoding at most and never both, header names without blanks or other characters a name may
 * not hold ("Transfer-Encoding : chunked" would reach libmicrohttpd as another header, and the body as the
 * next request). A proxy that reads such a request differently from us could hide a request inside
 * another. Returns 0 if the framing is fine, else the status to refuse with (400; 501 for a transfer
 * coding other than chunked). */
typedef struct {
  int content_length, transfer_encoding;
  const char *te;
  bool bad_name;
} Framing;

static bool token_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static enum MHD_Result framing_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  Framing *f = cls;
  if (!key || !*key) f->bad_name = true;
  for (const char *k = key; k && *k; k++)
    if (!token_char(*k)) f->bad_name = true;
  if (key && strcasecmp(key, "Content-Length") == 0) f->content_length++;
  if (key && strcasecmp(key, "Transfer-Encoding") == 0) {
    f->transfer_encoding++;
    f->te = value ? value : "";
  }
  return MHD_YES;
}

static int framing_status(struct MHD_Connection *conn, const char *version) {
  Framing f = {0};
  MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_header, &f);
  if (f.bad_name || f.content_length > 1 || f.transfer_encoding > 1 || (f.transfer_encoding && f.content_length))
    return 400;
  if (f.transfer_encoding && version && strcmp(version, "HTTP/1.1") != 0) return 400; /* chunked is HTTP/1.1 */
  if (f.transfer_encoding && strcasecmp(f.te, "chunked") != 0) return 501;
  return 0;
}

/* Answers at the first call, before any body is read (libmicrohttpd then reads nothing more of the
 * request and closes the connection after the answer). */
static enum MHD_Result answer_early(Req *r, int status) {
  deadline_request_done(r->deadline);
  request_cookies(r);
  request_language(r);
  switch (status) {
    case 501:
      http_error(r, status, _("This way of sending a request is not supported."));
      break;
    case 429:
      http_header(r, "Retry-After", "1");
      http_error(r, status, _("Too many requests from your address at the same time. Wait a moment and try again."));
      break;
    default:
      http_error(r, status, _("This request is malformed and has been refused."));
  }
  if (status != 429) http_header(r, "Connection", "close");
  return respond(r, status);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  Req *r = *con_cls;
  if (!r) return MHD_NO; /* the URI callback always runs first */
  size_t cap = (size_t)cfg.max_body_kib * 1024;
  if (!r->method) {
    r->method = arena_strdup(r->a, method);
    r->path = arena_strdup(r->a, url ? url : "/");
    int bad = framing_status(conn, version);
    if (bad) return answer_early(r, bad);
    if (!client_address(conn_of(conn), r)) return answer_early(r, 429);
    deadline_request_info(r->deadline, NULL, r->ip);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > cap) {
      r->body_too_large = true;
      deadline_request_done(r->deadline); /* answered now; libmicrohttpd closes after the answer */
      return respond(r, pipeline(r));
    }
    deadline_headers_done(r->deadline);
    return MHD_YES;
  }
  if (*upload_size) {
    if (r->body_too_large || r->body.len + *upload_size > cap) {
      r->body_too_large = true;
      buf_free(&r->body);
    } else {
      buf_append(&r->body, upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (r->status) return MHD_YES; /* already answered */
  /* the whole request is here: from now on it may wait (for the access log) without a deadline */
  deadline_request_done(r->deadline);
  if (r->resumed) {
    /* back from waiting for the access log: send the page, or 503 if its entries could not be stored */
    r->resumed = false;
    i18n_use(r->lang); /* the language chosen for the request (request_language), on this worker thread */
    int held = r->held_status;
    if (r->audit_rc != DB_OK) held = http_db_error(r, r->audit_rc);
    return respond(r, held);
  }
  int status = pipeline(r);
  req_db_end(r, status); /* the handler is done; nothing may hold the database while waiting */
  case_logged_check(r, status);
  if (site->hold(r, status)) return MHD_YES;
  /* the batch may have been written (or failed) before the handler finished: never send a page whose
   * access-log entries are not stored (audit_hold read audit_rc under the queue's lock) */
  if (r->audit_rc != DB_OK) status = http_db_error(r, r->audit_rc);
  return respond(r, status);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
  Req *r = *con_cls;
  if (!r) return;
  *con_cls = NULL;
  req_release(conn_of(conn), r, (int)toe, NULL);
}

/* Decides at accept whether a connection from a peer may open (only with trusted proxies, where the
 * per-address limit is applied here): a trusted proxy always may (conn_limit bounds it), anybody else
 * while below per_ip_limit. The place is taken when the connection starts (on_connection). */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen) {
  (void)cls;
  (void)addrlen;
  NetAddr a;
  if (!netaddr_from_sockaddr(addr, &a) || proxylist_has(&trusted, &a)) return MHD_YES;
  return addrcount_get(&peer_conns, &a) < cfg.per_ip_limit ? MHD_YES : MHD_NO;
}

/* A connection opens or closes: its Conn, its entry in the deadline table and its place in the count of
 * connections per peer. CLOSED comes before libmicrohttpd closes the socket, so the watchdog never shuts
 * down a descriptor that has been reused; after CLOSED libmicrohttpd calls nothing more for the
 * connection, so a request it never completed is released here. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    Conn *c = xcalloc(1, sizeof *c);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int fd = ci ? ci->connect_fd : -1;
    c->deadline = deadline_open(fd);
    const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ai && netaddr_from_sockaddr(ai->client_addr, &c->peer)) {
      c->peer_trusted = proxylist_has(&trusted, &c->peer);
      if (trusted.n && !c->peer_trusted) {
        c->peer_counted = addrcount_acquire(&peer_conns, &c->peer, cfg.per_ip_limit);
        /* over the limit (several accepted at once): libmicrohttpd reads end-of-file and closes it */
        if (!c->peer_counted && fd >= 0) shutdown(fd, SHUT_RDWR);
      }
    }
    *socket_context = c;
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    Conn *c = *socket_context;
    if (!c) return;
    if (c->req) req_release(c, c->req, 0, "dropped by libmicrohttpd without an answer");
    if (c->peer_counted) addrcount_release(&peer_conns, &c->peer);
    deadline_close(c->deadline);
    free(c);
    *socket_context = NULL;
  }
}

static void on_panic(void *cls, const char *file, unsigned int line, const char *reason) {
  log_error("libmicrohttpd: fatal error at %s:%u: %s", file ? file : "?", line, reason ? reason : "?");
  abort();
}

static bool parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len) {
  char host[128];
  const char *colon = strrchr(listen, ':');
  if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) return false;
  int port = atoi(colon + 1);
  if (port <= 0 || port > 65535) return false;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = 0;
  memset(ss, 0, sizeof *ss);
  if (host[0] == '[') {
    size_t n = strlen(host);
    if (n < 2 || host[n - 1] != ']') return false;
    host[n - 1] = 0;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) return false;
    *len = sizeof *s6;
  } else {
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) return false;
    *len = sizeof *s4;
  }
  return true;
}

/* The access log's hold on a response (AuditServer, audit.h): the connection waits, without a worker
 * thread, until the writer lets it go; libmicrohttpd then calls on_request again (r->resumed). */
void server_suspend(Req *r) { MHD_suspend_connection((struct MHD_Connection *)r->conn); }
void server_resume(Req *r) { MHD_resume_connection((struct MHD_Connection *)r->conn); }

int server_run(const Site *what) {
  site = what;
  struct sockaddr_storage ss;
  socklen_t sslen;
  if (!parse_listen(cfg.listen, &ss, &sslen)) {
    log_error("listen: '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", cfg.listen);
    return 1;
  }
  char err[160];
  if (!proxylist_parse(cfg.trusted_proxies, &trusted, err, sizeof err)) {
    log_error("trusted_proxies: %s", err);
    return 1;
  }
  int threads = cfg.threads > 0 ? cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1) threads = 1;

  /* Only this thread takes SIGINT/SIGTERM; worker threads inherit the blocked mask. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);
  MHD_set_panic_func(on_panic, NULL);
  /* every connection libmicrohttpd may hold (conn_limit, spread over the pool's threads) has an entry */
  if (!deadline_start(cfg.conn_limit, (int64_t)cfg.request_deadline_s * 1000, 500)) return 1;
  /* at most conn_limit connections, each with at most one request in progress: room for every address */
  addrcount_init(&peer_conns, cfg.conn_limit);
  addrcount_init(&client_reqs, cfg.conn_limit);

  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME |
                   (((struct sockaddr *)&ss)->sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, trusted.n ? on_accept : NULL, NULL, on_request, NULL,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg.conn_timeout,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg.conn_limit,
      /* behind trusted proxies the limit is applied here (on_accept, client_address), not to the proxy */
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, trusted.n ? 0u : (unsigned)cfg.per_ip_limit,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg.conn_memory_kib * 1024,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
      MHD_OPTION_END);
  if (!d) {
    log_error("cannot listen on %s (address in use, or not allowed?)", cfg.listen);
    deadline_stop();
    addrcount_free(&peer_conns);
    addrcount_free(&client_reqs);
    return 1;
  }
  log_info("zorgwerk serving on http://%s with %d threads (database %s)", cfg.listen, threads, db_safe_name(cfg.db));

  int sig = 0;
  sigwait(&sigs, &sig);
  log_info("signal %d: finishing %d in-flight request(s)", sig, atomic_load(&active_requests));
  MHD_quiesce_daemon(d);
  for (int i = 0; i < 1000 && atomic_load(&active_requests) > 0; i++) usleep(10000);
  if (atomic_load(&active_requests) > 0)
    log_warn("stopping with %d request(s) still in flight", atomic_load(&active_requests));
  MHD_stop_daemon(d);
  deadline_stop(); /* after the daemon: every connection has closed its entry */
  addrcount_free(&peer_conns);
  addrcount_free(&client_reqs);
  log_info("stopped");
  return 0;
}
