/*
 * trajectory.c — the trajectory's overview (/t/{id}), the case header of every trajectory page, and the
 * helpers all trajectory pages share (the door, the list door, the section links).
 *
 * Every role reaches the handlers so that the one door (policy_trajectory) decides: a refusal writes a
 * "denied" entry to the access log and answers the same 404 page as an id that does not exist. Every page of
 * a trajectory starts with case_page_begin: the title "<page> · <participant>" and the case header (whose
 * file this is: name, phase, coaches; the date of birth for coaches). The overview shows what needs doing —
 * the next actions of the plan, the plan's confirmations, the open referrals — and the latest notes, each
 * only as far as the reader may see it and each logged; then the phase as a timeline of the eight phases,
 * the registration and contact details (coach and participant), the assigned coaches and the last
 * activity. Assigned coaches also get a link to the protocol page, the one place where the phase moves
 * (protocol.c: one step at a time, open required steps or a reason, closure with an outcome).
 *
 * Also owns the ordered list of phase codes that caseload.c and home.c use.
 */
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/policy.h"
#include "store/trajectories.h"
#include "store/users.h"

/* The eight phases in their order (doc/DOMAIN.md "The trajectory"), NULL-terminated. */
const char *const trajectory_phases[] = {"registration", "intake",    "exploration", "consultation", "action_plan",
                                         "follow_up",    "aftercare", "closure",     NULL};

/* Position of a phase code in trajectory_phases, or -1 for anything else (NULL included). */
int trajectory_phase_index(const char *code) {
  for (int i = 0; code && trajectory_phases[i]; i++)
    if (strcmp(trajectory_phases[i], code) == 0) return i;
  return -1;
}

/* How many of each the header and the overview show. */
enum { HEADER_COACHES_MAX = 8, OVERVIEW_ACTIONS_MAX = 5, OVERVIEW_REFERRALS_MAX = 5, OVERVIEW_NOTES_MAX = 5 };

/* One row of a description list; an empty value shows "Not recorded". */
static void dl_row(Req *r, const char *term, const char *value) {
  html(&r->out, "<dt>%s</dt><dd>", term);
  if (value && *value) html_text_lines(&r->out, value);
  else html(&r->out, "<span class=\"muted\">%s</span>", _("Not recorded"));
  html(&r->out, "</dd>");
}

/* The coach's way to move the phase (open trajectories only): a link to the protocol page, whose form
 * applies the protocol's rules. */
static void phase_link(Req *r, const Trajectory *t) {
  if (strcmp(t->status, "open") != 0) return;
  html(&r->out, "<p><a href=\"/t/%lld/protocol\">%s</a></p>", (long long)t->id,
       _("Move the phase on the protocol page"));
}

/* The eight phases as an ordered list: earlier ones marked done, the current one aria-current="step";
 * followed by the link to move the phase when the user is an assigned coach. */
static void phase_section(Req *r, const Trajectory *t, bool coach) {
  int cur = trajectory_phase_index(t->phase);
  html(&r->out, "<section aria-labelledby=\"h-phase\"><h2 id=\"h-phase\">%s</h2><ol class=\"timeline\">", _("Phase"));
  for (int i = 0; trajectory_phases[i]; i++) {
    const char *label = label_phase(trajectory_phases[i]);
    if (i < cur)
      html(&r->out, "<li class=\"done\"><span class=\"visually-hidden\">%s </span>%s</li>", _("Done:"), label);
    else if (i == cur)
      html(&r->out, "<li class=\"current\" aria-current=\"step\">%s <span class=\"muted small\">%s</span></li>",
           label, arena_printf(r->a, _("since %s"), date_for(r, t->phase_since)));
    else
      html(&r->out, "<li>%s</li>", label);
  }
  html(&r->out, "</ol>");
  if (coach) phase_link(r, t);
  html(&r->out, "</section>");
}

/* The registration data (doc/DOMAIN.md "Registration"). */
static void registration_data(Req *r, const Trajectory *t) {
  html(&r->out, "<section aria-labelledby=\"h-reg\"><h2 id=\"h-reg\">%s</h2><dl class=\"facts\">", _("Registration"));
  dl_row(r, _("Referred by"), t->referred_by);
  dl_row(r, _("Reason for referral"), t->reason);
  dl_row(r, _("Employer"), t->employer);
  dl_row(r, _("First day of absence"), date_for(r, t->absence_start));
  dl_row(r, _("Consent to start"), t->start_consent);
  dl_row(r, _("Started on"), date_for(r, t->started_on));
  html(&r->out, "</dl></section>");
}

