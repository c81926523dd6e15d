/*
 * meetings.c — meetings of a trajectory (/t/{id}/meetings): planning one with its attendees, the answers of
 * the attendees, the minutes, the meeting as an .ics download, and the personal calendar feed
 * (/calendar/<token>.ics) with its link on /account.
 *
 * Who sees what: the assigned coaches and the participant see every meeting of the trajectory; a network
 * member sees the meetings they attend, with the attendees named as the membership rule allows. The agenda
 * and the place are shown to those who see the meeting; the minutes are items with a category and a source
 * party, shown by the visibility rule (items_disclose). Only an assigned coach plans meetings, changes and
 * cancels them (policy/meetings_policy.h) and records minutes; a change or a cancellation mails each attendee
 * an updated .ics (same UID, SEQUENCE raised; METHOD:CANCEL and STATUS:CANCELLED for a cancellation), and a
 * cancelled meeting stays visible, marked so. Times are stored in UTC and shown in the portal's time zone
 * (core/dates.h).
 *
 * The feed is reached without a session by a 256-bit secret (only its hash is stored) and carries no case
 * content: every event is "Care & Work appointment" ("Afspraak Zorg & Werk") in the language of the feed's owner,
 * with its time and a link to the meeting (cancelled ones marked so), never a name, a
 * kind, a place or an agenda. A revoked or unknown token answers 404.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/token.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "mail/outbox.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/case.h"
#include "policy/meetings_policy.h"
#include "policy/policy.h"
#include "render/ics.h"
#include "render/markdown.h"
#include "store/meetings.h"
#include "store/network.h"
#include "store/outbox.h"
#include "store/users.h"

enum {
  MEETINGS_MAX = 200, PLACE_MAX = 200, URL_MAX = 500, AGENDA_MAX = 4000, MINUTES_TITLE_MAX = 200,
  MINUTES_BODY_MAX = 20000, FEED_MAX = 500, MINUTES_SHOWN_MAX = 100
};
/* The summary of every event of the personal feed: a fixed text, never case content (the title). */
static const char feed_summary[] = N_("Care & Work appointment");
/* The product's name as the page frame shows it (one message, translated per reader). */
static const char product_name[] = N_("Care & Work");

static const char *kind_label(const char *k) {
  if (strcmp(k, "consultation") == 0) return _("Network consultation");
  if (strcmp(k, "evaluation") == 0) return _("Evaluation talk with the employer");
  if (strcmp(k, "intake") == 0) return _("Intake");
  if (strcmp(k, "jobcoaching") == 0) return _("Job-coaching contact");
  return _("Other meeting");
}

static const char *mode_label(const char *m) {
  if (strcmp(m, "individual") == 0) return _("Individual, in person");
  if (strcmp(m, "group") == 0) return _("Group, in person");
  if (strcmp(m, "online") == 0) return _("Online (video)");
  return _("By phone");
}

static const char *response_label(const char *s) {
  if (strcmp(s, "accepted") == 0) return _("Will attend");
  if (strcmp(s, "declined") == 0) return _("Cannot attend");
  return _("No answer yet");
}

static bool in_list(const char *const *list, const char *s) {
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0) return true;
  return false;
}

/* When, as the reader reads it: words for the participant, "YYYY-MM-DD HH:MM" (local) for staff. */
static const char *when_for(Req *r, int64_t t) {
  return reader_plain(r) ? when_words(r->a, t) : time_iso_local(r->a, t);
}

/* "YYYY-MM-DD" and "HH:MM" in the portal's zone to unix time; false when either is malformed or the moment
 * does not exist on that day (the hour skipped when the clocks go forward). */
static bool local_moment(const char *date, const char *hm, int64_t *out) {
  int32_t days;
  if (!date_parse(date, &days)) return false;
  if (strlen(hm) != 5 || hm[2] != ':') return false;
  for (int i = 0; i < 5; i++)
    if (i != 2 && (hm[i] < '0' || hm[i] > '9')) return false;
  int h = (hm[0] - '0') * 10 + (hm[1] - '0'), m = (hm[3] - '0') * 10 + (hm[4] - '0');
  if (h > 23 || m > 59) return false;
  struct tm tm = {0};
  tm.tm_year = atoi(date) - 1900;
  tm.tm_mon = atoi(date + 5) - 1;
  tm.tm_mday = atoi(date + 8);
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  if (t == (time_t)-1) return false;
  struct tm back;
  if (!dates_local((int64_t)t, &back) || back.tm_hour != h || back.tm_min != m || back.tm_mday != atoi(date + 8))
    return false;
  *out = (int64_t)t;
  return true;
}

/* ---- the list and planning ---- */

/* The value of form field key in v ("" when absent). */
static const char *val(const Params *v, const char *key) {
  const char *s = params_get(v, key);
  return s ? s : "";
}

/* The form that plans (action /t/{tid}/meetings) or changes a meeting, filled from v (what was typed, or the
 * meeting's values). */
