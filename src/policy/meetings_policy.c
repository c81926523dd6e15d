/*
 * meetings_policy.c — see meetings_policy.h.
 */
#include "policy/meetings_policy.h"

#include <string.h>

#include "core/text.h"
#include "policy/audit.h"
#include "store/consents.h"
#include "store/network.h"

bool policy_sees_all_meetings(Grounds g) { return g == GROUNDS_COACH || g == GROUNDS_SELF; }

bool policy_may_plan_meetings(Grounds g) { return g == GROUNDS_COACH; }

bool policy_review_names_participant(Grounds g, bool team_consent) { return g == GROUNDS_COACH || team_consent; }

bool policy_may_record_review_advice(Grounds g) { return g == GROUNDS_COACH; }

int meetings_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, const Meeting *ms, int n) {
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(n + 1));
  e[0] = (AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "meetings", .action = "list",
                      .outcome = "ok", .grounds = grounds_name(g)};
  for (int i = 0; i < n; i++)
    e[i + 1] = (AuditEntry){.participant_id = pid, .trajectory_id = tid,
                            .item = arena_printf(r->a, "meeting:%lld", (long long)ms[i].id), .action = "view",
                            .outcome = "ok", .grounds = grounds_name(g)};
  return audit_write_many(r, e, n + 1);
}

bool policy_review_member(bool coach, bool invited) { return coach || invited; }

/* Whether practitioner u, with grounds g on trajectory tid, holds the participant's live consent for the
 * advice's category as a live network member (*consent: its id, 0 if none). Returns a DB code. */
static int practitioner_consent(Req *r, Grounds g, int64_t tid, const char *today, int64_t *consent) {
  *consent = 0;
  if (g == GROUNDS_NONE) return DB_OK;
  int64_t mid;
  const char *side;
  bool shares;
  int rc = network_member_of_user(r->db, r->a, tid, r->user->id, &mid, &side, &shares);
  if (rc != DB_OK || !mid) return rc;
  Consent *ks;
  size_t nk;
  if ((rc = consents_live(r->db, r->a, tid, today, &ks, &nk)) != DB_OK) return rc;
  for (size_t k = 0; k < nk && !*consent; k++)
    if (strcmp(ks[k].category, REVIEW_ADVICE_CATEGORY) == 0 && ks[k].source_member_id == 0 &&
        consent_reaches(&ks[k], mid, shares ? side : NULL) && policy_consent_allowed(ks[k].category, side))
      *consent = ks[k].id;
  return DB_OK;
}

int review_agenda_disclose(Req *r, int64_t rid, const ReviewItem *items, int n, Grounds **gs, bool **named) {
  *gs = arena_alloc(r->a, sizeof **gs * (size_t)(n + 1));
  *named = arena_alloc(r->a, sizeof **named * (size_t)(n + 1));
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(n + 1));
  const char *item = arena_printf(r->a, "case_review:%lld", (long long)rid);
  bool coach = (r->user->roles & ROLE_COACH) != 0;
  char today[11];
  date_format(date_today(), today);
  for (int i = 0; i < n; i++) {
    int64_t pid, consent = 0;
    Grounds g;
    int rc = policy_trajectory(r->db, r->user, items[i].trajectory_id, &g, &pid);
    if (rc == DB_OK && !coach) rc = practitioner_consent(r, g, items[i].trajectory_id, today, &consent);
    if (rc != DB_OK) return rc;
    (*gs)[i] = g;
    (*named)[i] = coach ? policy_review_names_participant(g, items[i].team_consent) : consent != 0;
    e[i] = (AuditEntry){.participant_id = items[i].participant_id, .trajectory_id = items[i].trajectory_id,
                        .item = item, .action = "view", .outcome = "ok",
                        .grounds = g == GROUNDS_COACH ? grounds_name(g) : consent ? "consent" : "review",
                        .consent_id = consent};
  }
  return n ? audit_write_many(r, e, n) : DB_OK;
}
