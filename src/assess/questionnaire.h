/*
 * questionnaire.h — the questionnaire engine: definitions read from JSON data files (assets/questionnaires/),
 * and the scoring of a set of answers. Pure functions: no database, no request; everything they allocate
 * lives in the caller's arena.
 *
 * A definition holds items (scale: an integer from min to max with anchor labels; choice: options each with
 * a value, a label and an integer score; text: free text, never scored), scales (which items, scored as a
 * sum or a mean, some items reverse-scored) and per scale interpretation bands that cover the scale's range
 * exactly, without overlap. Texts come in English (required) and Dutch. The format is described in
 * doc/QUESTIONNAIRES.md.
 *
 * Scores are kept in tenths (an int): a sum of item scores is exact, a mean is rounded half away from zero
 * to one decimal before it is matched against the bands.
 */
#ifndef ZW_QUESTIONNAIRE_H
#define ZW_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/mem.h"

enum {
  Q_ITEMS_MAX = 100,   /* items per questionnaire */
  Q_OPTIONS_MAX = 20,  /* options per choice item */
  Q_SCALES_MAX = 12,   /* scales per questionnaire */
  Q_BANDS_MAX = 10,    /* bands per scale */
  Q_ID_MAX = 40,       /* bytes in an id (letters, digits, '_' and '-') */
  Q_TEXT_MAX = 1000,   /* characters in a label or item text */
  Q_ANSWER_MAX = 4000, /* characters in a free-text answer (default maxlength 2000) */
  Q_SCORE_LIMIT = 1000 /* item scores and scale bounds lie within -1000..1000 */
};

/* A text in both languages (en always present; nl falls back to en). */
typedef struct QText {
  const char *en, *nl;
} QText;

typedef enum QItemType { Q_SCALE, Q_CHOICE, Q_TEXT } QItemType;

typedef struct QOption {
  const char *value;
  QText label;
  int score;
} QOption;

typedef struct QItem {
  const char *id;
  QText text, hint;      /* hint.en may be NULL */
  QItemType type;
  int min, max;          /* Q_SCALE: the range; Q_CHOICE: lowest and highest option score */
  QText min_label, max_label; /* Q_SCALE anchors (en may be NULL) */
  QOption *options;      /* Q_CHOICE */
  int noptions;
  bool required;         /* scored items are always required */
  bool scored;           /* part of at least one scale */
  int maxlength;         /* Q_TEXT: characters */
} QItem;

typedef struct QBand {
  int min10, max10; /* inclusive, in tenths */
  QText label;
  const char *level; /* optional code for styling ("low", "high" ...), or NULL */
} QBand;

typedef struct QScale {
  const char *id;
  QText title;
  bool mean;             /* false: sum */
  int *items;            /* indexes into Questionnaire.items */
  bool *reverse;         /* per entry of items */
  int nitems;
  int min10, max10;      /* the range a score can take */
  QBand bands[Q_BANDS_MAX];
  int nbands;
} QScale;

typedef struct Questionnaire {
  const char *id;
  int version;
  const char *category;  /* case-information category of a filled-in questionnaire */
  QText title, intro;
  const char *source, *licence;
  QItem *items;
  int nitems;
  QScale scales[Q_SCALES_MAX];
  int nscales;
} Questionnaire;

/* Parses and validates a definition from len bytes of JSON (need not be NUL-terminated). Checks: known
 * fields have the right types, ids are well formed and unique, every text has English, scale min < max,
 * choice options unique with integer scores, every scale item exists and is scorable (not text), reverse
 * items belong to the scale, and the bands of each scale cover its range exactly without overlap.
 * On success fills *q (allocated in a) and returns true. On failure returns false and writes a message in
 * English naming the offending part into err (always terminated when errlen > 0). */
bool questionnaire_parse(Arena *a, const char *json, size_t len, Questionnaire *q, char *err, size_t errlen);

/* The text in lang ("nl" or "en"), falling back to English; "" when absent. Never NULL. */
const char *qtext(const QText *t, const char *lang);

/* Index of the item with that id, or -1. */
int questionnaire_item(const Questionnaire *q, const char *id);

/* Why one answer was refused. */
typedef enum QAnswerError {
  QA_OK = 0,
  QA_MISSING,   /* a required item without an answer */
  QA_RANGE,     /* a scale answer that is not a whole number from min to max */
  QA_OPTION,    /* a choice answer that is not one of the options */
  QA_TOO_LONG,  /* a text answer longer than the item allows */
  QA_INVALID,   /* not valid UTF-8 text, or control characters */
} QAnswerError;

typedef struct QScore {
  int score10;   /* in tenths */
  int band;      /* index into the scale's bands */
} QScore;

/* Checks answers (values[i] for q->items[i]; NULL or "" means unanswered; a value is taken as written,
 * without trimming) and scores every scale into scores[0..q->nscales). errs (q->nitems entries) receives
 * the verdict per item. Returns the number of refused answers; when it is not 0, scores is left
 * undefined and err names the first refused item ("item k3: ..."), so a caller can show every error beside
 * its item. Allocates nothing. */
int questionnaire_score(const Questionnaire *q, const char *const *values, QAnswerError *errs, QScore *scores,
                        char *err, size_t errlen);

/* Reads answers stored or sent as a JSON object {"item id": "value", ...} into values (q->nitems entries,
 * NULL when absent; numbers are accepted for scale items and turned into text; strings copied into a).
 * Unknown keys and values of other types are refused. Returns false with a message in err on any problem. */
bool questionnaire_answers_from_json(Arena *a, const Questionnaire *q, const char *json, size_t len,
                                     const char **values, char *err, size_t errlen);

/* The answers as a JSON object text (answered items only), allocated in a. */
char *questionnaire_answers_json(Arena *a, const Questionnaire *q, const char *const *values);

/* The scores as a JSON array text [{"scale": id, "score": 24, "band": 2}, ...] (score as a decimal number),
 * allocated in a. */
char *questionnaire_scores_json(Arena *a, const Questionnaire *q, const QScore *scores);

/* Formats tenths as "24" or "3.5" into out (at least 16 bytes). */
void qscore_format(int score10, char *out, size_t outlen);

/* The band of scale s a score falls in, or -1 (a valid definition always finds one inside its range). */
int qscale_band(const QScale *s, int score10);

#endif
