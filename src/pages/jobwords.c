/*
 * jobwords.c — see jobwords.h.
 */
#include "pages/jobwords.h"

#include <string.h>

#include "i18n/i18n.h"
#include "store/employers.h"

typedef struct Word {
  const char *key, *label;
} Word;

/* The label of key in words (untranslated msgids, N_), translated; key itself when unknown. */
static const char *lookup(const Word *words, const char *key) {
  if (!key) return "";
  for (const Word *w = words; w->key; w++)
    if (strcmp(w->key, key) == 0) return _(w->label);
  return key;
}

const char *work_kind_label(const char *key) {
  static const Word words[] = {
      {"administration", N_("Administration")},
      {"care", N_("Care")},
      {"cleaning", N_("Cleaning")},
      {"construction", N_("Construction")},
      {"education", N_("Education")},
      {"green", N_("Green spaces and landscaping")},
      {"hospitality", N_("Hospitality")},
      {"ict", N_("ICT")},
      {"logistics", N_("Logistics")},
      {"production", N_("Production")},
      {"retail", N_("Retail")},
      {"transport", N_("Transport")},
      {"other", N_("Other work")},
      {NULL, NULL},
  };
  return lookup(words, key);
}

const char *support_label(int bit) {
  switch (bit) {
  case SUPPORT_GRADUAL_START: return _("Gradual start");
  case SUPPORT_ADJUSTED_TASKS: return _("Adjusted tasks");
  case SUPPORT_BUDDY: return _("A buddy");
  case SUPPORT_FLEXIBLE_HOURS: return _("Flexible hours");
  default: return "";
  }
}

const char *support_words(Arena *a, int bits, const char *none_text) {
  const char *out = NULL;
  for (int i = 0; i < SUPPORT_BITS; i++) {
    if (!(bits & (1 << i))) continue;
    out = out ? arena_printf(a, "%s, %s", out, support_label(1 << i)) : support_label(1 << i);
  }
  return out ? out : none_text ? none_text : "";
}

const char *contact_mode_label(const char *mode) {
  static const Word words[] = {
      {"visit", N_("Visit")},
      {"phone", N_("Phone call")},
      {"online", N_("Online meeting")},
      {"info_session", N_("Information session")},
      {"email", N_("E-mail")},
      {NULL, NULL},
  };
  return lookup(words, mode);
}

const char *opening_kind_label(const char *kind) {
  static const Word words[] = {
      {"job", N_("Job")},
      {"work_experience", N_("Work-experience place")},
      {NULL, NULL},
  };
  return lookup(words, kind);
}

const char *opening_status_label(const char *status) {
  static const Word words[] = {
      {"open", N_("Open")},
      {"filled", N_("Filled")},
      {"withdrawn", N_("Withdrawn")},
      {NULL, NULL},
  };
  return lookup(words, status);
}

const char *size_band_label(const char *band) {
  static const Word words[] = {
      {"1-9", N_("1 to 9 employees")},
      {"10-49", N_("10 to 49 employees")},
      {"50-249", N_("50 to 249 employees")},
      {"250+", N_("250 employees or more")},
      {NULL, NULL},
  };
  return lookup(words, band);
}

const char *opening_fault_text(OpeningFault f) {
  switch (f) {
  case OPENING_OK: return "";
  case OPENING_NO_TITLE: return _("Give the opening a title.");
  case OPENING_BAD_KIND: return _("Choose a job or a work-experience place.");
  case OPENING_BAD_WORK_KIND: return _("Choose a kind of work.");
  case OPENING_NO_REGION: return _("Give the place or region of the work.");
  case OPENING_HOURS_RANGE: return _("Hours a week must be between 1 and 60.");
  case OPENING_HOURS_ORDER: return _("The minimum hours a week cannot be more than the maximum.");
  case OPENING_BAD_START: return _("Give the start date as YYYY-MM-DD.");
  case OPENING_BAD_END: return _("Give the end date as YYYY-MM-DD.");
  case OPENING_END_BEFORE_START: return _("The end date must be after the start date.");
  case OPENING_BAD_STATUS: return _("Choose a status.");
  }
  return "";
}
