/*
 * notes.c — case information as notes: the timeline of a trajectory (/t/{id}/notes), one note
 * (/t/{id}/notes/{nid}) and adding a note.
 *
 * Lists come from the SQL filter POLICY_SQL_ITEM_VISIBLE, so a hidden note is not fetched, not counted
 * and not searchable. Every note that is shown is checked once more with policy_item (the same rule in
 * C) and gets its own access-log entry with the grounds and the consent that allowed it; the entries of
 * one page go to the log as one batch, before the page is sent.
 *
 * Who adds what: the coach records information and names its source party (the participant or a network
 * member); the participant adds information of their own; a network member adds information of their own
 * (they are its source). Nobody can name somebody else as the source except the coach.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/dates.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "render/markdown.h"
#include "store/items.h"
#include "store/network.h"

enum { TITLE_MAX = 200, BODY_MAX = 20000, SEARCH_MAX = 100 };

static void note_form(Req *r, int64_t tid, Grounds g) {
  const char *cats[12];
  int k = 0;
  for (int i = 0; item_categories[i]; i++) {
    cats[k++] = item_categories[i];
    cats[k++] = label_category(item_categories[i]);
  }
  cats[k] = NULL;
  html(&r->out, "<section class=\"card\" aria-labelledby=\"new-note\"><h2 id=\"new-note\">%s</h2>", _("Add a note"));
  form_errors_summary(r);
  form_begin(r, arena_printf(r->a, "/t/%lld/notes", (long long)tid), NULL);
  field_input(r, &(Field){.name = "title", .label = _("Title"), .value = form_str(r, "title"), .required = true,
                          .maxlength = TITLE_MAX});
  field_select(r, &(Field){.name = "category", .label = _("Category"), .value = form_str(r, "category"),
                           .hint = _("Who may read it depends on this: the source party decides per category."),
                           .required = true},
               cats);
  if (g == GROUNDS_COACH) {
    const char **opts;
    if (member_options(r, tid, (const char *const[]){"participant", programme_word(case_programme(r, tid), PW_THE_PARTICIPANT), NULL}, &opts) == DB_OK)
      field_select(r, &(Field){.name = "source", .label = _("Whose information is this?"),
                               .value = form_str(r, "source"), .required = true},
                   opts);
  }
  field_textarea(r, &(Field){.name = "body", .label = _("Note"), .value = form_str(r, "body"), .required = true,
                             .hint = reader_plain(r) ? _("Put ** around words to make them bold; start a line with - "
                                                         "for a list.")
                                                     : _("You can use Markdown: **bold**, lists with -, links."),
                             .maxlength = BODY_MAX},
                 8);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Save note"));
  form_end(r);
  html(&r->out, "</section>");
}

/* Writes one note as an article: in a list its title is an h3 that links to the note; on the note's own
 * page (single) the title is the page's h1. */
static void note_article(Req *r, int64_t tid, const Note *n, bool single) {
  if (single)
    html(&r->out, "<article class=\"note\" id=\"note-%lld\"><header><h1>%s</h1>", (long long)n->id, n->title);
  else
    html(&r->out, "<article class=\"note\" id=\"note-%lld\"><header><h3><a href=\"/t/%lld/notes/%lld\">%s</a></h3>",
         (long long)n->id, (long long)tid, (long long)n->id, n->title);
  /* the participant reads her own information as hers ("Source: you"); the others read whose it is */
  const char *source = !n->source_member && reader_plain(r)
                           ? _("Source: you")
                           : arena_printf(r->a, _("Source: %s"),
                                          n->source_member ? name_or_hidden(n->source_name) : _("the participant"));
  html(&r->out, "<p class=\"meta\"><span class=\"badge\">%s</span> %s · %s %s · %s</p></header>",
       label_category(n->category), source, _("written by"), name_or_hidden(n->author), time_for(r, n->created_at));
  html_markup(&r->out, markdown_render(r->a, n->body, strlen(n->body)));
  html(&r->out, "</article>");
}

