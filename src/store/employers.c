/*
 * employers.c — see employers.h.
 */
#include "store/employers.h"

#include <stddef.h>
#include <string.h>

#include "store/users.h"

enum { EMPLOYERS_MAX = 500, CONTACTS_MAX = 200, PEOPLE_MAX = 200 };

const char *const employer_size_bands[] = {"1-9", "10-49", "50-249", "250+", NULL};
const char *const employer_contact_modes[] = {"visit", "phone", "online", "info_session", "email", NULL};

static bool in_list(const char *const *list, const char *s) {
  if (!s) return false;
  for (const char *const *p = list; *p; p++)
    if (strcmp(*p, s) == 0) return true;
  return false;
}

bool employer_size_band_valid(const char *s) { return in_list(employer_size_bands, s); }
bool employer_contact_mode_valid(const char *s) { return in_list(employer_contact_modes, s); }

/* rc of a read loop that ended: DB_OK when it ran to the end (or was cut off at a maximum). */
static int read_end(int rc) { return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc; }

/* The roles that read the whole register. A partner reads their own employer only. */
#define REGISTER_READERS (ROLE_COACH | ROLE_TEAMLEAD)

/* SQL condition over organisations `o` (an employer): the reader may read it. Three parameters, bound by
 * bind_reader: reads everything (0/1), is a partner (0/1), the partner's organisation id. */
#define EMPLOYER_READABLE "(? = 1 OR (? = 1 AND o.id = ?))"

static int bind_reader(Stmt *st, int idx, const User *u) {
  db_bind_int(st, idx++, (u->roles & REGISTER_READERS) ? 1 : 0);
  db_bind_int(st, idx++, (u->roles & ROLE_PARTNER) && u->org_id > 0 ? 1 : 0);
  db_bind_int(st, idx++, u->org_id);
  return idx;
}

/* placements: how many trial placements and job starts (migration 029, issue 13 part 5) there were with the
 * employer — a count only: which participant is placed there is case information, shown by the placements'
 * own pages under the consent rule. */
#define EMPLOYER_SELECT                                                                                     \
  "SELECT o.id, o.name, o.active, p.org_id AS profile_id, p.sector, p.region, p.size_band, "                \
  "p.work_processes, p.job_kinds, p.culture, COALESCE(p.support, 0) AS support, "                          \
  "COALESCE(p.contact_user_id, 0) AS contact_user_id, COALESCE(p.mediator_user_id, 0) AS mediator_user_id, " \
  "COALESCE(p.updated_by, 0) AS updated_by, COALESCE(p.updated_at, 0) AS updated_at, "                     \
  "cu.name AS contact_name, mu.name AS mediator_name, uu.name AS updated_by_name, "                         \
  "(SELECT COUNT(*) FROM openings op WHERE op.employer_org_id = o.id AND op.status = 'open') AS open_openings, " \
  "(SELECT COUNT(*) FROM placements pl WHERE pl.employer_org_id = o.id) AS placements "                   \
  "FROM organisations o LEFT JOIN employer_profiles p ON p.org_id = o.id "                                 \
  "LEFT JOIN users cu ON cu.id = p.contact_user_id LEFT JOIN users mu ON mu.id = p.mediator_user_id "       \
  "LEFT JOIN users uu ON uu.id = p.updated_by "                                                             \
  "WHERE o.kind = 'employer' AND " EMPLOYER_READABLE " "

