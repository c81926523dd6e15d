/*
 * jobwords.h — the translated words of the job side (issue 13), so every screen names the kinds of work,
 * the support bits, the contact modes, the opening kinds and statuses and the size bands the same way.
 * Each returns a translated static string (this thread's language); an unknown key comes back as it is
 * (NULL as ""). support_words writes into an arena.
 */
#ifndef ZW_PAGES_JOBWORDS_H
#define ZW_PAGES_JOBWORDS_H

#include "core/mem.h"
#include "store/openings.h"

/* "Care", "Logistics"… for a key of store/openings.h's work_kind_keys. */
const char *work_kind_label(const char *key);
/* "Gradual start", "Adjusted tasks", "A buddy", "Flexible hours" for one SUPPORT_* bit. */
const char *support_label(int bit);
/* The labels of every bit set in bits, joined with ", "; none_text (may be NULL: "") when no bit is set. */
const char *support_words(Arena *a, int bits, const char *none_text);
/* "Visit", "Phone call", "Online", "Information session", "E-mail" for an employer_contacts.mode. */
const char *contact_mode_label(const char *mode);
/* "Job", "Work-experience place" for an openings.kind. */
const char *opening_kind_label(const char *kind);
/* "Open", "Filled", "Withdrawn" for an openings.status. */
const char *opening_status_label(const char *status);
/* "1–9 employees"… for an employer_profiles.size_band. */
const char *size_band_label(const char *band);
/* The clear, translated sentence for an opening's fault (store/openings.h: opening_invalid); "" for OK. */
const char *opening_fault_text(OpeningFault f);

#endif
