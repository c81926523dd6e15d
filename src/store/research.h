/*
 * research.h — the pseudonymised research export (/reports/export, doc/research-export.md): one row per
 * trajectory with outcomes, durations, scores, phases and counts, and nothing that names a person: no
 * names, birth dates (an age band), e-mails, free text or exact dates (months only). The participant is
 * replaced by a keyed hash (BLAKE2b, libsodium) under a key derived from the portal's secret key and the
 * recipient's name, so that two recipients cannot link their sets, and the same recipient gets the same
 * pseudonym in every export. Rows whose quasi-identifiers (age band, region, employer size, outcome; sex is
 * not recorded) occur fewer than RESEARCH_K times are coarsened (wider age band, no region or size, then
 * work / no work as the outcome) and, if that is not enough, dropped.
 */
#ifndef ZW_STORE_RESEARCH_H
#define ZW_STORE_RESEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

enum { RESEARCH_K = 5, RESEARCH_KEY_BYTES = 32 };

typedef struct ResearchRow {
  int64_t participant_id, trajectory_id; /* internal; replaced by the pseudonym before anything leaves */
  char pseudonym[33];      /* 32 hex digits */
  const char *age_band;    /* "<25", "25-34", ... or after coarsening "<35", "35-54", "55+" */
  const char *region;      /* the employer's region, "" when not recorded, "*" when coarsened */
  const char *employer_size; /* "1-9", "10-49", "50-249", "250+", "" or "*" */
  const char *outcome;     /* closure outcome code, "" while open, or after coarsening "work" / "no_work" */
  const char *status;      /* "open" or "closed" */
  const char *phase;       /* the current phase */
  char start_month[8], close_month[8]; /* YYYY-MM; close "" while open */
  int days_absence_to_start, days_start_to_close; /* -1: unknown */
  int hours_tenths;        /* at closure; -1 unknown */
  int k10_change10, was_change10; /* last minus first score in tenths; INT32_MIN unknown */
  int at_work[3];          /* 3, 6, 12 months: 1 works, 0 does not, -1 no result */
  int phase_moves, meetings, meeting_minutes, referrals; /* counts */
  bool dropped;            /* could not be made k-anonymous */
  int coarsened;           /* 0 none, 1 age/region/size, 2 also the outcome */
} ResearchRow;

/* Reads one row per trajectory into *rows and *n (arena), participant ids included (not yet
 * pseudonymised; the age band is the age at the start of the trajectory). u is the reader (programme manager or log officer; the caller checked). Returns a DB code. */
int research_rows(Db *db, Arena *a, const User *u, ResearchRow **rows, int *n);

/* Derives the recipient's key from the portal's secret key and the recipient's name (trimmed, folded to
 * lower case ASCII). Pure. */
void research_recipient_key(const unsigned char secret[RESEARCH_KEY_BYTES], const char *recipient,
                            unsigned char key[RESEARCH_KEY_BYTES]);

/* Replaces every row's participant by its pseudonym under key (participant_id and trajectory_id become
 * 0). Pure. */
void research_pseudonymise(ResearchRow *rows, int n, const unsigned char key[RESEARCH_KEY_BYTES]);

/* Coarsens and drops rows until every combination of quasi-identifiers among the rows kept occurs at least
 * RESEARCH_K times; writes how many rows were coarsened and dropped. Pure (allocates in a). */
void research_k_anonymise(Arena *a, ResearchRow *rows, int n, int *coarsened, int *dropped);

#endif
