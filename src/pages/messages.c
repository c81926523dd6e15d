/*
 * messages.c — secure messages in a trajectory: the conversations of a trajectory (/t/{id}/messages), one
 * thread with its reply form (/t/{id}/messages/{msg}), sending, withdrawing, and the inbox of the
 * conversations addressed to the signed-in user (/messages).
 *
 * A message is case information (store/messages.h): an items row of kind 'message' whose category is
 * chosen by the sender and whose source party is the sender's (the participant; a network member's own
 * membership; a coach writes about the participant, so the participant is the source). Its audience is
 * decided by the one visibility rule: the form offers only the people who would see an item of that
 * category from that source (message_reader_allowed, the SQL form), and the server checks every chosen
 * recipient once more against the stored item with policy_item (the C form) before anything is committed;
 * a recipient who may not read it is a 403 and nothing is stored. Names of recipients follow the
 * membership rule. Every list and view is disclosed per message (items_disclose) before the page is
 * written; reading sets the reader's receipt. A withdrawn message keeps its row, loses its text and says
 * when it was withdrawn; only its author may withdraw it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "mail/outbox.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/messages_policy.h"
#include "policy/policy.h"
#include "store/items.h"
#include "store/messages.h"
#include "store/network.h"
#include "store/trajectories.h"
#include "store/users.h"

enum { MSG_MAX = 5000, MSG_LIST = 200, INBOX_MAX = 50 };

/* The count of the request this thread serves, by its request id: the menu's badge and the coach's day
 * (dashboard.c) show the same number, counted once. A handler runs in one thread from start to end. */
static _Thread_local struct {
  const Req *r;
  char rid[sizeof ((Req *)0)->rid];
  int64_t n;
} unread_memo;

int messages_nav_unread(Req *r, int64_t *n) {
  if (unread_memo.r == r && strcmp(unread_memo.rid, r->rid) == 0) {
    *n = unread_memo.n;
    return DB_OK;
  }
  int rc = messages_unread_count(r->db, r->user, date_today_text(r->a), n);
  if (rc == DB_OK) {
    unread_memo.r = r;
    memcpy(unread_memo.rid, r->rid, sizeof unread_memo.rid);
    unread_memo.n = *n;
  }
  return rc;
}

/* Whose information a message of the reader is: the participant (0) for the participant and the coach, the
 * reader's own live membership for a network member. Returns a DB code. */
static int sender_source(Req *r, int64_t tid, Grounds g, int64_t *source) {
  *source = 0;
  if (!policy_message_from_membership(g)) return DB_OK;
  const char *side;
  return network_member_of_user(r->db, r->a, tid, r->user->id, source, &side, NULL);
}

/* A candidate as the reader the rule is asked about: its id and roles are all the rule reads of a user. */
static User candidate_user(const MessageCandidate *c) {
  return (User){.id = c->user_id, .roles = c->roles, .name = c->name};
}

/* The people the reader may address a message of category (source: the reader's party) to: those with
 * standing whose name the reader may see and who would see such an item under the rule. The candidates come
 * in one query with what the rule needs of them (no account loaded one by one); the rule's SQL form is then
 * asked once per candidate, the reader being its parameters. Arena array. */
static int allowed_candidates(Req *r, int64_t tid, const char *category, int64_t source, MessageCandidate **out,
                              int *n) {
  MessageCandidate *all;
  int m;
  int rc = message_candidates(r->db, r->a, r->user, tid, &all, &m);
  if (rc != DB_OK) return rc;
  *out = arena_alloc(r->a, sizeof **out * (size_t)(m + 1));
  *n = 0;
  const char *today = date_today_text(r->a);
  for (int i = 0; i < m; i++) {
    User cand = candidate_user(&all[i]);
    bool ok;
    if ((rc = message_reader_allowed(r->db, &cand, tid, category, source, r->user->id, today, &ok)) != DB_OK)
      return rc;
    if (ok) (*out)[(*n)++] = all[i];
  }
  return DB_OK;
}

static const char *candidate_kind_label(const char *kind) {
  if (strcmp(kind, "coach") == 0) return _("coach");
  if (strcmp(kind, "participant") == 0) return _("participant");
  if (strcmp(kind, "care") == 0) return _("care network");
  return _("work network");
}

