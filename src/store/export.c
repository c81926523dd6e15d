/*
 * export.c — see export.h. One function per row kind maps a row into its JSON object; each list query
 * applies the visibility rule's SQL form (store/visibility.h).
 */
#include "store/export.h"

#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/plan.h"
#include "store/visibility.h"

/* ------------------------------------------------------------------------------------- helpers */

const char *export_time(Arena *a, int64_t t) {
  char s[32] = "";
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm)) strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return arena_strdup(a, s);
}

/* A JSON string of s; null for NULL. Bytes that are not UTF-8 (never written by the portal, which checks
 * what it stores) become '?', so that the export is valid JSON whatever the database holds. */
static json_t *jstr(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  char *c = xstrdup(s);
  for (char *p = c; *p; p++)
    if ((unsigned char)*p >= 0x80) *p = '?';
  j = json_string(c);
  free(c);
  return j ? j : json_null();
}

/* Text column col as a JSON string or null. */
static json_t *jcol(Stmt *st, const char *col) { return jstr(db_text(st, col)); }

/* Integer column col as a JSON integer, or null when NULL. */
static json_t *jint(Stmt *st, const char *col) { return db_null(st, col) ? json_null() : json_integer(db_int(st, col)); }

/* Unix-time column col as ISO 8601 UTC text, or null. */
static json_t *jtime(Arena *a, Stmt *st, const char *col) {
  return db_null(st, col) ? json_null() : jstr(export_time(a, db_int(st, col)));
}

/* Hours a week stored in tenths, as a number, or null. */
static json_t *jhours(Stmt *st, const char *col) {
  return db_null(st, col) ? json_null() : json_real((double)db_int(st, col) / 10.0);
}

/* A JSON text column parsed (questionnaire answers and scores); the text itself when it does not parse. */
static json_t *jparsed(Stmt *st, const char *col) {
  const char *s = db_text(st, col);
  if (!s) return json_null();
  json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
  return j ? j : jstr(s);
}

/* ------------------------------------------------------------------------------------- row kinds */

static json_t *map_participant(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "first_name", jcol(st, "first_name"), "last_name",
                   jcol(st, "last_name"), "birth_date", jcol(st, "birth_date"), "email", jcol(st, "email"), "phone",
                   jcol(st, "phone"), "registered_at", jtime(a, st, "created_at"));
}

static json_t *map_trajectory(Stmt *st, Arena *a) {
  json_t *erasure = db_null(st, "erased_on") ? json_null()
                                             : json_pack("{s:o, s:o}", "erased_on", jcol(st, "erased_on"), "rule",
                                                         jcol(st, "erasure_rule"));
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                   (json_int_t)db_int(st, "id"), "status", jcol(st, "status"), "phase", jcol(st, "phase"),
                   "phase_since", jcol(st, "phase_since"), "started_on", jcol(st, "started_on"), "closed_on",
                   jcol(st, "closed_on"), "outcome", jcol(st, "outcome"), "hours_per_week_at_closure",
                   jhours(st, "hours_per_week_tenths"), "referred_by", jcol(st, "referred_by"), "reason",
                   jcol(st, "reason"), "employer", jcol(st, "employer_name"), "absence_start",
                   jcol(st, "absence_start"), "start_consent", jcol(st, "start_consent"), "erasure", erasure);
}

static json_t *map_coach(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o}", "name", jcol(st, "name"), "work_email", jcol(st, "work_email"), "work_phone",
                   jcol(st, "work_phone"));
}

static json_t *map_member(Stmt *st, Arena *a) {
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_int(st, "id"), "name",
                   jcol(st, "name"), "function", jcol(st, "role"), "side", jcol(st, "side"), "organisation",
                   jcol(st, "organisation"), "removed_at", jtime(a, st, "removed_at"));
}

static json_t *map_phase(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "phase", jcol(st, "phase"), "kind", jcol(st, "kind"),
                   "entered_on", jcol(st, "entered_on"), "left_on", jcol(st, "left_on"), "reason",
                   jcol(st, "reason"), "outcome", jcol(st, "outcome"), "hours_per_week",
                   jhours(st, "hours_per_week_tenths"));
}