/* tel: link target of a phone number as written: its digits, with a leading + kept. */
static const char *tel_target(Arena *a, const char *phone) {
  char *t = arena_alloc(a, strlen(phone) + 1), *o = t;
  for (const char *p = phone; *p; p++)
    if ((*p >= '0' && *p <= '9') || (*p == '+' && o == t)) *o++ = *p;
  *o = '\0';
  return t;
}

void coach_contact_list(Req *r, const WorkContact *c, int n) {
  html(&r->out, "<ul class=\"plain\">");
  for (int i = 0; i < n; i++) {
    html(&r->out, "<li>%s", c[i].name);
    if (c[i].phone && *c[i].phone)
      html(&r->out, "<br>%s <a href=\"tel:%s\">%s</a>", _("Work phone:"), tel_target(r->a, c[i].phone), c[i].phone);
    if (c[i].email && *c[i].email)
      html(&r->out, "<br>%s <a href=\"mailto:%s\">%s</a>", _("Work e-mail:"), c[i].email, c[i].email);
    html(&r->out, "</li>");
  }
  html(&r->out, "</ul>");
}

/* The assigned coaches (with their work phone and e-mail) and the last activity. */
static void coaches_and_activity(Req *r, const Trajectory *t, const WorkContact *coaches, int ncoaches) {
  html(&r->out, "<section aria-labelledby=\"h-coaches\"><h2 id=\"h-coaches\">%s</h2>",
       programme_word(t->programme, PW_COACHES));
  coach_contact_list(r, coaches, ncoaches);
  html(&r->out, "<p>%s %s</p></section>", _("Last activity:"), time_for(r, t->last_activity_at));
}

/* The full name of t's participant ("First Last"), arena. */
static const char *participant_name(Req *r, const Trajectory *t) {
  return arena_printf(r->a, "%s %s", t->first_name, t->last_name);
}

/* The case header: whose file this is, at the top of every trajectory page. Everyone who may open the
 * trajectory (policy_trajectory: its coaches, the participant, network members with an account) sees the
 * participant's name, the phase (and whether the trajectory is closed) and the names of the assigned coaches —
 * the coaches and the participant are known to everyone in the trajectory (policy.h, membership). The date of
 * birth is shown to the assigned coaches only (g == GROUNDS_COACH): it is personal data that tells two
 * participants of the same name apart, which is the coach's need, not a network member's nor the
 * participant's own. The name links to the overview, except on the overview itself (overview true). Reads
 * nothing: the caller loaded t and the coaches after the one door let it in, and logged its view. */
static void case_header(Req *r, const Trajectory *t, const char *const *coaches, int ncoaches, Grounds g,
                        bool overview) {
  html(&r->out, "<div class=\"case-header\"><p class=\"case-name\">");
  if (overview) html(&r->out, "%s", participant_name(r, t));
  else html(&r->out, "<a href=\"/t/%lld\">%s</a>", (long long)t->id, participant_name(r, t));
  /* one small list per fact, so that a label never wraps away from its value on a phone */
  html(&r->out, "</p><div class=\"case-facts\">");
  if (g == GROUNDS_COACH) html(&r->out, "<dl><dt>%s</dt><dd>%s</dd></dl>", _("Date of birth"), t->birth_date);
  html(&r->out, "<dl><dt>%s</dt><dd>%s</dd></dl>", _("Phase"),
       strcmp(t->status, "open") != 0 ? arena_printf(r->a, _("%s (closed)"), label_phase(t->phase))
                                      : label_phase(t->phase));
  if (ncoaches > 0) {
    html(&r->out, "<dl><dt>%s</dt><dd>", programme_word_n(t->programme, PW_ASSIGNED_COACH, (unsigned long)ncoaches));
    for (int i = 0; i < ncoaches; i++) html(&r->out, "%s%s", i ? ", " : "", coaches[i]);
    html(&r->out, "</dd></dl>");
  }
  html(&r->out, "</div></div>");
}