static void meeting_form(Req *r, int64_t tid, const Params *v, const char *action, const char *heading,
                         const char *button) {
  const char *kinds[16], *modes[12];
  int k = 0;
  for (int i = 0; meeting_kinds[i]; i++) {
    kinds[k++] = meeting_kinds[i];
    kinds[k++] = kind_label(meeting_kinds[i]);
  }
  kinds[k] = NULL;
  k = 0;
  for (int i = 0; meeting_modes[i]; i++) {
    modes[k++] = meeting_modes[i];
    modes[k++] = mode_label(meeting_modes[i]);
  }
  modes[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"new-meeting\"><h2 id=\"new-meeting\">%s</h2>", heading);
  form_errors_summary(r);
  form_begin(r, action, NULL);
  field_select(r, &(Field){.name = "kind", .label = _("Kind of meeting"), .value = val(v, "kind"),
                           .required = true},
               kinds);
  field_input(r, &(Field){.name = "date", .label = _("Date"), .type = "date", .value = val(v, "date"),
                          .required = true});
  field_input(r, &(Field){.name = "time", .label = _("Start time"), .type = "time", .value = val(v, "time"),
                          .hint = arena_printf(r->a, _("In the time zone %s."), dates_zone()), .required = true});
  field_input(r, &(Field){.name = "duration", .label = _("Duration in minutes"), .type = "number",
                          .value = *val(v, "duration") ? val(v, "duration") : "60", .required = true});
  field_select(r, &(Field){.name = "mode", .label = _("Contact mode"), .value = val(v, "mode"), .required = true},
               modes);
  field_input(r, &(Field){.name = "place", .label = _("Place"), .value = val(v, "place"),
                          .hint = _("Only attendees see the place; the calendar feed never carries it."),
                          .maxlength = PLACE_MAX});
  field_input(r, &(Field){.name = "video_url", .label = _("Video link"), .type = "url",
                          .value = val(v, "video_url"), .maxlength = URL_MAX});
  field_textarea(r, &(Field){.name = "agenda", .label = _("Agenda"), .value = val(v, "agenda"),
                             .hint = _("Every attendee reads the agenda: put nothing in it that an attendee may not "
                                       "know. Record what was said as minutes, with a category."),
                             .maxlength = AGENDA_MAX},
                 4);
  html(&r->out, "<fieldset><legend>%s</legend>", _("Attendees"));
  html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-participant\" name=\"participant\" "
                "value=\"1\"%s><label for=\"f-participant\">%s</label></div>",
       *val(v, "participant") ? " checked" : "", programme_word(case_programme(r, tid), PW_THE_PARTICIPANT));
  const char **opts;
  if (member_options(r, tid, (const char *const[]){NULL}, &opts) == DB_OK)
    for (int i = 0; opts[i] && opts[i + 1]; i += 2) {
      const char *key = arena_printf(r->a, "m%s", opts[i]);
      html(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s>"
                    "<label for=\"f-%s\">%s</label></div>",
           key, key, *val(v, key) ? " checked" : "", key, opts[i + 1]);
    }
  html(&r->out, "</fieldset>");
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", button);
  form_end(r);
  html(&r->out, "</section>");
}

