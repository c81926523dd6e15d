/*
 * routes.h — the route table of the portal: every page module's routes, in match order. The server is
 * handed it at start (server_run); `zorgwerk routes`, the router's unit test and fuzz target read it too.
 */
#ifndef ZW_ROUTES_H
#define ZW_ROUTES_H

#include "http/http.h"

/* All route tables, in match order; the last entry is NULL. */
extern const Route *const route_tables[];

#endif
