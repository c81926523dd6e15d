/*
 * measures.h — the knowledge base of measures (articles): one struct per row, the lists, one article, and the
 * administrator's writes. Articles are not case information: nothing here reads a trajectory.
 *
 * Texts are copied into the arena given; title_en/body_en are NULL when there is no English text.
 */
#ifndef ZW_STORE_MEASURES_H
#define ZW_STORE_MEASURES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

/* One article. In lists body_nl, body_en and updated_by_name are NULL (not read). */
typedef struct Measure {
  int64_t id, updated_at;
  const char *slug, *audience, *title_nl, *body_nl, *title_en, *body_en, *updated_by_name;
  bool published;
} Measure;

/* The article with this slug (slug not NULL) or else this id into *m. Returns DB_ROW, DB_DONE (none) or a
 * DB error code. Published or not: the caller decides who may see an unpublished one. */
int measure_get(Db *db, Arena *a, const char *slug, int64_t id, Measure *m);

/* The articles for a list, at most max, by title in language lang ("en": the English title where there is
 * one; otherwise the Dutch), into an arena array: every article when all, else the published ones only;
 * audience "" for all, else the articles for that audience and those for both. Returns a DB code. */
int measures_list(Db *db, Arena *a, bool all, const char *audience, const char *lang, int max, Measure **out,
                  int *n);

/* The published article with this slug into *m (id, slug and titles only): DB_ROW, DB_DONE when there is
 * none, or a DB error code. */
int measure_get_published(Db *db, Arena *a, const char *slug, Measure *m);

/* Whether an article other than except_id (0: none) has this slug, into *taken. Returns a DB code. */
int measure_slug_taken(Db *db, const char *slug, int64_t except_id, bool *taken);

/* Creates article m (its slug, audience, texts and published flag) changed by user `by` at `now`, inside the
 * caller's transaction; writes its id. Returns DB_OK, DB_CONSTRAINT when the slug is taken, or a DB error
 * code. */
int measure_create(Db *db, const Measure *m, int64_t by, int64_t now, int64_t *id);

/* Replaces the slug, audience, texts and published flag of article id with m's, inside the caller's
 * transaction. Returns DB_OK, DB_DONE when there is no such article, DB_CONSTRAINT when the slug is taken,
 * or a DB error code. */
int measure_update(Db *db, int64_t id, const Measure *m, int64_t by, int64_t now);

/* Sets the published flag of article id, inside the caller's transaction. Returns DB_OK, DB_DONE when there
 * is no such article, or a DB error code. */
int measure_set_published(Db *db, int64_t id, bool published, int64_t by, int64_t now);

#endif
