/*
 * accesslog.c — reading the access log (NEN 7513): the participant's "Who looked at my file" (/me/log),
 * the log officer's review with filters (/log) and its CSV export (/log.csv).
 *
 * The participant sees only entries about herself (access_log.participant_id of her participants row),
 * in plain words; other participants appear as "another participant", never by name, because being a
 * participant is itself sensitive. The log officer (second factor demanded by the server for the role)
 * sees every column, participants by id only, and the state of the hash chain and its seal (audit_check)
 * at the top.
 * Administrators without the log-officer role are kept out by the route's role mask.
 * The entries are read through store/accesslog.h. Filters reach SQL only as bound parameters: e-mail and
 * ids as values, action and outcome checked against fixed lists here, dates parsed with date_parse. Every
 * view and export writes an access-log entry.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/accesslog.h"

enum {
  EMAIL_MAX = 254,
  CSV_MAX_ROWS = 100000, /* rows in one export */
  LOG_COUNT_MAX = 1000,  /* /log counts the matching entries up to this many, then says "more than" */
};

/* ---- plain words for stored codes ---- */

/* A label for a code from a NULL-terminated code, label list; fallback when the code is unknown. */
static const char *code_label(const char *const *map, const char *code, const char *fallback) {
  for (int i = 0; code && map[i]; i += 2)
    if (strcmp(map[i], code) == 0) return _(map[i + 1]);
  return fallback;
}

/* The role an entry was written in (access_log.role), in plain words. */
static const char *role_words(const char *code) {
  static const char *const map[] = {
      "coach", N_("coach"), "participant", N_("participant"), "partner", N_("care or work partner"),
      "teamlead", N_("team lead"), "logofficer", N_("log officer"), "admin", N_("administrator"),
      "programme", N_("programme manager"), "anonymous", N_("not signed in"), NULL};
  return code_label(map, code, code ? code : "");
}

/* What was done (access_log.action), as the participant reads it. */
static const char *action_words(const char *action, const char *outcome) {
  static const char *const map[] = {
      "view", N_("looked at"), "list", N_("saw in a list"), "search", N_("saw in a list"),
      "create", N_("added"), "update", N_("changed"), "delete", N_("removed"), "export", N_("exported"),
      "print", N_("printed"), "edit", N_("opened to change"), "link_create", N_("made a sign-in link"),
      "link_show", N_("showed a sign-in link again"), "link_use", N_("used a sign-in link"),
      "link_void", N_("cancelled a sign-in link"), NULL};
  /* a lock is written as a refusal, but nothing was tried on the file: the account was locked */
  if (action && strcmp(action, "mfa_locked") == 0) return _("locked the sign-in after too many wrong codes");
  if (outcome && strcmp(outcome, "denied") == 0) return _("tried to open, was refused");
  return code_label(map, action, _("used"));
}

/* Which information (access_log.item: a kind, or kind:id), as the participant reads it. */
static const char *item_words(const char *item) {
  static const char *const exact[] = {
      "trajectory", N_("your trajectory"), "trajectory:phase", N_("the phase of your trajectory"),
      "network", N_("your network"), "caseload", N_("a list of participants"),
      "accesslog", N_("the list of who looked at your file"), "trajectory:protocol",
      N_("the protocol of your trajectory"), "notes", N_("your notes"), "consents", N_("who may see what"),
      "referrals", N_("your referrals"), "followups", N_("your follow-up moments"), "dashboard",
      N_("the coach's overview"), "checkins", N_("your check-ins"), "followups:checkins", N_("your check-ins"),
      "trajectory:coaches", N_("who your coaches are"), "trajectory:assignment", N_("which coach you have"), "plan",
      N_("your action plan"), "account", N_("your account"), NULL};
  static const char *const prefix[] = {"note:", N_("a note"), "member:", N_("your network"), "consent:",
                                       N_("a consent"), "plan:", N_("your action plan"), "referral:",
                                       N_("a referral"), "followup:", N_("a follow-up moment"), "account:",
                                       N_("your account"), "checkin:", N_("a check-in"), "standin:",
                                       N_("a stand-in for your coach"), "plan_action:",
                                       N_("an action in your action plan"), "plan_remark:",
                                       N_("a remark on your action plan"), NULL};
  const char *s = code_label(exact, item, NULL);
  if (s) return s;
  for (int i = 0; item && prefix[i]; i += 2)
    if (strncmp(item, prefix[i], strlen(prefix[i])) == 0) return _(prefix[i + 1]);
  return _("information in your file");
}

/* What was done (access_log.action), for the log officer. */
static const char *action_staff_words(const char *action) {
  static const char *const map[] = {
      "view", N_("viewed"), "list", N_("listed"), "search", N_("searched"), "create", N_("created"),
      "update", N_("changed"), "delete", N_("deleted"), "export", N_("exported"), "print", N_("printed"),
      "edit", N_("opened to edit"), "link_create", N_("one-time link made"), "link_show",
      N_("one-time link shown again"), "link_use", N_("one-time link used"), "link_void", N_("one-time link voided"),
      "mfa_locked", N_("second factor locked"), NULL};
  return code_label(map, action, action ? action : "");
}

/* On what grounds (access_log.grounds: grounds_name(), or the log officer's own), for the log officer. */
static const char *grounds_staff_words(const char *grounds) {
  static const char *const map[] = {
      "coach", N_("assigned coach"), "self", N_("the participant themselves"), "author", N_("author"),
      "source", N_("source party"), "consent", N_("consent of the source party"), "member",
      N_("network member"), "logofficer", N_("log officer"), "none", N_("no grounds"), "teamlead",
      N_("team lead"), "invite", N_("invitation"), "reset", N_("password reset"), NULL};
  return code_label(map, grounds, grounds ? grounds : "");
}

