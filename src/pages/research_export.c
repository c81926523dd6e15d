/*
 * research_export.c — the pseudonymised research export (/reports/export) for the programme manager and
 * the log officer, behind the second factor: one row per trajectory (store/research.h), participants as a
 * keyed hash that differs per recipient, quasi-identifiers made k-anonymous, as CSV or JSON, with its data
 * dictionary (/reports/export/dictionary; doc/research-export.md says the same). Every export is written to
 * the access log with its format and recipient (no participant: nothing in it names one).
 */
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/seal.h"
#include "store/research.h"

enum { RECIPIENT_MAX_CHARS = 120 };

/* The columns, in order, with their meaning (the data dictionary; English, a machine interface). */
static const struct {
  const char *name, *type, *meaning;
} columns[] = {
    {"participant", "text", "Pseudonym of the participant: a keyed BLAKE2b hash, different for every recipient"},
    {"age_band", "text", "Age at the start: <25, 25-34, 35-44, 45-54, 55+; coarsened: <35, 35-54, 55+"},
    {"region", "text", "Region of the employer as recorded in the employer register; empty: not recorded; *: coarsened"},
    {"employer_size", "text", "Size band of the employer: 1-9, 10-49, 50-249, 250+; empty: not recorded; *: coarsened"},
    {"outcome", "text", "Outcome at closure (code); empty while open; coarsened: work or no_work"},
    {"status", "text", "open or closed"},
    {"phase", "text", "Current phase (code)"},
    {"start_month", "YYYY-MM", "Month of registration"},
    {"close_month", "YYYY-MM", "Month of closure; empty while open"},
    {"days_absence_to_start", "integer", "Days from the first day of absence to registration; empty: unknown"},
    {"days_start_to_close", "integer", "Days from registration to closure; empty while open"},
    {"hours_at_closure", "number", "Hours a week worked at closure; empty while open"},
    {"k10_change", "number", "Last minus first K10 score (lower is better); empty without two scores"},
    {"work_ability_change", "number", "Last minus first work-ability score (higher is better); empty without two"},
    {"at_work_3m", "0/1", "At work at the check-in 3 months after closure; empty: no result"},
    {"at_work_6m", "0/1", "At work at the check-in 6 months after closure; empty: no result"},
    {"at_work_12m", "0/1", "At work at the check-in 12 months after closure; empty: no result"},
    {"phase_moves", "integer", "Number of phase changes"},
    {"meetings", "integer", "Number of meetings"},
    {"meeting_minutes", "integer", "Minutes of meetings held"},
    {"referrals", "integer", "Number of referrals to specialised care or career guidance"},
    {"coarsened", "0/1/2", "0: as recorded; 1: age band widened, region and size removed; 2: also the outcome"},
};
enum { NCOLS = sizeof columns / sizeof *columns };

static int render_form(Req *r, int status) {
  page_begin(r, _("Research export"));
  html(&r->out, "<div class=\"narrow\"><h1>%s</h1><p>%s</p><p>%s</p>", _("Research export"),
       _("One row per trajectory with outcomes, durations, scores, phases and counts. No names, birth dates, "
         "e-mail addresses, free text or exact dates: participants are a code that differs for every recipient, "
         "and rare combinations of age, region, employer size and outcome are made coarser or left out."),
       _("The export is recorded in the access log with the recipient's name."));
  form_errors_summary(r);
  form_begin(r, "/reports/export", NULL);
  field_input(r, &(Field){.name = "recipient", .label = _("Recipient (researcher or organisation)"),
                          .value = form_str(r, "recipient"), .required = true, .maxlength = RECIPIENT_MAX_CHARS,
                          .hint = _("The same recipient always gets the same codes; another recipient gets other codes.")});
  static const char *opts[] = {"csv", "CSV", "json", "JSON", NULL};
  field_select(r, &(Field){.name = "format", .label = _("Format"), .value = form_str(r, "format"), .required = true},
               opts);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Download"));
  form_end(r);
  html(&r->out, "<p><a href=\"/reports/export/dictionary\">%s</a></p></div>", _("Download the data dictionary"));
  page_end(r);
  return status;
}

