/*
 * protocol.h — the protocol of a trajectory and the administrator's protocol templates: every row of
 * trajectory_steps, phase_history, protocol_templates and protocol_steps is read and written here, and the
 * phase moves that change a trajectory's phase, status and closure facts.
 *
 * A trajectory copies the steps of its template when its protocol starts (protocol_on_insert right after
 * the insert, or protocol_start for a trajectory without history), so later edits of a template change only trajectories
 * that start afterwards. Each stay in a phase is a phase_history row; a phase changed elsewhere is caught
 * up with a stay of kind "sync".
 *
 * Nothing here decides who may read or change a protocol: the caller has asked the one door first, and
 * decides the rules of a move (one phase at a time, a reason while required steps are open). Functions
 * marked "inside a transaction" expect the caller's db_begin. Every function returns a DB code; texts are
 * copied into the arena given.
 */
#ifndef ZW_STORE_PROTOCOL_H
#define ZW_STORE_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"

enum { PROTOCOL_STEP_MAX = 300 }; /* characters of a step's text, in a template or a trajectory */

/* ------------------------------------------------------------------------ a trajectory's protocol */

/* The facts of a trajectory the protocol needs. Optional texts are NULL when not recorded. */
typedef struct ProtocolTrajectory {
  int64_t id, template_id, hours_tenths; /* template_id 0: none */
  bool has_hours;
  const char *phase, *status, *phase_since, *started_on, *closed_on, *outcome, *template_name;
  const char *programme; /* "zorg_en_werk" or "werk_als_beste_zorg" (migration 026) */
} ProtocolTrajectory;

/* Loads trajectory id into *t: DB_ROW, DB_DONE when there is no such trajectory, or a DB error code. */
int protocol_trajectory_get(Db *db, Arena *a, int64_t id, ProtocolTrajectory *t);

/* One step of a trajectory's checklist; done_by is the name of who ticked it (NULL: nobody). */
typedef struct ProtocolStep {
  int64_t id, done_at;
  bool required, added;
  const char *phase, *text, *status, *skip_reason, *added_reason, *done_by;
} ProtocolStep;

/* The steps of trajectory tid in order, as an arena array. */
int protocol_steps(Db *db, Arena *a, int64_t tid, ProtocolStep **out, int *n);

/* One stay in a phase (a phase_history row); by is the name of who moved (NULL: nobody recorded). */
typedef struct PhaseStay {
  int64_t hours_tenths;
  bool has_hours;
  const char *phase, *kind, *entered_on, *left_on, *reason, *outcome, *by;
} PhaseStay;

/* The phase history of trajectory tid, oldest first, as an arena array. */
int protocol_history(Db *db, Arena *a, int64_t tid, PhaseStay **out, int *n);

/* Whether the protocol of t needs starting (no history yet) or catching up (the open stay is not in the
 * trajectory's phase, because the phase changed elsewhere) into *need. */
int protocol_needs_work(Db *db, const ProtocolTrajectory *t, bool *need);

/* Inside a transaction: starts the protocol of t if it has none (copies the steps of its template, or of
 * the default template, and opens the first stay), or opens a stay for the trajectory's current phase when
 * the phase was changed elsewhere; nothing when neither is needed. now: unix seconds. */
int protocol_catch_up(Db *db, const ProtocolTrajectory *t, int64_t now);

/* Inside a transaction: protocol_catch_up for trajectory tid (nothing when there is no such trajectory). */
int protocol_start(Db *db, Arena *a, int64_t tid, int64_t now);

/* Right after trajectory tid was inserted, on every driver (migration 037 dropped the SQLite trigger that did
 * it before): when tid has no phase history, gives it the steps of its template (or of the default one,
 * recorded in protocol_template_id) and opens its first stay ('start', entered on phase_since, created at
 * created_at); a trajectory with history is left as it is. Returns a DB code. */
int protocol_on_insert(Db *db, int64_t tid);

/* Whether step sid belongs to trajectory tid: DB_ROW when it does, DB_DONE when not, or a DB error code. */
int protocol_step_of(Db *db, int64_t tid, int64_t sid);

/* Inside a transaction: sets step sid to status "done" (by user by), "skipped" (with skip_reason) or
 * "open"; a skip reason given before is kept when skip_reason is NULL. */
int protocol_step_set_status(Db *db, int64_t sid, const char *status, const char *skip_reason, int64_t by,
                             int64_t now);

/* A step the coach adds to a trajectory, with the reason. */
typedef struct ProtocolStepNew {
  int64_t trajectory_id, added_by, now;
  const char *phase, *text, *reason;
  bool required;
} ProtocolStepNew;

/* Inside a transaction: adds step s at the end of its phase. */
int protocol_step_add(Db *db, const ProtocolStepNew *s);

