/*
 * match.h — how well an opening fits a participant's job profile (issue 13, part 4), as a pure function
 * with its reasons: no black box. Every wish of the profile is one criterion that an opening meets or not,
 * and the score is the sum of the weights of the wishes met — so an opening that meets every wish another
 * one meets, and one more, always scores strictly higher (tests/unit/test_match.c checks it on random
 * profiles). The participant's own order of preference counts: a kind of work earlier in their list
 * weighs more.
 *
 * The wishes, in the order the reasons list them:
 *  - kind of work: the opening's work kind is one of the profile's kinds (weight by its place in the list);
 *  - hours aimed for: hours_goal lies within the opening's hours (hours_min..hours_max);
 *  - hours now: the participant can start at the current hours (hours_now >= hours_min, or no minimum);
 *  - region: the opening's region names one of the profile's regions ("Mechelen en omgeving" names
 *    "Mechelen"; case-insensitive, spaces trimmed);
 *  - support: per kind of support the participant needs, the employer offers it (one wish per bit);
 *  - tasks to avoid: per task to avoid, the opening's title and tasks do not mention it (one wish each).
 * A wish the profile does not state is not a criterion (and gives nothing).
 */
#ifndef ZW_RENDER_MATCH_H
#define ZW_RENDER_MATCH_H

#include <stdbool.h>

enum {
  MATCH_KINDS_MAX = 16,
  MATCH_REGIONS_MAX = 12,
  MATCH_AVOID_MAX = 12,
  MATCH_SUPPORT_BITS = 4,
  MATCH_REASONS_MAX = 3 + 1 + MATCH_SUPPORT_BITS + MATCH_AVOID_MAX, /* kind, hours (2), region, support, avoid */
};

/* The profile's wishes, as the scoring reads them (texts borrowed, not copied). Numbers < 0: not stated. */
typedef struct MatchWishes {
  const char *kinds[MATCH_KINDS_MAX]; /* in the participant's order of preference */
  int nkinds;
  const char *regions[MATCH_REGIONS_MAX];
  int nregions;
  const char *avoid[MATCH_AVOID_MAX]; /* tasks to avoid */
  int navoid;
  int hours_now, hours_goal;
  unsigned support; /* bits 1, 2, 4, 8 (openings.h SUPPORT_*) */
} MatchWishes;

/* What the scoring reads of an opening. hours_min < 0: no minimum. title and tasks may be NULL. */
typedef struct MatchOpening {
  const char *work_kind, *region, *title, *tasks;
  int hours_min, hours_max;
  unsigned support;
} MatchOpening;

typedef enum MatchWhat {
  MATCH_KIND,
  MATCH_HOURS_GOAL,
  MATCH_HOURS_NOW,
  MATCH_REGION,
  MATCH_SUPPORT,
  MATCH_AVOID,
} MatchWhat;

/* One wish and whether the opening meets it. detail: the kind's place in the list (MATCH_KIND, 0 = first;
 * -1 when the opening's kind is not in it), the support bit (MATCH_SUPPORT) or the index in avoid
 * (MATCH_AVOID); else 0. */
typedef struct MatchReason {
  MatchWhat what;
  bool met;
  int detail;
  int weight; /* what meeting this wish adds to the score */
} MatchReason;

typedef struct MatchResult {
  int score;     /* the sum of the weights of the wishes met */
  int max_score; /* the sum of the weights of the wishes stated (a perfect fit; the first kind) */
  int nmet, nreasons;
  MatchReason reasons[MATCH_REASONS_MAX];
} MatchResult;

/* Scores opening o against wishes w into *out. Pure; cannot fail. */
void match_score(const MatchWishes *w, const MatchOpening *o, MatchResult *out);


/* Orders two scored openings: higher score first, then more wishes met, then the lower id. For qsort on
 * arrays whose elements start with a MatchKey. */
typedef struct MatchKey {
  int score, nmet;
  long long id;
} MatchKey;
int match_key_cmp(const void *a, const void *b);

/* The best key match_score could give opening o without reading its title and tasks (every task to avoid
 * counted as not mentioned): *out's score and nmet are upper bounds, and when the true score equals the bound
 * so does nmet — so the true key never ranks before the bound (match_key_cmp). For ranking without reading
 * the texts of openings that cannot reach the ranks shown. id is left as it was. Pure. */
void match_score_bound(const MatchWishes *w, const MatchOpening *o, MatchKey *out);

#endif