static int get_export(Req *r) {
  return render_form(r, 200);
}

/* A row's value of column c as text ("" for unknown), into buf or a static string. */
static const char *cell(const ResearchRow *w, int c, char *buf, size_t n) {
  buf[0] = 0;
  switch (c) {
  case 0: return w->pseudonym;
  case 1: return w->age_band;
  case 2: return w->region;
  case 3: return w->employer_size;
  case 4: return w->outcome;
  case 5: return w->status;
  case 6: return w->phase;
  case 7: return w->start_month;
  case 8: return w->close_month;
  case 9: if (w->days_absence_to_start >= 0) snprintf(buf, n, "%d", w->days_absence_to_start); return buf;
  case 10: if (w->days_start_to_close >= 0) snprintf(buf, n, "%d", w->days_start_to_close); return buf;
  case 11: if (w->hours_tenths >= 0) snprintf(buf, n, "%.1f", w->hours_tenths / 10.0); return buf;
  case 12: if (w->k10_change10 != INT_MIN) snprintf(buf, n, "%.1f", w->k10_change10 / 10.0); return buf;
  case 13: if (w->was_change10 != INT_MIN) snprintf(buf, n, "%.1f", w->was_change10 / 10.0); return buf;
  case 14: case 15: case 16:
    if (w->at_work[c - 14] >= 0) snprintf(buf, n, "%d", w->at_work[c - 14]);
    return buf;
  case 17: snprintf(buf, n, "%d", w->phase_moves); return buf;
  case 18: snprintf(buf, n, "%d", w->meetings); return buf;
  case 19: snprintf(buf, n, "%d", w->meeting_minutes); return buf;
  case 20: snprintf(buf, n, "%d", w->referrals); return buf;
  default: snprintf(buf, n, "%d", w->coarsened); return buf;
  }
}

/* Whether column c holds a number (JSON writes it as one). */
static bool numeric(int c) {
  return c >= 9;
}

/* One CSV field (RFC 4180): quoted, quotes doubled, a leading = + - @ tab CR defused (numbers as they are). */
static void csv_field(Req *r, const char *s, bool num, bool last) {
  buf_putc(&r->out, '"'); /* raw: CSV */
  if (!num && *s && strchr("=+-@\t\r", *s)) buf_putc(&r->out, '\''); /* raw: CSV */
  for (const char *p = s; *p; p++) {
    if (*p == '"') buf_putc(&r->out, '"'); /* raw: CSV */
    buf_putc(&r->out, *p); /* raw: CSV */
  }
  buf_puts(&r->out, last ? "\"\r\n" : "\","); /* raw: CSV */
}

