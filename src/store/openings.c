/*
 * openings.c — see openings.h.
 */
#include "store/openings.h"

#include <stddef.h>
#include <string.h>

#include "core/text.h"

enum { OPENINGS_MAX = 500 };

const char *const work_kind_keys[WORK_KIND_COUNT] = {
    "administration", "care", "cleaning", "construction", "education", "green", "hospitality",
    "ict", "logistics", "production", "retail", "transport", "other",
};
const char *const opening_kinds[] = {"job", "work_experience", NULL};
const char *const opening_statuses[] = {"open", "filled", "withdrawn", NULL};

int work_kind_from_key(const char *key) {
  if (!key) return -1;
  for (int k = 0; k < WORK_KIND_COUNT; k++)
    if (strcmp(work_kind_keys[k], key) == 0) return k;
  return -1;
}

static bool in_list(const char *const *list, const char *s) {
  if (!s) return false;
  for (const char *const *p = list; *p; p++)
    if (strcmp(*p, s) == 0) return true;
  return false;
}

bool opening_kind_valid(const char *s) { return in_list(opening_kinds, s); }
bool opening_status_valid(const char *s) { return in_list(opening_statuses, s); }

OpeningFault opening_invalid(const Opening *o) {
  if (!o->title || !*o->title) return OPENING_NO_TITLE;
  if (!opening_kind_valid(o->kind)) return OPENING_BAD_KIND;
  if (work_kind_from_key(o->work_kind) < 0) return OPENING_BAD_WORK_KIND;
  if (!o->region || !*o->region) return OPENING_NO_REGION;
  if (o->hours_max < 1 || o->hours_max > OPENING_HOURS_MAX) return OPENING_HOURS_RANGE;
  if (o->hours_min != 0 && (o->hours_min < 1 || o->hours_min > OPENING_HOURS_MAX))
    return OPENING_HOURS_RANGE;
  if (o->hours_min > o->hours_max) return OPENING_HOURS_ORDER;
  int32_t from = 0, until = 0;
  bool has_from = o->starts_on && *o->starts_on, has_until = o->ends_on && *o->ends_on;
  if (has_from && !date_parse(o->starts_on, &from)) return OPENING_BAD_START;
  if (has_until && !date_parse(o->ends_on, &until)) return OPENING_BAD_END;
  if (has_from && has_until && until <= from) return OPENING_END_BEFORE_START;
  if (o->status && !opening_status_valid(o->status)) return OPENING_BAD_STATUS;
  return OPENING_OK;
}

/* The roles that read every opening; a partner reads their own employer's only. */
#define OPENING_READERS (ROLE_COACH | ROLE_TEAMLEAD)

#define OPENING_SELECT                                                                                      \
  "SELECT op.id, op.employer_org_id, o.name AS employer_name, op.title, op.kind, op.work_kind, op.tasks, "  \
  "COALESCE(op.hours_min, 0) AS hours_min, op.hours_max, op.region, op.requirements, op.support, "         \
  "op.starts_on, op.ends_on, op.status, COALESCE(op.created_by, 0) AS created_by, op.created_at, "          \
  "COALESCE(op.updated_by, 0) AS updated_by, COALESCE(op.updated_at, 0) AS updated_at, "                   \
  "uu.name AS updated_by_name "                                                                             \
  "FROM openings op JOIN organisations o ON o.id = op.employer_org_id "                                     \
  "LEFT JOIN users uu ON uu.id = op.updated_by "                                                            \
  "WHERE (? = 1 OR (? = 1 AND op.employer_org_id = ?)) "

static int bind_reader(Stmt *st, int idx, const User *u) {
  db_bind_int(st, idx++, (u->roles & OPENING_READERS) ? 1 : 0);
  db_bind_int(st, idx++, (u->roles & ROLE_PARTNER) && u->org_id > 0 ? 1 : 0);
  db_bind_int(st, idx++, u->org_id);
  return idx;
}