/* Whether user id was chosen in the form's "to" fields. */
static bool chosen(Req *r, int64_t id) {
  for (int i = 0; i < r->form.n; i++)
    if (strcmp(r->form.v[i].key, "to") == 0 && strtoll(r->form.v[i].val, NULL, 10) == id) return true;
  return false;
}

/* The form for a new message (thread 0) or a reply (thread: the first message; its category is fixed).
 * preset: user ids checked when the form is shown the first time (NULL-free array of npreset), coach: check
 * the coaches (the participant's "message your coach"). Returns a DB code. */
static int compose_form(Req *r, int64_t tid, Grounds g, int64_t thread, const char *category, const int64_t *preset,
                        int npreset, bool coach) {
  int64_t source;
  int rc = sender_source(r, tid, g, &source);
  if (rc != DB_OK) return rc;
  MessageCandidate *c;
  int n;
  if ((rc = allowed_candidates(r, tid, category, source, &c, &n)) != DB_OK) return rc;
  const char *action = thread ? arena_printf(r->a, "/t/%lld/messages/%lld", (long long)tid, (long long)thread)
                              : arena_printf(r->a, "/t/%lld/messages", (long long)tid);
  html(&r->out, "<section class=\"card\" id=\"new\" aria-labelledby=\"h-new\"><h2 id=\"h-new\">%s</h2>",
       thread ? _("Reply") : _("New message"));
  if (!thread) {
    /* the category decides who may read it: choosing it first shows only those people (no JavaScript needed) */
    html(&r->out, "<form method=\"get\" action=\"/t/%lld/messages\" class=\"search\">", (long long)tid);
    html(&r->out, "<label for=\"category\">%s</label><select id=\"category\" name=\"category\">", _("What is it about?"));
    for (int i = 0; item_categories[i]; i++)
      html(&r->out, "<option value=\"%s\"%s>%s</option>", item_categories[i],
           strcmp(category, item_categories[i]) == 0 ? " selected" : "", label_category(item_categories[i]));
    html(&r->out, "</select><button type=\"submit\">%s</button></form>", _("Show who may read it"));
  } else {
    html(&r->out, "<p class=\"meta\"><span class=\"badge\">%s</span></p>", label_category(category));
  }
  form_errors_summary(r);
  form_begin(r, action, NULL);
  html(&r->out, "<input type=\"hidden\" name=\"category\" value=\"%s\">", category);
  if (n == 0) {
    html(&r->out, "<p class=\"empty\">%s</p>",
         _("Nobody else may read a message about this from you. Choose another subject."));
  } else {
    html(&r->out, "<fieldset><legend>%s</legend>", _("Send to"));
    const char *err = form_error_for(r, "to");
    if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-to\">%s</p>", err);
    bool posted = r->form.n > 0;
    for (int i = 0; i < n; i++) {
      bool on = posted ? chosen(r, c[i].user_id) : (coach && strcmp(c[i].kind, "coach") == 0);
      for (int k = 0; !posted && k < npreset; k++)
        if (preset[k] == c[i].user_id) on = true;
      html(&r->out, "<div class=\"check\"><input type=\"checkbox\" id=\"to-%lld\" name=\"to\" value=\"%lld\"%s>"
                    "<label for=\"to-%lld\">%s (%s)</label></div>",
           (long long)c[i].user_id, (long long)c[i].user_id, on ? " checked" : "", (long long)c[i].user_id,
           c[i].name, candidate_kind_label(c[i].kind));
    }
    html(&r->out, "</fieldset>");
  }
  field_textarea(r, &(Field){.name = "body", .label = _("Message"), .value = form_str(r, "body"), .required = true,
                             .hint = case_wabz(r, tid) /* the programme's words */
                                         ? (policy_message_writer_is_participant(g)
                                                ? _("Only the people you choose read it, and your mediator.")
                                                : _("Only the people you choose read it, and the mediators of this "
                                                    "trajectory."))
                                         : policy_message_writer_is_participant(g)
                                         ? _("Only the people you choose read it, and your coach.")
                                                       : _("Only the people you choose read it, and the coaches of this "
                                                           "trajectory."),
                             .maxlength = MSG_MAX},
                 5);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Send"));
  form_end(r);
  html(&r->out, "</section>");
  return DB_OK;
}

/* Writes one message: who wrote it, to whom (with the receipts for its author), its text or that it was
 * withdrawn, and its actions. Returns a DB code. */
