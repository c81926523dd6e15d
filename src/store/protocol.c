/*
 * protocol.c — see protocol.h.
 */
#include "store/protocol.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "db/rows.h"
#include "store/caseload.h"

/* Runs the literal statement sql with the integer parameters p1 and p2. */
static int run_ints(Db *db, const char *sql, int64_t p1, int64_t p2) {
  Stmt *st = db_prepare(db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, p1);
  db_bind_int(st, 2, p2);
  return db_run(st);
}

/* ------------------------------------------------------------------------ a trajectory's protocol */

int protocol_trajectory_get(Db *db, Arena *a, int64_t id, ProtocolTrajectory *t) {
  Stmt *st = db_prepare(db, "SELECT t.id, t.phase, t.status, t.phase_since, t.started_on, t.closed_on, t.outcome, "
                            "t.hours_per_week_tenths, COALESCE(t.protocol_template_id, 0) AS template_id, "
                            "pt.name AS template_name, t.programme FROM trajectories t "
                            "LEFT JOIN protocol_templates pt ON pt.id = t.protocol_template_id WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *t = (ProtocolTrajectory){.id = db_int(st, "id"),
                              .template_id = db_int(st, "template_id"),
                              .hours_tenths = db_int(st, "hours_per_week_tenths"),
                              .has_hours = !db_null(st, "hours_per_week_tenths"),
                              .phase = db_text_copy(a, st, "phase"),
                              .status = db_text_copy(a, st, "status"),
                              .phase_since = db_text_copy(a, st, "phase_since"),
                              .started_on = db_text_copy(a, st, "started_on"),
                              .closed_on = db_text_copy(a, st, "closed_on"),
                              .outcome = db_text_copy(a, st, "outcome"),
                              .template_name = db_text_copy(a, st, "template_name"),
                              .programme = db_text_copy(a, st, "programme")};
  db_done(st);
  return rc;
}

/* Maps a row of protocol_steps' query into the ProtocolStep at p. */
static void step_map(Arena *a, Stmt *st, void *p) {
  *(ProtocolStep *)p = (ProtocolStep){.id = db_int(st, "id"),
                                      .done_at = db_int(st, "done_at"),
                                      .required = db_int(st, "required") != 0,
                                      .added = db_int(st, "added_by_coach") != 0,
                                      .phase = db_text_copy(a, st, "phase"),
                                      .text = db_text_copy(a, st, "text"),
                                      .status = db_text_copy(a, st, "status"),
                                      .skip_reason = db_text_copy(a, st, "skip_reason"),
                                      .added_reason = db_text_copy(a, st, "added_reason"),
                                      .done_by = db_text_copy(a, st, "done_by")};
}

int protocol_steps(Db *db, Arena *a, int64_t tid, ProtocolStep **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT s.id, s.phase, s.text, s.required, s.status, s.skip_reason, s.added_by_coach, "
                            "s.added_reason, s.done_at, u.name AS done_by FROM trajectory_steps s "
                            "LEFT JOIN users u ON u.id = s.done_by WHERE s.trajectory_id = ? "
                            "ORDER BY s.position, s.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, step_map, n, &rc);
  return rc;
}

/* Maps a row of protocol_history's query into the PhaseStay at p. */
static void stay_map(Arena *a, Stmt *st, void *p) {
  *(PhaseStay *)p = (PhaseStay){.hours_tenths = db_int(st, "hours_per_week_tenths"),
                                .has_hours = !db_null(st, "hours_per_week_tenths"),
                                .phase = db_text_copy(a, st, "phase"),
                                .kind = db_text_copy(a, st, "kind"),
                                .entered_on = db_text_copy(a, st, "entered_on"),
                                .left_on = db_text_copy(a, st, "left_on"),
                                .reason = db_text_copy(a, st, "reason"),
                                .outcome = db_text_copy(a, st, "outcome"),
                                .by = db_text_copy(a, st, "by_name")};
}

