/*
 * measures.c — see measures.h.
 */
#include "store/measures.h"

#include "db/rows.h"

#define MEASURE_COLUMNS                                                                                     \
  "SELECT m.id, m.slug, m.audience, m.title_nl, m.body_nl, m.title_en, m.body_en, m.published, m.updated_at, " \
  "u.name AS updated_by_name FROM measures m LEFT JOIN users u ON u.id = m.updated_by "

int measure_get(Db *db, Arena *a, const char *slug, int64_t id, Measure *m) {
  Stmt *st = db_prepare(db, slug ? MEASURE_COLUMNS "WHERE m.slug = ?" : MEASURE_COLUMNS "WHERE m.id = ?");
  if (!st) return DB_ERROR;
  if (slug) db_bind_text(st, 1, slug);
  else db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *m = (Measure){.id = db_int(st, "id"), .updated_at = db_int(st, "updated_at"), .slug = db_text_copy(a, st, "slug"),
                   .audience = db_text_copy(a, st, "audience"), .title_nl = db_text_copy(a, st, "title_nl"),
                   .body_nl = db_text_copy(a, st, "body_nl"), .title_en = db_text_copy(a, st, "title_en"),
                   .body_en = db_text_copy(a, st, "body_en"), .updated_by_name = db_text_copy(a, st, "updated_by_name"),
                   .published = db_int(st, "published") != 0};
  db_done(st);
  return rc;
}

/* Maps a row of measures_list' query (no bodies) into the Measure at p. */
static void measure_line_map(Arena *a, Stmt *st, void *p) {
  *(Measure *)p = (Measure){.id = db_int(st, "id"), .updated_at = db_int(st, "updated_at"),
                            .slug = db_text_copy(a, st, "slug"), .audience = db_text_copy(a, st, "audience"),
                            .title_nl = db_text_copy(a, st, "title_nl"), .title_en = db_text_copy(a, st, "title_en"),
                            .published = db_int(st, "published") != 0};
}

int measures_list(Db *db, Arena *a, bool all, const char *audience, const char *lang, int max, Measure **out,
                  int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT id, slug, audience, title_nl, title_en, published, updated_at FROM measures "
                            "WHERE (? = 1 OR published = 1) AND (? = '' OR audience = ? OR audience = 'both') "
                            "ORDER BY LOWER(CASE WHEN ? = 'en' AND title_en IS NOT NULL THEN title_en "
                            "ELSE title_nl END), id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, all);
  db_bind_text(st, 2, audience);
  db_bind_text(st, 3, audience);
  db_bind_text(st, 4, lang);
  db_bind_int(st, 5, max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, measure_line_map, n, &rc);
  return rc;
}

int measure_get_published(Db *db, Arena *a, const char *slug, Measure *m) {
  Stmt *st = db_prepare(db, "SELECT id, slug, title_nl, title_en FROM measures WHERE slug = ? AND published = 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, slug);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *m = (Measure){.id = db_int(st, "id"), .slug = db_text_copy(a, st, "slug"),
                   .title_nl = db_text_copy(a, st, "title_nl"), .title_en = db_text_copy(a, st, "title_en"),
                   .published = true};
  db_done(st);
  return rc;
}

int measure_slug_taken(Db *db, const char *slug, int64_t except_id, bool *taken) {
  *taken = false;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM measures WHERE slug = ? AND id <> ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, slug);
  db_bind_int(st, 2, except_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *taken = db_int(st, "n") > 0;
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Binds an article's fields as parameters 1..9 of the INSERT and the UPDATE (same order in both): slug,
 * audience, the texts, published, and who changed it when. */
static void bind_measure(Stmt *st, const Measure *m, int64_t by, int64_t now) {
  db_bind_text(st, 1, m->slug);
  db_bind_text(st, 2, m->audience);
  db_bind_text(st, 3, m->title_nl);
  db_bind_text(st, 4, m->body_nl);
  db_bind_text(st, 5, m->title_en);
  db_bind_text(st, 6, m->body_en);
  db_bind_int(st, 7, m->published);
  db_bind_int(st, 8, now);
  db_bind_int(st, 9, by);
}

int measure_create(Db *db, const Measure *m, int64_t by, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, "
                            "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  bind_measure(st, m, by, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  if (rc == DB_ROW) return DB_OK;
  return rc == DB_DONE ? DB_ERROR : rc;
}

int measure_update(Db *db, int64_t id, const Measure *m, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE measures SET slug = ?, audience = ?, title_nl = ?, body_nl = ?, title_en = ?, "
                            "body_en = ?, published = ?, updated_at = ?, updated_by = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  bind_measure(st, m, by, now);
  db_bind_int(st, 10, id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int measure_set_published(Db *db, int64_t id, bool published, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE measures SET published = ?, updated_at = ?, updated_by = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, published);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, by);
  db_bind_int(st, 4, id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}