/* The programme of trajectory tid (its words for the coach and the participant); Zorg & Werk when it cannot
 * be read. One column of the trajectory's row, no personal data. */
const char *case_programme(Req *r, int64_t tid) {
  const char *code;
  return trajectory_programme(r->db, tid, &code) == DB_OK && code ? code : PROGRAMME_ZW;
}

bool case_wabz(Req *r, int64_t tid) { return programme_is_wabz(case_programme(r, tid)); }

int case_page_begin(Req *r, int64_t tid, Grounds g, const char *page) {
  if (g == GROUNDS_NONE) { /* an item's author without standing in the trajectory: the item, not the file */
    page_begin(r, page);
    return DB_OK;
  }
  Trajectory t;
  int rc = trajectory_get(r->db, r->a, tid, &t);
  if (rc == DB_DONE) rc = DB_ERROR; /* the door let the request in: the trajectory exists */
  if (rc != DB_ROW) return rc;
  const char **coaches;
  int ncoaches;
  if ((rc = trajectory_coach_names(r->db, r->a, tid, HEADER_COACHES_MAX, &coaches, &ncoaches)) != DB_OK) return rc;
  page_begin(r, arena_printf(r->a, "%s · %s", page, participant_name(r, &t)));
  case_header(r, &t, coaches, ncoaches, g, false);
  return retention_notice(r, tid); /* "erased on <date> under the retention rule", once that has happened */
}

/* The owner of a plan action as the reader may see it, in the words of programme. */
static const char *action_owner(Req *r, const char *programme, const NextAction *a) {
  if (strcmp(a->owner_kind, "participant") == 0)
    return reader_plain(r) ? _("You") : programme_word(programme, PW_THE_PARTICIPANT);
  if (strcmp(a->owner_kind, "coach") == 0) return programme_word(programme, PW_THE_COACH);
  if (a->owner_hidden || !a->owner_name) return label_hidden_person();
  if (a->owner_removed) return arena_printf(r->a, "%s (%s)", a->owner_name, _("no longer in the network"));
  return a->owner_name;
}

static const char *action_status_label(const char *s) {
  return strcmp(s, "in_progress") == 0 ? _("In progress") : _("Planned");
}

/* What the overview shows besides the trajectory itself; loaded before anything is logged or written. */
typedef struct Overview {
  NextAction *actions;
  OpenReferral *referrals;
  NoteLine *notes;
  PlanState plan;
  int nactions, nreferrals, nnotes;
  const char **coaches;
  int ncoaches;
  WorkContact *contacts; /* the coaches with their work phone and e-mail */
  int ncontacts;
  const char *programme; /* the trajectory's: its words for the coach and the participant */
} Overview;

/* Loads what the reader may see of trajectory tid: every list through POLICY_SQL_ITEM_VISIBLE (store/
 * trajectories.h). Returns a DB code. */
static int overview_load(Req *r, int64_t tid, const char *today, Overview *o) {
  *o = (Overview){0};
  int rc = trajectory_next_actions(r->db, r->a, r->user, tid, today, OVERVIEW_ACTIONS_MAX, &o->actions, &o->nactions);
  if (rc == DB_OK) rc = trajectory_plan_state(r->db, r->user, tid, today, &o->plan);
  if (rc == DB_OK)
    rc = trajectory_open_referrals(r->db, r->a, r->user, tid, today, OVERVIEW_REFERRALS_MAX, &o->referrals,
                                   &o->nreferrals);
  if (rc == DB_OK)
    rc = trajectory_latest_notes(r->db, r->a, r->user, tid, today, OVERVIEW_NOTES_MAX, &o->notes, &o->nnotes);
  if (rc == DB_OK) rc = trajectory_coach_names(r->db, r->a, tid, HEADER_COACHES_MAX, &o->coaches, &o->ncoaches);
  if (rc == DB_OK) rc = trajectory_coach_contacts(r->db, r->a, tid, HEADER_COACHES_MAX, &o->contacts, &o->ncontacts);
  return rc;
}

/* Checks every item the overview would show once more with the C rule and logs the view of the trajectory
 * and of each item shown (the plan version once, for its actions and its confirmations), in one batch.
 * An item the rule refuses is taken out of o. Returns a DB code. */