/* Which information (access_log.item: a kind, or kind:id), for the log officer: the kind in words; the
 * number of the object, if any, into *id (else ""). */
static const char *item_staff_words(Req *r, const char *item, const char **id) {
  static const char *const map[] = {
      "trajectory", N_("trajectory"), "trajectory:phase", N_("phase of the trajectory"),
      "trajectory:protocol", N_("protocol of the trajectory"), "network", N_("network"),
      "caseload", N_("caseload list"), "accesslog", N_("access log"), "notes", N_("list of notes"),
      "consents", N_("consents"), "referrals", N_("referrals"), "followups", N_("follow-up moments"),
      "followups:checkins", N_("check-ins"), "dashboard", N_("coach's day"), "assessments", N_("questionnaires"),
      "participant", N_("participant"), "account", N_("account"), "note", N_("note"), "plan", N_("action plan"),
      "plan_remark", N_("remark on an action"), "consent", N_("consent"), "member", N_("network member"),
      "referral", N_("referral"), "followup", N_("follow-up moment"), "assessment", N_("questionnaire result"),
      "checkins", N_("list of check-ins"), "checkin", N_("check-in"), "trajectory:coaches",
      N_("coaches of the trajectory"), "trajectory:assignment", N_("coach assignment"), "standin",
      N_("stand-in"), "plan_action", N_("action of the action plan"), NULL};
  *id = "";
  if (!item) return "";
  const char *s = code_label(map, item, NULL);
  if (s) return s;
  const char *colon = strchr(item, ':');
  if (colon) {
    s = code_label(map, arena_strndup(r->a, item, (size_t)(colon - item)), NULL);
    if (s) {
      *id = colon + 1;
      return s;
    }
  }
  return item;
}

/* ---- GET /me/log ---- */

/* "Who looked at my file" is grouped into visits: the entries of one person (account and role) that follow
 * each other with at most VISIT_GAP seconds between them are one visit, shown as one card — "Sofie
 * Peeters, your coach, looked at your notes and your action plan on 4 December 2026 at 14:33" — with
 * what was changed and what was refused on their own lines. Times are local (core/dates.h). "Only others"
 * is on unless the participant turns it off. Names: the participant may know every member of her own
 * network (policy_member_visible), and every account that read her file is named with its role, staff
 * (administrator, log officer) included: she has the right to know who looked. Other participants and
 * visitors who were not signed in are never named. The newest MYLOG_SCAN_MAX entries are grouped; older
 * ones are counted and said to exist. */
enum {
  VISIT_GAP = 30 * 60,
  MYLOG_SCAN_MAX = 20000,
  VISIT_PHRASES = 8, /* distinct actions in one visit */
  VISIT_ITEMS = 10,  /* distinct kinds of information per action */
};

/* One entry as read from the log (store/accesslog.h); text in the request arena. */
typedef AccessMyEntry MyEntry;

/* What one person did in a visit under one action phrase ("looked at"), and to which kinds of information. */
typedef struct VisitLine {
  const char *phrase;
  bool refused;
  const char *items[VISIT_ITEMS];
  int nitems;
} VisitLine;

typedef struct Visit {
  MyEntry who;         /* the newest entry of the visit: names the person */
  int64_t first, last; /* its earliest and latest moment */
  bool coach;          /* some entry was on the grounds of being the coach */
  VisitLine lines[VISIT_PHRASES];
  int nlines;
} Visit;

/* The kind of information an entry is about, for a summary: all notes are "your notes". */
static const char *item_kind_words(const char *item) {
  if (item && (strncmp(item, "note:", 5) == 0 || strcmp(item, "notes") == 0)) return _("your notes");
  if (item && (strncmp(item, "plan:", 5) == 0 || strncmp(item, "plan_action:", 12) == 0 ||
               strncmp(item, "plan_remark:", 12) == 0))
    return _("your action plan");
  if (item && (strncmp(item, "checkin:", 8) == 0 || strcmp(item, "checkins") == 0)) return _("your check-ins");
  if (item && (strncmp(item, "consent:", 8) == 0 || strcmp(item, "consents") == 0)) return _("who may see what");
  if (item && (strncmp(item, "referral:", 9) == 0 || strcmp(item, "referrals") == 0)) return _("your referrals");
  if (item && (strncmp(item, "followup:", 9) == 0 || strcmp(item, "followups") == 0))
    return _("your follow-up moments");
  if (item && (strncmp(item, "assessment", 10) == 0)) return _("your questionnaires");
  return item_words(item);
}

/* Adds what entry e says to visit v (a new phrase line, or a kind of information to a line). */
static void visit_add(Visit *v, const MyEntry *e) {
  if (e->at < v->first) v->first = e->at;
  if (e->grounds && strcmp(e->grounds, "coach") == 0 && strcmp(e->outcome, "ok") == 0) v->coach = true;
  const char *phrase = action_words(e->action, e->outcome);
  VisitLine *l = NULL;
  for (int i = 0; i < v->nlines; i++)
    if (v->lines[i].phrase == phrase) l = &v->lines[i];
  if (!l) {
    if (v->nlines == VISIT_PHRASES) return;
    l = &v->lines[v->nlines++];
    *l = (VisitLine){.phrase = phrase, .refused = strcmp(e->outcome, "denied") == 0};
  }
  /* a refusal says which object; the rest say which kind */
  const char *what = l->refused ? item_words(e->item) : item_kind_words(e->item);
  for (int i = 0; i < l->nitems; i++)
    if (l->items[i] == what) return;
  if (l->nitems < VISIT_ITEMS) l->items[l->nitems++] = what;
}