/* Maps the current row of st (OPENING_SELECT) into an Opening. */
static Opening opening_row(Arena *a, Stmt *st) {
  return (Opening){
      .id = db_int(st, "id"),
      .employer_org_id = db_int(st, "employer_org_id"),
      .created_by = db_int(st, "created_by"),
      .created_at = db_int(st, "created_at"),
      .updated_by = db_int(st, "updated_by"),
      .updated_at = db_int(st, "updated_at"),
      .employer_name = db_text_copy(a, st, "employer_name"),
      .title = db_text_copy(a, st, "title"),
      .kind = db_text_copy(a, st, "kind"),
      .work_kind = db_text_copy(a, st, "work_kind"),
      .tasks = db_text_copy(a, st, "tasks"),
      .region = db_text_copy(a, st, "region"),
      .requirements = db_text_copy(a, st, "requirements"),
      .starts_on = db_text_copy(a, st, "starts_on"),
      .ends_on = db_text_copy(a, st, "ends_on"),
      .status = db_text_copy(a, st, "status"),
      .updated_by_name = db_text_copy(a, st, "updated_by_name"),
      .hours_min = (int)db_int(st, "hours_min"),
      .hours_max = (int)db_int(st, "hours_max"),
      .support = (int)db_int(st, "support"),
  };
}

int opening_load(Db *db, Arena *a, const User *u, int64_t id, Opening *out) {
  *out = (Opening){0};
  Stmt *st = db_prepare(db, OPENING_SELECT "AND op.id = ?");
  if (!st) return DB_ERROR;
  int idx = bind_reader(st, 1, u);
  db_bind_int(st, idx, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = opening_row(a, st);
  db_done(st);
  return rc;
}

int openings_list(Db *db, Arena *a, const User *u, const OpeningFilter *f, Opening **out, int *n) {
  int limit = f && f->limit > 0 && f->limit < OPENINGS_MAX ? f->limit : OPENINGS_MAX;
  *out = arena_alloc(a, sizeof **out * (size_t)limit);
  *n = 0;
  Stmt *st = db_prepare(db, OPENING_SELECT "AND (? = 0 OR op.employer_org_id = ?) AND (? = '' OR op.status = ?) "
                                           "AND (? = '' OR op.work_kind = ?) ORDER BY op.created_at DESC, op.id DESC");
  if (!st) return DB_ERROR;
  int idx = bind_reader(st, 1, u);
  int64_t org = f ? f->employer_org_id : 0;
  const char *status = f && f->status ? f->status : "";
  const char *wk = f && f->work_kind ? f->work_kind : "";
  db_bind_int(st, idx++, org);
  db_bind_int(st, idx++, org);
  db_bind_text(st, idx++, status);
  db_bind_text(st, idx++, status);
  db_bind_text(st, idx++, wk);
  db_bind_text(st, idx++, wk);
  int rc;
  while (*n < limit && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = opening_row(a, st);
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Binds text that "" means "none" as NULL. */
static void bind_opt(Stmt *st, int idx, const char *s) { db_bind_text(st, idx, s && *s ? s : NULL); }

/* Binds the eleven columns an editor sets, title ... ends_on in that order, from parameter i on. */
static void bind_fields(Stmt *st, int i, const Opening *o) {
  db_bind_text(st, i, o->title);
  db_bind_text(st, i + 1, o->kind);
  db_bind_text(st, i + 2, o->work_kind);
  bind_opt(st, i + 3, o->tasks);
  if (o->hours_min > 0) db_bind_int(st, i + 4, o->hours_min);
  else db_bind_null(st, i + 4);
  db_bind_int(st, i + 5, o->hours_max);
  db_bind_text(st, i + 6, o->region);
  bind_opt(st, i + 7, o->requirements);
  db_bind_int(st, i + 8, o->support & SUPPORT_ALL);
  bind_opt(st, i + 9, o->starts_on);
  bind_opt(st, i + 10, o->ends_on);
}

int opening_insert(Db *db, const User *u, const Opening *o, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO openings (employer_org_id, title, kind, work_kind, tasks, hours_min, "
                            "hours_max, region, requirements, support, starts_on, ends_on, status, created_by, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, o->employer_org_id);
  bind_fields(st, 2, o);
  db_bind_int(st, 13, u->id);
  db_bind_int(st, 14, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int opening_update(Db *db, const User *u, const Opening *o, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE openings SET title = ?, kind = ?, work_kind = ?, tasks = ?, hours_min = ?, "
                            "hours_max = ?, region = ?, requirements = ?, support = ?, starts_on = ?, ends_on = ?, "
                            "status = ?, updated_by = ?, updated_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  bind_fields(st, 1, o);
  db_bind_text(st, 12, o->status && *o->status ? o->status : "open");
  db_bind_int(st, 13, u->id);
  db_bind_int(st, 14, now);
  db_bind_int(st, 15, o->id);
  return db_run(st);
}

int opening_set_status(Db *db, const User *u, int64_t id, const char *status, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE openings SET status = ?, updated_by = ?, updated_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, status);
  db_bind_int(st, 2, u->id);
  db_bind_int(st, 3, now);
  db_bind_int(st, 4, id);
  return db_run(st);
}