static json_t *map_item(Stmt *st, Arena *a) {
  json_t *source = db_null(st, "source_member_id")
                       ? json_string("participant")
                       : json_pack("{s:o, s:o}", "name", jcol(st, "source_name"), "function", jcol(st, "source_role"));
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_int(st, "id"), "kind",
                   jcol(st, "kind"), "category", jcol(st, "category"), "title", jcol(st, "title"), "body",
                   jcol(st, "body"), "created_at", jtime(a, st, "created_at"), "updated_at",
                   jtime(a, st, "updated_at"), "author", jcol(st, "author"), "source", source);
}

static json_t *map_assessment(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o, s:o, s:o}", "questionnaire", jcol(st, "questionnaire"), "version",
                   jint(st, "version"), "filled_by", jcol(st, "filled_by"), "answers", jparsed(st, "answers"),
                   "scores", jparsed(st, "scores"));
}

static json_t *map_referral(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kind", jcol(st, "kind"), "to", jcol(st, "target"),
                   "reason", jcol(st, "reason"), "status", jcol(st, "status"), "outcome", jcol(st, "outcome"),
                   "failure_reason", jcol(st, "failure_reason"), "status_changed_at",
                   jtime(a, st, "status_changed_at"));
}

static json_t *map_followup(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o, s:o}", "kind", jcol(st, "kind"), "due_on", jcol(st, "due_on"), "done_on",
                   jcol(st, "done_on"), "months_after_closure", jint(st, "months"));
}

static json_t *map_checkin(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:o}", "work_status", jcol(st, "work_status"), "hours_per_week",
                   jhours(st, "hours_per_week_tenths"), "held_on", jcol(st, "held_on"));
}

static json_t *map_message(Stmt *st, Arena *a) {
  return json_pack("{s:o, s:o, s:b}", "thread_id", jint(st, "thread_id"), "withdrawn_at",
                   jtime(a, st, "withdrawn_at"), "to_you", db_int(st, "to_me") != 0);
}

static json_t *map_minutes(Stmt *st, Arena *a) { return json_pack("{s:o}", "meeting_id", jint(st, "meeting_id")); }

static json_t *map_meeting(Stmt *st, Arena *a) {
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_int(st, "id"), "kind",
                   jcol(st, "kind"), "mode", jcol(st, "mode"), "starts_at", jtime(a, st, "starts_at"),
                   "duration_minutes", jint(st, "duration_minutes"), "place", jcol(st, "place"), "video_url",
                   jcol(st, "video_url"), "agenda", jcol(st, "agenda"), "your_answer", jcol(st, "response"));
}

static json_t *map_consent(Stmt *st, Arena *a) {
  json_t *from = db_null(st, "source_member_id") ? json_string("participant") : jcol(st, "source_name");
  json_t *to = !db_null(st, "grantee_side") ? jcol(st, "grantee_side") : jcol(st, "grantee_name");
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_int(st, "id"), "from", from,
                   "to", to, "category", jcol(st, "category"), "given_on", jcol(st, "given_on"), "method",
                   jcol(st, "method"), "valid_until", jcol(st, "valid_until"), "withdrawn_at",
                   jtime(a, st, "withdrawn_at"));
}

static json_t *map_correction(Stmt *st, Arena *a) {
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_int(st, "id"), "item_id",
                   jint(st, "item_id"), "request", jcol(st, "request"), "asked_at", jtime(a, st, "created_at"),
                   "answered_at", jtime(a, st, "handled_at"), "answer", jcol(st, "answer"));
}