/* The visits being grouped: newer entries come first, so a visit whose first moment is more than VISIT_GAP
 * after the current entry is closed; open holds the ones that may still grow. */
typedef struct Grouping {
  Req *r;
  Visit *visits;
  int n, cap;
  int64_t entries; /* entries read */
  int open[64], nopen;
} Grouping;

/* Adds entry e (the next older one) to its visit, or starts a visit. */
static void group_entry(void *ctx, const AccessMyEntry *e) {
  Grouping *g = ctx;
  g->entries++;
  Visit *v = NULL;
  int k = 0;
  for (int j = 0; j < g->nopen; j++) {
    Visit *o = &g->visits[g->open[j]];
    if (o->first - e->at > VISIT_GAP) continue; /* closed: dropped from the open list */
    g->open[k++] = g->open[j];
    if (o->who.user_id == e->user_id && strcmp(o->who.role, e->role) == 0) v = o;
  }
  g->nopen = k;
  if (!v) {
    if (g->n == g->cap) {
      Visit *nv = arena_alloc(g->r->a, sizeof(Visit) * (size_t)g->cap * 2);
      memcpy(nv, g->visits, sizeof(Visit) * (size_t)g->cap);
      g->visits = nv;
      g->cap *= 2;
    }
    v = &g->visits[g->n];
    *v = (Visit){.who = *e, .first = e->at, .last = e->at};
    if (g->nopen == (int)(sizeof g->open / sizeof *g->open))
      memmove(g->open, g->open + 1, sizeof g->open - sizeof *g->open), g->nopen--;
    g->open[g->nopen++] = g->n++;
  }
  visit_add(v, e);
}

/* Reads the participant's newest entries (at most MYLOG_SCAN_MAX, "only others" applied) and groups them
 * into visits, newest first, into *visits (arena) and *n; *entries gets the number of entries read.
 * Returns a DB code. */
static int mylog_visits(Req *r, int64_t pid, bool others, Visit **visits, int *n, int64_t *entries) {
  Grouping g = {.r = r, .cap = 64};
  g.visits = arena_alloc(r->a, sizeof(Visit) * (size_t)g.cap);
  int rc = accesslog_of_participant(r->db, r->a, r->user, pid, others, MYLOG_SCAN_MAX, group_entry, &g);
  *visits = g.visits;
  *n = g.n;
  *entries = g.entries;
  return rc;
}

/* Writes a /me/log URL (for an href) with the "only others" choice and page. */
static void mylog_href(Req *r, bool others, int64_t page) {
  html(&r->out, "/me/log?set=1&amp;others=%d", others ? 1 : 0);
  if (page > 1) html(&r->out, "&amp;page=%lld", (long long)page);
}

/* The person of a visit, for the participant: "you", a name, or a description that names nobody (another
 * participant, someone not signed in, an account that no longer exists). */
static const char *visit_name(Req *r, const MyEntry *e) {
  if (e->user_id && e->user_id == r->user->id) return _("You");
  if (strcmp(e->role, "participant") == 0) return _("Another participant");
  if (!e->user_id) return _("Someone who was not signed in");
  if (!e->user_name) return _("An account that no longer exists");
  return e->user_name;
}

/* Who the person is to the participant: "your coach", their function in her network, or their role. */
static const char *visit_relation(Req *r, const Visit *v) {
  const MyEntry *e = &v->who;
  if (e->user_id && e->user_id == r->user->id) return _("yourself");
  if (strcmp(e->role, "coach") == 0) return v->coach ? _("your coach") : _("a coach who is not yours");
  if (strcmp(e->role, "partner") == 0 && e->member_role && *e->member_role)
    /* TRANSLATORS: the function of a person in the participant's network, e.g. "HR contact in your network" */
    return arena_printf(r->a, _("%s in your network"), network_role_label(e->member_role));
  return role_words(e->role);
}

/* "a, b and c" */
static const char *join_words(Req *r, const char *const *w, int n) {
  if (n == 0) return "";
  const char *s = w[0];
  for (int i = 1; i < n; i++)
    /* TRANSLATORS: joins the items of a list; the second form joins the last one */
    s = arena_printf(r->a, i == n - 1 ? _("%s and %s") : _("%s, %s"), s, w[i]);
  return s;
}

