/*
 * server.h — the HTTP server on GNU libmicrohttpd: thread pool with epoll, limits from cfg (among them the
 * whole-request deadline, deadline.h), the request pipeline (route, session, role, second factor, CSRF,
 * body) and the response with security headers.
 *
 * The server knows nothing above it: what it serves — the route tables and the error page — is handed to
 * it at start, and the access log's group commit (audit.h) holds responses through server_suspend and
 * server_resume, which main hands to audit_start.
 */
#ifndef ZW_SERVER_H
#define ZW_SERVER_H

#include "http/http.h"

/* What the server serves. Must outlive server_run. */
typedef struct Site {
  const Route *const *routes;                                  /* route tables in match order, NULL-terminated */
  void (*error_page)(Req *r, int status, const char *message); /* writes the error page into r->out; message
                                                                  translated, or NULL for the status's own */
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
