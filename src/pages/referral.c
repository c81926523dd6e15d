/*
 * referral.c — referrals (doorverwijzing) to specialised care or to career guidance, in any phase
 * (doc/DOMAIN.md): target organisation, reason, and a status loop proposed → sent → accepted → completed, or
 * declined, with an outcome and, when it failed, why.
 *
 * A referral is case information of the participant: it is an items row (kind 'referral'; category health
 * for specialised care, work for career guidance) so the one door decides who sees it, and every read is
 * logged with its grounds. Only an assigned coach creates and moves referrals.
 */
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/referrals.h"

enum { TARGET_MAX = 160, REASON_MAX = 2000, OUTCOME_MAX = 2000, LIST_MAX = 100 };

static const char *kind_label(const char *k) {
  return strcmp(k, "specialised_care") == 0 ? _("Specialised care") : _("Career guidance");
}

const char *referral_status_label(const char *s) {
  static const char *const map[] = {"proposed", N_("Proposed"), "sent", N_("Sent"), "accepted", N_("Accepted"),
                                    "declined", N_("Declined"), "completed", N_("Completed"), NULL};
  for (int i = 0; map[i]; i += 2)
    if (strcmp(map[i], s) == 0) return _(map[i + 1]);
  return s;
}

/* The status loop: which status may follow which. Final states have no successors. */
static bool may_follow(const char *from, const char *to) {
  static const char *const allowed[][2] = {
      {"proposed", "sent"},  {"proposed", "declined"}, {"sent", "accepted"},
      {"sent", "declined"},  {"accepted", "completed"}, {"accepted", "declined"},
  };
  for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
    if (!strcmp(allowed[i][0], from) && !strcmp(allowed[i][1], to)) return true;
  return false;
}

