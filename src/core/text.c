/*
 * text.c — see text.h.
 */
#include "core/text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool text_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return false;
      i++;
      continue;
    }
    size_t len;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    if (cp >= 0x80 && cp < 0xa0) return false; /* C1 controls */
    i += len;
  }
  return true;
}

size_t text_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xc0) != 0x80) n++;
  return n;
}

int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int32_t)doe - 719468;
}

void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool date_parse(const char *s, int32_t *days) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = mdays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  if (d > max) return false;
  *days = days_from_civil(y, (unsigned)m, (unsigned)d);
  return true;
}

void date_format(int32_t days, char out[11]) {
  /* clamp to 0001-01-01 .. 9999-12-31 so that the arithmetic below cannot overflow */
  if (days < -719162) days = -719162;
  if (days > 2932896) days = 2932896;
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  /* digits by hand: this runs for every date on every list page */
  y %= 10000;
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = 0;
}

int32_t date_add_months(int32_t days, int months) {
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  int total = y * 12 + (int)m - 1 + months;
  y = total / 12;
  m = (unsigned)(total % 12) + 1;
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
  return days_from_civil(y, m, d > max ? max : d);
}

int32_t date_today(void) { return (int32_t)(time(NULL) / 86400); }

bool text_email_ok(const char *e, size_t max) {
  size_t n = strlen(e);
  if (n == 0 || n > max) return false;
  const char *at = strchr(e, '@');
  if (!at || at == e || strchr(at + 1, '@')) return false;
  for (const char *p = e; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f) return false;
  const char *dom = at + 1;
  const char *dot = strchr(dom, '.');
  if (!dot || dot == dom) return false;
  return dom[strlen(dom) - 1] != '.';
}

bool text_has_breaks(const char *s) { return strpbrk(s, "\r\n\t") != NULL; }

char *text_trim(char *s) {
  if (!s) return s;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
  size_t i = 0;
  while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') i++;
  if (i) memmove(s, s + i, n - i + 1);
  return s;
}

bool text_equal_ct(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  unsigned char diff = (unsigned char)(la != lb);
  for (size_t i = 0; i < lb; i++) diff |= (unsigned char)(a[i % (la ? la : 1)] ^ b[i]);
  return diff == 0 && la == lb;
}

bool hours_parse(const char *s, int64_t *tenths) {
  int64_t v = 0;
  int digits = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (++digits > 3) return false;
    v = v * 10 + (*s - '0');
  }
  if (!digits) return false;
  v *= 10;
  if (*s == '.' || *s == ',') {
    s++;
    if (*s < '0' || *s > '9') return false;
    v += *s++ - '0';
  }
  if (*s) return false;
  *tenths = v;
  return true;
}

void hours_format(int64_t tenths, char buf[24]) {
  if (tenths % 10 == 0) snprintf(buf, 24, "%lld", (long long)(tenths / 10));
  else snprintf(buf, 24, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}