/* One visit as a card: the person, when, and what they did in sentences; refusals stand out. */
static void visit_card(Req *r, const Visit *v) {
  const char *name = visit_name(r, &v->who), *rel = visit_relation(r, v);
  html(&r->out, "<li class=\"card visit\"><h2 class=\"h3\">%s <span class=\"small muted\">%s", name, rel);
  if (v->who.user_name && v->who.org_name && strcmp(v->who.role, "participant") != 0)
    html(&r->out, " · %s", v->who.org_name);
  html(&r->out, "</span></h2>");
  const char *when = when_words(r->a, v->first);
  if (v->last - v->first >= 60)
    /* TRANSLATORS: a visit from a moment in words until a clock time, e.g. "4 December 2026 at 14:33 until 14:50" */
    when = arena_printf(r->a, _("%s until %s"), when, time_local(r->a, v->last));
  html(&r->out, "<p class=\"when\">%s</p>", when);
  const char *looked = action_words("view", "ok");
  for (int i = 0; i < v->nlines; i++) {
    const VisitLine *l = &v->lines[i];
    if (l->phrase != looked) continue;
    /* TRANSLATORS: who, who they are to you, what they looked at, when: "Sofie Peeters, your coach, looked at
     * your notes and your action plan on 4 December 2026 at 14:33." Reorder with %1$s..%4$s if needed. */
    html(&r->out, "<p class=\"lead\">%s</p>",
         arena_printf(r->a, _("%s, %s, looked at %s on %s."), name, rel, join_words(r, l->items, l->nitems),
                      when_words(r->a, v->first)));
  }
  html(&r->out, "<ul class=\"plain\">");
  for (int i = 0; i < v->nlines; i++) {
    const VisitLine *l = &v->lines[i];
    const char *text = arena_printf(r->a, _("%s: %s"), l->phrase, join_words(r, l->items, l->nitems));
    if (l->refused)
      html(&r->out, "<li class=\"refused\"><span class=\"badge badge-danger\">%s</span> %s</li>", _("refused"), text);
    else
      html(&r->out, "<li>%s</li>", text);
  }
  html(&r->out, "</ul></li>");
}

static int get_mylog(Req *r) {
  /* "only others" is on by default; the form sends set=1 so that an unticked box turns it off */
  bool others = *query_str(r, "set") ? query_int(r, "others", 0) == 1 : query_int(r, "others", 1) == 1;
  int64_t page = query_int(r, "page", 1), pid, nread = 0, total = 0;
  if (page < 1) page = 1;
  int rc = accesslog_own_participant(r->db, r->user, &pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  Visit *visits = NULL;
  int n = 0;
  if (pid) {
    if ((rc = mylog_visits(r, pid, others, &visits, &n, &nread)) != DB_OK) return http_db_error(r, rc);
    if (nread == MYLOG_SCAN_MAX && (rc = accesslog_of_participant_count(r->db, r->user, pid, others, &total)) != DB_OK) return http_db_error(r, rc);
  }
  int64_t pages = n ? (n + cfg.page_size - 1) / cfg.page_size : 1;
  if (page > pages) page = pages;
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .item = "accesslog", .action = "view",
                                    .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Who looked at my file"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><p class=\"lead\">%s</p><p>%s</p>", _("Who looked at my file"),
       _("Every time someone opens, adds to or changes information in your file, it is written down here. One "
         "card is one visit: what one person did in one go."),
       _("Your coach looks at your file to help you. Others only see what you agreed to share with them. If "
         "something here surprises you, talk to your coach."));
  html(&r->out, "<form method=\"get\" action=\"/me/log\" class=\"form\"><input type=\"hidden\" name=\"set\" value=\"1\">"
                "<div class=\"field check\"><input type=\"checkbox\" id=\"f-others\" name=\"others\" value=\"1\"%s>"
                "<label for=\"f-others\">%s</label></div>"
                "<div class=\"actions\"><button type=\"submit\" class=\"secondary\">%s</button></div></form>",
       others ? " checked" : "", _("Only others (hide what I did myself)"), _("Show"));
  html(&r->out, "<p class=\"small muted\">%s</p>",
       arena_printf(r->a, _("Times are in the time zone %s."), dates_zone()));
  if (n == 0) {
    html(&r->out, "<div class=\"empty card\"><p>%s</p></div>",
         others ? _("Nobody else has looked at your file yet.") : _("Nobody has looked at your file yet."));
  } else {
    int64_t first = (page - 1) * cfg.page_size, last = first + cfg.page_size < n ? first + cfg.page_size : n;
    html(&r->out, "<ul class=\"visits plain\" aria-label=\"%s\">", _("Visits, newest first"));
    for (int64_t i = first; i < last; i++) visit_card(r, &visits[i]);
    html(&r->out, "</ul>");
    if (total > nread)
      html(&r->out, "<p class=\"muted\">%s</p>",
           arena_printf(r->a, P_("%lld older entry is not shown here; your coach can ask for it.",
                                 "%lld older entries are not shown here; your coach can ask for them.", total - nread),
                        (long long)(total - nread)));
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
         arena_printf(r->a, _("%lld–%lld of %lld"), (long long)first + 1, (long long)last, (long long)n));
    if (page > 1) {
      html(&r->out, "<a rel=\"prev\" href=\"");
      mylog_href(r, others, page - 1);
      html(&r->out, "\">%s</a> ", _("Newer"));
    }
    if (page < pages) {
      html(&r->out, "<a rel=\"next\" href=\"");
      mylog_href(r, others, page + 1);
      html(&r->out, "\">%s</a>", _("Older"));
    }
    html(&r->out, "</nav>");
  }
  html(&r->out, "</div>");
  page_end(r);
  return 200;
}

/* ---- the log officer's filters, shared by /log and /log.csv ---- */

static const char *const actions[] = {"view", "list", "search", "create", "update", "delete", "export", "print",
                                      NULL};
static const char *const outcomes[] = {"ok", "denied", NULL};

/* The filters as typed (for re-showing the form) and as checked (for SQL). */
typedef struct LogFilter {
  const char *email, *pid_s, *tid_s, *action, *outcome, *from, *to; /* as typed, trimmed */
  int64_t pid, tid, from_at, to_at;                                  /* 0: no filter; to_at exclusive */
  int64_t before, after; /* paging by key: entries older than before, or newer than after (0: none) */
} LogFilter;

