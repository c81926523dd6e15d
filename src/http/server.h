/*
 * server.h — the HTTP server on GNU libmicrohttpd: thread pool with epoll, limits from cfg (among them the
 * whole-request deadline, deadline.h), the request pipeline (route, session, role, second factor, CSRF,
 * body) and the response with security headers.
 *
 * The server knows nothing above it: what it serves — the route tables, the error page, how a session
 * cookie is read and how a response waits for the access log — is handed to it at start (Site), and the
 * access log's group commit (audit.h) holds responses through server_suspend and server_resume, which main
 * hands to audit_start.
 */
#ifndef ZW_SERVER_H
#define ZW_SERVER_H

#include "http/http.h"

/* What the server serves, and the layers above it that a request passes through, lent as functions so
 * that the server calls nothing above it. Must outlive server_run. */
typedef struct Site {
  const Route *const *routes;                                  /* route tables in match order, NULL-terminated */
  void (*error_page)(Req *r, int status, const char *message); /* writes the error page into r->out; message
                                                                  translated, or NULL for the status's own */
  /* The signed-in user and session of a session cookie's token, at now (account/session.h's session_load):
   * fills *u and *s (arena a) for a live session, leaves them NULL otherwise. Returns a DB code. */
  int (*find_session)(Db *db, Arena *a, const char *token, int64_t now, User **u, Session **s);
  /* After the handler: true when r's response waits for its access-log entries (policy/audit.h's
   * audit_hold), which then let it go through server_resume. */
  bool (*hold)(Req *r, int status);
} Site;

/* Serves site until SIGTERM or SIGINT, then lets in-flight requests finish (up to 10 s) and returns 0.
 * Returns 1 if the daemon cannot start (message logged). */
int server_run(const Site *site);
/* Requests being served right now (from their first line until their response is sent). */
int server_in_flight(void);

/* Holds r's response: its connection waits, with no worker thread, until server_resume(r); libmicrohttpd
 * then calls the request handler again, which sends r->held_status. For the access log (audit_hold). */
void server_suspend(Req *r);
void server_resume(Req *r);

#endif
