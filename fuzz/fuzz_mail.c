/*
 * fuzz_mail.c — fuzz target for the mail addresses and headers of the notification mails
 * (src/mail/outbox.c: mail_address_ok, mail_header_ok, mail_compose).
 *
 * The input is up to seven fields separated by NUL bytes (so CR and LF can be inside a field): from, to,
 * subject, Message-ID, date, text and the calendar attachment ("-": none). Properties: an address that
 * mail_address_ok accepts has no control character, space or character that ends or splits an address in
 * a header or an SMTP command (<>",;:()[]\) and one '@'; a header value that mail_header_ok accepts has no
 * control character; mail_compose succeeds exactly when every header field is accepted; a composed mail
 * has only CRLF line ends, a header block of the known header names only (a continuation line only for an
 * encoded Subject), each of From, To, Date, Message-ID and Subject once, and To is the address given.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "mail/outbox.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static char *field(const uint8_t **p, const uint8_t *end) {
  const uint8_t *s = *p, *z = memchr(s, 0, (size_t)(end - s));
  const uint8_t *e = z ? z : end;
  char *out = xmalloc((size_t)(e - s) + 1);
  memcpy(out, s, (size_t)(e - s));
  out[e - s] = 0;
  *p = z ? z + 1 : end;
  return out;
}

static void check_address(const char *a) {
  if (!mail_address_ok(a)) return;
  int ats = 0;
  CHECK(strlen(a) <= 254);
  for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
    CHECK(*p > 0x20 && *p < 0x7f);
    CHECK(!strchr("<>\",;:()[]\\", *p));
    ats += *p == '@';
  }
  CHECK(ats == 1);
}

static void check_header(const char *h) {
  if (!mail_header_ok(h)) return;
  for (const unsigned char *p = (const unsigned char *)h; *p; p++) CHECK(*p >= 0x20 && *p != 0x7f);
}

static const char *const KNOWN[] = {"From:", "To:", "Date:", "Message-ID:", "Subject:", "MIME-Version:",
                                    "Auto-Submitted:", "Content-Type:", "Content-Transfer-Encoding:", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *p = data, *end = data + size;
  char *f[7];
  for (int i = 0; i < 7; i++) f[i] = field(&p, end);
  for (int i = 0; i < 7; i++) {
    check_address(f[i]);
    check_header(f[i]);
  }
  MailParts mp = {.from = f[0], .to = f[1], .subject = f[2], .message_id = f[3], .date = f[4], .text = f[5],
                  .ics = strcmp(f[6], "-") == 0 ? NULL : f[6]};
  bool want = mail_address_ok(f[0]) && mail_address_ok(f[1]) && mail_header_ok(f[2]) && mail_header_ok(f[3]) &&
              mail_header_ok(f[4]);
  Buf out = {0};
  bool ok = mail_compose(&mp, &out);
  CHECK(ok == want);
  if (ok) {
    /* only CRLF line ends */
    for (size_t i = 0; i < out.len; i++) {
      if (out.p[i] == '\n') CHECK(i > 0 && out.p[i - 1] == '\r');
      if (out.p[i] == '\r') CHECK(i + 1 < out.len && out.p[i + 1] == '\n');
    }
    char *head_end = strstr(out.p, "\r\n\r\n");
    CHECK(head_end);
    int seen[9] = {0};
    bool in_subject = false;
    for (char *line = out.p; line < head_end + 2;) {
      char *eol = strstr(line, "\r\n");
      CHECK(eol);
      if (line[0] == ' ') {
        CHECK(in_subject); /* a continuation only of the encoded subject */
      } else {
        int k = -1;
        for (int i = 0; KNOWN[i]; i++)
          if (strncmp(line, KNOWN[i], strlen(KNOWN[i])) == 0) k = i;
        CHECK(k >= 0);
        seen[k]++;
        in_subject = k == 4;
        if (k == 1) {
          CHECK((size_t)(eol - line) == strlen("To: <>") + strlen(f[1]));
          CHECK(strncmp(line + 5, f[1], strlen(f[1])) == 0);
        }
      }
      line = eol + 2;
    }
    for (int i = 0; i < 5; i++) CHECK(seen[i] == 1);
  }
  free(out.p);
  for (int i = 0; i < 7; i++) free(f[i]);
  return 0;
}