static int overview_disclose(Req *r, int64_t pid, int64_t tid, Grounds g, Overview *o) {
  int cap = o->nnotes + o->nreferrals + o->nactions + 1, n = 0;
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(cap + 1));
  const char **kinds = arena_alloc(r->a, sizeof *kinds * (size_t)(cap + 1));
  int plan_at = -1;
  if (o->plan.item_id) {
    plan_at = n;
    kinds[n] = "plan";
    ids[n++] = o->plan.item_id;
  }
  for (int i = 0; i < o->nactions; i++) {
    if (o->actions[i].plan_item_id == o->plan.item_id) continue; /* logged with the version above */
    bool seen = false;
    for (int k = 0; k < n; k++) seen |= ids[k] == o->actions[i].plan_item_id;
    if (seen) continue;
    kinds[n] = "plan";
    ids[n++] = o->actions[i].plan_item_id;
  }
  int first_referral = n;
  for (int i = 0; i < o->nreferrals; i++) {
    kinds[n] = "referral";
    ids[n++] = o->referrals[i].id;
  }
  int first_note = n;
  for (int i = 0; i < o->nnotes; i++) {
    kinds[n] = "note";
    ids[n++] = o->notes[i].id;
  }
  int rc = items_disclose_kinds(r, pid, tid, g, "trajectory", "view", kinds, ids, n);
  if (rc != DB_OK) return rc;
  /* take out what the C rule withheld (ids[k] set to 0) */
  if (plan_at >= 0 && ids[plan_at] == 0) o->plan = (PlanState){0};
  int k = 0;
  for (int i = 0; i < o->nactions; i++) {
    bool ok = false;
    for (int j = 0; j < first_referral; j++) ok |= ids[j] && ids[j] == o->actions[i].plan_item_id;
    if (ok) o->actions[k++] = o->actions[i];
  }
  o->nactions = k;
  k = 0;
  for (int i = 0; i < o->nreferrals; i++)
    if (ids[first_referral + i]) o->referrals[k++] = o->referrals[i];
  o->nreferrals = k;
  k = 0;
  for (int i = 0; i < o->nnotes; i++)
    if (ids[first_note + i]) o->notes[k++] = o->notes[i];
  o->nnotes = k;
  return DB_OK;
}

/* The next actions of the current plan. */
static void overview_actions(Req *r, int64_t tid, const Overview *o) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-next\"><h2 id=\"h-next\">%s</h2>", _("Next actions"));
  if (!o->nactions) {
    html(&r->out, "<p class=\"muted\">%s</p>", _("No open actions you can see."));
  } else {
    html(&r->out, "<ul class=\"overview-list\">");
    for (int i = 0; i < o->nactions; i++) {
      const NextAction *a = &o->actions[i];
      html(&r->out, "<li>%s <span class=\"muted small\">%s</span></li>", a->text,
           arena_printf(r->a, _("%s · due %s · %s"), action_owner(r, o->programme, a), date_for(r, a->due_on),
                        action_status_label(a->status)));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/t/%lld/plan\">%s</a></p></section>", (long long)tid, _("To the action plan"));
}

/* Whether the newest plan version the reader may see is confirmed, per party. */
static void overview_plan(Req *r, const Overview *o) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-plan\"><h2 id=\"h-plan\">%s</h2>", _("Action plan"));
  if (!o->plan.item_id) {
    html(&r->out, "<p class=\"muted\">%s</p></section>", _("No action plan you can see yet."));
    return;
  }
  html(&r->out, "<p>%s</p><dl class=\"confirmations\">",
       arena_printf(r->a, _("Version %lld"), (long long)o->plan.version));
  int64_t at[2] = {o->plan.participant_at, o->plan.coach_at};
  const char *who[2] = {programme_word(o->programme, PW_PARTICIPANT), programme_word(o->programme, PW_COACH)};
  for (int i = 0; i < 2; i++) {
    html(&r->out, "<dt>%s</dt><dd>", who[i]);
    if (at[i])
      html(&r->out, "<span class=\"badge badge-ok\">%s</span> %s", _("Confirmed"), time_for(r, at[i]));
    else
      html(&r->out, "<span class=\"badge badge-muted\">%s</span>", _("Not yet confirmed"));
    html(&r->out, "</dd>");
  }
  html(&r->out, "</dl></section>");
}

