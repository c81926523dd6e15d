/*
 * deadline.h — the whole-request deadline. libmicrohttpd's own timeout (conn_timeout) counts inactivity
 * only, so a client that sends its headers or body one byte every few seconds could hold a connection, and
 * a slot of the per-address limit, for hours. Here every connection has an entry that says whether it is
 * receiving a request and since when; one watchdog thread shuts down (shutdown(2), never close(2): the
 * socket stays libmicrohttpd's, which then closes it itself) every connection whose request is still
 * incomplete when the deadline has passed.
 *
 * A request begins with its first byte (for the first request of a connection and between keep-alive
 * requests, the watchdog notices new bytes from the kernel's TCP counters; the request line's arrival
 * marks it at once) and ends when the whole request, headers and body, has been received. A connection
 * that waits for its next request, or whose complete request waits for its answer (a response suspended
 * while the access log is written), is never cut here: idle connections are conn_timeout's business.
 *
 * Thread safety: each entry has its own lock, taken by the connection's worker thread (a few times per
 * request, uncontended) and by the watchdog (one entry at a time); opening and closing an entry also take
 * the free list's lock. Nothing is allocated per connection or per request.
 */
#ifndef ZW_DEADLINE_H
#define ZW_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct DeadlineConn DeadlineConn;

/* Allocates the table for `capacity` simultaneous connections and starts the watchdog, which looks at the
 * table every `tick_ms` and cuts requests older than `deadline_ms`. Returns false (message logged) if the
 * thread cannot be started. Call once, before the HTTP daemon starts. */
bool deadline_start(int capacity, int64_t deadline_ms, int64_t tick_ms);

/* Stops and joins the watchdog and frees the table. Call after the daemon has stopped (no entry open).
 * Does nothing if deadline_start did not succeed. */
void deadline_stop(void);

/* A new connection on socket `fd`. Returns its entry, or NULL when the table is full (the connection is
 * then not watched; logged once). */
DeadlineConn *deadline_open(int fd);

/* The connection is closing. Must be called before its socket is closed (libmicrohttpd's
 * MHD_CONNECTION_NOTIFY_CLOSED is), so that the watchdog never touches a reused descriptor. */
void deadline_close(DeadlineConn *c);

/* The request line has arrived at `t_ns` (CLOCK_MONOTONIC): the request is receiving, if the watchdog had
 * not already seen its first bytes. */
void deadline_request_line(DeadlineConn *c, int64_t t_ns);

/* The headers are complete; a body may follow. (Only changes what a cut is logged as.) */
void deadline_headers_done(DeadlineConn *c);

/* The whole request has been received, or answered before its body came: no deadline from here on. */
void deadline_request_done(DeadlineConn *c);

/* The request is over (answered or aborted): the connection waits for its next request. */
void deadline_request_end(DeadlineConn *c);

/* What the log line of a cut names instead of the TCP peer (behind a trusted proxy, the proxy): the current
 * request's id rid (once its request line is in) and its client address (once the headers have named it).
 * Either may be NULL (left as it was); both are forgotten when the request ends. Neither may hold a name or
 * anything from the request's content. */
void deadline_request_info(DeadlineConn *c, const char *rid, const char *client);

/* Connections cut since deadline_start (for tests and the log). */
uint64_t deadline_cut_count(void);

#endif