static int render_meetings(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  Meeting *ms;
  int n;
  int rc = meetings_visible(r->db, r->a, r->user, tid, policy_sees_all_meetings(g), MEETINGS_MAX, &ms, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = meetings_disclose(r, pid, tid, g, ms, n)) != DB_OK) return http_db_error(r, rc);

  if ((rc = case_page_begin(r, tid, g, _("Meetings"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Meetings"));
  trajectory_subnav(r, tid, g, "meetings");
  if (n == 0) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("There are no meetings you can see yet."));
  } else {
    html(&r->out, "<ul class=\"cards\">");
    for (int i = 0; i < n; i++) {
      html(&r->out, "<li class=\"card\"><h2><a href=\"/t/%lld/meetings/%lld\">%s</a></h2><p>", (long long)tid,
           (long long)ms[i].id, kind_label(ms[i].kind));
      if (ms[i].cancelled_at) html(&r->out, "<span class=\"badge\">%s</span> ", _("Cancelled"));
      html(&r->out, "%s · %s</p></li>", when_for(r, ms[i].starts_at),
           arena_printf(r->a, P_("%lld minute", "%lld minutes", ms[i].minutes), (long long)ms[i].minutes));
    }
    html(&r->out, "</ul>");
  }
  html(&r->out, "<p class=\"muted small\"><a href=\"/account#calendar\">%s</a></p>",
       _("Your meetings in your own calendar: the calendar link on your account page."));
  if (policy_may_plan_meetings(g)) {
    static Param fresh[] = {{"participant", "1"}, {"duration", "60"}};
    Params v = r->method[0] == 'G' ? (Params){fresh, 2} : r->form;
    meeting_form(r, tid, &v, arena_printf(r->a, "/t/%lld/meetings", (long long)tid), _("Plan a meeting"),
                 _("Plan meeting"));
  }
  page_end(r);
  return status;
}

static int get_meetings(Req *r) {
  return case_list_page(r, "meetings", render_meetings);
}

/* Reads and checks the meeting form of trajectory tid into *n (arena strings; the attendees the checked live
 * members and the participant); a mistake is recorded with form_error (r->nerrors). Returns a DB code. */
static int meeting_form_read(Req *r, int64_t tid, MeetingNew *n) {
  const char *kind = form_str(r, "kind"), *mode = form_str(r, "mode"), *place = form_str(r, "place"),
             *video = form_str(r, "video_url"), *agenda = form_str(r, "agenda"), *dur = form_str(r, "duration");
  if (!in_list(meeting_kinds, kind)) form_error(r, "kind", _("Choose the kind of meeting."));
  if (!in_list(meeting_modes, mode)) form_error(r, "mode", _("Choose the contact mode."));
  int64_t starts = 0;
  if (!local_moment(form_str(r, "date"), form_str(r, "time"), &starts))
    form_error(r, "date", _("Give a date (YYYY-MM-DD) and a start time (HH:MM) that exist in the portal's time zone."));
  char *end;
  long long minutes = strtoll(dur, &end, 10);
  if (!*dur || *end || minutes < 5 || minutes > 720)
    form_error(r, "duration", _("Give the duration in minutes, from 5 to 720."));
  if (text_chars(place) > PLACE_MAX || strpbrk(place, "\r\n\t"))
    form_error(r, "place", _("The place is one line of at most 200 characters."));
  if (*video && (text_chars(video) > URL_MAX || strpbrk(video, " \r\n\t\"<>") ||
                 (strncmp(video, "https://", 8) != 0 && strncmp(video, "http://", 7) != 0)))
    form_error(r, "video_url", _("The video link must be a web address starting with https://."));
  if (text_chars(agenda) > AGENDA_MAX) form_error(r, "agenda", _("The agenda is too long (at most 4000 characters)."));

  /* attendees: the checked live members of this trajectory's network, and the participant */
  int rc;
  const char **opts;
  if ((rc = member_options(r, tid, (const char *const[]){NULL}, &opts)) != DB_OK) return rc;
  int64_t *members = arena_alloc(r->a, sizeof *members * 65);
  int nm = 0;
  for (int i = 0; opts[i] && opts[i + 1] && nm < 64; i += 2) {
    if (!*form_str(r, arena_printf(r->a, "m%s", opts[i]))) continue;
    NetworkMember m;
    rc = network_member_live(r->db, r->a, tid, strtoll(opts[i], NULL, 10), &m);
    if (rc == DB_ROW) members[nm++] = m.id;
    else if (rc != DB_DONE) return rc;
  }
  bool with_participant = *form_str(r, "participant") != '\0';
  if (!with_participant && nm == 0) form_error(r, "participant", _("Choose at least one attendee."));
  *n = (MeetingNew){.trajectory_id = tid, .kind = kind, .mode = mode, .starts_at = starts, .minutes = minutes,
                    .place = place, .video_url = video, .agenda = agenda, .created_by = r->user->id,
                    .created_at = (int64_t)time(NULL), .members = members, .nmembers = nm,
                    .with_participant = with_participant};
  return DB_OK;
}

/* The uid of an event: stable per meeting and portal. */
static const char *event_uid(Arena *a, int64_t mid) {
  return arena_printf(a, "meeting-%lld@%s", (long long)mid, cfg.base_url[0] ? cfg.base_url : cfg.listen);
}

/* The summary of a calendar event in language lang (NULL or unknown: the portal's): a fixed text, never case
 * content. */
static const char *summary_in(const char *lang) {
  return i18n_tr_in(lang && i18n_known(lang) ? lang : cfg.lang, feed_summary);
}

/* Queues a mail of kind to each of the nu accounts uids except the user making the change, inside the
 * caller's transaction, with meeting m as an .ics (method; the time, a link and the summary in the
 * recipient's language only — no kind, place, agenda or names, as the calendar feed). An account without a
 * usable address gets none. Returns a DB code. */
static int mail_attendees(Req *r, const Meeting *m, const char *kind, IcsMethod method, const int64_t *uids,
                          int nu) {
  if (!outbox_enabled()) return DB_OK;
  const char *url =
      outbox_portal_url(r->a, arena_printf(r->a, "/t/%lld/meetings/%lld", (long long)m->trajectory_id, (long long)m->id));
  int rc = DB_OK;
  for (int i = 0; i < nu && rc == DB_OK; i++) {
    if (uids[i] == r->user->id) continue;
    const char *addr, *lang;
    if ((rc = outbox_user_address(r->db, r->a, uids[i], &addr, &lang)) != DB_OK) break;
    IcsEvent e = {.uid = event_uid(r->a, m->id), .summary = summary_in(lang), .url = url, .starts_at = m->starts_at,
                  .minutes = m->minutes, .stamp = (int64_t)time(NULL), .sequence = (int)m->sequence,
                  .cancelled = method == ICS_CANCEL};
    rc = outbox_queue(r->db, uids[i], NULL, kind, url, ics_calendar_method(r->a, NULL, dates_zone(), method, &e, 1));
    if (rc == DB_CONSTRAINT) rc = DB_OK;
  }
  return rc;
}

static int post_meeting(Req *r) {
  Grounds g;
  int64_t pid;
  int s = case_door(r, OWNER_MEETING, 0, "meeting", "create", policy_may_plan_meetings, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  MeetingNew n;
  int rc = meeting_form_read(r, tid, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_meetings(r, tid, g, pid, 400);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = meeting_create(r->db, &n, &id);
  /* an invitation mail to each attendee with an account, in this transaction, with the meeting as .ics */
  if (rc == DB_OK && outbox_enabled()) {
    int64_t *uids;
    int nu;
    rc = meeting_attendee_accounts(r->db, r->a, id, 65, &uids, &nu);
    Meeting m = {.id = id, .trajectory_id = tid, .starts_at = n.starts_at, .minutes = n.minutes};
    if (rc == DB_OK) rc = mail_attendees(r, &m, "meeting", ICS_REQUEST, uids, nu);
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "meeting:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/meetings/%lld", (long long)tid, (long long)id));
}

/* ---- one meeting ---- */

/* The door of /t/{id}/meetings/{meeting}/...: the reader must have grounds on trajectory r->ids[0] (the case
 * door, object_door) and the meeting must be one of it that the reader sees; a refusal is logged against the
 * file the meeting really is in (object_refused). Returns 0 with *m, *g and *pid filled, or the status
 * already answered. */
static int meeting_door(Req *r, const char *action, Grounds *g, int64_t *pid, Meeting *m) {
  int64_t tid = r->ids[0], mid = r->ids[1];
  const char *item = arena_printf(r->a, "meeting:%lld", (long long)mid);
  int s = object_door(r, OWNER_MEETING, mid, item, action, GROUNDS_NONE, g, pid);
  if (s) return s;
  int rc = meeting_get(r->db, r->a, r->user, tid, mid, policy_sees_all_meetings(*g), m);
  if (rc == DB_DONE) return object_refused(r, OWNER_MEETING, mid, item, action, grounds_name(*g));
  if (rc != DB_ROW) return http_db_error(r, rc);
  return 0;
}

static void minutes_form(Req *r, int64_t tid, int64_t mid) {
  const char *cats[12];
  int k = 0;
  for (int i = 0; item_categories[i]; i++) {
    cats[k++] = item_categories[i];
    cats[k++] = label_category(item_categories[i]);
  }
  cats[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"new-minutes\"><h2 id=\"new-minutes\">%s</h2>",
       _("Add to the minutes"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/meetings/%lld/minutes", (long long)tid, (long long)mid), NULL);
  field_input(r, &(Field){.name = "title", .label = _("Title"), .value = form_str(r, "title"), .required = true,
                          .maxlength = MINUTES_TITLE_MAX});
  field_select(r, &(Field){.name = "category", .label = _("Category"), .value = form_str(r, "category"),
                           .hint = _("Who may read it depends on this: the source party decides per category."),
                           .required = true},
               cats);
  const char **opts;
  if (member_options(r, tid, (const char *const[]){"participant", programme_word(case_programme(r, tid), PW_THE_PARTICIPANT), NULL}, &opts) == DB_OK)
    field_select(r, &(Field){.name = "source", .label = _("Whose information is this?"), .value = form_str(r, "source"),
                             .required = true},
                 opts);
  field_textarea(r, &(Field){.name = "body", .label = _("What was said or agreed"), .value = form_str(r, "body"),
                             .required = true, .maxlength = MINUTES_BODY_MAX},
                 6);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save"));
  form_end(r);
  html(&r->out, "</section>");
}

static int render_meeting(Req *r, const Meeting *m, Grounds g, int64_t pid, int status) {
  int64_t tid = m->trajectory_id;
  Attendee *at;
  int na;
  int rc = meeting_attendees(r->db, r->a, r->user, m->id, &at, &na);
  if (rc != DB_OK) return http_db_error(r, rc);
  Note *mins;
  int nmin;
  rc = meeting_minutes_visible(r->db, r->a, r->user, m->id, date_today_text(r->a), MINUTES_SHOWN_MAX, &mins, &nmin);
  if (rc != DB_OK) return http_db_error(r, rc);
  rc = audit_object(r, pid, tid, "meeting", m->id, "view", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(nmin + 1));
  for (int i = 0; i < nmin; i++) ids[i] = mins[i].id;
  if ((rc = items_disclose(r, pid, tid, g, arena_printf(r->a, "meeting:%lld:minutes", (long long)m->id), "list",
                           "minutes", ids, nmin)) != DB_OK)
    return http_db_error(r, rc);

  if ((rc = case_page_begin(r, tid, g, kind_label(m->kind))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p><a href=\"/t/%lld/meetings\">%s</a></p>", (long long)tid, _("All meetings"));
  html(&r->out, "<h1>%s</h1>", kind_label(m->kind));
  if (m->cancelled_at)
    html(&r->out, "<p class=\"notice\" role=\"status\"><span class=\"badge\">%s</span> %s</p>", _("Cancelled"),
         arena_printf(r->a, _("This meeting was cancelled on %s."), when_for(r, m->cancelled_at)));
  html(&r->out, "<section class=\"card\"><dl class=\"facts\">");
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("When"), when_for(r, m->starts_at));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Duration"),
       arena_printf(r->a, P_("%lld minute", "%lld minutes", m->minutes), (long long)m->minutes));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Contact mode"), mode_label(m->mode));
  if (*m->place) html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Place"), m->place);
  if (*m->video_url)
    html(&r->out, "<dt>%s</dt><dd><a href=\"%s\" rel=\"noopener noreferrer\">%s</a></dd>", _("Video link"),
         m->video_url, m->video_url);
  html(&r->out, "</dl>");
  if (*m->agenda) {
    html(&r->out, "<h2>%s</h2>", _("Agenda"));
    html_markup(&r->out, markdown_render(r->a, m->agenda, strlen(m->agenda)));
  }
  html(&r->out, "<p><a href=\"/t/%lld/meetings/%lld/ics\" download>%s</a></p></section>", (long long)tid,
       (long long)m->id, _("Add to my calendar (.ics)"));

  html(&r->out, "<section class=\"card\" aria-labelledby=\"attendees\"><h2 id=\"attendees\">%s</h2><ul>",
       _("Attendees"));
  bool me = false;
  const char *my_answer = "pending";
  for (int i = 0; i < na; i++) {
    html(&r->out, "<li>%s: %s</li>", name_or_hidden(at[i].name), response_label(at[i].response));
    if (at[i].me) me = true, my_answer = at[i].response;
  }
  html(&r->out, "</ul>");
  if (me && !m->cancelled_at) {
    html(&r->out, "<p>%s</p>", arena_printf(r->a, _("Your answer: %s"), response_label(my_answer)));
    form_begin(r, arena_printf(r->a, "/t/%lld/meetings/%lld/respond", (long long)tid, (long long)m->id), NULL);
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" name=\"response\" value=\"accepted\" class=\"primary\">"
                  "%s</button> <button type=\"submit\" name=\"response\" value=\"declined\">%s</button></div>",
         _("I will attend"), _("I cannot attend"));
    form_end(r);
  }
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\" aria-labelledby=\"minutes\"><h2 id=\"minutes\">%s</h2>", _("Minutes"));
  int shown = 0;
  for (int i = 0; i < nmin; i++) {
    if (!ids[i]) continue;
    shown++;
    const Note *n = &mins[i];
    const char *source = !n->source_member && reader_plain(r)
                             ? _("Source: you")
                             : arena_printf(r->a, _("Source: %s"),
                                            n->source_member ? name_or_hidden(n->source_name) : _("the participant"));
    html(&r->out, "<article class=\"note\" id=\"minutes-%lld\"><h3>%s</h3><p class=\"meta\"><span class=\"badge\">%s"
                  "</span> %s · %s</p>",
         (long long)n->id, n->title, label_category(n->category), source, time_for(r, n->created_at));
    html_markup(&r->out, markdown_render(r->a, n->body, strlen(n->body)));
    html(&r->out, "</article>");
  }
  if (!shown) html(&r->out, "<p class=\"empty\">%s</p>", _("There are no minutes you can see."));
  html(&r->out, "</section>");
  if (policy_may_plan_meetings(g)) {
    minutes_form(r, tid, m->id);
    if (!m->cancelled_at) {
      html(&r->out, "<section class=\"card\" aria-labelledby=\"change\"><h2 id=\"change\">%s</h2>",
           _("Change or cancel"));
      html(&r->out, "<p><a href=\"/t/%lld/meetings/%lld/edit\">%s</a></p>", (long long)tid, (long long)m->id,
           _("Change the time, place, agenda or attendees"));
      form_begin(r, arena_printf(r->a, "/t/%lld/meetings/%lld/cancel", (long long)tid, (long long)m->id), NULL);
      html(&r->out, "<p class=\"muted small\">%s</p>",
           _("The attendees get a mail and their calendars are updated. The meeting stays visible as cancelled."));
      html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Cancel the meeting"));
      form_end(r);
      html(&r->out, "</section>");
    }
  }
  page_end(r);
  return status;
}

static int get_meeting(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = meeting_door(r, "view", &g, &pid, &m);
  if (s) return s;
  return render_meeting(r, &m, g, pid, 200);
}

/* Ends a change (action) to meeting m in the transaction begun: logged, committed, back to its page. */
static int meeting_changed(Req *r, int64_t pid, const Meeting *m, const char *action, Grounds g) {
  return trajectory_change_done(r, pid, m->trajectory_id, arena_printf(r->a, "meeting:%lld", (long long)m->id),
                                action, g,
                                arena_printf(r->a, "/t/%lld/meetings/%lld", (long long)m->trajectory_id,
                                             (long long)m->id));
}

static int post_respond(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = meeting_door(r, "respond", &g, &pid, &m);
  if (s) return s;
  if (m.cancelled_at) return http_error(r, 409, _("This meeting was cancelled."));
  const char *resp = form_str(r, "response");
  if (strcmp(resp, "accepted") != 0 && strcmp(resp, "declined") != 0)
    return http_error(r, 400, _("Choose whether you will attend."));
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t changed;
  if ((rc = meeting_respond(r->db, r->user, m.id, resp, (int64_t)time(NULL), &changed)) != DB_OK)
    return http_db_error(r, rc);
  if (changed == 0) {
    db_rollback(r->db);
    return http_error(r, 403, _("You are not an attendee of this meeting."));
  }
  return meeting_changed(r, pid, &m, "respond", g);
}

static int post_minutes(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = meeting_door(r, "minutes", &g, &pid, &m);
  if (s) return s;
  if (!policy_may_plan_meetings(g))
    return object_refused(r, OWNER_MEETING, m.id, arena_printf(r->a, "meeting:%lld", (long long)m.id), "minutes",
                          grounds_name(g));
  if ((s = trajectory_refuse_if_closed(r, m.trajectory_id))) return s;
  int64_t tid = m.trajectory_id;
  const char *title = form_str(r, "title"), *category = form_str(r, "category"), *body = form_str(r, "body"),
             *src = form_str(r, "source");
  if (!*title) form_error(r, "title", _("Give the note a title."));
  else if (text_chars(title) > MINUTES_TITLE_MAX)
    form_error(r, "title", _("The title is too long (at most 200 characters)."));
  if (!is_category(category)) form_error(r, "category", _("Choose a category."));
  if (!*body) form_error(r, "body", _("The note is empty."));
  else if (text_chars(body) > MINUTES_BODY_MAX)
    form_error(r, "body", _("The note is too long (at most 20000 characters). Split it into two notes."));
  int64_t source = 0;
  int rc;
  if (strcmp(src, "participant") != 0) {
    char *end;
    long long v = strtoll(src, &end, 10);
    NetworkMember nm;
    rc = network_member_live(r->db, r->a, tid, *src && !*end ? v : 0, &nm);
    if (rc == DB_ROW) source = nm.id;
    else if (rc != DB_DONE) return http_db_error(r, rc);
    if (!source) form_error(r, "source", _("Choose whose information this is."));
  }
  if (r->nerrors) return render_meeting(r, &m, g, pid, 400);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = meeting_minutes_add(r->db, m.id,
                           &(ItemNew){.trajectory_id = tid, .kind = "minutes", .category = category,
                                      .source_member_id = source, .author_id = r->user->id, .title = title,
                                      .body = body, .created_at = (int64_t)time(NULL)},
                           &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "minutes:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/meetings/%lld", (long long)tid, (long long)m.id));
}

