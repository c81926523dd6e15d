/*
 * assign.h — the team lead's assignment pages (assign.c): assigning a trajectory to a coach, adding a
 * second coach, handing it over to another coach with a note, and stand-ins for an absent coach. The
 * handlers are listed in team.c's route table (the team lead's pages are one feature).
 */
#ifndef ZW_PAGES_ASSIGN_H
#define ZW_PAGES_ASSIGN_H

#include "http/http.h"

int get_assign_list(Req *r);       /* GET /team/assign */
int get_assign_one(Req *r);        /* GET /team/assign/{id} */
int post_assign_coach(Req *r);     /* POST /team/assign/{id}/coaches */
int post_assign_handover(Req *r);  /* POST /team/assign/{id}/handover */
int get_standins(Req *r);          /* GET /team/standins */
int post_standin(Req *r);          /* POST /team/standins */
int post_standin_cancel(Req *r);   /* POST /team/standins/{id}/cancel */

/* Begins a team lead's page: page_begin with title, the heading, the links between the team lead's pages
 * (overview, assign, stand-ins; current is "team", "assign" or "standins") and, unless NULL, the lead
 * paragraph. */
void team_page_begin(Req *r, const char *title, const char *heading, const char *current, const char *lead);

#endif
