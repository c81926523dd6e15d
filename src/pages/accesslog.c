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
 * Filters reach SQL only as bound parameters: e-mail and ids as values, action and outcome checked
 * against fixed lists, dates parsed with date_parse. Every view and export writes an access-log entry.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"

enum {
  EMAIL_MAX = 254,
  CSV_MAX_ROWS = 100000, /* rows in one export */
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
      "anonymous", N_("not signed in"), NULL};
  return code_label(map, code, code ? code : "");
}

/* What was done (access_log.action), as the participant reads it. */
static const char *action_words(const char *action, const char *outcome) {
  static const char *const map[] = {
      "view", N_("looked at"), "list", N_("saw in a list"), "search", N_("saw in a list"),
      "create", N_("added"), "update", N_("changed"), "delete", N_("removed"), "export", N_("exported"),
      "print", N_("printed"), NULL};
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
      N_("the coach's overview"), NULL};
  static const char *const prefix[] = {"note:", N_("a note"), "member:", N_("your network"), "consent:",
                                       N_("a consent"), "plan:", N_("your action plan"), "referral:",
                                       N_("a referral"), "followup:", N_("a follow-up moment"), NULL};
  const char *s = code_label(exact, item, NULL);
  if (s) return s;
  for (int i = 0; item && prefix[i]; i += 2)
    if (strncmp(item, prefix[i], strlen(prefix[i])) == 0) return _(prefix[i + 1]);
  return _("information in your file");
}

/* On what grounds (access_log.grounds: grounds_name()), as the participant reads it. */
static const char *grounds_words(const char *grounds) {
  static const char *const map[] = {
      "coach", N_("as your coach"), "self", N_("you"), "author", N_("wrote it"),
      "source", N_("their own information"), "consent", N_("with your consent"),
      "member", N_("member of your network"), NULL};
  return code_label(map, grounds, _("no grounds"));
}

/* ---- GET /me/log ---- */

/* One entry as the participant sees it; text in the request arena. */
typedef struct MyEntry {
  int64_t at, user_id;
  const char *role, *item, *action, *outcome, *grounds, *user_name, *org_name;
} MyEntry;