/* The texts of the open required steps of phase in trajectory tid joined by "; " (arena), "" for none. */
int protocol_open_required(Db *db, Arena *a, int64_t tid, const char *phase, const char **out);

/* Inside a transaction: moves open trajectory tid one phase on or back (kind "forward" or "back") to phase
 * on day today (YYYY-MM-DD): ends the open stay, opens one with the reason (NULL or "" for none) by user
 * by, and sets the trajectory's phase, phase_since and last activity. */
int protocol_move(Db *db, int64_t tid, const char *phase, const char *kind, const char *today, const char *reason,
                  int64_t by, int64_t now);

/* How a trajectory closes. */
typedef struct ProtocolClosure {
  const char *closed_on, *outcome, *note; /* note: NULL or "" for none */
  int64_t hours_tenths, by, now;
} ProtocolClosure;

/* Inside a transaction: closes open trajectory tid: a stay in phase closure (kind "close") with the outcome,
 * hours and note, and the trajectory's status, phase, closure date, outcome and hours. */
int protocol_close(Db *db, int64_t tid, const ProtocolClosure *c);

/* The phase trajectory tid was in before its last closure, as stored (arena), or NULL when the history does
 * not say: the phase a reopened trajectory returns to. */
int protocol_reopen_phase(Db *db, Arena *a, int64_t tid, const char **phase);

/* Inside a transaction: reopens closed trajectory tid in phase on day today with the reason, by user by.
 * DB_CONSTRAINT when the participant has another open trajectory (nothing written then). */
int protocol_reopen(Db *db, int64_t tid, const char *phase, const char *today, const char *reason, int64_t by,
                    int64_t now);

/* ---------------------------------------------------------------------------------- templates */

/* A protocol template; steps is its number of steps; programme: the
 * programme whose trajectories it serves (a custom copy inherits its source's). */
typedef struct ProtocolTemplate {
  int64_t id, steps;
  bool active, is_default;
  const char *name, *approach, *programme;
} ProtocolTemplate;

/* The installation's programme: that of the default template ("zorg_en_werk" when there is none), a static
 * string, into *programme. */
int protocol_default_programme(Db *db, const char **programme);

/* The template a new trajectory of programme follows, into *tpl: the default template when it serves that
 * programme, else the programme's active shipped template, else its active template with the lowest id;
 * 0 when the programme has no active template (the trajectory then follows the default template). */
int protocol_template_for(Db *db, const char *programme, int64_t *tpl);

/* Loads template id into *tp: DB_ROW, DB_DONE when there is none, or a DB error code. */
int protocol_template_get(Db *db, Arena *a, int64_t id, ProtocolTemplate *tp);

/* Every template by id, with its number of steps, as an arena array. */
int protocol_templates_all(Db *db, Arena *a, ProtocolTemplate **out, int *n);

/* Whether another template than except_id is named name, into *taken. */
int protocol_template_name_taken(Db *db, const char *name, int64_t except_id, bool *taken);

/* Inside a transaction: a new active custom template named name with the steps and the programme of template
 * from; writes its id. DB_CONSTRAINT when the name is taken, DB_DONE when there is no template from. */
int protocol_template_copy(Db *db, int64_t from, const char *name, int64_t now, int64_t *id);

/* Inside a transaction: sets the name, active and default flags of template id; when it becomes the default
 * (make_default), the previous default stops being one. DB_CONSTRAINT when the name is taken. */
int protocol_template_settings(Db *db, int64_t id, const char *name, bool active, bool is_default,
                               bool make_default, int64_t now);

/* One step of a template. */
typedef struct TemplateStep {
  int64_t id, position;
  bool required;
  const char *phase, *text;
} TemplateStep;

/* The steps of template tpl in order, as an arena array. */
int protocol_template_steps(Db *db, Arena *a, int64_t tpl, TemplateStep **out, int *n);

/* Step sid of template tpl into *s: DB_ROW, DB_DONE when tpl has no such step, or a DB error code. */
int protocol_template_step_get(Db *db, Arena *a, int64_t tpl, int64_t sid, TemplateStep *s);

/* Inside a transaction: adds a step at the end of phase of template tpl. */
int protocol_template_step_add(Db *db, int64_t tpl, const char *phase, const char *text, bool required);

/* Inside a transaction: sets the text and required flag of template step sid. */
int protocol_template_step_update(Db *db, int64_t sid, const char *text, bool required);

/* Inside a transaction: deletes template step sid. */
int protocol_template_step_delete(Db *db, int64_t sid);

/* Inside a transaction: swaps step s of template tpl with its neighbour in the same phase (up: the one
 * before); nothing at either end. */
int protocol_template_step_move(Db *db, int64_t tpl, const TemplateStep *s, bool up);

/* Inside a transaction: records that template tpl changed now. */
int protocol_template_touch(Db *db, int64_t tpl, int64_t now);

#endif