static void referral_form(Req *r, int64_t tid) {
  static const char *const kinds[] = {"specialised_care", N_("Specialised care"), "career_guidance",
                                      N_("Career guidance"), NULL};
  const char *opts[5] = {kinds[0], _(kinds[1]), kinds[2], _(kinds[3]), NULL};
  html(&r->out, "<section class=\"card\" aria-labelledby=\"new-ref\"><h2 id=\"new-ref\">%s</h2>", _("Refer"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/referrals", (long long)tid), NULL);
  field_select(r, &(Field){.name = "kind", .label = _("To"), .value = form_str(r, "kind"), .required = true}, opts);
  field_input(r, &(Field){.name = "target", .label = _("Organisation or service"), .value = form_str(r, "target"),
                          .required = true, .maxlength = TARGET_MAX});
  field_textarea(r, &(Field){.name = "reason", .label = _("Why"), .value = form_str(r, "reason"), .required = true,
                             .hint = case_wabz(r, tid) ? _("When needs go beyond first-line support, the mediator refers.")
                                                       : _("When needs go beyond first-line support, the coach refers."),
                             .maxlength = REASON_MAX},
                 4);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save referral"));
  form_end(r);
  html(&r->out, "</section>");
}

static void status_form(Req *r, int64_t tid, const Referral *f) {
  static const char *const all[] = {"sent", "accepted", "declined", "completed", NULL};
  const char *opts[10];
  int n = 0;
  for (int i = 0; all[i]; i++)
    if (may_follow(f->status, all[i])) {
      opts[n++] = all[i];
      opts[n++] = referral_status_label(all[i]);
    }
  if (!n) return;
  opts[n] = NULL;
  /* several of these forms share a page: their control ids carry the referral id */
  long long id = (long long)f->id;
  form_begin(r, arena_printf(r->a, "/t/%lld/referrals/%lld", (long long)tid, id), "form compact");
  html(&r->out, "<div class=\"field\"><label for=\"status-%lld\">%s</label><select id=\"status-%lld\" name=\"status\">",
       id, _("New status"), id);
  for (int i = 0; i < n; i += 2) html(&r->out, "<option value=\"%s\">%s</option>", opts[i], opts[i + 1]);
  html(&r->out, "</select></div><div class=\"field\"><label for=\"note-%lld\">%s</label>"
                "<p class=\"hint\" id=\"note-hint-%lld\">%s</p>"
                "<input type=\"text\" id=\"note-%lld\" name=\"note\" maxlength=\"%d\" aria-describedby=\"note-hint-%lld\"></div>",
       id, _("Outcome, or why it did not work out"), id, _("Needed when the referral is completed or declined."), id,
       OUTCOME_MAX, id);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Update"));
  form_end(r);
}

static int render(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  char today[11];
  date_format(date_today(), today);
  Referral *list;
  int n, rc;
  if ((rc = referrals_visible(r->db, r->a, r->user, tid, today, LIST_MAX, &list, &n)) != DB_OK)
    return http_db_error(r, rc);

  /* each referral shown is checked with the C rule and logged with its grounds */
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = list[i].id;
  if ((rc = items_disclose(r, pid, tid, g, "referrals", "list", "referral", ids, n)) != DB_OK) return http_db_error(r, rc);
  int shown = 0;
  for (int i = 0; i < n; i++) shown += (list[i].id = ids[i]) != 0;

  if ((rc = case_page_begin(r, tid, g, _("Referrals"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Referrals"));
  trajectory_subnav(r, tid, g, "referrals");
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("No referrals you can see."));
  for (int i = 0; i < n; i++) {
    const Referral *f = &list[i];
    if (!f->id) continue;
    html(&r->out, "<article class=\"card referral\"><h2>%s: %s</h2><p class=\"meta\"><span class=\"badge\">%s</span> "
                  "%s %s · %s %s</p><p>%s</p>",
         kind_label(f->kind), f->target, referral_status_label(f->status), _("since"), time_for(r, f->status_changed_at),
         _("proposed on"), time_for(r, f->created_at), f->reason);
    if (f->outcome) html(&r->out, "<p><strong>%s</strong> %s</p>", _("Outcome:"), f->outcome);
    if (f->failure_reason) html(&r->out, "<p><strong>%s</strong> %s</p>", _("Why it did not work out:"), f->failure_reason);
    if (g == GROUNDS_COACH) status_form(r, tid, f);
    html(&r->out, "</article>");
  }
  if (g == GROUNDS_COACH) referral_form(r, tid);
  page_end(r);
  return status;
}

static int get_referrals(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "referrals", "list", GROUNDS_NONE, &g, &pid);
  return s ? s : render(r, r->ids[0], g, pid, 200);
}


static int post_referral(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "referral", "create", GROUNDS_COACH, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  const char *kind = form_str(r, "kind"), *target = form_str(r, "target"), *reason = form_str(r, "reason");
  if (strcmp(kind, "specialised_care") && strcmp(kind, "career_guidance"))
    form_error(r, "kind", _("Choose where to refer to."));
  if (!*target) form_error(r, "target", _("Name the organisation or service."));
  else if (text_chars(target) > TARGET_MAX) form_error(r, "target", _("This name is too long (at most 160 characters)."));
  if (!*reason) form_error(r, "reason", _("Say why you refer."));
  else if (text_chars(reason) > REASON_MAX) form_error(r, "reason", _("The reason is too long (at most 2000 characters)."));
  if (r->nerrors) return render(r, tid, g, pid, 400);

  int64_t now = (int64_t)time(NULL);
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = referral_create(r->db, &(ReferralNew){.trajectory_id = tid, .author_id = r->user->id, .created_at = now,
                                             .kind = kind, .target = target, .reason = reason},
                       &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "referral:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/referrals", (long long)tid));
}

static int post_status(Req *r) {
  Grounds g;
  int64_t pid;
  int64_t tid = r->ids[0], rid = r->ids[1];
  const char *item = arena_printf(r->a, "referral:%lld", (long long)rid);
  int s = object_door(r, OWNER_ITEM, rid, item, "update", GROUNDS_COACH, &g, &pid);
  if (s) return s;
  const char *current;
  int rc = referral_status(r->db, r->a, tid, rid, &current);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  if (!current) return object_refused(r, OWNER_ITEM, rid, item, "update", grounds_name(g)); /* on the item's own file */
  const char *to = form_str(r, "status"), *note = form_str(r, "note");
  if (!may_follow(current, to))
    return http_error(r, 409, _("This referral cannot move to that status from where it is now."));
  bool final = !strcmp(to, "completed") || !strcmp(to, "declined");
  if (final && !*note) form_error(r, "note", _("Write down the outcome, or why it did not work out."));
  else if (text_chars(note) > OUTCOME_MAX) form_error(r, "note", _("This text is too long (at most 2000 characters)."));
  if (r->nerrors) return render(r, tid, g, pid, 400);

  int64_t now = (int64_t)time(NULL);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = referral_move(r->db, rid, current, to, note, now);
  if (rc == DB_DONE) {
    db_rollback(r->db);
    return http_error(r, 409, _("Someone else changed this referral meanwhile. Reload the page."));
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "update", g,
                                arena_printf(r->a, "/t/%lld/referrals", (long long)tid));
}


const Route referral_routes[] = {
    {"GET", "/t/{id}/referrals", ROLES_CASE, R_CASE, get_referrals},
    {"POST", "/t/{id}/referrals", ROLES_CASE, R_CASE, post_referral},
    {"POST", "/t/{id}/referrals/{rid}", ROLES_CASE, R_CASE, post_status},
    {0},
};