static int message_article(Req *r, int64_t tid, const Message *m, bool reply) {
  html(&r->out, "<article class=\"note message%s\" id=\"message-%lld\"><header><p class=\"meta\">"
                "<span class=\"badge\">%s</span> <strong>%s</strong> · %s%s</p>",
       reply ? " reply" : "", (long long)m->id, label_category(m->category), name_or_hidden(m->author),
       time_for(r, m->created_at), m->unread ? arena_printf(r->a, " · %s", _("new")) : "");
  MessageRecipient *rcp;
  int n;
  int rc = message_recipients_of(r->db, r->a, r->user, m->id, &rcp, &n);
  if (rc != DB_OK) return rc;
  bool mine = policy_may_withdraw_message(r->user, m->author_id); /* the author sees the receipts, withdraws */
  html(&r->out, "<p class=\"meta\">%s ", _("To:"));
  for (int i = 0; i < n; i++) {
    const char *who = name_or_hidden(rcp[i].name);
    if (mine && rcp[i].read_at)
      html(&r->out, "%s%s", i ? ", " : "", arena_printf(r->a, _("%s (read %s)"), who, time_for(r, rcp[i].read_at)));
    else if (mine)
      html(&r->out, "%s%s", i ? ", " : "", arena_printf(r->a, _("%s (not read yet)"), who));
    else
      html(&r->out, "%s%s", i ? ", " : "", who);
  }
  html(&r->out, "</p></header>");
  if (m->withdrawn_at) {
    html(&r->out, "<p class=\"muted\"><em>%s</em></p>",
         arena_printf(r->a, _("This message was withdrawn on %s."), time_for(r, m->withdrawn_at)));
  } else {
    /* plain text, one paragraph line per line */
    const char *p = m->body;
    html(&r->out, "<div class=\"message-body\">");
    while (*p) {
      const char *e = strchr(p, '\n');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      char *line = arena_alloc(r->a, len + 1);
      memcpy(line, p, len);
      line[len] = 0;
      if (len && line[len - 1] == '\r') line[--len] = 0;
      if (len) html(&r->out, "<p>%s</p>", line);
      p += len;
      if (*p == '\n') p++;
    }
    html(&r->out, "</div>");
  }
  html(&r->out, "<p class=\"actions\">");
  if (!reply) html(&r->out, "<a href=\"/t/%lld/messages/%lld#new\">%s</a> ", (long long)tid, (long long)m->id, _("Reply"));
  html(&r->out, "</p>");
  if (mine && !m->withdrawn_at) {
    form_begin(r, arena_printf(r->a, "/t/%lld/messages/%lld/withdraw", (long long)tid, (long long)m->id), "inline");
    html(&r->out, "<button type=\"submit\" class=\"link\">%s</button>", _("Withdraw this message"));
    form_end(r);
  }
  html(&r->out, "</article>");
  return DB_OK;
}

/* Loads the messages of tid the reader may read (only thread `only`'s when not 0), discloses them in the
 * access log, sets the reader's receipts; *out and *n are what may be shown (ids of withheld ones dropped). */
static int load_and_disclose(Req *r, int64_t tid, int64_t pid, Grounds g, int64_t only, Message **out, int *n) {
  Message *all;
  int m;
  int rc = messages_visible(r->db, r->a, r->user, tid, policy_message_hub(g), date_today_text(r->a), MSG_LIST, &all,
                            &m);
  if (rc != DB_OK) return rc;
  Message *keep = arena_alloc(r->a, sizeof *keep * (size_t)(m + 1));
  int k = 0;
  for (int i = 0; i < m; i++)
    if (!only || all[i].id == only || all[i].thread_id == only) keep[k++] = all[i];
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(k + 1));
  for (int i = 0; i < k; i++) ids[i] = keep[i].id;
  rc = items_disclose(r, pid, tid, g, only ? arena_printf(r->a, "message:%lld", (long long)only) : "messages",
                      only ? "view" : "list", "message", ids, k);
  if (rc != DB_OK) return rc;
  *n = 0;
  bool any_unread = false;
  for (int i = 0; i < k; i++)
    if (ids[i]) {
      keep[(*n)++] = keep[i];
      any_unread |= keep[i].unread && !keep[i].withdrawn_at;
    }
  *out = keep;
  if (!any_unread) return DB_OK;
  if ((rc = db_begin(r->db)) != DB_OK) return rc;
  int64_t now = (int64_t)time(NULL);
  for (int i = 0; i < *n && rc == DB_OK; i++)
    if (keep[i].unread && !keep[i].withdrawn_at) rc = message_mark_read(r->db, keep[i].id, r->user->id, now);
  if (rc == DB_OK) rc = db_commit(r->db);
  return rc;
}