/* Maps the current row of st (EMPLOYER_SELECT) into an Employer. */
static Employer employer_row(Arena *a, Stmt *st) {
  return (Employer){
      .org_id = db_int(st, "id"),
      .name = db_text_copy(a, st, "name"),
      .active = db_int(st, "active") != 0,
      .has_profile = !db_null(st, "profile_id"),
      .sector = db_text_copy(a, st, "sector"),
      .region = db_text_copy(a, st, "region"),
      .size_band = db_text_copy(a, st, "size_band"),
      .work_processes = db_text_copy(a, st, "work_processes"),
      .job_kinds = db_text_copy(a, st, "job_kinds"),
      .culture = db_text_copy(a, st, "culture"),
      .support = (int)db_int(st, "support"),
      .contact_user_id = db_int(st, "contact_user_id"),
      .mediator_user_id = db_int(st, "mediator_user_id"),
      .updated_by = db_int(st, "updated_by"),
      .updated_at = db_int(st, "updated_at"),
      .contact_name = db_text_copy(a, st, "contact_name"),
      .mediator_name = db_text_copy(a, st, "mediator_name"),
      .updated_by_name = db_text_copy(a, st, "updated_by_name"),
      .open_openings = db_int(st, "open_openings"),
      .placements = db_int(st, "placements"),
  };
}