/* Runs st (bound) and appends map(row) to array arr for every row. Returns a DB code. */
static int rows_into(Stmt *st, Arena *a, json_t *arr, json_t *(*map)(Stmt *, Arena *)) {
  int rc;
  while ((rc = db_step(st)) == DB_ROW) json_array_append_new(arr, map(st, a));
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* Runs st (bound, one row expected) and sets key of obj to map(row); nothing when there is no row. */
static int row_into(Stmt *st, Arena *a, json_t *obj, const char *key, json_t *(*map)(Stmt *, Arena *)) {
  int rc = db_step(st);
  if (rc == DB_ROW) json_object_set_new(obj, key, map(st, a));
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ------------------------------------------------------------------------------------- sections */

/* The plan version of item id as JSON into obj["plan"], names as u may see them. */
static int plan_into(Db *db, Arena *a, const User *u, int64_t id, json_t *obj) {
  PlanVersion *v = arena_alloc(a, sizeof *v);
  int rc = plan_version_load(db, a, u, id, v);
  if (rc == DB_DONE) return DB_OK;
  if (rc != DB_ROW) return rc;
  json_t *goals = json_array();
  for (int i = 0; i < v->ngoals; i++) {
    const PlanGoal *g = &v->goals[i];
    json_t *actions = json_array();
    for (int j = 0; j < g->nactions; j++) {
      const PlanAction *x = &g->actions[j];
      json_array_append_new(actions, json_pack("{s:o, s:o, s:o, s:o, s:o}", "text", jstr(x->text), "owner",
                                               jstr(x->owner_kind), "owner_name", jstr(x->owner_name), "due_on",
                                               jstr(x->due_on), "status", jstr(x->status)));
    }
    json_array_append_new(goals, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "title", jstr(g->title),
                                           "specific", jstr(g->specific), "measurable", jstr(g->measurable),
                                           "achievable", jstr(g->achievable), "relevant", jstr(g->relevant),
                                           "time_bound", jstr(g->time_bound), "actions", actions));
  }
  json_object_set_new(
      obj, "plan",
      json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "version", (json_int_t)v->version, "reason", jstr(v->reason),
                "confirmed_by_you_at", v->p_at ? jstr(export_time(a, v->p_at)) : json_null(),
                "confirmed_by_coach_at", v->c_at ? jstr(export_time(a, v->c_at)) : json_null(), "created_by",
                jstr(v->author), "goals", goals));
  return DB_OK;
}

/* The details of item id of kind into obj (plan, assessment, referral, follow-up, check-in, message,
 * minutes); nothing for notes and kinds without a table of their own. */
static int details_into(Db *db, Arena *a, const User *u, int64_t id, const char *kind, json_t *obj) {
  Stmt *st = NULL;
  json_t *(*map)(Stmt *, Arena *) = NULL;
  const char *key = kind;
  if (strcmp(kind, "plan") == 0) return plan_into(db, a, u, id, obj);
  if (strcmp(kind, "assessment") == 0) {
    st = db_prepare(db, "SELECT questionnaire, version, filled_by, answers, scores FROM assessments WHERE item_id = ?");
    map = map_assessment;
  } else if (strcmp(kind, "referral") == 0) {
    st = db_prepare(db, "SELECT kind, target, reason, status, outcome, failure_reason, status_changed_at "
                        "FROM referrals WHERE item_id = ?");
    map = map_referral;
  } else if (strcmp(kind, "followup") == 0) {
    st = db_prepare(db, "SELECT kind, due_on, done_on, months FROM followups WHERE item_id = ?");
    map = map_followup;
  } else if (strcmp(kind, "checkin") == 0) {
    st = db_prepare(db, "SELECT work_status, hours_per_week_tenths, held_on FROM checkin_results WHERE item_id = ?");
    map = map_checkin;
  } else if (strcmp(kind, "message") == 0) {
    st = db_prepare(db, "SELECT m.thread_id, m.withdrawn_at, (SELECT COUNT(*) FROM message_recipients r "
                        "WHERE r.message_id = m.item_id AND r.user_id = ?) AS to_me FROM messages m WHERE m.item_id = ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, u->id);
    db_bind_int(st, 2, id);
    return row_into(st, a, obj, "message", map_message);
  } else if (strcmp(kind, "minutes") == 0) {
    st = db_prepare(db, "SELECT meeting_id FROM meeting_minutes WHERE item_id = ?");
    map = map_minutes;
  } else {
    return DB_OK;
  }
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  return row_into(st, a, obj, key, map);
}

/* A growing list of the items placed in the export. */
typedef struct ItemList {
  ExportItem *v;
  int n, cap;
} ItemList;

static void itemlist_add(Arena *a, ItemList *l, ExportItem it) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 64;
    ExportItem *v = arena_alloc(a, sizeof *v * (size_t)cap);
    if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = it;
}

/* The items of trajectory tid that u may see (messages only where u wrote or received them), with their
 * details, into arr; each is recorded in l. */
