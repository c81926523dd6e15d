/*
 * frame.h — the page frame every HTML page shares (head, navigation per role, language switch, flash
 * message, footer), the error page, accessible form helpers and the box every data table sits in.
 *
 * Forms: form_begin writes the CSRF field; field_* write a label, the control with what the user typed,
 * and the error for that field beside it (aria-describedby), taken from form_error() calls.
 */
#ifndef ZW_FRAME_H
#define ZW_FRAME_H

#include <stdbool.h>

#include "html/html.h"
#include "http/http.h"

void page_begin(Req *r, const char *title); /* title is text, escaped */
void page_end(Req *r);
/* Error page for status with a message (translated text); NULL picks the standard one for status. */
void page_error(Req *r, int status, const char *message);

/* The CSRF token for forms on this page; sets the anonymous CSRF cookie when there is no session. */
const char *page_csrf(Req *r);

void form_begin(Req *r, const char *action, const char *css_class);
void form_end(Req *r);

/* Records an error for a form field (message: translated text). */
void form_error(Req *r, const char *field, const char *message);
const char *form_error_for(Req *r, const char *field);
/* Writes the summary of errors at the top of a form (role=alert), if any. */
void form_errors_summary(Req *r);

typedef struct Field {
  const char *name, *label, *value;
  const char *type;         /* "text" (default), "email", "password", "date", "search", "tel", "number" */
  const char *hint;         /* help text under the label, or NULL */
  const char *autocomplete; /* or NULL */
  bool required;
  int maxlength;            /* 0: none */
} Field;
void field_input(Req *r, const Field *f);
void field_textarea(Req *r, const Field *f, int rows);
/* A <select>: options are pairs value,label terminated by NULL; labels are translated by the caller. */
void field_select(Req *r, const Field *f, const char *const *options);

/* A data table in its box, which scrolls sideways when the table is wider than the screen. The box is a
 * region named after the caption and reachable with the keyboard (tabindex 0), so that keyboard users can
 * scroll it too (assets/app.js drops the tab stop while the box does not scroll; without JavaScript it stays). table_begin writes <div class="table-wrap" ...><table class="css_class"><caption>caption
 * </caption>; the caller writes <thead>/<tbody> and ends with table_end (</table></div>). caption is text
 * (escaped); css_class is a literal or NULL. */
void table_begin(Req *r, const char *css_class, const char *caption);
void table_end(Req *r);

/* Human labels (translated) for stored codes. */
const char *label_phase(const char *phase);
const char *label_role(unsigned roles);
const char *label_org_kind(const char *kind);
/* Categories of case information in order (codes as stored), NULL-terminated, and their labels. */
extern const char *const item_categories[];
const char *label_category(const char *category);
/* A plain-language explanation of a category, for participants. */
const char *explain_category(const char *category);
bool is_category(const char *code);
/* Who somebody is, when the viewer may not learn of their membership of the network (policy.h,
 * policy_member_visible): a neutral, translated label that says neither name, side nor function. */
const char *label_hidden_person(void);
/* name, or label_hidden_person() when name is NULL (a name withheld by the membership rule). */
const char *name_or_hidden(const char *name);

/* Formats unix seconds as local date and time "YYYY-MM-DD HH:MM" (UTC) into an arena string. */
const char *fmt_time(Req *r, int64_t t);

/* Dates as the reader reads them (core/dates.h). A participant (a user with the participant role) reads
 * dates in words, "4 December 2026", and times in the portal's time zone on every page she can reach;
 * everybody else keeps what staff tables sort by: YYYY-MM-DD dates and fmt_time's moments. Pages ask
 * these, never the role: one rule for who reads which. Each returns an arena string (or ymd itself) and
 * cannot fail. */
bool reader_plain(Req *r);
/* A stored date "YYYY-MM-DD": in words for a participant, unchanged for others; NULL gives "". */
const char *date_for(Req *r, const char *ymd);
/* The day of unix time t: the local day in words for a participant, else the date part of fmt_time;
 * "" for t <= 0. */
const char *day_for(Req *r, int64_t t);
/* The moment of unix time t: "4 December 2026 at 14:33" (local) for a participant, else fmt_time; "" for
 * t <= 0. */
const char *time_for(Req *r, int64_t t);

/* Counts what the navigation shows as a badge after "Messages" for r's user: writes *n, returns a DB code.
 * Set once at start-up (before threads) by whoever knows the messages (cli/main.c sets messages_nav_unread);
 * NULL: no badge. */
typedef int (*FrameCount)(Req *r, int64_t *n);
extern FrameCount frame_unread_count;

#endif
