/*
 * server.h — the HTTP server on GNU libmicrohttpd: thread pool with epoll, limits from cfg (among them the
 * whole-request deadline, deadline.h), the request pipeline (route, session, role, second factor, CSRF,
 * body) and the response with security headers.
 */
#ifndef ZW_SERVER_H
#define ZW_SERVER_H

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish (up to 10 s) and returns 0.
 * Returns 1 if the daemon cannot start (message logged). */
int server_run(void);
/* Requests being served right now (from their first line until their response is sent). */
int server_in_flight(void);

#endif