/* ---- changing and cancelling ---- */

/* The answer to a change of a cancelled meeting (409), after rolling back the caller's transaction when
 * one is open (a meeting cancelled in the meantime). */
static int meeting_was_cancelled(Req *r, bool in_transaction) {
  if (in_transaction) db_rollback(r->db);
  return http_error(r, 409, _("This meeting was cancelled, so it cannot be changed."));
}

/* The door of a change to meeting r->ids[1]: meeting_door, the reader plans meetings
 * (policy_may_plan_meetings; otherwise refused as not found), the trajectory is open and the meeting is not
 * cancelled (409). Returns 0 or the status already answered. */
static int change_door(Req *r, const char *action, Grounds *g, int64_t *pid, Meeting *m) {
  int s = meeting_door(r, action, g, pid, m);
  if (s) return s;
  if (!policy_may_plan_meetings(*g))
    return object_refused(r, OWNER_MEETING, m->id, arena_printf(r->a, "meeting:%lld", (long long)m->id), action,
                          grounds_name(*g));
  if ((s = trajectory_refuse_if_closed(r, m->trajectory_id))) return s;
  if (m->cancelled_at) return meeting_was_cancelled(r, false);
  return 0;
}

/* The change form of meeting m, filled from v; logs the view of the meeting (item, "edit"). */
static int render_edit(Req *r, const Meeting *m, Grounds g, int64_t pid, const Params *v, int status) {
  int rc = audit_object(r, pid, m->trajectory_id, "meeting", m->id, "edit", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, m->trajectory_id, g, _("Change the meeting"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p><a href=\"/t/%lld/meetings/%lld\">%s</a></p>", (long long)m->trajectory_id, (long long)m->id,
       _("Back to the meeting"));
  html(&r->out, "<h1>%s</h1>", _("Change the meeting"));
  html(&r->out, "<p>%s</p>", _("The attendees get a mail that the meeting changed, with the new time for their "
                               "calendar. Who is no longer invited gets a cancellation."));
  meeting_form(r, m->trajectory_id, v,
               arena_printf(r->a, "/t/%lld/meetings/%lld/edit", (long long)m->trajectory_id, (long long)m->id),
               kind_label(m->kind), _("Save the changes"));
  page_end(r);
  return status;
}

/* GET /t/{id}/meetings/{meeting}/edit */
static int get_meeting_edit(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = change_door(r, "edit", &g, &pid, &m);
  if (s) return s;
  Attendee *at;
  int na;
  int rc = meeting_attendees(r->db, r->a, r->user, m.id, &at, &na);
  if (rc != DB_OK) return http_db_error(r, rc);
  Param *p = arena_alloc(r->a, sizeof *p * (size_t)(na + 8));
  int n = 0;
  struct tm tm;
  if (!dates_local(m.starts_at, &tm)) return http_error(r, 500, NULL);
  p[n++] = (Param){"kind", m.kind};
  p[n++] = (Param){"mode", m.mode};
  p[n++] = (Param){"date", arena_printf(r->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)};
  p[n++] = (Param){"time", arena_printf(r->a, "%02d:%02d", tm.tm_hour, tm.tm_min)};
  p[n++] = (Param){"duration", arena_printf(r->a, "%lld", (long long)m.minutes)};
  p[n++] = (Param){"place", m.place};
  p[n++] = (Param){"video_url", m.video_url};
  p[n++] = (Param){"agenda", m.agenda};
  for (int i = 0; i < na; i++)
    p[n++] = at[i].participant ? (Param){"participant", "1"}
                               : (Param){arena_printf(r->a, "m%lld", (long long)at[i].member_id), "1"};
  Params v = {p, n};
  return render_edit(r, &m, g, pid, &v, 200);
}

/* Whether id is one of the n ids. */
static bool among(const int64_t *ids, int n, int64_t id) {
  for (int i = 0; i < n; i++)
    if (ids[i] == id) return true;
  return false;
}

/* POST /t/{id}/meetings/{meeting}/edit: the new time, place, agenda and attendees; the attendees get a mail
 * with the updated .ics (same UID, SEQUENCE raised), who was removed a cancellation. */
static int post_meeting_edit(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = change_door(r, "update", &g, &pid, &m);
  if (s) return s;
  MeetingNew n;
  int rc = meeting_form_read(r, m.trajectory_id, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (r->nerrors) return render_edit(r, &m, g, pid, &r->form, 400);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t *before = NULL, *after = NULL;
  int nb = 0, na = 0;
  rc = meeting_attendee_accounts(r->db, r->a, m.id, 65, &before, &nb);
  if (rc == DB_OK) rc = meeting_update(r->db, m.id, &n);
  if (rc == DB_DONE) return meeting_was_cancelled(r, true); /* cancelled meanwhile */
  if (rc == DB_OK) rc = meeting_attendee_accounts(r->db, r->a, m.id, 65, &after, &na);
  Meeting changed = {.id = m.id, .trajectory_id = m.trajectory_id, .starts_at = n.starts_at, .minutes = n.minutes,
                     .sequence = m.sequence + 1};
  if (rc == DB_OK) rc = mail_attendees(r, &changed, "meeting_changed", ICS_REQUEST, after, na);
  int64_t *gone = arena_alloc(r->a, sizeof *gone * (size_t)(nb + 1));
  int ng = 0;
  for (int i = 0; i < nb; i++)
    if (!among(after, na, before[i])) gone[ng++] = before[i];
  if (rc == DB_OK) rc = mail_attendees(r, &changed, "meeting_cancelled", ICS_CANCEL, gone, ng);
  if (rc != DB_OK) return http_db_error(r, rc);
  return meeting_changed(r, pid, &m, "update", g);
}

/* POST /t/{id}/meetings/{meeting}/cancel: the meeting stays, marked cancelled; the attendees get a
 * cancellation (METHOD:CANCEL, STATUS:CANCELLED, same UID, SEQUENCE raised). */
static int post_meeting_cancel(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = change_door(r, "cancel", &g, &pid, &m);
  if (s) return s;
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = meeting_cancel(r->db, m.id, (int64_t)time(NULL));
  if (rc == DB_DONE) return meeting_was_cancelled(r, true); /* cancelled meanwhile */
  int64_t *uids = NULL;
  int nu = 0;
  if (rc == DB_OK) rc = meeting_attendee_accounts(r->db, r->a, m.id, 65, &uids, &nu);
  m.sequence++;
  if (rc == DB_OK) rc = mail_attendees(r, &m, "meeting_cancelled", ICS_CANCEL, uids, nu);
  if (rc != DB_OK) return http_db_error(r, rc);
  return meeting_changed(r, pid, &m, "cancel", g);
}

/* GET /t/{id}/meetings/{mid}/ics: the meeting for the reader's own calendar. It carries what the reader sees
 * on the meeting's page about the meeting itself (kind, time, place, video link) but not the agenda nor the
 * attendees, so that a calendar program or a shared calendar gets no more than needed. */
static int get_meeting_ics(Req *r) {
  Grounds g;
  int64_t pid;
  Meeting m;
  int s = meeting_door(r, "export", &g, &pid, &m);
  if (s) return s;
  int rc = audit_object(r, pid, m.trajectory_id, "meeting", m.id, "export", g);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *path = arena_printf(r->a, "/t/%lld/meetings/%lld", (long long)m.trajectory_id, (long long)m.id);
  const char *where = *m.place ? m.place : *m.video_url ? m.video_url : NULL;
  IcsEvent e = {.uid = event_uid(r->a, m.id), .summary = _(feed_summary), .location = where,
                .description = kind_label(m.kind), .url = outbox_portal_url(r->a, path), .starts_at = m.starts_at,
                .minutes = m.minutes, .stamp = (int64_t)time(NULL), .sequence = (int)m.sequence,
                .cancelled = m.cancelled_at != 0};
  const char *ics = ics_calendar(r->a, NULL, dates_zone(), &e, 1);
  buf_puts(&r->out, ics); /* raw: text/calendar, escaped by libical */
  r->content_type = "text/calendar; charset=utf-8";
  http_header(r, "Content-Disposition",
              arena_printf(r->a, "attachment; filename=\"meeting-%lld.ics\"", (long long)m.id));
  return 200;
}

/* ---- the personal feed ---- */

/* GET /calendar/<token>.ics: the meetings of the token's user from 30 days ago on, without case content. */
static int get_feed(Req *r) {
  const char *file = r->rest ? r->rest : "";
  size_t n = strlen(file);
  char token[TOKEN_LEN + 1];
  if (n != TOKEN_LEN + 4 || strcmp(file + TOKEN_LEN, ".ics") != 0) return http_error(r, 404, NULL);
  memcpy(token, file, TOKEN_LEN);
  token[TOKEN_LEN] = '\0';
  if (!token_shape_ok(token)) return http_error(r, 404, NULL);
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  int64_t uid;
  int rc = calendar_token_user(r->db, hash, &uid);
  if (rc == DB_DONE) return http_error(r, 404, NULL);
  if (rc != DB_ROW) return http_db_error(r, rc);
  Meeting *ms;
  int nm;
  if ((rc = calendar_meetings(r->db, r->a, uid, (int64_t)time(NULL) - 30 * 86400, FEED_MAX, &ms, &nm)) != DB_OK)
    return http_db_error(r, rc);
  /* in the language of the token's owner, whose calendar it is */
  const char *addr, *lang;
  if ((rc = outbox_user_address(r->db, r->a, uid, &addr, &lang)) != DB_OK) return http_db_error(r, rc);
  const char *summary = summary_in(lang), *calname = i18n_tr_in(lang && i18n_known(lang) ? lang : cfg.lang,
                                                                 product_name);
  IcsEvent *ev = arena_alloc(r->a, sizeof *ev * (size_t)(nm + 1));
  int64_t now = (int64_t)time(NULL);
  for (int i = 0; i < nm; i++)
    ev[i] = (IcsEvent){.uid = event_uid(r->a, ms[i].id), .summary = summary, .sequence = (int)ms[i].sequence,
                       .cancelled = ms[i].cancelled_at != 0,
                       .url = outbox_portal_url(r->a, arena_printf(r->a, "/t/%lld/meetings/%lld",
                                                            (long long)ms[i].trajectory_id, (long long)ms[i].id)),
                       .starts_at = ms[i].starts_at, .minutes = ms[i].minutes, .stamp = now};
  buf_puts(&r->out, ics_calendar(r->a, calname, dates_zone(), ev, nm)); /* raw: text/calendar */
  r->content_type = "text/calendar; charset=utf-8";
  log_info("rid=%s calendar feed of user %lld: %d events", r->rid, (long long)uid, nm);
  return 200;
}

int calendar_feed_section(Req *r, const char *fresh_token) {
  int64_t since;
  int rc = calendar_token_live(r->db, r->user->id, &since);
  if (rc != DB_OK) return rc;
  html(&r->out, "<section class=\"card\" id=\"calendar\" aria-labelledby=\"calendar-h\"><h2 id=\"calendar-h\">%s</h2>",
       _("Your meetings in your calendar"));
  html(&r->out, "<p>%s</p>",
       _("With a calendar link, your calendar (Outlook, Google, Apple) shows your meetings in this portal. The "
         "calendar only gets the time and a link, never names or what the meeting is about."));
  if (fresh_token) {
    html(&r->out, "<p class=\"one-time-link\"><code data-copy>%s</code></p>",
         outbox_portal_url(r->a, arena_printf(r->a, "/calendar/%s.ics", fresh_token)));
    html(&r->out, "<p><strong>%s</strong></p>",
         _("Copy this link into your calendar now: it is shown only this once. Anyone with the link sees the times "
           "of your meetings."));
  } else if (since) {
    html(&r->out, "<p>%s</p>", arena_printf(r->a, _("You have a calendar link since %s."), time_for(r, since)));
  }
  if (since) {
    form_begin(r, "/account/calendar/revoke", "form");
    html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Stop the calendar link"));
    form_end(r);
  }
  form_begin(r, "/account/calendar", "form");
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>",
       since ? _("Make a new calendar link (the old one stops)") : _("Make a calendar link"));
  form_end(r);
  html(&r->out, "</section>");
  return DB_OK;
}

static int post_calendar(Req *r) {
  char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
  token_new(token);
  token_hash(token, hash);
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = calendar_token_set(r->db, r->user->id, hash, (int64_t)time(NULL))) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s user %lld made a calendar link", r->rid, (long long)r->user->id);
  page_begin(r, _("Your meetings in your calendar"));
  html(&r->out, "<h1>%s</h1>", _("Your meetings in your calendar"));
  if ((rc = calendar_feed_section(r, token)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p><a href=\"/account\">%s</a></p>", _("Back to my account"));
  page_end(r);
  return 200;
}

static int post_calendar_revoke(Req *r) {
  int rc;
  int64_t changed;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = calendar_token_revoke(r->db, r->user->id, (int64_t)time(NULL), &changed)) != DB_OK)
    return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s user %lld stopped %lld calendar link(s)", r->rid, (long long)r->user->id, (long long)changed);
  return http_redirect_flash(r, "/account", "saved");
}