static int items_into(Db *db, Arena *a, const User *u, int64_t tid, const char *today, json_t *arr, ItemList *l) {
  Stmt *st = db_prepare(db,
      "SELECT i.id, i.kind, i.category, i.title, i.body, i.created_at, i.updated_at, i.source_member_id,"
      " CASE WHEN i.source_member_id IS NOT NULL AND " POLICY_SQL_MEMBER_VISIBLE("sm") " THEN sm.name END AS source_name,"
      " CASE WHEN i.source_member_id IS NOT NULL AND " POLICY_SQL_MEMBER_VISIBLE("sm") " THEN sm.role END AS source_role,"
      " CASE WHEN " POLICY_SQL_USER_VISIBLE("i.author_id", "i.trajectory_id") " THEN au.name END AS author"
      " FROM items i LEFT JOIN network_members sm ON sm.id = i.source_member_id JOIN users au ON au.id = i.author_id"
      " WHERE i.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE
      " AND (i.kind <> 'message' OR i.author_id = ? OR EXISTS (SELECT 1 FROM message_recipients xr"
      "      WHERE xr.message_id = i.id AND xr.user_id = ?))"
      " ORDER BY i.created_at, i.id");
  if (!st) return DB_ERROR;
  int idx = policy_bind_member_filter(st, 1, u);
  idx = policy_bind_member_filter(st, idx, u);
  idx = policy_bind_user_filter(st, idx, u);
  db_bind_int(st, idx++, tid);
  idx = policy_bind_item_filter(st, idx, u, today);
  db_bind_int(st, idx++, u->id);
  db_bind_int(st, idx++, u->id);
  int rc;
  int first = l->n;
  while ((rc = db_step(st)) == DB_ROW) {
    json_t *o = map_item(st, a);
    json_array_append_new(arr, o);
    itemlist_add(a, l, (ExportItem){.id = db_int(st, "id"), .trajectory_id = tid,
                                    .kind = db_text_copy(a, st, "kind"), .array = arr, .obj = o});
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  for (int i = first; i < l->n; i++) {
    ExportItem *it = &l->v[i];
    if ((rc = details_into(db, a, u, it->id, it->kind, it->obj)) != DB_OK) return rc;
    /* a message withdrawn by another is not theirs to read any more: its text is left out */
    json_t *m = json_object_get(it->obj, "message");
    if (m && !json_is_null(json_object_get(m, "withdrawn_at"))) {
      json_object_set_new(it->obj, "title", json_string(""));
      json_object_set_new(it->obj, "body", json_string(""));
    }
  }
  return DB_OK;
}

/* One trajectory's sections into obj. */
static int trajectory_into(Db *db, Arena *a, const User *u, int64_t tid, const char *today, json_t *obj,
                           ItemList *l) {
  int rc;
  json_t *arr;
  /* coaches */
  Stmt *st = db_prepare(db, "SELECT u.name, u.work_email, u.work_phone FROM trajectory_coaches c JOIN users u "
                            "ON u.id = c.user_id WHERE c.trajectory_id = ? ORDER BY u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  json_object_set_new(obj, "coaches", arr = json_array());
  if ((rc = rows_into(st, a, arr, map_coach)) != DB_OK) return rc;
  /* network */
  st = db_prepare(db, "SELECT m.id, m.name, m.role, m.side, m.organisation, m.removed_at FROM network_members m "
                      "WHERE m.trajectory_id = ? AND " POLICY_SQL_MEMBER_VISIBLE("m") " ORDER BY m.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  policy_bind_member_filter(st, 2, u);
  json_object_set_new(obj, "network", arr = json_array());
  if ((rc = rows_into(st, a, arr, map_member)) != DB_OK) return rc;
  /* phases */
  st = db_prepare(db, "SELECT phase, kind, entered_on, left_on, reason, outcome, hours_per_week_tenths "
                      "FROM phase_history WHERE trajectory_id = ? ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  json_object_set_new(obj, "phases", arr = json_array());
  if ((rc = rows_into(st, a, arr, map_phase)) != DB_OK) return rc;
  /* items, by the one rule */
  json_object_set_new(obj, "items", arr = json_array());
  if ((rc = items_into(db, a, u, tid, today, arr, l)) != DB_OK) return rc;
  /* meetings the participant is invited to */
  st = db_prepare(db, "SELECT g.id, g.kind, g.mode, g.starts_at, g.duration_minutes, g.place, g.video_url, g.agenda,"
                      " at.response FROM meetings g JOIN meeting_attendees at ON at.meeting_id = g.id"
                      " AND at.member_id IS NULL WHERE g.trajectory_id = ? ORDER BY g.starts_at, g.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  json_object_set_new(obj, "meetings", arr = json_array());
  if ((rc = rows_into(st, a, arr, map_meeting)) != DB_OK) return rc;
  /* consents the participant gave (given and withdrawn) and those given to her */
  st = db_prepare(db, "SELECT k.id, k.source_member_id, k.grantee_side, k.category, k.given_on, k.method,"
                      " k.valid_until, k.withdrawn_at,"
                      " CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("s") " THEN s.name END AS source_name,"
                      " CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("g") " THEN g.name END AS grantee_name"
                      " FROM consents k LEFT JOIN network_members s ON s.id = k.source_member_id"
                      " LEFT JOIN network_members g ON g.id = k.grantee_member_id"
                      " WHERE k.trajectory_id = ? AND (k.source_member_id IS NULL OR k.grantee_side = 'participant')"
                      " ORDER BY k.id");
  if (!st) return DB_ERROR;
  int idx = policy_bind_member_filter(st, 1, u);
  idx = policy_bind_member_filter(st, idx, u);
  db_bind_int(st, idx, tid);
  json_object_set_new(obj, "consents", arr = json_array());
  if ((rc = rows_into(st, a, arr, map_consent)) != DB_OK) return rc;
  /* requests to correct information */
  st = db_prepare(db, "SELECT id, item_id, request, created_at, handled_at, answer FROM correction_requests "
                      "WHERE trajectory_id = ? AND requested_by = ? ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, u->id);
  json_object_set_new(obj, "corrections", arr = json_array());
  return rows_into(st, a, arr, map_correction);
}

int export_collect(Db *db, Arena *a, const User *u, const char *today, Export *x) {
  *x = (Export){0};
  Stmt *st = db_prepare(db, "SELECT id, first_name, last_name, birth_date, email, phone, created_at "
                            "FROM participants WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
  }
  int64_t pid = db_int(st, "id");
  json_t *root = json_object();
  json_object_set_new(root, "schema_version", json_integer(EXPORT_SCHEMA_VERSION));
  json_object_set_new(root, "participant", map_participant(st, a));
  db_done(st);

  st = db_prepare(db, "SELECT t.id, t.status, t.phase, t.phase_since, t.started_on, t.closed_on, t.outcome,"
                      " t.hours_per_week_tenths, t.referred_by, t.reason, t.employer_name, t.absence_start,"
                      " t.start_consent, e.erased_on, e.rule AS erasure_rule FROM trajectories t"
                      " LEFT JOIN trajectory_erasures e ON e.trajectory_id = t.id WHERE t.participant_id = ? ORDER BY t.id");
  if (!st) {
    json_decref(root);
    return DB_ERROR;
  }
  db_bind_int(st, 1, pid);
  json_t *trajs = json_array();
  json_object_set_new(root, "trajectories", trajs);
  if ((rc = rows_into(st, a, trajs, map_trajectory)) != DB_OK) {
    json_decref(root);
    return rc;
  }
  size_t nt = json_array_size(trajs);
  ExportTrajectory *ts = arena_alloc(a, sizeof *ts * (nt ? nt : 1));
  ItemList l = {0};
  for (size_t i = 0; i < nt; i++) {
    json_t *t = json_array_get(trajs, i);
    ts[i].id = json_integer_value(json_object_get(t, "id"));
    ts[i].first_item = l.n;
    if ((rc = trajectory_into(db, a, u, ts[i].id, today, t, &l)) != DB_OK) {
      json_decref(root);
      return rc;
    }
    ts[i].nitems = l.n - ts[i].first_item;
  }
  *x = (Export){.root = root, .pid = pid, .trajectories = ts, .ntrajectories = (int)nt, .items = l.v, .nitems = l.n};
  return DB_OK;
}

void export_withhold(Export *x, int i) {
  ExportItem *it = &x->items[i];
  size_t n = json_array_size(it->array);
  for (size_t k = 0; k < n; k++)
    if (json_array_get(it->array, k) == it->obj) {
      json_array_remove(it->array, k);
      break;
    }
  it->obj = NULL;
}