int employer_load(Db *db, Arena *a, const User *u, int64_t org_id, Employer *out) {
  *out = (Employer){0};
  Stmt *st = db_prepare(db, EMPLOYER_SELECT "AND o.id = ?");
  if (!st) return DB_ERROR;
  int idx = bind_reader(st, 1, u);
  db_bind_int(st, idx, org_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = employer_row(a, st);
  db_done(st);
  return rc;
}

int employers_list(Db *db, Arena *a, const User *u, const char *q, Employer **out, int *n) {
  *out = arena_alloc(a, sizeof **out * EMPLOYERS_MAX);
  *n = 0;
  Stmt *st = db_prepare(db, EMPLOYER_SELECT
                        "AND (? = '' OR LOWER(o.name) LIKE ? OR LOWER(COALESCE(p.sector, '')) LIKE ? "
                        "OR LOWER(COALESCE(p.region, '')) LIKE ?) ORDER BY o.active DESC, o.name, o.id");
  if (!st) return DB_ERROR;
  int idx = bind_reader(st, 1, u);
  const char *qq = q ? q : "";
  /* the pattern: q lowercased (ASCII), with LIKE's wildcards taken literally by dropping them */
  char *pat = arena_alloc(a, strlen(qq) + 3);
  size_t k = 0;
  pat[k++] = '%';
  for (const char *s = qq; *s; s++) {
    if (*s == '%' || *s == '_') continue;
    pat[k++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
  }
  pat[k++] = '%';
  pat[k] = 0;
  db_bind_text(st, idx++, qq);
  db_bind_text(st, idx++, pat);
  db_bind_text(st, idx++, pat);
  db_bind_text(st, idx++, pat);
  int rc;
  while (*n < EMPLOYERS_MAX && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = employer_row(a, st);
  db_done(st);
  return read_end(rc);
}

/* Binds an id that 0 means "none" as NULL. */
static void bind_id(Stmt *st, int idx, int64_t id) {
  if (id > 0) db_bind_int(st, idx, id);
  else db_bind_null(st, idx);
}

int employer_profile_save(Db *db, const User *u, const Employer *e, int64_t now) {
  Stmt *st = db_prepare(db, "INSERT INTO employer_profiles (org_id, sector, region, size_band, work_processes, "
                            "job_kinds, culture, support, contact_user_id, mediator_user_id, updated_by, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
                            "sector = excluded.sector, region = excluded.region, size_band = excluded.size_band, "
                            "work_processes = excluded.work_processes, job_kinds = excluded.job_kinds, "
                            "culture = excluded.culture, support = excluded.support, "
                            "contact_user_id = excluded.contact_user_id, mediator_user_id = excluded.mediator_user_id, "
                            "updated_by = excluded.updated_by, updated_at = excluded.updated_at");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, e->org_id);
  db_bind_text(st, 2, e->sector);
  db_bind_text(st, 3, e->region);
  db_bind_text(st, 4, e->size_band);
  db_bind_text(st, 5, e->work_processes);
  db_bind_text(st, 6, e->job_kinds);
  db_bind_text(st, 7, e->culture);
  db_bind_int(st, 8, e->support & SUPPORT_ALL);
  bind_id(st, 9, e->contact_user_id);
  bind_id(st, 10, e->mediator_user_id);
  db_bind_int(st, 11, u->id);
  db_bind_int(st, 12, now);
  return db_run(st);
}

int employer_contacts_list(Db *db, Arena *a, const User *u, int64_t org_id, EmployerContact **out, int *n) {
  (void)u;
  *out = arena_alloc(a, sizeof **out * CONTACTS_MAX);
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT c.id, c.org_id, c.held_on, c.mode, c.minutes, c.note, c.by_user_id, c.created_at, "
                            "bu.name AS by_name FROM employer_contacts c JOIN users bu ON bu.id = c.by_user_id "
                            "WHERE c.org_id = ? ORDER BY c.held_on DESC, c.id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, org_id);
  int rc;
  while (*n < CONTACTS_MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (EmployerContact){.id = db_int(st, "id"), .org_id = db_int(st, "org_id"),
                                       .by_user_id = db_int(st, "by_user_id"), .created_at = db_int(st, "created_at"),
                                       .minutes = (int)db_int(st, "minutes"), .held_on = db_text_copy(a, st, "held_on"),
                                       .mode = db_text_copy(a, st, "mode"), .note = db_text_copy(a, st, "note"),
                                       .by_name = db_text_copy(a, st, "by_name")};
  db_done(st);
  return read_end(rc);
}

int employer_contact_insert(Db *db, const User *u, const EmployerContact *c, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO employer_contacts (org_id, held_on, mode, minutes, note, by_user_id, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, c->org_id);
  db_bind_text(st, 2, c->held_on);
  db_bind_text(st, 3, c->mode);
  db_bind_int(st, 4, c->minutes);
  db_bind_text(st, 5, c->note && *c->note ? c->note : NULL);
  db_bind_int(st, 6, u->id);
  db_bind_int(st, 7, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Reads people (id, name, function) of st into an arena array. */
static int read_people(Arena *a, Stmt *st, EmployerPerson **out, int *n) {
  *out = arena_alloc(a, sizeof **out * PEOPLE_MAX);
  *n = 0;
  int rc;
  while (*n < PEOPLE_MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (EmployerPerson){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                      .function = db_text_copy(a, st, "function")};
  db_done(st);
  return read_end(rc);
}

int employer_people(Db *db, Arena *a, int64_t org_id, EmployerPerson **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT id, name, function FROM users WHERE org_id = ? AND active = 1 "
                            "AND (roles & ?) <> 0 ORDER BY name, id");
  if (!st) { *out = NULL; *n = 0; return DB_ERROR; }
  db_bind_int(st, 1, org_id);
  db_bind_int(st, 2, ROLE_PARTNER);
  return read_people(a, st, out, n);
}

int employer_mediators(Db *db, Arena *a, EmployerPerson **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT id, name, function FROM users WHERE active = 1 AND (roles & ?) <> 0 "
                            "ORDER BY name, id");
  if (!st) { *out = NULL; *n = 0; return DB_ERROR; }
  db_bind_int(st, 1, ROLE_COACH);
  return read_people(a, st, out, n);
}

int employer_is_person(Db *db, int64_t org_id, int64_t user_id, bool *yes) {
  *yes = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM users WHERE id = ? AND org_id = ? AND active = 1 AND (roles & ?) <> 0");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, org_id);
  db_bind_int(st, 3, ROLE_PARTNER);
  int rc = db_step(st);
  *yes = rc == DB_ROW;
  db_done(st);
  return read_end(rc);
}

int employer_is_mediator(Db *db, int64_t user_id, bool *yes) {
  return user_active_with_role(db, user_id, ROLE_COACH, yes);
}

int employer_of_user(Db *db, const User *u, int64_t *org) {
  *org = 0;
  if (!(u->roles & ROLE_PARTNER) || u->org_id <= 0) return DB_OK;
  Stmt *st = db_prepare(db, "SELECT id FROM organisations WHERE id = ? AND kind = 'employer' AND active = 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->org_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *org = db_int(st, "id");
  db_done(st);
  return read_end(rc);
}
