/*
 * match.c — see match.h.
 */
#include "render/match.h"

#include <stddef.h>
#include <string.h>

enum {
  W_KIND_FIRST = 40, /* first kind of work; each next place 6 less, never below W_KIND_MIN */
  W_KIND_STEP = 6,
  W_KIND_MIN = 20,
  W_HOURS_GOAL = 30,
  W_HOURS_NOW = 20,
  W_REGION = 25,
  W_SUPPORT = 10,
  W_AVOID = 8,
};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static bool space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* a and b equal ignoring ASCII case and leading/trailing white space. */
static bool same_words(const char *a, const char *b) {
  if (!a || !b) return false;
  while (space(*a)) a++;
  while (space(*b)) b++;
  size_t na = strlen(a), nb = strlen(b);
  while (na && space(a[na - 1])) na--;
  while (nb && space(b[nb - 1])) nb--;
  if (na != nb || !na) return false;
  for (size_t i = 0; i < na; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return false;
  return true;
}

/* hay mentions needle (trimmed), ignoring ASCII case. An empty needle is mentioned nowhere. */
static bool mentions(const char *hay, const char *needle) {
  if (!hay || !needle) return false;
  while (space(*needle)) needle++;
  size_t n = strlen(needle);
  while (n && space(needle[n - 1])) n--;
  if (!n) return false;
  for (; *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] && lower((unsigned char)hay[i]) == lower((unsigned char)needle[i])) i++;
    if (i == n) return true;
  }
  return false;
}

static int kind_weight(int place) {
  int w = W_KIND_FIRST - W_KIND_STEP * place;
  return w < W_KIND_MIN ? W_KIND_MIN : w;
}

static void add(MatchResult *out, MatchWhat what, bool met, int detail, int weight, int max_weight) {
  if (out->nreasons >= MATCH_REASONS_MAX) return;
  out->reasons[out->nreasons++] = (MatchReason){.what = what, .met = met, .detail = detail, .weight = weight};
  out->max_score += max_weight;
  if (met) {
    out->score += weight;
    out->nmet++;
  }
}

void match_score(const MatchWishes *w, const MatchOpening *o, MatchResult *out) {
  memset(out, 0, sizeof *out);
  if (w->nkinds > 0) {
    int place = -1;
    for (int i = 0; i < w->nkinds && i < MATCH_KINDS_MAX; i++)
      if (w->kinds[i] && o->work_kind && strcmp(w->kinds[i], o->work_kind) == 0) {
        place = i;
        break;
      }
    add(out, MATCH_KIND, place >= 0, place, place >= 0 ? kind_weight(place) : 0, W_KIND_FIRST);
  }
  if (w->hours_goal >= 0) {
    bool met = (o->hours_min < 0 || w->hours_goal >= o->hours_min) && w->hours_goal <= o->hours_max;
    add(out, MATCH_HOURS_GOAL, met, 0, W_HOURS_GOAL, W_HOURS_GOAL);
  }
  if (w->hours_now >= 0) {
    bool met = o->hours_min < 0 || w->hours_now >= o->hours_min;
    add(out, MATCH_HOURS_NOW, met, 0, W_HOURS_NOW, W_HOURS_NOW);
  }
  if (w->nregions > 0) {
    bool met = false;
    for (int i = 0; i < w->nregions && i < MATCH_REGIONS_MAX && !met; i++)
      met = same_words(w->regions[i], o->region) || mentions(o->region, w->regions[i]);
    add(out, MATCH_REGION, met, 0, W_REGION, W_REGION);
  }
  for (int b = 0; b < MATCH_SUPPORT_BITS; b++) {
    unsigned bit = 1u << b;
    if (w->support & bit) add(out, MATCH_SUPPORT, (o->support & bit) != 0, (int)bit, W_SUPPORT, W_SUPPORT);
  }
  for (int i = 0; i < w->navoid && i < MATCH_AVOID_MAX; i++) {
    bool met = !mentions(o->title, w->avoid[i]) && !mentions(o->tasks, w->avoid[i]);
    add(out, MATCH_AVOID, met, i, W_AVOID, W_AVOID);
  }
}

void match_score_bound(const MatchWishes *w, const MatchOpening *o, MatchKey *out) {
  MatchOpening bare = *o;
  bare.title = bare.tasks = NULL; /* nothing is mentioned: every task to avoid counts as met */
  MatchResult m;
  match_score(w, &bare, &m);
  out->score = m.score;
  out->nmet = m.nmet;
}

int match_key_cmp(const void *pa, const void *pb) {
  const MatchKey *a = pa, *b = pb;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (a->nmet != b->nmet) return a->nmet > b->nmet ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}
