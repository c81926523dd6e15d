/*
 * http.h — the request as handlers see it, the route table and the responses handlers give.
 *
 * A handler receives a Req whose user, role, CSRF and body checks have already run (server.c), writes
 * HTML into r->out through the escaping writer, and returns an HTTP status. A status of 400 or more with
 * nothing written gets the standard error page; 500 and up always discard partial output.
 */
#ifndef ZW_HTTP_H
#define ZW_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h" /* User, Session and the roles: domain types, below http */
#include "core/mem.h"
#include "db/db.h"
#include "http/params.h"

typedef struct Req Req;
typedef int (*Handler)(Req *r);

/* Route flags */
enum {
  R_PUBLIC = 1 << 0,   /* no session needed (login, static, reset link) */
  R_PRE_MFA = 1 << 1,  /* reachable after the password but before the second factor (and enrolment) */
  R_CASE = 1 << 2,     /* reads or changes case information: refused as an embedded load (image, frame...),
                          and a 2xx answer must have written an access-log entry (enforced by the server) */
  R_NOFRAME = 1 << 3,  /* not an HTML page (assets, health check, downloads) */
};

typedef struct Route {
  const char *method;  /* "GET" or "POST" */
  const char *pattern; /* "/t/{id}/notes": {name} matches a positive integer, {*name} the rest of the path */
  unsigned roles;      /* roles allowed; 0 only with R_PUBLIC */
  unsigned flags;
  Handler handler;
} Route;

enum { REQ_MAX_IDS = 4 };

struct Req {
  Arena *a;
  void *conn;             /* struct MHD_Connection * */
  struct DeadlineConn *deadline; /* the connection's entry for the whole-request deadline (deadline.h), or NULL */
  const char *method;
  const char *path;       /* decoded path, no query */
  const char *raw_uri;    /* as received; for the query string */
  Params query, form, cookies;
  const Route *route;
  int64_t ids[REQ_MAX_IDS]; /* {name} path parts in order */
  int nids;
  const char *rest;       /* {*name} path part */
  User *user;
  Session *sess;
  const char *lang;       /* "nl" or "en" */
  char ip[64];
  char rid[17];
  Db *db;
  Buf out;
  const char *content_type;
  Param *headers;
  int nheaders;
  bool cacheable;         /* static assets; everything else is no-store */
  const char *flash;      /* flash message key from ?flash= (known keys only) */
  /* body */
  Buf body;
  bool body_too_large;
  int status;
  int64_t t0_ns;
  const char *set_cookie[4];
  int ncookies;
  const char *csrf;       /* token for forms on this page (session's, or the anonymous cookie's) */
  Param *errors;          /* form errors: field name -> message */
  int nerrors;
  /* access-log entries queued for the group commit; the response waits for them (audit.c) */
  int audit_pending;      /* entries not yet durable (guarded by the audit queue's mutex) */
  int audit_rc;           /* first failure of a queued entry, DB_OK otherwise */
  bool suspended, resumed;
  int held_status;        /* the handler's status while the connection waits */
  int audit_count;        /* access-log entries this request wrote (audit_write*): a case route's 2xx needs one */
  bool audit_none;        /* the handler said its answer shows no case information (audit_nothing_shown) */
};

/* Matches method and path against tables (route tables in match order, NULL-terminated: the server's are
 * pages/routes.h's route_tables). Returns the route (filling ids/rest), or NULL with *status 404 (no such
 * path) or 405 (path known, method not). Pure: used by the server and the tests. */
const Route *router_match(const Route *const *tables, const char *method, const char *path,
                          int64_t ids[REQ_MAX_IDS], int *nids, const char **rest, Arena *a, int *status);

/* Response helpers. All return the status to hand back from the handler. */
int http_redirect(Req *r, const char *location);          /* 303 See Other */
int http_redirect_flash(Req *r, const char *location, const char *flash_key);
int http_error(Req *r, int status, const char *message);  /* error page with a translated message */
int http_db_error(Req *r, int db_code);                   /* 503 for busy/full/ioerr, 500 otherwise */
void http_header(Req *r, const char *name, const char *value);
void http_cookie(Req *r, const char *cookie);             /* raw Set-Cookie value */

/* Cookie names: __Host- prefixed under TLS (the prefix needs the Secure flag). */
const char *http_cookie_name(const char *base);
void http_set_cookie(Req *r, const char *base, const char *value, int max_age);

/* Request header value, or NULL. */
const char *req_header(Req *r, const char *name);

/* Form value, trimmed; "" if absent (never NULL). */
const char *form_str(Req *r, const char *key);
/* Query value; "" if absent. */
const char *query_str(Req *r, const char *key);
/* Positive integer from the query; def if absent or not a number. */
int64_t query_int(Req *r, const char *key, int64_t def);

/* The public description of tables, for `zorgwerk routes` and the matrix test. */
void router_print(const Route *const *tables);

#endif
