/*
 * case.c — see case.h. The decisions are policy_trajectory and policy_item (policy.c); this file turns them
 * into answers (404 on a refusal) and access-log entries.
 */
#include "policy/case.h"

#include "core/log.h"
#include "core/text.h"
#include "policy/audit.h"

int trajectory_door(Req *r, const char *item, const char *action, Grounds need, Grounds *g, int64_t *pid) {
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g != GROUNDS_NONE && (need == GROUNDS_NONE || *g == need)) return 0;
  rc = audit_write(r, &(AuditEntry){.participant_id = *pid, .trajectory_id = r->ids[0], .item = item,
                                    .action = action, .outcome = "denied", .grounds = grounds_name(*g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

int object_refused(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, const char *grounds) {
  int64_t tid, pid;
  int rc = owner_of(r->db, kind, oid, &tid, &pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = action,
                                    .outcome = "denied", .grounds = grounds});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

int object_not_here(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, Grounds g) {
  int64_t otid, opid;
  int rc = owner_of(r->db, kind, oid, &otid, &opid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (otid && otid != r->ids[0]) return object_refused(r, kind, oid, item, action, grounds_name(g));
  return http_error(r, 404, NULL);
}

int object_door(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, Grounds need, Grounds *g,
                int64_t *pid) {
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g != GROUNDS_NONE && (need == GROUNDS_NONE || *g == need)) return 0;
  return object_refused(r, kind, oid, item, action, grounds_name(*g));
}

int case_door(Req *r, OwnerKind kind, int64_t oid, const char *item, const char *action, bool (*may)(Grounds g),
              Grounds *g, int64_t *pid) {
  int rc = policy_trajectory(r->db, r->user, r->ids[0], g, pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (*g != GROUNDS_NONE && (!may || may(*g))) return 0;
  if (oid) return object_refused(r, kind, oid, item, action, grounds_name(*g));
  rc = audit_write(r, &(AuditEntry){.participant_id = *pid, .trajectory_id = r->ids[0], .item = item,
                                    .action = action, .outcome = "denied", .grounds = grounds_name(*g)});
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_error(r, 404, NULL);
}

/* The one implementation: kinds[i] is the kind of ids[i]; kinds NULL: all are of kind; more NULL: nothing
 * added. */
static int disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                    const char *const *kinds, const char *kind, int64_t *ids, int n, const DiscloseMore *more) {
  static const DiscloseMore none = {0};
  if (!more) more = &none;
  const char *item_action = more->item_action ? more->item_action : "view";
  const char *first_action = more->first_action ? more->first_action : item_action;
  char today[11];
  date_format(date_today(), today);
  AuditEntry *entries = arena_alloc(r->a, sizeof *entries * (size_t)(n + 1 + (more->on_first ? more->max_extra : 0)));
  int ne = 0, rc, first = -1;
  entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = list_item, .action = action,
                               .outcome = "ok", .grounds = grounds_name(g)};
  for (int i = 0; i < n; i++) {
    Grounds ig;
    int64_t consent;
    if ((rc = policy_item(r->db, r->user, ids[i], today, &ig, &consent, NULL)) != DB_OK) return rc;
    if (ig == GROUNDS_NONE) {
      log_error("rid=%s policy: SQL filter and item rule disagree on item %lld; item withheld", r->rid,
                (long long)ids[i]);
      ids[i] = 0;
      continue;
    }
    entries[ne++] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                 .item = arena_printf(r->a, "%s:%lld", kinds ? kinds[i] : kind, (long long)ids[i]),
                                 .action = first < 0 ? first_action : item_action, .outcome = "ok",
                                 .grounds = grounds_name(ig), .consent_id = consent};
    if (first < 0) first = i;
  }
  if (first >= 0 && more->on_first) {
    int extra = 0;
    if ((rc = more->on_first(r, more->ctx, first, entries + ne, &extra)) != DB_OK) return rc;
    ne += extra; /* on_first keeps to max_extra */
  }
  return audit_write_many(r, entries, ne);
}

int items_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                   const char *kind, int64_t *ids, int n) {
  return disclose(r, pid, tid, g, list_item, action, NULL, kind, ids, n, NULL);
}

int items_disclose_more(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                        const char *kind, int64_t *ids, int n, const DiscloseMore *more) {
  return disclose(r, pid, tid, g, list_item, action, NULL, kind, ids, n, more);
}

int items_disclose_kinds(Req *r, int64_t pid, int64_t tid, Grounds g, const char *list_item, const char *action,
                         const char *const *kinds, int64_t *ids, int n) {
  return disclose(r, pid, tid, g, list_item, action, kinds, NULL, ids, n, NULL);
}
