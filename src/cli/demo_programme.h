/*
 * demo_programme.h — `zorgwerk demo --programme N`: a year of a programme for the outcome reports
 * (issue 14): a second team, more coaches and N synthetic trajectories registered in the previous calendar
 * year, with closures, check-ins, questionnaire scores, meetings and survey answers. Deterministic (a fixed
 * seed), so that tests and the benchmark see the same data. Called by demo.c inside its transaction.
 */
#ifndef ZW_CLI_DEMO_PROGRAMME_H
#define ZW_CLI_DEMO_PROGRAMME_H

#include <stdint.h>

#include "db/db.h"

typedef struct DemoProgramme {
  int64_t coaching;     /* the demo's coaching organisation (the first team) */
  int64_t coaches[2];   /* the demo's coaches */
  int64_t employers[4]; /* the demo's employers */
  int n;                /* trajectories to make */
} DemoProgramme;

/* Writes the programme. Returns a DB code. */
int demo_programme_seed(Db *db, const DemoProgramme *p, int64_t now);

/* The value of `--programme N` in argv (0 when absent or not a number from 1 to 100000). */
int demo_programme_arg(int argc, char **argv);

#endif