static int post_export(Req *r) {
  if (!r->sess || !r->sess->mfa_ok) return http_error(r, 403, _("Confirm your second factor first."));
  const char *recipient = form_str(r, "recipient"), *format = form_str(r, "format");
  const char *trimmed = recipient;
  while (*trimmed == ' ') trimmed++;
  if (!*trimmed) form_error(r, "recipient", _("Enter who receives the export."));
  else if (!text_valid(recipient, strlen(recipient)) || text_has_breaks(recipient) ||
           text_chars(recipient) > RECIPIENT_MAX_CHARS)
    form_error(r, "recipient", _("Enter the recipient's name in at most 120 characters, on one line."));
  if (strcmp(format, "csv") && strcmp(format, "json")) form_error(r, "format", _("Choose CSV or JSON."));
  if (r->nerrors) return render_form(r, 400);

  char path[1100];
  unsigned char secret[SEAL_KEY_BYTES], key[RESEARCH_KEY_BYTES];
  KeyStatus ks = seal_key_load(seal_key_path(path, sizeof path), secret);
  if (ks != KEY_OK) {
    log_warn("research export: %s", seal_key_problem(ks));
    return http_error(r, 503, _("The portal's secret key cannot be read, so no export can be made. Tell the administrator."));
  }
  research_recipient_key(secret, recipient, key);
  sodium_memzero(secret, sizeof secret);
  ResearchRow *rows;
  int n, coarsened, dropped;
  int rc = db_snapshot_begin(r->db);
  if (rc == DB_OK) rc = research_rows(r->db, r->a, r->user, &rows, &n);
  if (rc != DB_OK) return http_db_error(r, rc);
  research_pseudonymise(rows, n, key);
  sodium_memzero(key, sizeof key);
  research_k_anonymise(r->a, rows, n, &coarsened, &dropped);
  char who[64];
  snprintf(who, sizeof who, "%.60s", trimmed);
  rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "research-export:%s:%s", format, who), .action = "export",
                                    .outcome = "ok"});
  if (rc != DB_OK) return http_db_error(r, rc);

  char buf[64], today[11];
  date_format(date_today(), today);
  if (!strcmp(format, "csv")) {
    for (int c = 0; c < NCOLS; c++) csv_field(r, columns[c].name, false, c == NCOLS - 1);
    for (int i = 0; i < n; i++) {
      if (rows[i].dropped) continue;
      for (int c = 0; c < NCOLS; c++) csv_field(r, cell(&rows[i], c, buf, sizeof buf), numeric(c), c == NCOLS - 1);
    }
    r->content_type = "text/csv; charset=utf-8";
  } else {
    json_t *doc = json_object(), *arr = json_array();
    json_object_set_new(doc, "k", json_integer(RESEARCH_K));
    json_object_set_new(doc, "rows_exported", json_integer(n - dropped));
    json_object_set_new(doc, "rows_coarsened", json_integer(coarsened));
    json_object_set_new(doc, "rows_dropped", json_integer(dropped));
    for (int i = 0; i < n; i++) {
      if (rows[i].dropped) continue;
      json_t *o = json_object();
      for (int c = 0; c < NCOLS; c++) {
        const char *v = cell(&rows[i], c, buf, sizeof buf);
        json_object_set_new(o, columns[c].name, !*v ? json_null() : numeric(c) ? json_real(atof(v)) : json_string(v));
      }
      json_array_append_new(arr, o);
    }
    json_object_set_new(doc, "rows", arr);
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!s) return http_error(r, 500, _("The export could not be written."));
    buf_puts(&r->out, s); /* raw: JSON */
    free(s);
    r->content_type = "application/json";
  }
  http_header(r, "X-Rows-Coarsened", arena_printf(r->a, "%d", coarsened));
  http_header(r, "X-Rows-Dropped", arena_printf(r->a, "%d", dropped));
  http_header(r, "Content-Disposition",
              arena_printf(r->a, "attachment; filename=\"research-export-%.4s%.2s.%s\"", today, today + 5, format));
  return 200;
}

static int get_dictionary(Req *r) {
  buf_puts(&r->out, "# Research export: data dictionary\n\n" /* raw: Markdown */
                    "One row per trajectory. Rows whose combination of age band, region, employer size and outcome "
                    "occurs fewer than 5 times are coarsened (column `coarsened`) or left out; the JSON export "
                    "says how many (`rows_coarsened`, `rows_dropped`), the CSV in the headers X-Rows-Coarsened and "
                    "X-Rows-Dropped. Sex is not recorded by the portal and is not in the export.\n\n"
                    "| column | type | meaning |\n| --- | --- | --- |\n");
  for (int c = 0; c < NCOLS; c++)
    buf_printf(&r->out, "| %s | %s | %s |\n", columns[c].name, columns[c].type, columns[c].meaning); /* raw: Markdown */
  r->content_type = "text/markdown; charset=utf-8";
  http_header(r, "Content-Disposition", "attachment; filename=\"research-export-dictionary.md\"");
  return 200;
}

const Route research_export_routes[] = {
    {"GET", "/reports/export", ROLE_PROGRAMME | ROLE_LOGOFFICER, 0, get_export},
    {"POST", "/reports/export", ROLE_PROGRAMME | ROLE_LOGOFFICER, R_NOFRAME, post_export},
    {"GET", "/reports/export/dictionary", ROLE_PROGRAMME | ROLE_LOGOFFICER, R_NOFRAME, get_dictionary},
    {0},
};