const Route meetings_routes[] = {
    {"GET", "/t/{id}/meetings", ROLES_CASE, R_CASE, get_meetings},
    {"POST", "/t/{id}/meetings", ROLES_CASE, R_CASE, post_meeting},
    {"GET", "/t/{id}/meetings/{meeting}", ROLES_CASE, R_CASE, get_meeting},
    {"POST", "/t/{id}/meetings/{meeting}/respond", ROLES_CASE, R_CASE, post_respond},
    {"POST", "/t/{id}/meetings/{meeting}/minutes", ROLES_CASE, R_CASE, post_minutes},
    {"GET", "/t/{id}/meetings/{meeting}/edit", ROLES_CASE, R_CASE, get_meeting_edit},
    {"POST", "/t/{id}/meetings/{meeting}/edit", ROLES_CASE, R_CASE, post_meeting_edit},
    {"POST", "/t/{id}/meetings/{meeting}/cancel", ROLES_CASE, R_CASE, post_meeting_cancel},
    {"GET", "/t/{id}/meetings/{meeting}/ics", ROLES_CASE, R_CASE | R_NOFRAME, get_meeting_ics},
    {"GET", "/calendar/{*file}", 0, R_PUBLIC, get_feed}, /* public, with the database: the token is looked up */
    {"POST", "/account/calendar", ROLE_ANY, 0, post_calendar},
    {"POST", "/account/calendar/revoke", ROLE_ANY, 0, post_calendar_revoke},
    {0},
};