/* The open referrals. */
static void overview_referrals(Req *r, int64_t tid, const Overview *o) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-ref\"><h2 id=\"h-ref\">%s</h2>", _("Open referrals"));
  if (!o->nreferrals) {
    html(&r->out, "<p class=\"muted\">%s</p>", _("No open referrals you can see."));
  } else {
    html(&r->out, "<ul class=\"overview-list\">");
    for (int i = 0; i < o->nreferrals; i++) {
      const OpenReferral *f = &o->referrals[i];
      html(&r->out, "<li>%s <span class=\"muted small\">%s</span></li>", f->target,
           arena_printf(r->a, _("%s · %s since %s"),
                        strcmp(f->kind, "specialised_care") == 0 ? _("Specialised care") : _("Career guidance"),
                        referral_status_label(f->status), time_for(r, f->status_changed_at)));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/t/%lld/referrals\">%s</a></p></section>", (long long)tid, _("All referrals"));
}

/* The latest notes. */
static void overview_notes(Req *r, int64_t tid, const Overview *o) {
  html(&r->out, "<section class=\"card\" aria-labelledby=\"h-notes\"><h2 id=\"h-notes\">%s</h2>", _("Latest notes"));
  if (!o->nnotes) {
    html(&r->out, "<p class=\"muted\">%s</p>", _("No notes you can see."));
  } else {
    html(&r->out, "<ul class=\"overview-list\">");
    for (int i = 0; i < o->nnotes; i++) {
      const NoteLine *n = &o->notes[i];
      html(&r->out, "<li><a href=\"/t/%lld/notes/%lld\">%s</a> <span class=\"badge\">%s</span> "
                    "<span class=\"muted small\">%s</span></li>",
           (long long)tid, (long long)n->id, n->title, label_category(n->category), time_for(r, n->created_at));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p><a href=\"/t/%lld/notes\">%s</a></p></section>", (long long)tid, _("All notes"));
}

/* The contact details entered at registration (coach and the participant themselves only). */
static void overview_contact(Req *r, const Trajectory *t) {
  html(&r->out, "<section aria-labelledby=\"h-contact\"><h2 id=\"h-contact\">%s</h2><dl class=\"facts\">",
       _("Contact details"));
  dl_row(r, _("E-mail address"), t->email);
  dl_row(r, _("Phone number"), t->phone);
  html(&r->out, "</dl></section>");
}

/* GET /t/{id}: the overview. After the one door: the case header, what needs doing (next actions, the plan's
 * confirmations, open referrals), the latest notes, then the phase, the registration and contact details and
 * the coaches. Every list shows only what the reader may see (POLICY_SQL_ITEM_VISIBLE, checked once more in C)
 * and each item shown is logged, with the view of the trajectory, before the page is written. The
 * registration data and the contact details are the participant's own: the coach and the participant see
 * them, network members do not; the date of birth is in the header for coaches (case_header). */
static int get_trajectory(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "trajectory", "view", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  Trajectory t;
  int rc = trajectory_get(r->db, r->a, r->ids[0], &t);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  char today[11];
  date_format(date_today(), today);
  Overview o;
  if ((rc = overview_load(r, t.id, today, &o)) != DB_OK) return http_db_error(r, rc);
  if ((rc = overview_disclose(r, pid, t.id, g, &o)) != DB_OK) return http_db_error(r, rc);
  o.programme = t.programme;

  bool inner = policy_sees_own_details(g);
  page_begin(r, arena_printf(r->a, "%s · %s", _("Overview"), participant_name(r, &t)));
  case_header(r, &t, o.coaches, o.ncoaches, g, true);
  html(&r->out, "<h1>%s</h1>", _("Overview"));
  trajectory_subnav(r, t.id, g, "overview");
  if (strcmp(t.status, "open") != 0) html(&r->out, "<p class=\"muted\">%s</p>", _("This trajectory is closed."));
  html(&r->out, "<div class=\"overview\">");
  overview_actions(r, t.id, &o);
  overview_plan(r, &o);
  overview_referrals(r, t.id, &o);
  overview_notes(r, t.id, &o);
  html(&r->out, "</div>");
  if (inner) overview_contact(r, &t);
  phase_section(r, &t, g == GROUNDS_COACH);
  if (inner) registration_data(r, &t);
  coaches_and_activity(r, &t, o.contacts, o.ncontacts);
  page_end(r);
  return 200;
}

int trajectory_change_done(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                           const char *location) {
  return trajectory_change_done_for(r, pid, tid, item, action, g, 0, location);
}

int trajectory_change_done_for(Req *r, int64_t pid, int64_t tid, const char *item, const char *action, Grounds g,
                               int64_t on_behalf_of, const char *location) {
  int rc = trajectory_touch(r->db, tid, (int64_t)time(NULL));
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = action,
                                      .outcome = "ok", .grounds = grounds_name(g), .on_behalf_of = on_behalf_of});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, location, "saved");
}

