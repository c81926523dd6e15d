/*
 * programme.h — the two programmes a trajectory follows (migration 026) and the words in which the
 * interface names the coach and the participant in each, so that one screen never mixes them.
 *
 * Zorg & Werk (Flanders) speaks of the coach ("coach") and the participant ("deelnemer"); Werk als Beste
 * Zorg (the Netherlands) of the mediator ("bemiddelaar", who keeps the lead from the intake to the coaching
 * at work) and the client ("cliënt"). Both programmes' words are messages translated with gettext
 * (po/); a sentence around a word stays one translated message with a placeholder.
 */
#ifndef ZW_I18N_PROGRAMME_H
#define ZW_I18N_PROGRAMME_H

#include <stdbool.h>

#define PROGRAMME_ZW "zorg_en_werk"
#define PROGRAMME_WABZ "werk_als_beste_zorg"

/* Whether code is one of the two programme codes. */
bool programme_known(const char *code);

/* Whether code is Werk als Beste Zorg (anything else counts as Zorg & Werk, the first programme). */
bool programme_is_wabz(const char *code);

/* The programme's name as shown ("Zorg & Werk", "Werk als Beste Zorg"), a proper name in every language. */
const char *programme_name(const char *code);

/* The words that differ between the programmes. */
typedef enum ProgrammeWord {
  PW_COACH,            /* "Coach" | "Mediator": a label or column heading */
  PW_COACHES,          /* "Coaches" | "Mediators": a heading */
  PW_THE_COACH,        /* "The coach" | "The mediator" */
  PW_PARTICIPANT,      /* "Participant" | "Client": a label or column heading */
  PW_THE_PARTICIPANT,  /* "The participant" | "The client" */
  PW_ADDED_BY_COACH,   /* "Added by the coach:" | "Added by the mediator:" (a protocol step) */
  PW_STOPPED_BY_PARTICIPANT, /* "Stopped by the participant" | "Stopped by the client" (an outcome) */
  PW_ASSIGNED_COACH,   /* "Assigned coach" | "Assigned mediator" (see programme_word_n) */
  PW_CONFIRM_AS_COACH, /* "Confirm this version as the coach." | "... as the mediator." (the action plan) */
  PW_WORDS
} ProgrammeWord;

/* Word w of programme code in this thread's language (i18n_use); never NULL. */
const char *programme_word(const char *code, ProgrammeWord w);

/* Word w for n persons: PW_ASSIGNED_COACH in the singular for n == 1, else in the plural; any other word as
 * programme_word. Never NULL. */
const char *programme_word_n(const char *code, ProgrammeWord w, unsigned long n);

#endif