/* The participants.id of the signed-in user into *pid (0 when there is none). Returns a DB code. */
static int my_participant(Req *r, int64_t *pid) {
  *pid = 0;
  Stmt *st = db_prepare(r->db, "SELECT id FROM participants WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, r->user->id);
  int rc = db_step(st);
  if (rc == DB_ROW) *pid = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Shared WHERE of the count and the list. Parameters: participant id; "only others" flag and the user's
 * own id. */
#define MYLOG_WHERE " WHERE l.participant_id = ? AND (? = 0 OR l.user_id IS NULL OR l.user_id <> ?)"

/* Counts the participant's entries into *total. Returns a DB code. */
static int mylog_count(Req *r, int64_t pid, bool others, int64_t *total) {
  Stmt *st = db_prepare(r->db, "SELECT COUNT(*) AS n FROM access_log l" MYLOG_WHERE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  db_bind_int(st, 2, others);
  db_bind_int(st, 3, r->user->id);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Reads page `page` of the participant's entries, newest first, into *rows (arena) and *n.
 * Returns a DB code. */
static int mylog_rows(Req *r, int64_t pid, bool others, int64_t page, MyEntry **rows, int *n) {
  Stmt *st = db_prepare(r->db,
                        "SELECT l.at, l.user_id, l.role, l.item, l.action, l.outcome, l.grounds,"
                        " u.name AS user_name, o.name AS org_name FROM access_log l"
                        " LEFT JOIN users u ON u.id = l.user_id LEFT JOIN organisations o ON o.id = u.org_id"
                        MYLOG_WHERE " ORDER BY l.at DESC, l.id DESC LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  db_bind_int(st, 2, others);
  db_bind_int(st, 3, r->user->id);
  db_bind_int(st, 4, cfg.page_size);
  db_bind_int(st, 5, (page - 1) * cfg.page_size);
  *rows = arena_alloc(r->a, sizeof(MyEntry) * (size_t)cfg.page_size);
  *n = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < cfg.page_size) {
    (*rows)[(*n)++] = (MyEntry){
        .at = db_int(st, "at"),
        .user_id = db_int(st, "user_id"),
        .role = arena_strdup(r->a, db_text(st, "role")),
        .item = arena_strdup(r->a, db_text(st, "item")),
        .action = arena_strdup(r->a, db_text(st, "action")),
        .outcome = arena_strdup(r->a, db_text(st, "outcome")),
        .grounds = arena_strdup(r->a, db_text(st, "grounds")),
        .user_name = arena_strdup(r->a, db_text(st, "user_name")),
        .org_name = arena_strdup(r->a, db_text(st, "org_name")),
    };
  }
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Writes a /me/log URL (for an href) with the "only others" flag and page. */
static void mylog_href(Req *r, bool others, int64_t page) {
  html(&r->out, "/me/log?others=%d", others ? 1 : 0);
  if (page > 1) html(&r->out, "&amp;page=%lld", (long long)page);
}

/* Who did it, for the participant: "you", a name, or a description that names nobody (another
 * participant, someone not signed in, an account that no longer exists). */
static void mylog_who(Req *r, const MyEntry *e) {
  bool own = e->user_id && e->user_id == r->user->id;
  if (own) {
    html(&r->out, "<strong>%s</strong>", _("you"));
    return;
  }
  if (strcmp(e->role, "participant") == 0) html(&r->out, "%s", _("another participant"));
  else if (!e->user_id) html(&r->out, "%s", _("someone who was not signed in"));
  else if (!e->user_name) html(&r->out, "%s", _("an account that no longer exists"));
  else {
    html(&r->out, "%s", e->user_name);
    if (e->org_name) html(&r->out, "<span class=\"small muted\"> · %s</span>", e->org_name);
  }
  html(&r->out, "<br><span class=\"small muted\">%s</span>", role_words(e->role));
}

/* The table of one page of entries: when, who, what and on what grounds. */
static void mylog_table(Req *r, const MyEntry *rows, int n) {
  html(&r->out, "<div class=\"table-wrap\"><table><caption>%s</caption><thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
       _("Who looked at your file, newest first"), _("When (UTC)"), _("Who"), _("What"), _("On what grounds"));
  for (int i = 0; i < n; i++) {
    const MyEntry *e = &rows[i];
    html(&r->out, "<tr><th scope=\"row\">%s</th><td>", fmt_time(r, e->at));
    mylog_who(r, e);
    html(&r->out, "</td><td>%s<br><span class=\"small muted\">%s</span></td><td>%s</td></tr>",
         action_words(e->action, e->outcome), item_words(e->item),
         strcmp(e->outcome, "denied") == 0 ? _("no grounds") : grounds_words(e->grounds));
  }
  html(&r->out, "</tbody></table></div>");
}

static int get_mylog(Req *r) {
  bool others = query_int(r, "others", 0) == 1;
  int64_t page = query_int(r, "page", 1), pid, total = 0;
  if (page < 1) page = 1;
  int rc = my_participant(r, &pid);
  if (rc != DB_OK) return http_db_error(r, rc);
  MyEntry *rows = NULL;
  int n = 0;
  int64_t pages = 1;
  if (pid) {
    if ((rc = mylog_count(r, pid, others, &total)) != DB_OK) return http_db_error(r, rc);
    pages = total ? (total + cfg.page_size - 1) / cfg.page_size : 1;
    if (page > pages) page = pages;
    if ((rc = mylog_rows(r, pid, others, page, &rows, &n)) != DB_OK) return http_db_error(r, rc);
  }
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .item = "accesslog", .action = "view",
                                    .outcome = "ok", .grounds = grounds_name(GROUNDS_SELF)});
  if (rc != DB_OK) return http_db_error(r, rc);

  page_begin(r, _("Who looked at my file"));
  html(&r->out, "<h1>%s</h1><p class=\"lead\">%s</p><p>%s</p>", _("Who looked at my file"),
       _("Every time someone opens, adds to or changes information in your file, it is written down here."),
       _("Your coach looks at your file to help you. Others only see what you agreed to share with them. If "
         "something here surprises you, talk to your coach."));
  html(&r->out, "<form method=\"get\" action=\"/me/log\" class=\"form\">"
                "<div class=\"field check\"><input type=\"checkbox\" id=\"f-others\" name=\"others\" value=\"1\"%s>"
                "<label for=\"f-others\">%s</label></div>"
                "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div></form>",
       others ? " checked" : "", _("Only others (hide what I did myself)"), _("Show"));
  if (n == 0) {
    html(&r->out, "<div class=\"empty card\"><p>%s</p></div>",
         others ? _("Nobody else has looked at your file yet.") : _("Nobody has looked at your file yet."));
  } else {
    mylog_table(r, rows, n);
    int64_t first = (page - 1) * cfg.page_size + 1;
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
         arena_printf(r->a, _("%lld–%lld of %lld"), (long long)first, (long long)(first + n - 1), (long long)total));
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
  int64_t page;
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
  f->page = query_int(r, "page", 1);
  if (f->page < 1) f->page = 1;

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

/* FROM and WHERE of the count, the page and the export. Parameters, in order: e-mail flag and e-mail;
 * participant id (0: any) twice; trajectory id (0: any) twice; action flag and action; outcome flag and
 * outcome; from flag and from (unix seconds); to flag and to (exclusive). logfilter_bind() binds them. */
#define LOG_FROM_WHERE                                                                                  \
  " FROM access_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users b ON b.id = l.on_behalf_of" \
  " WHERE (? = 0 OR u.email = ?) AND (? = 0 OR l.participant_id = ?) AND (? = 0 OR l.trajectory_id = ?)" \
  " AND (? = 0 OR l.action = ?) AND (? = 0 OR l.outcome = ?) AND (? = 0 OR l.at >= ?) AND (? = 0 OR l.at < ?)"

#define LOG_COLUMNS                                                                                        \
  "SELECT l.id, l.at, l.user_id, l.role, l.participant_id, l.trajectory_id, l.item, l.action, l.outcome," \
  " l.grounds, l.client, l.request_id, l.consent_id, l.on_behalf_of, l.hash, u.name AS user_name,"        \
  " u.email AS user_email, u.roles AS user_roles, b.email AS behalf_email, b.roles AS behalf_roles"

/* Binds the LOG_FROM_WHERE parameters from 1; returns the next free index. */
static int logfilter_bind(Stmt *st, const LogFilter *f) {
  db_bind_int(st, 1, *f->email != 0);
  db_bind_text(st, 2, f->email);
  db_bind_int(st, 3, f->pid);
  db_bind_int(st, 4, f->pid);
  db_bind_int(st, 5, f->tid);
  db_bind_int(st, 6, f->tid);
  db_bind_int(st, 7, *f->action != 0);
  db_bind_text(st, 8, f->action);
  db_bind_int(st, 9, *f->outcome != 0);
  db_bind_text(st, 10, f->outcome);
  db_bind_int(st, 11, f->from_at != 0);
  db_bind_int(st, 12, f->from_at);
  db_bind_int(st, 13, f->to_at != 0);
  db_bind_int(st, 14, f->to_at);
  return 15;
}

/* One access-log row with every column; text in the request arena. */
typedef struct LogRow {
  int64_t id, at, user_id, participant_id, trajectory_id, consent_id, on_behalf_of;
  const char *role, *item, *action, *outcome, *grounds, *client, *request_id, *hash;
  const char *user_name, *user_email, *behalf_email;
} LogRow;

/* Whether an actor is shown by number only: participants are never named to the log officer. */
static bool pseudonymous(unsigned roles, const char *role_code) {
  return (roles & ROLE_PARTICIPANT) || (role_code && strcmp(role_code, "participant") == 0);
}

/* Maps the current row of a LOG_COLUMNS statement; copies text into the arena. Name and e-mail of a
 * participant acting (or acted for) are left NULL. */
static LogRow logrow_read(Req *r, Stmt *st) {
  bool hide_user = pseudonymous((unsigned)db_int(st, "user_roles"), db_text(st, "role"));
  bool hide_behalf = pseudonymous((unsigned)db_int(st, "behalf_roles"), NULL);
  return (LogRow){
      .id = db_int(st, "id"),
      .at = db_int(st, "at"),
      .user_id = db_int(st, "user_id"),
      .participant_id = db_int(st, "participant_id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .consent_id = db_int(st, "consent_id"),
      .on_behalf_of = db_int(st, "on_behalf_of"),
      .role = arena_strdup(r->a, db_text(st, "role")),
      .item = arena_strdup(r->a, db_text(st, "item")),
      .action = arena_strdup(r->a, db_text(st, "action")),
      .outcome = arena_strdup(r->a, db_text(st, "outcome")),
      .grounds = arena_strdup(r->a, db_text(st, "grounds")),
      .client = arena_strdup(r->a, db_text(st, "client")),
      .request_id = arena_strdup(r->a, db_text(st, "request_id")),
      .hash = arena_strdup(r->a, db_text(st, "hash")),
      .user_name = hide_user ? NULL : arena_strdup(r->a, db_text(st, "user_name")),
      .user_email = hide_user ? NULL : arena_strdup(r->a, db_text(st, "user_email")),
      .behalf_email = hide_behalf ? NULL : arena_strdup(r->a, db_text(st, "behalf_email")),
  };
}

/* Counts the entries matching f into *total. Returns a DB code. */
static int log_count(Req *r, const LogFilter *f, int64_t *total) {
  Stmt *st = db_prepare(r->db, "SELECT COUNT(*) AS n" LOG_FROM_WHERE);
  if (!st) return DB_ERROR;
  logfilter_bind(st, f);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Reads one page of matching entries, newest first, into *rows (arena) and *n. Returns a DB code. */
static int log_rows(Req *r, const LogFilter *f, LogRow **rows, int *n) {
  Stmt *st = db_prepare(r->db, LOG_COLUMNS LOG_FROM_WHERE " ORDER BY l.id DESC LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  int i = logfilter_bind(st, f);
  db_bind_int(st, i, cfg.page_size);
  db_bind_int(st, i + 1, (f->page - 1) * cfg.page_size);
  *rows = arena_alloc(r->a, sizeof(LogRow) * (size_t)cfg.page_size);
  *n = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < cfg.page_size) (*rows)[(*n)++] = logrow_read(r, st);
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
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

/* Writes a /log URL (for an href) keeping f's filters, at page. */
static void log_href(Req *r, const LogFilter *f, int64_t page) {
  html(&r->out, "/log");
  logfilter_query(r, f);
  if (page > 1) {
    bool any = *f->email || *f->pid_s || *f->tid_s || *f->action || *f->outcome || *f->from || *f->to;
    html(&r->out, "%spage=%lld", any ? "&amp;" : "?", (long long)page);
  }
}

/* The chain state at the top of /log (audit_check): intact with the number of entries and the sealed head,
 * or every finding — an entry that does not fit the chain, entries removed from its end, a rewritten head,
 * a missing or forged seal, a changed boundary. */
static int chain_status(Req *r) {
  /* the seal may be newer than this page's read snapshot: end it, so that the log is read after the seal
   * (everything shown below was read already) */
  db_snapshot_end(r->db);
  AuditCheck c;
  int rc = audit_check(r->db, &c);
  if (rc != DB_OK) return rc;
  if (audit_check_intact(&c)) {
    html(&r->out, "<p class=\"flash\" role=\"status\">%s %lld.<br><span class=\"small\">%s</span></p>",
         _("The chain of entries is intact. Entries checked:"), (long long)c.checked,
         arena_printf(r->a, _("Sealed up to entry %lld, with the key kept outside the database."),
                      (long long)c.seal.id));
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
  html(&r->out, "</ul><p>%s</p></div>",
       _("Export the log as evidence and report this as a security incident."));
  return DB_OK;
}

/* The GET filter form, with what was typed and errors beside the fields. */
static void log_form(Req *r, const LogFilter *f) {
  const char *action_opts[2 * 8 + 3] = {"", _("All actions")};
  for (int i = 0; actions[i]; i++) {
    action_opts[2 + 2 * i] = actions[i];
    action_opts[3 + 2 * i] = actions[i];
  }
  const char *outcome_opts[] = {"", _("All outcomes"), "ok", _("ok (allowed)"), "denied", _("denied (refused)"),
                                NULL};
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
  html(&r->out, "<div class=\"table-wrap\"><table><caption>%s</caption><thead><tr>", _("Access log entries, newest first"));
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
    html(&r->out, "</td><td>%s</td><td>%s</td><td>", e->item ? e->item : "", e->action);
    if (strcmp(e->outcome, "denied") == 0) html(&r->out, "<span class=\"badge badge-danger\">%s</span>", e->outcome);
    else html(&r->out, "%s", e->outcome);
    html(&r->out, "</td><td>%s</td><td>", e->grounds ? e->grounds : "");
    if (e->consent_id) html(&r->out, "%lld", (long long)e->consent_id);
    html(&r->out, "</td><td>%s</td><td><code>%s</code></td></tr>", e->client ? e->client : "",
         e->request_id ? e->request_id : "");
  }
  html(&r->out, "</tbody></table></div>");
}

/* ---- GET /log ---- */

static int get_log(Req *r) {
  LogFilter f;
  bool valid = logfilter_parse(r, &f);
  int64_t total = 0, pages = 1;
  LogRow *rows = NULL;
  int n = 0, rc;
  if (valid) {
    if ((rc = log_count(r, &f, &total)) != DB_OK) return http_db_error(r, rc);
    pages = total ? (total + cfg.page_size - 1) / cfg.page_size : 1;
    if (f.page > pages) f.page = pages;
    if ((rc = log_rows(r, &f, &rows, &n)) != DB_OK) return http_db_error(r, rc);
    /* a review filtered on one participant is shown to that participant as well */
    rc = audit_write(r, &(AuditEntry){.participant_id = f.pid, .trajectory_id = f.tid, .item = "accesslog",
                                      .action = "search", .outcome = "ok", .grounds = "logofficer"});
    if (rc != DB_OK) return http_db_error(r, rc);
  }

  page_begin(r, _("Access log"));
  html(&r->out, "<h1>%s</h1>", _("Access log"));
  if ((rc = chain_status(r)) != DB_OK) return http_db_error(r, rc);
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
  if (total > CSV_MAX_ROWS)
    html(&r->out, "<p class=\"muted\">%s %d.</p>",
         _("An export holds at most this many entries, the oldest first; narrow the filters to export the rest:"),
         CSV_MAX_ROWS);
  if (n == 0) {
    html(&r->out, "<div class=\"empty card\"><p>%s</p></div>", _("No entries match these filters."));
  } else {
    log_table(r, rows, n);
    int64_t first = (f.page - 1) * cfg.page_size + 1;
    html(&r->out, "<nav class=\"pager\" aria-label=\"%s\"><p>%s</p>", _("Pages"),
         arena_printf(r->a, _("%lld–%lld of %lld"), (long long)first, (long long)(first + n - 1), (long long)total));
    if (f.page > 1) {
      html(&r->out, "<a rel=\"prev\" href=\"");
      log_href(r, &f, f.page - 1);
      html(&r->out, "\">%s</a> ", _("Newer"));
    }
    if (f.page < pages) {
      html(&r->out, "<a rel=\"next\" href=\"");
      log_href(r, &f, f.page + 1);
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

/* Writes every entry matching f (at most CSV_MAX_ROWS, oldest first) as CSV rows into r->out, with
 * participants by number only (as on the page). Returns a DB code. */
static int csv_rows(Req *r, const LogFilter *f) {
  Stmt *st = db_prepare(r->db, LOG_COLUMNS LOG_FROM_WHERE " ORDER BY l.id LIMIT ?");
  if (!st) return DB_ERROR;
  int i = logfilter_bind(st, f);
  db_bind_int(st, i, CSV_MAX_ROWS);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    char when[32] = "";
    time_t t = (time_t)db_int(st, "at");
    struct tm tm;
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    csv_id(r, db_int(st, "id"));
    csv_field(r, when, false);
    csv_id(r, db_int(st, "user_id"));
    bool hide_user = pseudonymous((unsigned)db_int(st, "user_roles"), db_text(st, "role"));
    bool hide_behalf = pseudonymous((unsigned)db_int(st, "behalf_roles"), NULL);
    csv_field(r, hide_user ? NULL : db_text(st, "user_name"), false);
    csv_field(r, hide_user ? NULL : db_text(st, "user_email"), false);
    csv_field(r, db_text(st, "role"), false);
    csv_id(r, db_int(st, "on_behalf_of"));
    csv_field(r, hide_behalf ? NULL : db_text(st, "behalf_email"), false);
    csv_id(r, db_int(st, "participant_id"));
    csv_id(r, db_int(st, "trajectory_id"));
    csv_field(r, db_text(st, "item"), false);
    csv_field(r, db_text(st, "action"), false);
    csv_field(r, db_text(st, "outcome"), false);
    csv_field(r, db_text(st, "grounds"), false);
    csv_id(r, db_int(st, "consent_id"));
    csv_field(r, db_text(st, "client"), false);
    csv_field(r, db_text(st, "request_id"), false);
    csv_field(r, db_text(st, "hash"), true);
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
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