/* A positive id from s into *v; "" is no filter (0). Returns false for anything else. */
static bool parse_id(const char *s, int64_t *v) {
  *v = 0;
  if (!*s) return true;
  if (strlen(s) > 18) return false;
  for (const char *p = s; *p; p++) {
    if (!isdigit((unsigned char)*p)) return false;
    *v = *v * 10 + (*p - '0');
  }
  return *v > 0;
}

static bool in_list(const char *const *list, const char *s) {
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0) return true;
  return false;
}

/* Reads and checks the filters from the query string; records a form error per bad field. Returns false
 * if any field is bad (the filter then holds what was typed, for the form). */
static bool logfilter_parse(Req *r, LogFilter *f) {
  *f = (LogFilter){0};
  char *email = text_trim(arena_strdup(r->a, query_str(r, "email")));
  for (char *p = email; *p; p++) *p = (char)tolower((unsigned char)*p);
  f->email = email;
  f->pid_s = text_trim(arena_strdup(r->a, query_str(r, "participant")));
  f->tid_s = text_trim(arena_strdup(r->a, query_str(r, "trajectory")));
  f->action = text_trim(arena_strdup(r->a, query_str(r, "action")));
  f->outcome = text_trim(arena_strdup(r->a, query_str(r, "outcome")));
  f->from = text_trim(arena_strdup(r->a, query_str(r, "from")));
  f->to = text_trim(arena_strdup(r->a, query_str(r, "to")));
  f->before = query_int(r, "before", 0);
  f->after = query_int(r, "after", 0);
  if (f->before < 0) f->before = 0;
  if (f->after < 0) f->after = 0;

  if (text_chars(f->email) > EMAIL_MAX) form_error(r, "email", _("An e-mail address has at most 254 characters."));
  if (!parse_id(f->pid_s, &f->pid)) form_error(r, "participant", _("Enter a participant number, such as 12."));
  if (!parse_id(f->tid_s, &f->tid)) form_error(r, "trajectory", _("Enter a trajectory number, such as 7."));
  if (*f->action && !in_list(actions, f->action)) form_error(r, "action", _("Choose an action from the list."));
  if (*f->outcome && !in_list(outcomes, f->outcome)) form_error(r, "outcome", _("Choose an outcome from the list."));
  int32_t from_day = 0, to_day = 0;
  bool from_ok = true, to_ok = true;
  if (*f->from && !(from_ok = date_parse(f->from, &from_day)))
    form_error(r, "from", _("Enter a date as YYYY-MM-DD, for example 2026-03-31."));
  if (*f->to && !(to_ok = date_parse(f->to, &to_day)))
    form_error(r, "to", _("Enter a date as YYYY-MM-DD, for example 2026-03-31."));
  if (*f->from && *f->to && from_ok && to_ok && to_day < from_day)
    form_error(r, "to", _("The end date is before the start date."));
  if (*f->from && from_ok) f->from_at = (int64_t)from_day * 86400;
  if (*f->to && to_ok) f->to_at = ((int64_t)to_day + 1) * 86400;
  return r->nerrors == 0;
}

/* The store's filter for f. */
static AccessLogFilter logfilter_store(const LogFilter *f) {
  return (AccessLogFilter){.email = f->email, .pid = f->pid, .tid = f->tid, .action = f->action,
                           .outcome = f->outcome, .from_at = f->from_at, .to_at = f->to_at};
}

/* One access-log row with every column (store/accesslog.h); text in the request arena. */
typedef AccessLogRow LogRow;

/* Whether an actor is shown by number only: participants are never named to the log officer. */
static bool pseudonymous(unsigned roles, const char *role_code) {
  return (roles & ROLE_PARTICIPANT) || (role_code && strcmp(role_code, "participant") == 0);
}

/* Reads one page of matching entries (paged by key), newest first, into *pg, with the name and e-mail of a
 * participant acting (or acted for) left out (NULL). Returns a DB code. */
static int log_rows(Req *r, const LogFilter *f, AccessLogPage *pg) {
  AccessLogFilter sf = logfilter_store(f);
  int rc = accesslog_page(r->db, r->a, &sf, cfg.page_size, f->before, f->after, pg);
  for (int i = 0; rc == DB_OK && i < pg->n; i++) {
    LogRow *e = &pg->rows[i];
    if (pseudonymous(e->user_roles, e->role)) e->user_name = e->user_email = NULL;
    if (pseudonymous(e->behalf_roles, NULL)) e->behalf_email = NULL;
  }
  return rc;
}

/* Writes the query string of f ("?key=value&amp;...", without page; nothing when no filter is set), for
 * links to /log and /log.csv. */
static void logfilter_query(Req *r, const LogFilter *f) {
  const struct {
    const char *key, *val;
  } kv[] = {{"email", f->email}, {"participant", f->pid_s}, {"trajectory", f->tid_s}, {"action", f->action},
            {"outcome", f->outcome}, {"from", f->from},     {"to", f->to}};
  bool first = true;
  for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
    if (!*kv[i].val) continue;
    html(&r->out, "%s%s=", first ? "?" : "&amp;", kv[i].key);
    html_urlarg(&r->out, kv[i].val);
    first = false;
  }
}

/* Writes a /log URL (for an href) keeping f's filters, with key=id (a page by key: "before" or "after"). */
static void log_href(Req *r, const LogFilter *f, const char *key, int64_t id) {
  html(&r->out, "/log");
  logfilter_query(r, f);
  bool any = *f->email || *f->pid_s || *f->tid_s || *f->action || *f->outcome || *f->from || *f->to;
  html(&r->out, "%s%s=%lld", any ? "&amp;" : "?", key, (long long)id);
}

