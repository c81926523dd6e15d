/*
 * i18n.h — interface translation with gettext catalogues.
 *
 * Source strings are English and marked with _("..."); xgettext extracts them into po/zorgwerk.pot,
 * po/nl.po holds the Dutch, and msgfmt's .mo output is compiled into the binary. The language is chosen
 * per request (i18n_use) and kept in a thread-local, so worker threads never share it. Unknown strings
 * come back untranslated. Nothing here allocates per call.
 */
#ifndef ZW_I18N_H
#define ZW_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define _(s) i18n_tr(s)
#define N_(s) (s)

/* Loads the embedded catalogues; call once at start. Returns false if one is malformed (logged). */
bool i18n_init(void);
/* Parses a .mo catalogue for lang; the data must outlive the program. Returns false if malformed. */
bool i18n_add_catalogue(const char *lang, const unsigned char *data, size_t len);
/* Uses lang ("nl", "en") for this thread; an unknown language falls back to English source strings. */
void i18n_use(const char *lang);
const char *i18n_lang(void);
bool i18n_known(const char *lang);
const char *i18n_tr(const char *msgid);
/* Translation in an explicit language (for CLI output and tests). */
const char *i18n_tr_in(const char *lang, const char *msgid);

#endif