int protocol_history(Db *db, Arena *a, int64_t tid, PhaseStay **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT h.phase, h.kind, h.entered_on, h.left_on, h.reason, h.outcome, "
                            "h.hours_per_week_tenths, u.name AS by_name FROM phase_history h "
                            "LEFT JOIN users u ON u.id = h.entered_by WHERE h.trajectory_id = ? ORDER BY h.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, stay_map, n, &rc);
  return rc;
}

/* Inside a transaction: ends the open stay of trajectory tid on left_on. */
static int history_leave(Db *db, int64_t tid, const char *left_on) {
  Stmt *st = db_prepare(db, "UPDATE phase_history SET left_on = ? WHERE trajectory_id = ? AND left_on IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, left_on);
  db_bind_int(st, 2, tid);
  return db_run(st);
}

int protocol_needs_work(Db *db, const ProtocolTrajectory *t, bool *need) {
  Stmt *st = db_prepare(db, "SELECT (SELECT COUNT(*) FROM phase_history WHERE trajectory_id = ?) AS n, "
                            "(SELECT phase FROM phase_history WHERE trajectory_id = ? AND left_on IS NULL "
                            "ORDER BY id DESC LIMIT 1) AS open_phase");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  db_bind_int(st, 2, t->id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    const char *open = db_text(st, "open_phase");
    *need = db_int(st, "n") == 0 || !open || strcmp(open, t->phase) != 0;
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Inside a transaction: gives trajectory tid the steps of template tpl, or of the default template when tpl
 * is 0 (nothing when there is no active template). */
static int steps_from_template(Db *db, int64_t tid, int64_t tpl) {
  int rc;
  if (!tpl) {
    Stmt *st = db_prepare(db, "SELECT id FROM protocol_templates WHERE active = 1 "
                              "ORDER BY is_default DESC, id LIMIT 1");
    if (!st) return DB_ERROR;
    rc = db_step(st);
    if (rc == DB_ROW) tpl = db_int(st, "id");
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
  }
  if (!tpl) return DB_OK;
  if ((rc = run_ints(db, "UPDATE trajectories SET protocol_template_id = ? WHERE id = ?", tpl, tid)) != DB_OK)
    return rc;
  return run_ints(db, "INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required) "
                      "SELECT ?, phase, position, text, required FROM protocol_steps WHERE template_id = ?",
                  tid, tpl);
}

int protocol_catch_up(Db *db, const ProtocolTrajectory *t, int64_t now) {
  bool need = false;
  int rc = protocol_needs_work(db, t, &need);
  if (rc != DB_OK || !need) return rc;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM phase_history WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  rc = db_step(st);
  int64_t stays = rc == DB_ROW ? db_int(st, "n") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc;

  if (stays == 0) rc = steps_from_template(db, t->id, t->template_id);
  else rc = history_leave(db, t->id, t->phase_since);
  if (rc != DB_OK) return rc;
  st = db_prepare(db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at) "
                      "VALUES (?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, t->id);
  db_bind_text(st, 2, t->phase);
  db_bind_text(st, 3, stays == 0 ? "start" : "sync");
  db_bind_text(st, 4, t->phase_since);
  db_bind_int(st, 5, now);
  return db_run(st);
}

int protocol_start(Db *db, Arena *a, int64_t tid, int64_t now) {
  ProtocolTrajectory t;
  int rc = protocol_trajectory_get(db, a, tid, &t);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  return protocol_catch_up(db, &t, now);
}

int protocol_on_insert(Db *db, int64_t tid) {
  Stmt *st = db_prepare(db, "SELECT protocol_template_id, phase, phase_since, created_at, "
                            "(SELECT COUNT(*) FROM phase_history h WHERE h.trajectory_id = t.id) AS stays "
                            "FROM trajectories t WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
  }
  int64_t tpl = db_int(st, "protocol_template_id"), created = db_int(st, "created_at");
  bool fresh = db_int(st, "stays") == 0;
  char phase[64], since[16];
  snprintf(phase, sizeof phase, "%s", db_text(st, "phase") ? db_text(st, "phase") : "");
  snprintf(since, sizeof since, "%s", db_text(st, "phase_since") ? db_text(st, "phase_since") : "");
  db_done(st);
  if (!fresh) return DB_OK;
  if ((rc = steps_from_template(db, tid, tpl)) != DB_OK) return rc;
  st = db_prepare(db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at) "
                      "VALUES (?, ?, 'start', ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, phase);
  db_bind_text(st, 3, since);
  db_bind_int(st, 4, created);
  return db_run(st);
}

int protocol_step_of(Db *db, int64_t tid, int64_t sid) {
  Stmt *st = db_prepare(db, "SELECT status FROM trajectory_steps WHERE id = ? AND trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, sid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  db_done(st);
  return rc;
}

int protocol_step_set_status(Db *db, int64_t sid, const char *status, const char *skip_reason, int64_t by,
                             int64_t now) {
  bool done = strcmp(status, "done") == 0;
  Stmt *st = db_prepare(db, "UPDATE trajectory_steps SET status = ?, skip_reason = COALESCE(?, skip_reason), "
                            "done_at = ?, done_by = ?, updated_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, status);
  db_bind_text(st, 2, skip_reason);
  if (done) db_bind_int(st, 3, now); else db_bind_null(st, 3);
  if (done) db_bind_int(st, 4, by); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, sid);
  return db_run(st);
}

int protocol_step_add(Db *db, const ProtocolStepNew *s) {
  int lk = db_lock(db, "trajectory_steps.position"); /* MAX(position) + 1 below: one writer */
  if (lk != DB_OK) return lk;
  Stmt *st = db_prepare(db, "INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required, "
                            "added_by_coach, added_reason, added_by, updated_at) "
                            "SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, 1, ?, ?, ? FROM trajectory_steps "
                            "WHERE trajectory_id = ? AND phase = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, s->trajectory_id);
  db_bind_text(st, 2, s->phase);
  db_bind_text(st, 3, s->text);
  db_bind_int(st, 4, s->required ? 1 : 0);
  db_bind_text(st, 5, s->reason);
  db_bind_int(st, 6, s->added_by);
  db_bind_int(st, 7, s->now);
  db_bind_int(st, 8, s->trajectory_id);
  db_bind_text(st, 9, s->phase);
  return db_run(st);
}

int protocol_open_required(Db *db, Arena *a, int64_t tid, const char *phase, const char **out) {
  Stmt *st = db_prepare(db, "SELECT text FROM trajectory_steps WHERE trajectory_id = ? AND phase = ? "
                            "AND required = 1 AND status = 'open' ORDER BY position, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, phase);
  const char *s = "";
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    s = *s ? arena_printf(a, "%s; %s", s, db_text(st, "text")) : db_text_copy(a, st, "text");
  db_done(st);
  *out = s;
  return rc == DB_DONE ? DB_OK : rc;
}

/* Inside the transaction: runs sql, an UPDATE of trajectory tid whose parameters are the new phase, its
 * phase_since date since, last_activity_at (now) and the id. */
static int phase_update(Db *db, const char *sql, int64_t tid, const char *phase, const char *since, int64_t now) {
  Stmt *st = db_prepare(db, sql);
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, phase);
  db_bind_text(st, 2, since);
  db_bind_int(st, 3, now);
  db_bind_int(st, 4, tid);
  return db_run(st);
}

/* A new stay in a phase. */
typedef struct StayNew {
  const char *phase, *kind, *entered_on, *reason, *outcome; /* reason NULL or "": none; outcome: a closure's */
  int64_t hours_tenths, by, now;
} StayNew;

/* Inside the transaction: ends the open stay of trajectory tid on s->entered_on and opens stay s. */
static int history_move(Db *db, int64_t tid, const StayNew *s) {
  int rc = history_leave(db, tid, s->entered_on);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, entered_by, reason, "
                            "outcome, hours_per_week_tenths, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, s->phase);
  db_bind_text(st, 3, s->kind);
  db_bind_text(st, 4, s->entered_on);
  db_bind_int(st, 5, s->by);
  db_bind_text(st, 6, s->reason && *s->reason ? s->reason : NULL);
  db_bind_text(st, 7, s->outcome);
  if (s->outcome) db_bind_int(st, 8, s->hours_tenths); else db_bind_null(st, 8);
  db_bind_int(st, 9, s->now);
  return db_run(st);
}

int protocol_move(Db *db, int64_t tid, const char *phase, const char *kind, const char *today, const char *reason,
                  int64_t by, int64_t now) {
  int rc = history_move(db, tid, &(StayNew){.phase = phase, .kind = kind, .entered_on = today, .reason = reason,
                                            .by = by, .now = now});
  if (rc != DB_OK) return rc;
  return phase_update(db, "UPDATE trajectories SET phase = ?, phase_since = ?, last_activity_at = ? "
                          "WHERE id = ? AND status = 'open'",
                      tid, phase, today, now);
}

int protocol_close(Db *db, int64_t tid, const ProtocolClosure *c) {
  int rc = history_move(db, tid, &(StayNew){.phase = "closure", .kind = "close", .entered_on = c->closed_on,
                                            .reason = c->note, .outcome = c->outcome,
                                            .hours_tenths = c->hours_tenths, .by = c->by, .now = c->now});
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "UPDATE trajectories SET status = 'closed', phase = 'closure', phase_since = ?, "
                            "closed_on = ?, outcome = ?, hours_per_week_tenths = ?, last_activity_at = ? "
                            "WHERE id = ? AND status = 'open'");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, c->closed_on);
  db_bind_text(st, 2, c->closed_on);
  db_bind_text(st, 3, c->outcome);
  db_bind_int(st, 4, c->hours_tenths);
  db_bind_int(st, 5, c->now);
  db_bind_int(st, 6, tid);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return caseload_next_refresh(db, tid); /* a closed trajectory has only its check-ins */
}

int protocol_reopen_phase(Db *db, Arena *a, int64_t tid, const char **phase) {
  *phase = NULL;
  Stmt *st = db_prepare(db, "SELECT h.phase FROM phase_history h WHERE h.trajectory_id = ? AND h.phase <> 'closure' "
                            "AND h.id < (SELECT MAX(c.id) FROM phase_history c WHERE c.trajectory_id = ? "
                            "AND c.kind = 'close') ORDER BY h.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *phase = db_text_copy(a, st, "phase");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int protocol_reopen(Db *db, int64_t tid, const char *phase, const char *today, const char *reason, int64_t by,
                    int64_t now) {
  int rc = phase_update(db, "UPDATE trajectories SET status = 'open', phase = ?, phase_since = ?, closed_on = NULL, "
                            "outcome = NULL, hours_per_week_tenths = NULL, last_activity_at = ? WHERE id = ? "
                            "AND status = 'closed'",
                        tid, phase, today, now);
  if (rc != DB_OK) return rc;
  if ((rc = caseload_next_refresh(db, tid)) != DB_OK) return rc;
  return history_move(db, tid, &(StayNew){.phase = phase, .kind = "reopen", .entered_on = today, .reason = reason,
                                          .by = by, .now = now});
}

/* ---------------------------------------------------------------------------------- templates */

/* The columns of a template with its number of steps. */
#define TEMPLATE_COLUMNS                                                                                     \
  "SELECT pt.id, pt.name, pt.approach, pt.programme, pt.active, pt.is_default, "                           \
  "(SELECT COUNT(*) FROM protocol_steps s WHERE s.template_id = pt.id) AS steps FROM protocol_templates pt "

int protocol_default_programme(Db *db, const char **programme) {
  *programme = "zorg_en_werk";
  Stmt *st = db_prepare(db, "SELECT programme FROM protocol_templates WHERE is_default = 1");
  if (!st) return DB_ERROR;
  int rc = db_step(st);
  if (rc == DB_ROW && strcmp(db_text(st, "programme"), "werk_als_beste_zorg") == 0) *programme = "werk_als_beste_zorg";
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int protocol_template_for(Db *db, const char *programme, int64_t *tpl) {
  *tpl = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM protocol_templates WHERE active = 1 AND programme = ? "
                            "ORDER BY is_default DESC, CASE WHEN approach = programme THEN 0 ELSE 1 END, id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, programme);
  int rc = db_step(st);
  if (rc == DB_ROW) *tpl = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Maps a row of a protocol_templates query (TEMPLATE_COLUMNS) into the ProtocolTemplate at p. */
static void template_map(Arena *a, Stmt *st, void *p) {
  *(ProtocolTemplate *)p = (ProtocolTemplate){.id = db_int(st, "id"), .steps = db_int(st, "steps"),
                                              .active = db_int(st, "active") != 0,
                                              .is_default = db_int(st, "is_default") != 0,
                                              .name = db_text_copy(a, st, "name"),
                                              .approach = db_text_copy(a, st, "approach"),
                                              .programme = db_text_copy(a, st, "programme")};
}

int protocol_template_get(Db *db, Arena *a, int64_t id, ProtocolTemplate *tp) {
  Stmt *st = db_prepare(db, TEMPLATE_COLUMNS "WHERE pt.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    template_map(a, st, tp);
  db_done(st);
  return rc;
}

int protocol_templates_all(Db *db, Arena *a, ProtocolTemplate **out, int *n) {
  Stmt *st = db_prepare(db, TEMPLATE_COLUMNS "ORDER BY pt.id");
  if (!st) return DB_ERROR;
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, template_map, n, &rc);
  return rc;
}

int protocol_template_name_taken(Db *db, const char *name, int64_t except_id, bool *taken) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM protocol_templates WHERE name = ? AND id <> ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, except_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *taken = db_int(st, "n") > 0;
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int protocol_template_copy(Db *db, int64_t from, const char *name, int64_t now, int64_t *id) {
  Stmt *st = db_prepare(db, "INSERT INTO protocol_templates (name, approach, programme, active, is_default, created_at) "
                            "SELECT ?, 'custom', programme, 1, 0, ? FROM protocol_templates WHERE id = ? RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, from);
  int rc = db_step(st);
  *id = rc == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc;
  return run_ints(db, "INSERT INTO protocol_steps (template_id, phase, position, text, required) "
                      "SELECT ?, phase, position, text, required FROM protocol_steps WHERE template_id = ?",
                  *id, from);
}

int protocol_template_settings(Db *db, int64_t id, const char *name, bool active, bool is_default,
                               bool make_default, int64_t now) {
  Stmt *st;
  int rc;
  if (make_default) {
    if (!(st = db_prepare(db, "UPDATE protocol_templates SET is_default = 0 WHERE is_default = 1"))) return DB_ERROR;
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  if (!(st = db_prepare(db, "UPDATE protocol_templates SET name = ?, active = ?, is_default = ?, updated_at = ? "
                            "WHERE id = ?")))
    return DB_ERROR;
  db_bind_text(st, 1, name);
  db_bind_int(st, 2, active ? 1 : 0);
  db_bind_int(st, 3, is_default ? 1 : 0);
  db_bind_int(st, 4, now);
  db_bind_int(st, 5, id);
  return db_run(st);
}

/* Maps a row of a template step query into the TemplateStep at p. */
static void tstep_map(Arena *a, Stmt *st, void *p) {
  *(TemplateStep *)p = (TemplateStep){.id = db_int(st, "id"), .position = db_int(st, "position"),
                                      .required = db_int(st, "required") != 0,
                                      .phase = db_text_copy(a, st, "phase"),
                                      .text = db_text_copy(a, st, "text")};
}

int protocol_template_steps(Db *db, Arena *a, int64_t tpl, TemplateStep **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT id, phase, position, text, required FROM protocol_steps WHERE template_id = ? "
                            "ORDER BY position, id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tpl);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, tstep_map, n, &rc);
  return rc;
}

int protocol_template_step_get(Db *db, Arena *a, int64_t tpl, int64_t sid, TemplateStep *s) {
  Stmt *st = db_prepare(db, "SELECT id, phase, position, text, required FROM protocol_steps "
                            "WHERE id = ? AND template_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, sid);
  db_bind_int(st, 2, tpl);
  int rc = db_step(st);
  if (rc == DB_ROW) tstep_map(a, st, s);
  db_done(st);
  return rc;
}

int protocol_template_step_add(Db *db, int64_t tpl, const char *phase, const char *text, bool required) {
  int lk = db_lock(db, "protocol_steps.position"); /* MAX(position) + 1 below: one writer */
  if (lk != DB_OK) return lk;
  Stmt *st = db_prepare(db, "INSERT INTO protocol_steps (template_id, phase, position, text, required) "
                            "SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ? FROM protocol_steps "
                            "WHERE template_id = ? AND phase = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tpl);
  db_bind_text(st, 2, phase);
  db_bind_text(st, 3, text);
  db_bind_int(st, 4, required ? 1 : 0);
  db_bind_int(st, 5, tpl);
  db_bind_text(st, 6, phase);
  return db_run(st);
}

int protocol_template_step_update(Db *db, int64_t sid, const char *text, bool required) {
  Stmt *st = db_prepare(db, "UPDATE protocol_steps SET text = ?, required = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, text);
  db_bind_int(st, 2, required ? 1 : 0);
  db_bind_int(st, 3, sid);
  return db_run(st);
}

int protocol_template_step_delete(Db *db, int64_t sid) {
  Stmt *st = db_prepare(db, "DELETE FROM protocol_steps WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, sid);
  return db_run(st);
}

int protocol_template_step_move(Db *db, int64_t tpl, const TemplateStep *s, bool up) {
  Stmt *st = db_prepare(db, up ? "SELECT id, position FROM protocol_steps WHERE template_id = ? AND phase = ? "
                                 "AND (position < ? OR (position = ? AND id < ?)) ORDER BY position DESC, id DESC LIMIT 1"
                               : "SELECT id, position FROM protocol_steps WHERE template_id = ? AND phase = ? "
                                 "AND (position > ? OR (position = ? AND id > ?)) ORDER BY position, id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tpl);
  db_bind_text(st, 2, s->phase);
  db_bind_int(st, 3, s->position);
  db_bind_int(st, 4, s->position);
  db_bind_int(st, 5, s->id);
  int rc = db_step(st);
  int64_t other = 0, other_pos = 0;
  if (rc == DB_ROW) {
    other = db_int(st, "id");
    other_pos = db_int(st, "position");
  }
  db_done(st);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  int64_t pos = s->position;
  if (other_pos == pos) other_pos = up ? pos - 1 : pos + 1; /* equal positions: make the order explicit */
  if ((rc = run_ints(db, "UPDATE protocol_steps SET position = ? WHERE id = ?", other_pos, s->id)) != DB_OK) return rc;
  return run_ints(db, "UPDATE protocol_steps SET position = ? WHERE id = ?", pos, other);
}

int protocol_template_touch(Db *db, int64_t tpl, int64_t now) {
  return run_ints(db, "UPDATE protocol_templates SET updated_at = ? WHERE id = ?", now, tpl);
}
