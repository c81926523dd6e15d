/*
 * demo_jobs.h — the job side of `zorgwerk demo` (issue 13): the employer register (profiles, contact
 * history, openings) and, added by the placements part, trial placements. Called by demo.c inside its
 * transaction, after the accounts and trajectories exist.
 */
#ifndef ZW_CLI_DEMO_JOBS_H
#define ZW_CLI_DEMO_JOBS_H

#include <stdint.h>

#include "db/db.h"

enum { DEMO_JOBS_EMPLOYERS_MAX = 16, DEMO_JOBS_OPENINGS_MAX = 48 };

typedef struct DemoJobs {
  /* in: what demo.c made */
  int64_t employers[4]; /* Bouwbedrijf Verbeke NV, Stad Mechelen, Thuiszorg Het Anker vzw, Logistiek Schelde BV */
  int64_t coaches[2];   /* Sofie Peeters, Pieter de Vries */
  int64_t hr;           /* Tom Claes, HR of Verbeke */
  const char *password; /* the demo password for new accounts */
  /* out: what demo_jobs_seed made */
  int64_t register_ids[DEMO_JOBS_EMPLOYERS_MAX]; /* every employer of the register (the four first) */
  int n_register;
  int64_t openings[DEMO_JOBS_OPENINGS_MAX]; /* every opening made, in the order made */
  int64_t opening_employer[DEMO_JOBS_OPENINGS_MAX]; /* the employer of openings[i] */
  int n_openings;
  int64_t second_hr;    /* an employer user of another employer than Tom Claes's (Thuiszorg Het Anker) */
} DemoJobs;

/* Writes the employer register: new employers of several sectors beside the four, a profile for each, 1-4
 * openings and a contact history; and the second employer user. Returns a DB code. */
int demo_jobs_seed(Db *db, DemoJobs *j, int64_t now);

/* two placements in progress, after demo_jobs_seed: Marieke Bakker's trial placement as planner at
 * Thuiszorg Het Anker (under way for three weeks, with a build-up of hours and one evaluation talk), and Bram
 * Wouters' job start there (a month ago, with the job-coaching schedule: the first contacts held, the next one
 * due this week). Returns a DB code. */
int demo_placements_seed(Db *db, const DemoJobs *j, int64_t now);

#endif