static int render_messages(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  Message *msgs;
  int n;
  int rc = load_and_disclose(r, tid, pid, g, 0, &msgs, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  const char *category = form_str(r, "category");
  if (!is_category(category)) category = query_str(r, "category");
  if (!is_category(category)) category = "practical";
  if ((rc = case_page_begin(r, tid, g, _("Messages"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Messages"));
  trajectory_subnav(r, tid, g, "messages");
  bool closed;
  if ((rc = trajectory_is_closed(r->db, tid, &closed)) != DB_OK) return http_db_error(r, rc);
  if (!closed) {
    if ((rc = compose_form(r, tid, g, 0, category, NULL, 0, strcmp(query_str(r, "to"), "coach") == 0)) != DB_OK)
      return http_db_error(r, rc);
  }
  html(&r->out, "<section aria-labelledby=\"h-conv\"><h2 id=\"h-conv\">%s</h2>", _("Conversations"));
  if (n == 0) html(&r->out, "<p class=\"empty\">%s</p>", _("There are no messages you can read yet."));
  for (int i = 0; i < n; i++)
    if ((rc = message_article(r, tid, &msgs[i], msgs[i].thread_id != 0)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "</section>");
  page_end(r);
  return status;
}

static int get_messages(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "messages", "list", GROUNDS_NONE, &g, &pid);
  if (s) return s;
  return render_messages(r, r->ids[0], g, pid, 200);
}

static int render_thread(Req *r, int64_t tid, Grounds g, int64_t pid, const Message *root, int status) {
  Message *msgs;
  int n;
  int rc = load_and_disclose(r, tid, pid, g, root->id, &msgs, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = case_page_begin(r, tid, g, _("Message"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Message"));
  trajectory_subnav(r, tid, g, "messages");
  html(&r->out, "<p><a href=\"/t/%lld/messages\">%s</a></p>", (long long)tid, _("All messages"));
  for (int i = 0; i < n; i++)
    if ((rc = message_article(r, tid, &msgs[i], msgs[i].id != root->id)) != DB_OK) return http_db_error(r, rc);
  bool closed;
  if ((rc = trajectory_is_closed(r->db, tid, &closed)) != DB_OK) return http_db_error(r, rc);
  if (!closed) {
    /* a reply goes back to the people of the thread's first message (those who may read it) */
    MessageRecipient *rcp;
    int nr;
    if ((rc = message_recipients_of(r->db, r->a, r->user, root->id, &rcp, &nr)) != DB_OK) return http_db_error(r, rc);
    int64_t *preset = arena_alloc(r->a, sizeof *preset * (size_t)(nr + 1));
    for (int i = 0; i < nr; i++) preset[i] = rcp[i].user_id;
    preset[nr] = root->author_id;
    if ((rc = compose_form(r, tid, g, root->id, root->category, preset, nr + 1, false)) != DB_OK)
      return http_db_error(r, rc);
  }
  page_end(r);
  return status;
}

/* The message r->ids[1] of trajectory r->ids[0] as the reader may read it, or the refusal's status (404,
 * logged on the file the object belongs to) in *status. */
static int load_message(Req *r, const char *action, Grounds *g, int64_t *pid, Message *m, int *status) {
  int64_t tid = r->ids[0], mid = r->ids[1];
  const char *item = arena_printf(r->a, "message:%lld", (long long)mid);
  *status = 0;
  int s = object_door(r, OWNER_ITEM, mid, item, action, GROUNDS_NONE, g, pid);
  if (s) return *status = s;
  int rc = message_get(r->db, r->a, r->user, tid, mid, policy_message_hub(*g), date_today_text(r->a), m);
  if (rc == DB_DONE) return *status = object_refused(r, OWNER_ITEM, mid, item, action, grounds_name(*g));
  if (rc != DB_ROW) return *status = http_db_error(r, rc);
  return 0;
}

static int get_message(Req *r) {
  Grounds g;
  int64_t pid;
  Message m;
  int s;
  if (load_message(r, "view", &g, &pid, &m, &s)) return s;
  if (m.thread_id) return http_redirect(r, arena_printf(r->a, "/t/%lld/messages/%lld#message-%lld", (long long)r->ids[0],
                                                        (long long)m.thread_id, (long long)m.id));
  return render_thread(r, r->ids[0], g, pid, &m, 200);
}

/* Sends a message (thread: the first message of the thread replied to, or NULL). */
/* The portal's address of path, for a mail. */
static const char *message_portal_url(Arena *a, const char *path) {
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return arena_printf(a, "%.*s%s", (int)n, cfg.base_url, path);
  }
  return arena_printf(a, "http://%s%s", cfg.listen, path);
}

static int send_message(Req *r, int64_t tid, Grounds g, int64_t pid, const Message *thread) {
  const char *category = thread ? thread->category : form_str(r, "category"), *body = form_str(r, "body");
  int status = 400;
  if (!is_category(category)) form_error(r, "category", _("Choose what the message is about."));
  if (!*body) form_error(r, "body", _("The message is empty."));
  else if (text_chars(body) > MSG_MAX) {
    form_error(r, "body", _("The message is too long (at most 5000 characters). Split it into two messages."));
    status = 413;
  }
  if (!policy_may_send_message(g)) return http_error(r, 404, NULL);
  int64_t source;
  int rc = sender_source(r, tid, g, &source);
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the chosen recipients: each must be one the form offers (may read this category from this source) */
  int nto = params_count(&r->form, "to");
  int64_t *to = arena_alloc(r->a, sizeof *to * (size_t)(nto + 1));
  User *to_user = arena_alloc(r->a, sizeof *to_user * (size_t)(nto + 1)); /* to[i] as the rule reads them */
  int k = 0;
  if (is_category(category) && nto) {
    MessageCandidate *c;
    int n;
    if ((rc = allowed_candidates(r, tid, category, source, &c, &n)) != DB_OK) return http_db_error(r, rc);
    for (int i = 0; i < r->form.n; i++) {
      if (strcmp(r->form.v[i].key, "to") != 0) continue;
      char *end;
      long long v = strtoll(r->form.v[i].val, &end, 10);
      int found = -1;
      bool dup = false;
      for (int j = 0; j < n && *r->form.v[i].val && !*end; j++)
        if (c[j].user_id == v) found = j;
      bool ok = found >= 0;
      for (int j = 0; j < k; j++) dup |= to[j] == v;
      if (!ok) {
        audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "message", .action = "create",
                                     .outcome = "denied", .grounds = grounds_name(g)});
        return http_error(r, 403, _("One of the people you chose may not read a message about this from you, so "
                                    "nothing was sent. Choose only from the people the form offers."));
      }
      if (!dup) {
        to_user[k] = candidate_user(&c[found]);
        to[k++] = v;
      }
    }
  }
  if (!k && !r->nerrors) form_error(r, "to", _("Choose who gets the message."));
  if (r->nerrors) {
    if (thread) return render_thread(r, tid, g, pid, thread, status);
    return render_messages(r, tid, g, pid, status);
  }

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t id;
  rc = item_create(r->db, &(ItemNew){.trajectory_id = tid, .kind = "message", .category = category,
                                     .source_member_id = source, .author_id = r->user->id, .title = "",
                                     .body = body, .created_at = (int64_t)time(NULL)}, &id);
  if (rc == DB_OK) rc = message_create(r->db, id, tid, thread ? thread->id : 0);
  const char *today = date_today_text(r->a);
  for (int i = 0; i < k && rc == DB_OK; i++) {
    /* the C rule on the stored item, for each recipient: a disagreement with the form's check refuses all */
    Grounds rg = GROUNDS_NONE;
    int64_t consent;
    rc = policy_item(r->db, &to_user[i], id, today, &rg, &consent, NULL);
    if (rc == DB_OK && rg == GROUNDS_NONE) {
      db_rollback(r->db);
      audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "message", .action = "create",
                                   .outcome = "denied", .grounds = grounds_name(g)});
      return http_error(r, 403, _("One of the people you chose may not read a message about this from you, so "
                                  "nothing was sent. Choose only from the people the form offers."));
    }
    if (rc == DB_OK) rc = message_add_recipient(r->db, id, to[i]);
    /* a mail that only says there is a new message (issue 12): per the recipient's choice, in this
     * transaction; an account without a usable address gets none (DB_CONSTRAINT), the message still goes */
    bool due = false;
    if (rc == DB_OK && outbox_enabled()) rc = user_message_mail_due(r->db, to[i], (int64_t)time(NULL), &due);
    if (rc == DB_OK && due) {
      rc = outbox_queue(r->db, to[i], NULL, "message",
                        message_portal_url(r->a, arena_printf(r->a, "/t/%lld/messages", (long long)tid)), NULL);
      if (rc == DB_CONSTRAINT) rc = DB_OK;
    }
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "message:%lld", (long long)id), "create", g,
                                thread ? arena_printf(r->a, "/t/%lld/messages/%lld", (long long)tid, (long long)thread->id)
                                       : arena_printf(r->a, "/t/%lld/messages", (long long)tid));
}

static int post_message(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "message", "create", GROUNDS_NONE, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  return send_message(r, r->ids[0], g, pid, NULL);
}

static int post_reply(Req *r) {
  Grounds g;
  int64_t pid;
  Message m;
  int s;
  if (load_message(r, "reply", &g, &pid, &m, &s)) return s;
  if ((s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  if (m.thread_id) return http_error(r, 404, NULL);
  return send_message(r, r->ids[0], g, pid, &m);
}

static int post_withdraw(Req *r) {
  Grounds g;
  int64_t pid;
  Message m;
  int s;
  if (load_message(r, "withdraw", &g, &pid, &m, &s)) return s;
  int64_t tid = r->ids[0];
  const char *item = arena_printf(r->a, "message:%lld", (long long)m.id);
  if (!policy_may_withdraw_message(r->user, m.author_id)) {
    int rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item,
                                          .action = "withdraw", .outcome = "denied", .grounds = grounds_name(g)});
    if (rc != DB_OK) return http_db_error(r, rc);
    return http_error(r, 403, _("Only the person who wrote a message can withdraw it."));
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK && !m.withdrawn_at) rc = message_withdraw(r->db, m.id, (int64_t)time(NULL));
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, item, "withdraw", g,
                                arena_printf(r->a, "/t/%lld/messages/%lld", (long long)tid,
                                             (long long)(m.thread_id ? m.thread_id : m.id)));
}

/* /messages: the trajectories with messages addressed to the reader, with their unread counts. */
static int get_inbox(Req *r) {
  InboxRow *rows;
  int n;
  int rc = messages_inbox(r->db, r->a, r->user, date_today_text(r->a), INBOX_MAX, &rows, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  AuditEntry *e = arena_alloc(r->a, sizeof *e * (size_t)(n + 1));
  for (int i = 0; i < n; i++) /* the grounds from the standing read with the rows: no query per row */
    e[i] = (AuditEntry){.participant_id = rows[i].participant_id, .trajectory_id = rows[i].trajectory_id,
                        .item = "messages", .action = "list", .outcome = "ok",
                        .grounds = grounds_name(policy_inbox_grounds(r->user, &rows[i]))};
  if (n) {
    if ((rc = audit_write_many(r, e, n)) != DB_OK) return http_db_error(r, rc);
  } else {
    audit_nothing_shown(r);
  }
  page_begin(r, _("Messages"));
  html(&r->out, "<h1>%s</h1>", _("Messages"));
  if (n == 0) {
    html(&r->out, "<p class=\"empty\">%s</p>", _("Nobody has sent you a message yet."));
  } else {
    html(&r->out, "<ul class=\"cards\">");
    for (int i = 0; i < n; i++) {
      html(&r->out, "<li class=\"card\"><h2><a href=\"/t/%lld/messages\">%s</a></h2><p>%s</p></li>",
           (long long)rows[i].trajectory_id, rows[i].participant,
           arena_printf(r->a, P_("%lld unread message", "%lld unread messages", rows[i].unread),
                        (long long)rows[i].unread));
    }
    html(&r->out, "</ul>");
  }
  page_end(r);
  return 200;
}

const Route messages_routes[] = {
    {"GET", "/messages", ROLE_COACH | ROLE_PARTICIPANT | ROLE_PARTNER, R_CASE, get_inbox},
    {"GET", "/t/{id}/messages", ROLES_CASE, R_CASE, get_messages},
    {"POST", "/t/{id}/messages", ROLES_CASE, R_CASE, post_message},
    {"GET", "/t/{id}/messages/{msg}", ROLES_CASE, R_CASE, get_message},
    {"POST", "/t/{id}/messages/{msg}", ROLES_CASE, R_CASE, post_reply},
    {"POST", "/t/{id}/messages/{msg}/withdraw", ROLES_CASE, R_CASE, post_withdraw},
    {0},
};
