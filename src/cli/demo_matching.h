/*
 * demo_matching.h — job profiles and a proposal for `zorgwerk demo` (issue 13, parts 3 and 4). Called by
 * demo.c inside its transaction, after demo_jobs_seed.
 */
#ifndef ZW_CLI_DEMO_MATCHING_H
#define ZW_CLI_DEMO_MATCHING_H

#include <stdint.h>

#include "cli/demo_jobs.h"
#include "db/db.h"

/* Writes a job profile for Karim El Amrani (in his own words and his coach's) and a
 * proposal of Karim for an opening of Thuiszorg Het Anker waiting for his answer on /me/work. Returns a DB
 * code. */
int demo_matching_seed(Db *db, const DemoJobs *j, int64_t now);

/* Sanne de Graaf, a client of Werk als Beste Zorg with mediator Pieter de Vries: a job profile and a trial
 * placement under way (no account of her own). After demo_matching_seed. Returns a DB code. */
int demo_wabz_seed(Db *db, const DemoJobs *j, int64_t now);

#endif