/* How far this view verified the chain (from the checkpoint or all of it) and when the whole chain was last
 * verified, with a link that verifies it all now. */
static void chain_checkpoint_words(Req *r, const AuditCheck *c) {
  if (c->from_checkpoint)
    html(&r->out, "<br><span class=\"small\">%s</span>",
         arena_printf(r->a, _("Checked from the verified checkpoint at entry %lld on: %lld newer entries."),
                      (long long)c->checkpoint_id, (long long)c->walked));
  else
    html(&r->out, "<br><span class=\"small\">%s</span>",
         arena_printf(r->a, _("The whole chain was checked: %lld entries."), (long long)c->walked));
  html(&r->out, "<br><span class=\"small\">");
  if (c->full_at)
    html(&r->out, "%s", arena_printf(r->a, _("Last full verification: %s, up to entry %lld."), fmt_time(r, c->full_at),
                                     (long long)c->full_entry_id));
  else
    html(&r->out, "%s", _("The whole chain has not been verified yet."));
  html(&r->out, " %s <a href=\"/log?verify=full\">%s</a></span>",
       _("A change to an entry before the checkpoint is found only by a full verification."),
       _("Verify the whole chain now"));
}

/* The chain state at the top of /log (audit_check): intact with the number of entries and the sealed head,
 * or every finding — an entry that does not fit the chain, entries removed from its end, a rewritten head,
 * a missing or forged seal, a changed boundary. */
static int chain_status(Req *r, bool full) {
  /* the seal may be newer than this page's read snapshot: end it, so that the log is read after the seal
   * (everything shown below was read already) */
  db_snapshot_end(r->db);
  AuditCheck c;
  int rc = audit_check_mode(r->db, &c, !full);
  if (rc != DB_OK) return rc;
  if (audit_check_intact(&c)) {
    html(&r->out, "<p class=\"flash\" role=\"status\">%s %lld.<br><span class=\"small\">%s</span>",
         _("The chain of entries is intact. Entries checked:"), (long long)c.checked,
         arena_printf(r->a, _("Sealed up to entry %lld, with the key kept outside the database."),
                      (long long)c.seal.id));
    chain_checkpoint_words(r, &c);
    html(&r->out, "</p>");
    return DB_OK;
  }
  html(&r->out, "<div class=\"errors\" role=\"alert\">");
  if (c.bad_id)
    html(&r->out, "<p>%s %lld.</p>", _("The access log has been tampered with: the chain is broken at entry"),
         (long long)c.bad_id);
  else
    html(&r->out, "<p>%s</p>", _("The access log has been tampered with."));
  html(&r->out, "<ul>");
  if (c.key != KEY_OK)
    html(&r->out, "<li>%s</li>", _("The chain key cannot be read, so the chain cannot be checked."));
  if (c.bad_id)
    html(&r->out, "<li>%s</li>",
         _("That entry, or the one before it, was changed, removed or inserted after it was written."));
  if (c.key == KEY_OK && c.seal_status == SEAL_MISSING)
    html(&r->out, "<li>%s</li>", _("The seal of the log is missing: entries removed from its end cannot be ruled out."));
  else if (c.key == KEY_OK && c.seal_status != SEAL_OK)
    html(&r->out, "<li>%s</li>", _("The seal of the log was not written with the chain key: it was replaced or damaged."));
  if (c.boundary_changed)
    html(&r->out, "<li>%s</li>", _("The record of where the keyed chain begins was changed or removed."));
  if (c.truncated)
    html(&r->out, "<li>%s</li>",
         arena_printf(r->a, _("Entries were removed from the end of the log: it was sealed up to entry %lld, it "
                              "now ends at entry %lld."),
                      (long long)c.seal.id, (long long)c.last_id));
  if (c.head_changed)
    html(&r->out, "<li>%s</li>",
         arena_printf(r->a, _("Entry %lld differs from the seal: the log was rewritten after it was sealed."),
                      (long long)c.seal.id));
  if (c.checkpoint_forged)
    html(&r->out, "<li>%s</li>",
         _("The verified checkpoint was not written with the chain key: it was forged or damaged."));
  if (c.checkpoint_changed)
    html(&r->out, "<li>%s</li>",
         arena_printf(r->a, _("Entry %lld differs from the verified checkpoint: the log was rewritten."),
                      (long long)c.checkpoint_id));
  html(&r->out, "</ul><p>%s</p></div>",
       _("Export the log as evidence and report this as a security incident."));
  return DB_OK;
}