int trajectory_refuse_if_closed(Req *r, int64_t tid) {
  bool closed;
  int rc = trajectory_is_closed(r->db, tid, &closed);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (closed) return http_error(r, 409, _("This trajectory is closed; reopen it first to change anything."));
  return 0;
}

void trajectory_subnav(Req *r, int64_t tid, Grounds g, const char *current) {
  /* coach: sections only the assigned coach gets a tab for. The protocol is the coach's way of working (its
   * steps, its rules for moving the phase): network members never see it, and the participant follows her
   * phase in her own words on /me and on the overview's timeline — the page stays readable to her, without
   * a tab that speaks the coach's jargon. */
  /* self: with coach, a tab for the participant as well (proposals wait for her answer there) */
  static const struct { const char *key, *suffix, *label; bool coach, self; } tabs[] = {
      {"overview", "", N_("Overview"), false},
      {"protocol", "/protocol", N_("Protocol"), true},
      {"plan", "/plan", N_("Action plan"), false},
      {"assessments", "/assessments", N_("Questionnaires"), false},
      {"notes", "/notes", N_("Notes"), false},
      {"messages", "/messages", N_("Messages"), false},
      {"network", "/network", N_("Network"), false},
      {"consents", "/consents", N_("Consents"), false},
      {"referrals", "/referrals", N_("Referrals"), false},
      {"followups", "/followups", N_("Follow-up"), false},
      {"meetings", "/meetings", N_("Meetings"), false},
      {"job-profile", "/job-profile", N_("Job profile"), false},
      {"matches", "/matches", N_("Matches"), true},
      {"proposals", "/proposals", N_("Proposals"), true, true},
      {"placements", "/placements", N_("Work placement"), false},
      {"reviews", "/reviews", N_("Case review"), true},
  };
  html(&r->out, "<nav class=\"subnav\" aria-label=\"%s\"><ul>", _("Trajectory sections"));
  for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
    if (tabs[i].coach && g != GROUNDS_COACH && !(tabs[i].self && g == GROUNDS_SELF)) continue;
    html(&r->out, "<li><a href=\"/t/%lld%s\"", (long long)tid, tabs[i].suffix);
    if (strcmp(current, tabs[i].key) == 0) html(&r->out, " aria-current=\"page\"");
    html(&r->out, ">%s</a></li>", _(tabs[i].label));
  }
  html(&r->out, "</ul></nav>");
}

/* Writes the access-log entry of a successful `action` on object "kind:id" of trajectory tid; a DB code. */
int audit_object(Req *r, int64_t pid, int64_t tid, const char *kind, int64_t id, const char *action, Grounds g) {
  return audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid,
                                      .item = arena_printf(r->a, "%s:%lld", kind, (long long)id), .action = action,
                                      .outcome = "ok", .grounds = grounds_name(g)});
}

/* GET of a trajectory's section list page: the case door (action "list" on section), then
 * render(r, tid, grounds, participant id, 200). Returns the status. */
int case_list_page(Req *r, const char *section, CaseRender render) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, section, "list", GROUNDS_NONE, &g, &pid);
  return s ? s : render(r, r->ids[0], g, pid, 200);
}

const Route trajectory_routes[] = {
    {"GET", "/t/{id}", ROLES_CASE, R_CASE, get_trajectory},
    {0},
};
