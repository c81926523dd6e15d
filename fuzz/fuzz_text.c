/*
 * fuzz_text.c — fuzz target for the text helpers that see outside input: text_valid, text_chars,
 * date_parse/date_format and text_trim.
 *
 * Properties:
 *  - text_valid agrees with an independent validator written from the Unicode standard's table of
 *    well-formed byte sequences (Table 3-7), with C0/C1 controls other than tab, LF and CR excluded;
 *  - on valid text without NUL, text_chars counts the code points the reference decoder counts;
 *  - a date that parses formats back to the same ten characters and lies in 1900-01-01..2200-12-31;
 *  - a day count in the years 0..9999 formats to a string that parses back to the same count exactly when
 *    its year is in 1900..2200;
 *  - text_trim leaves no surrounding blanks and returns the middle of its input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Reference: returns the number of code points, or -1 if s[0..n) is not acceptable text. */
static long ref_utf8(const unsigned char *s, size_t n) {
  long count = 0;
  size_t i = 0;
  while (i < n) {
    unsigned char b = s[i];
    unsigned long cp;
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (b <= 0x7f) { cp = b; len = 1; }
    else if (b >= 0xc2 && b <= 0xdf) { cp = b & 0x1f; len = 2; }
    else if (b == 0xe0) { cp = b & 0x0f; len = 3; lo = 0xa0; }
    else if ((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef) { cp = b & 0x0f; len = 3; }
    else if (b == 0xed) { cp = b & 0x0f; len = 3; hi = 0x9f; }
    else if (b == 0xf0) { cp = b & 0x07; len = 4; lo = 0x90; }
    else if (b >= 0xf1 && b <= 0xf3) { cp = b & 0x07; len = 4; }
    else if (b == 0xf4) { cp = b & 0x07; len = 4; hi = 0x8f; }
    else return -1;
    if (len > n - i) return -1;
    for (size_t k = 1; k < len; k++) {
      unsigned char c = s[i + k];
      unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xbf;
      if (c < l || c > h) return -1;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f)) return -1;
    count++;
    i += len;
  }
  return count;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* UTF-8 validation against the reference, on the raw bytes (not NUL-terminated). */
  long ref = ref_utf8(data, size);
  bool valid = text_valid((const char *)data, size);
  CHECK(valid == (ref >= 0));

  char *s = xmalloc(size + 1);
  memcpy(s, data, size);
  s[size] = 0;
  if (valid && !memchr(data, 0, size)) CHECK((long)text_chars(s) == ref);

  /* Dates: parse, then format back. */
  int32_t days = INT32_MIN;
  if (date_parse(s, &days)) {
    CHECK(strlen(s) == 10);
    CHECK(days >= days_from_civil(1900, 1, 1) && days <= days_from_civil(2200, 12, 31));
    char out[11];
    date_format(days, out);
    CHECK(strcmp(out, s) == 0);
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    CHECK(days_from_civil(y, m, d) == days);
  }

  /* Day counts from the input: format, then parse back. */
  if (size >= 4) {
    uint32_t raw = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
    const int32_t lo = days_from_civil(0, 1, 1), hi = days_from_civil(9999, 12, 31);
    int32_t z = lo + (int32_t)(raw % (uint32_t)(hi - lo + 1));
    char out[11];
    date_format(z, out);
    CHECK(strlen(out) == 10);
    int32_t back;
    bool parsed = date_parse(out, &back);
    int y = atoi(out);
    CHECK(parsed == (y >= 1900 && y <= 2200));
    if (parsed) CHECK(back == z);
  }

  /* Trimming. */
  size_t before = strlen(s);
  char *copy = xmalloc(before + 1);
  memcpy(copy, s, before + 1);
  char *t = text_trim(copy);
  CHECK(t == copy);
  size_t tl = strlen(t);
  CHECK(tl <= before);
  if (tl) CHECK(!blank(t[0]) && !blank(t[tl - 1]));
  CHECK(strstr(s, t) != NULL);

  /* Constant-time comparison agrees with strcmp on the two halves. */
  size_t half = before / 2;
  char *left = xmalloc(half + 1);
  memcpy(left, s, half);
  left[half] = 0;
  CHECK(text_equal_ct(left, s + half) == (strcmp(left, s + half) == 0));

  free(left);
  free(copy);
  free(s);
  return 0;
}