/* The GET filter form, with what was typed and errors beside the fields. */
static void log_form(Req *r, const LogFilter *f) {
  const char *action_opts[2 * 8 + 3] = {"", _("All actions")};
  for (int i = 0; actions[i]; i++) {
    action_opts[2 + 2 * i] = actions[i];
    action_opts[3 + 2 * i] = action_staff_words(actions[i]);
  }
  const char *outcome_opts[] = {"", _("All outcomes"), "ok", _("allowed"), "denied", _("refused"), NULL};
  form_errors_summary(r);
  html(&r->out, "<form method=\"get\" action=\"/log\" class=\"form filters\" role=\"search\" novalidate>");
  field_input(r, &(Field){.name = "email", .label = _("User e-mail address"), .type = "email", .value = f->email,
                          .maxlength = EMAIL_MAX});
  field_input(r, &(Field){.name = "participant", .label = _("Participant number"), .value = f->pid_s,
                          .maxlength = 18});
  field_input(r, &(Field){.name = "trajectory", .label = _("Trajectory number"), .value = f->tid_s,
                          .maxlength = 18});
  field_select(r, &(Field){.name = "action", .label = _("Action"), .value = f->action}, action_opts);
  field_select(r, &(Field){.name = "outcome", .label = _("Outcome"), .value = f->outcome}, outcome_opts);
  field_input(r, &(Field){.name = "from", .label = _("From (date, UTC)"), .type = "date", .value = f->from,
                          .hint = _("YYYY-MM-DD")});
  field_input(r, &(Field){.name = "to", .label = _("To (date, UTC, inclusive)"), .type = "date", .value = f->to,
                          .hint = _("YYYY-MM-DD")});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/log\">%s</a></div></form>",
       _("Show"), _("Clear filters"));
}

/* The table of one page of entries: every column, participants by number only. */
static void log_table(Req *r, const LogRow *rows, int n) {
  table_begin(r, NULL, _("Access log entries, newest first"));
  html(&r->out, "<thead><tr>");
  const char *heads[] = {_("Entry"),       _("Time (UTC)"),  _("User"),      _("Role"),     _("On behalf of"),
                         _("Participant"), _("Trajectory"),  _("Item"),      _("Action"),   _("Outcome"),
                         _("Grounds"),     _("Consent"),     _("Client address"), _("Request")};
  for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) html(&r->out, "<th scope=\"col\">%s</th>", heads[i]);
  html(&r->out, "</tr></thead><tbody>");
  for (int i = 0; i < n; i++) {
    const LogRow *e = &rows[i];
    html(&r->out, "<tr><th scope=\"row\">%lld</th><td>%s</td><td>", (long long)e->id, fmt_time(r, e->at));
    if (e->user_id && e->user_email)
      html(&r->out, "%s<br><span class=\"small muted\">%s</span>", e->user_name, e->user_email);
    else if (e->user_id)
      html(&r->out, "%s %lld", _("user"), (long long)e->user_id);
    html(&r->out, "</td><td>%s</td><td>", role_words(e->role));
    if (e->on_behalf_of)
      html(&r->out, "%lld<br><span class=\"small muted\">%s</span>", (long long)e->on_behalf_of,
           e->behalf_email ? e->behalf_email : "");
    html(&r->out, "</td><td>");
    if (e->participant_id) html(&r->out, "%lld", (long long)e->participant_id);
    html(&r->out, "</td><td>");
    if (e->trajectory_id) html(&r->out, "%lld", (long long)e->trajectory_id);
    const char *oid;
    html(&r->out, "</td><td>%s", item_staff_words(r, e->item, &oid));
    if (*oid) html(&r->out, " <span class=\"small muted\">%s</span>", arena_printf(r->a, _("no. %s"), oid));
    html(&r->out, "</td><td>%s</td><td>", action_staff_words(e->action));
    if (strcmp(e->outcome, "denied") == 0) html(&r->out, "<span class=\"badge badge-danger\">%s</span>", _("refused"));
    else html(&r->out, "%s", _("allowed"));
    html(&r->out, "</td><td>%s</td><td>", grounds_staff_words(e->grounds));
    if (e->consent_id) html(&r->out, "%lld", (long long)e->consent_id);
    html(&r->out, "</td><td>%s</td><td><code>%s</code></td></tr>", e->client ? e->client : "",
         e->request_id ? e->request_id : "");
  }
  html(&r->out, "</tbody>");
  table_end(r);
}

/* ---- GET /log ---- */

static int get_log(Req *r) {
  LogFilter f;
  bool valid = logfilter_parse(r, &f);
  int64_t total = 0;
  AccessLogPage pg = {0};
  int rc;
  if (valid) {
    AccessLogFilter sf = logfilter_store(&f);
    /* counted up to LOG_COUNT_MAX only: beyond it the page says "more than" */
    if ((rc = accesslog_count(r->db, r->a, &sf, LOG_COUNT_MAX, &total)) != DB_OK) return http_db_error(r, rc);
    if ((rc = log_rows(r, &f, &pg)) != DB_OK) return http_db_error(r, rc);
    /* a review filtered on one participant is shown to that participant as well */
    rc = audit_write(r, &(AuditEntry){.participant_id = f.pid, .trajectory_id = f.tid, .item = "accesslog",
                                      .action = "search", .outcome = "ok", .grounds = "logofficer"});
    if (rc != DB_OK) return http_db_error(r, rc);
  }

  page_begin(r, _("Access log"));
  html(&r->out, "<h1>%s</h1>", _("Access log"));
  if ((rc = chain_status(r, strcmp(query_str(r, "verify"), "full") == 0)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p>%s</p>",
       _("Every read, search, change, export and print of case information and every consent change. "
         "Participants are shown by number only."));
  log_form(r, &f);
  if (!valid) {
    page_end(r);
    return 400;
  }
  html(&r->out, "<p><a class=\"button\" href=\"/log.csv");
  logfilter_query(r, &f);
  html(&r->out, "\" download>%s</a></p>", _("Export these entries as CSV"));
  if (total > LOG_COUNT_MAX)
    html(&r->out, "<p class=\"muted\">%s %d.</p>",
         _("An export holds at most this many entries, the oldest first; narrow the filters to export the rest:"),
         CSV_MAX_ROWS);
  if (pg.n == 0) {
    html(&r->out, "<div class=\"empty card\"><p>%s</p></div>", _("No entries match these filters."));
  } else {
    log_table(r, pg.rows, pg.n);
    const char *count = total > LOG_COUNT_MAX
                            ? arena_printf(r->a, _("More than %d entries match these filters."), LOG_COUNT_MAX)
                            : arena_printf(r->a, P_("%lld entry matches these filters.",
                                                    "%lld entries match these filters.", total),
                                           (long long)total);
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s %s</p>", _("Pages"),
         arena_printf(r->a, _("Entries %lld to %lld."), (long long)pg.rows[0].id, (long long)pg.rows[pg.n - 1].id),
         count);
    if (pg.newer) {
      html(&r->out, "<a rel=\"prev\" href=\"");
      log_href(r, &f, "after", pg.rows[0].id);
      html(&r->out, "\">%s</a> ", _("Newer"));
    }
    if (pg.older) {
      html(&r->out, "<a rel=\"next\" href=\"");
      log_href(r, &f, "before", pg.rows[pg.n - 1].id);
      html(&r->out, "\">%s</a>", _("Older"));
    }
    html(&r->out, "</nav>");
  }
  page_end(r);
  return 200;
}

