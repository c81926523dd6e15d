/*
 * i18n.h — interface translation with gettext catalogues.
 *
 * Source strings are English and marked with _("...") (or P_("...", "...", n) when the text depends on a
 * number); xgettext extracts them into po/zorgwerk.pot, po/nl.po holds the Dutch, and msgfmt's .mo output
 * is compiled into the binary. The language is chosen per request (i18n_use) and kept in a thread-local,
 * so worker threads never share it. Unknown strings come back untranslated. Translation allocates nothing
 * per call; the dates in words at the end write into an arena.
 *
 * Plurals follow gettext: a plural entry has msgid "singular\0plural" and msgstr "form0\0form1..."; the
 * catalogue's Plural-Forms header picks the form for n. Only the rules in i18n.c's table are understood
 * (nl and en: nplurals=2; plural=(n != 1);); a catalogue with any other rule is refused at load (logged)
 * and its language falls back to English, rather than a form being guessed.
 *
 * Translated formats: the result of _() and P_() carries the format of its literal argument
 * (format_arg), so the compiler checks arena_printf(r->a, P_("%d note", "%d notes", n), n) like a literal
 * format. html() takes literal formats only: write the formatted text with html(&r->out, "%s", text).
 */
#ifndef ZW_I18N_H
#define ZW_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

#define _(s) i18n_tr(s)
#define N_(s) (s)
/* Singular s or plural p by n, translated; both must be literals with the same directives. */
#define P_(s, p, n) i18n_ntr((s), (p), (unsigned long)(n))

/* Loads the embedded catalogues; call once at start. Returns false if one is malformed (logged); a
 * catalogue with an unsupported Plural-Forms rule is left out (logged) and its language shows English. */
bool i18n_init(void);
/* Parses a .mo catalogue for lang; the data must outlive the program. Returns false, adding nothing, if
 * it is malformed or its Plural-Forms rule is not one i18n.c supports (a missing header means gettext's
 * default, nplurals=2; plural=(n != 1);). */
bool i18n_add_catalogue(const char *lang, const unsigned char *data, size_t len);
/* Uses lang ("nl", "en") for this thread; an unknown language falls back to English source strings. */
void i18n_use(const char *lang);
const char *i18n_lang(void);
bool i18n_known(const char *lang);
const char *i18n_tr(const char *msgid) __attribute__((format_arg(1)));
/* Translation in an explicit language (for CLI output and tests). */
const char *i18n_tr_in(const char *lang, const char *msgid) __attribute__((format_arg(2)));
/* The form of the plural entry (singular, plural) for n in this thread's language. Falls back to the
 * English choice (n == 1 ? singular : plural) when the language, the entry or its form for n is missing,
 * empty or malformed. Never fails, never allocates. */
const char *i18n_ntr(const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));
/* The same in an explicit language. */
const char *i18n_ntr_in(const char *lang, const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(2), format_arg(3)));

/* ---- Dates in words (dates.c), in this thread's language: month names and word order are translated.
 * Local days and times are in the portal's zone (core/dates.h). Each allocates its text in the arena a
 * and never fails. */

/* "4 December 2026" for a "YYYY-MM-DD" date; text that is not such a date comes back as it is; NULL and
 * "" give "". */
const char *date_words(Arena *a, const char *iso);

/* "4 December 2026" for a day count since 1970-01-01 (date_parse). */
const char *date_words_days(Arena *a, int32_t days);

/* The local day of unix time t, in words ("4 December 2026"); "" for t <= 0. */
const char *date_local_words(Arena *a, int64_t t);

/* The local moment of unix time t in words, "4 December 2026 at 14:33"; "" for t <= 0. */
const char *when_words(Arena *a, int64_t t);

#endif
