/*
 * programme.c — see programme.h.
 */
#include "i18n/programme.h"

#include <string.h>

#include "i18n/i18n.h"

bool programme_known(const char *code) {
  return code && (strcmp(code, PROGRAMME_ZW) == 0 || strcmp(code, PROGRAMME_WABZ) == 0);
}

bool programme_is_wabz(const char *code) { return code && strcmp(code, PROGRAMME_WABZ) == 0; }

const char *programme_name(const char *code) {
  return programme_is_wabz(code) ? "Werk als Beste Zorg" : "Zorg & Werk";
}

/* One word: Zorg & Werk's msgid and Werk als Beste Zorg's, both translated with gettext (po/). */
typedef struct Word {
  const char *zw, *wabz;
} Word;

static const Word words[PW_WORDS] = {
    [PW_COACH] = {N_("Coach"), N_("Mediator")},
    [PW_COACHES] = {N_("Coaches"), N_("Mediators")},
    [PW_THE_COACH] = {N_("The coach"), N_("The mediator")},
    [PW_PARTICIPANT] = {N_("Participant"), N_("Client")},
    [PW_THE_PARTICIPANT] = {N_("The participant"), N_("The client")},
    [PW_ADDED_BY_COACH] = {N_("Added by the coach:"), N_("Added by the mediator:")},
    [PW_STOPPED_BY_PARTICIPANT] = {N_("Stopped by the participant"), N_("Stopped by the client")},
    [PW_ASSIGNED_COACH] = {NULL, NULL}, /* a plural message: programme_word_n */
    [PW_CONFIRM_AS_COACH] = {N_("Confirm this version as the coach."), N_("Confirm this version as the mediator.")},
};

const char *programme_word(const char *code, ProgrammeWord w) {
  if ((unsigned)w >= PW_WORDS) return "";
  if (w == PW_ASSIGNED_COACH) return programme_word_n(code, w, 1);
  return _(programme_is_wabz(code) ? words[w].wabz : words[w].zw);
}

const char *programme_word_n(const char *code, ProgrammeWord w, unsigned long n) {
  if (w != PW_ASSIGNED_COACH) return programme_word(code, w);
  if (!programme_is_wabz(code)) return P_("Assigned coach", "Assigned coaches", n);
  return P_("Assigned mediator", "Assigned mediators", n);
}