/* "%text%" lower-cased for LIKE, with %, _ and \ taken literally; "" for no search. */
static const char *like_pattern(Req *r, const char *q) {
  if (!*q) return "";
  Buf b = {0};
  buf_putc(&b, '%');
  for (const char *p = q; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&b, '\\');
    buf_putc(&b, (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p);
  }
  buf_putc(&b, '%');
  char *s = arena_strdup(r->a, b.p);
  buf_free(&b);
  return s;
}

static int render_notes(Req *r, int64_t tid, Grounds g, int64_t pid, int status) {
  const char *q = query_str(r, "q"), *category = query_str(r, "category");
  if (strlen(q) > SEARCH_MAX) q = "";
  if (!is_category(category)) category = "";
  const char *like = like_pattern(r, q), *today = date_today_text(r->a);
  int64_t page = query_int(r, "page", 1);
  if (page < 1) page = 1;

  /* count and fetch the page, check each note with the C rule, log the disclosures, then render */
  NoteFilter f = {.trajectory_id = tid, .category = category, .like = like};
  int64_t total;
  int rc = notes_count(r->db, r->user, &f, today, &total);
  if (rc != DB_OK) return http_db_error(r, rc);
  Note *notes;
  int n;
  rc = notes_visible(r->db, r->a, r->user, &f, today, cfg.page_size, (page - 1) * cfg.page_size, &notes, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(n + 1));
  for (int i = 0; i < n; i++) ids[i] = notes[i].id;
  rc = items_disclose(r, pid, tid, g, "notes", *q ? "search" : "list", "note", ids, n);
  if (rc != DB_OK) return http_db_error(r, rc);

  if ((rc = case_page_begin(r, tid, g, _("Notes"))) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<h1>%s</h1>", _("Notes"));
  trajectory_subnav(r, tid, g, "notes");
  html(&r->out, "<form method=\"get\" action=\"/t/%lld/notes\" class=\"search\" role=\"search\">", (long long)tid);
  html(&r->out, "<label for=\"q\">%s</label><input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" maxlength=\"%d\">",
       _("Search in notes"), q, SEARCH_MAX);
  html(&r->out, "<label for=\"category\">%s</label><select id=\"category\" name=\"category\" data-autosubmit>"
                "<option value=\"\">%s</option>",
       _("Category"), _("All categories"));
  for (int i = 0; item_categories[i]; i++)
    html(&r->out, "<option value=\"%s\"%s>%s</option>", item_categories[i],
         strcmp(category, item_categories[i]) == 0 ? " selected" : "", label_category(item_categories[i]));
  html(&r->out, "</select><button type=\"submit\">%s</button></form>", _("Search"));

  if (total == 0) {
    html(&r->out, "<p class=\"empty\">%s</p>", *q || *category ? _("No notes match your search.")
                                                                : _("There are no notes you can see yet."));
  } else {
    html(&r->out, "<p class=\"muted\">%s</p>", arena_printf(r->a, P_("%lld note", "%lld notes", total), (long long)total));
    for (int i = 0; i < n; i++)
      if (ids[i]) note_article(r, tid, &notes[i], false);
    int64_t pages = (total + cfg.page_size - 1) / cfg.page_size;
    if (pages > 1) {
      html(&r->out, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
      if (page > 1) {
        html(&r->out, "<a href=\"/t/%lld/notes?page=%lld&amp;q=", (long long)tid, (long long)(page - 1));
        html_urlarg(&r->out, q);
        html(&r->out, "&amp;category=%s\">%s</a> ", category, _("Newer"));
      }
      html(&r->out, "<span>%lld / %lld</span>", (long long)page, (long long)pages);
      if (page < pages) {
        html(&r->out, " <a href=\"/t/%lld/notes?page=%lld&amp;q=", (long long)tid, (long long)(page + 1));
        html_urlarg(&r->out, q);
        html(&r->out, "&amp;category=%s\">%s</a>", category, _("Older"));
      }
      html(&r->out, "</nav>");
    }
  }
  note_form(r, tid, g);
  page_end(r);
  return status;
}

static int get_notes(Req *r) {
  return case_list_page(r, "notes", render_notes);
}

static int post_note(Req *r) {
  Grounds g;
  int64_t pid;
  int s = trajectory_door(r, "note", "create", GROUNDS_NONE, &g, &pid);
  if (s || (s = trajectory_refuse_if_closed(r, r->ids[0]))) return s;
  int64_t tid = r->ids[0];
  const char *title = form_str(r, "title"), *category = form_str(r, "category"), *body = form_str(r, "body");
  if (!*title) form_error(r, "title", _("Give the note a title."));
  else if (text_chars(title) > TITLE_MAX) form_error(r, "title", _("The title is too long (at most 200 characters)."));
  if (!is_category(category)) form_error(r, "category", _("Choose a category."));
  if (!*body) form_error(r, "body", _("The note is empty."));
  else if (text_chars(body) > BODY_MAX)
    form_error(r, "body", _("The note is too long (at most 20000 characters). Split it into two notes."));

  /* the source party: named by the coach; otherwise the author's own side of the story */
  int64_t source = 0;
  int rc;
  if (g == GROUNDS_COACH) {
    const char *src = form_str(r, "source");
    if (strcmp(src, "participant") != 0) {
      char *end;
      long long v = strtoll(src, &end, 10);
      NetworkMember m;
      rc = network_member_live(r->db, r->a, tid, *src && !*end ? v : 0, &m);
      if (rc == DB_ROW) source = m.id;
      else if (rc != DB_DONE) return http_db_error(r, rc);
      if (!source) form_error(r, "source", _("Choose whose information this is."));
    }
  } else if (g == GROUNDS_MEMBER) {
    const char *side;
    if ((rc = network_member_of_user(r->db, r->a, tid, r->user->id, &source, &side, NULL)) != DB_OK)
      return http_db_error(r, rc);
  } else if (g != GROUNDS_SELF) {
    return http_error(r, 404, NULL);
  }
  if (r->nerrors) return render_notes(r, tid, g, pid, 400);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  int64_t now = (int64_t)time(NULL);
  int64_t id;
  rc = item_create(r->db, &(ItemNew){.trajectory_id = tid, .kind = "note", .category = category,
                                     .source_member_id = source, .author_id = r->user->id, .title = title,
                                     .body = body, .created_at = now}, &id);
  if (rc != DB_OK) return http_db_error(r, rc);
  return trajectory_change_done(r, pid, tid, arena_printf(r->a, "note:%lld", (long long)id), "create", g,
                                arena_printf(r->a, "/t/%lld/notes", (long long)tid));
}

static int get_note(Req *r) {
  int64_t tid = r->ids[0], nid = r->ids[1];
  Grounds g;
  int64_t consent, pid;
  ItemRef it = {0};
  int rc = policy_item(r->db, r->user, nid, date_today_text(r->a), &g, &consent, &it);
  if (rc != DB_OK) return http_db_error(r, rc);
  Grounds tg;
  if ((rc = policy_trajectory(r->db, r->user, tid, &tg, &pid)) != DB_OK) return http_db_error(r, rc);
  const char *item = arena_printf(r->a, "note:%lld", (long long)nid);
  /* refused (or a note of another trajectory than the URL names): logged on the note's own file */
  if (g == GROUNDS_NONE || it.trajectory_id != tid)
    return object_refused(r, OWNER_ITEM, nid, item, "view", grounds_name(g));
  rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = item, .action = "view",
                                    .outcome = "ok", .grounds = grounds_name(g), .consent_id = consent});
  if (rc != DB_OK) return http_db_error(r, rc);
  Note note;
  if ((rc = note_get(r->db, r->a, r->user, nid, &note)) != DB_ROW)
    return rc == DB_DONE ? http_error(r, 404, NULL) : http_db_error(r, rc);
  if ((rc = case_page_begin(r, tid, tg, note.title)) != DB_OK) return http_db_error(r, rc);
  html(&r->out, "<p><a href=\"/t/%lld/notes\">%s</a></p>", (long long)tid, _("All notes"));
  note_article(r, tid, &note, true);
  page_end(r);
  return 200;
}


const Route notes_routes[] = {
    {"GET", "/t/{id}/notes", ROLES_CASE, R_CASE, get_notes},
    {"POST", "/t/{id}/notes", ROLES_CASE, R_CASE, post_note},
    {"GET", "/t/{id}/notes/{nid}", ROLES_CASE, R_CASE, get_note},
    {0},
};