/* ---- GET /log.csv ---- */

/* Writes one CSV field (RFC 4180): always quoted, quotes doubled, a leading = + - @ (or tab, CR) defused
 * with a single quote so that a spreadsheet does not run it as a formula. NULL writes an empty field. */
static void csv_field(Req *r, const char *s, bool last) {
  buf_putc(&r->out, '"'); /* raw: CSV */
  if (s && *s && strchr("=+-@\t\r", *s)) buf_putc(&r->out, '\''); /* raw: CSV */
  for (const char *p = s; p && *p; p++) {
    if (*p == '"') buf_putc(&r->out, '"'); /* raw: CSV */
    buf_putc(&r->out, *p); /* raw: CSV */
  }
  buf_puts(&r->out, last ? "\"\r\n" : "\","); /* raw: CSV */
}

/* An id as a CSV field; 0 is empty. */
static void csv_id(Req *r, int64_t v) {
  char num[24] = "";
  if (v) snprintf(num, sizeof num, "%lld", (long long)v);
  csv_field(r, num, false);
}

/* Writes one entry as a CSV row into the request's output (ctx: the Req), participants by number only. */
static void csv_row(void *ctx, const AccessLogRow *e) {
  Req *r = ctx;
  char when[32] = "";
  time_t t = (time_t)e->at;
  struct tm tm;
  if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  bool hide_user = pseudonymous(e->user_roles, e->role);
  bool hide_behalf = pseudonymous(e->behalf_roles, NULL);
  csv_id(r, e->id);
  csv_field(r, when, false);
  csv_id(r, e->user_id);
  csv_field(r, hide_user ? NULL : e->user_name, false);
  csv_field(r, hide_user ? NULL : e->user_email, false);
  csv_field(r, e->role, false);
  csv_id(r, e->on_behalf_of);
  csv_field(r, hide_behalf ? NULL : e->behalf_email, false);
  csv_id(r, e->participant_id);
  csv_id(r, e->trajectory_id);
  csv_field(r, e->item, false);
  csv_field(r, e->action, false);
  csv_field(r, e->outcome, false);
  csv_field(r, e->grounds, false);
  csv_id(r, e->consent_id);
  csv_field(r, e->client, false);
  csv_field(r, e->request_id, false);
  csv_field(r, e->hash, true);
}

/* Writes every entry matching f (at most CSV_MAX_ROWS, oldest first) as CSV rows into r->out, with
 * participants by number only (as on the page). Returns a DB code. */
static int csv_rows(Req *r, const LogFilter *f) {
  AccessLogFilter sf = logfilter_store(f);
  return accesslog_export(r->db, r->a, &sf, CSV_MAX_ROWS, csv_row, r);
}

static int get_log_csv(Req *r) {
  LogFilter f;
  if (!logfilter_parse(r, &f)) return http_error(r, 400, r->errors[0].val);
  /* column names are a stable machine interface, not interface text: not translated */
  static const char *const header[] = {"id", "time_utc", "user_id", "user_name", "user_email", "role",
                                       "on_behalf_of_id", "on_behalf_of_email", "participant_id", "trajectory_id",
                                       "item", "action", "outcome", "grounds", "consent_id", "client_address",
                                       "request_id", "hash", NULL};
  for (int i = 0; header[i]; i++) csv_field(r, header[i], !header[i + 1]);
  int rc = csv_rows(r, &f);
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = f.pid, .trajectory_id = f.tid, .item = "accesslog",
                                      .action = "export", .outcome = "ok", .grounds = "logofficer"});
  if (rc != DB_OK) {
    buf_reset(&r->out);
    return http_db_error(r, rc);
  }
  char today[11], name[64];
  date_format(date_today(), today);
  snprintf(name, sizeof name, "attachment; filename=\"access-log-%.4s%.2s%.2s.csv\"", today, today + 5,
           today + 8);
  r->content_type = "text/csv; charset=utf-8";
  http_header(r, "Content-Disposition", arena_strdup(r->a, name));
  return 200;
}

const Route accesslog_routes[] = {
    {"GET", "/me/log", ROLE_PARTICIPANT, R_CASE, get_mylog},
    {"GET", "/log", ROLE_LOGOFFICER, R_CASE, get_log},
    {"GET", "/log.csv", ROLE_LOGOFFICER, R_CASE | R_NOFRAME, get_log_csv},
    {0},
};
