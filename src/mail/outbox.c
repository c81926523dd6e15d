/*
 * mail/outbox.c — see outbox.h.
 */
#include "mail/outbox.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "core/worker.h"
#include "i18n/i18n.h"
#include "mail/daily.h"
#include "policy/audit.h"
#include "store/outbox.h"
#include "store/users.h"

bool outbox_enabled(void) { return cfg.smtp_url[0] != 0; }

/* ---- pure functions ---- */

bool mail_address_ok(const char *addr) {
  if (!addr) return false;
  size_t n = strlen(addr);
  if (n < 3 || n > 254) return false;
  const char *at = strchr(addr, '@');
  if (!at || at == addr || strchr(at + 1, '@') || at - addr > 64) return false;
  for (const char *p = addr; p < at; p++) {
    unsigned char c = (unsigned char)*p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(".!#$%&'*+/=?^_`{|}~-", c)))
      return false;
  }
  if (addr[0] == '.' || at[-1] == '.' || strstr(addr, "..")) return false;
  const char *d = at + 1;
  if (!*d || *d == '.' || *d == '-' || d[strlen(d) - 1] == '.' || d[strlen(d) - 1] == '-') return false;
  for (const char *p = d; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  }
  return true;
}

bool mail_header_ok(const char *value) {
  if (!value) return false;
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)value; *p; p++, n++)
    if (*p < 0x20 || *p == 0x7f || n >= 900) return false;
  return true;
}

static bool is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return false;
  return true;
}

/* text with every line end as CRLF (LF, CR or CRLF in) */
static void put_crlf_text(Buf *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\r') {
      if (s[1] == '\n') s++;
      buf_puts(out, "\r\n");
    } else if (*s == '\n') {
      buf_puts(out, "\r\n");
    } else {
      buf_putc(out, *s);
    }
  }
}

bool mail_compose(const MailParts *p, Buf *out) {
  if (!mail_address_ok(p->from) || !mail_address_ok(p->to) || !mail_header_ok(p->subject) ||
      !mail_header_ok(p->message_id) || !mail_header_ok(p->date) || !p->text)
    return false;
  buf_printf(out, "From: <%s>\r\nTo: <%s>\r\nDate: %s\r\nMessage-ID: %s\r\n", p->from, p->to, p->date, p->message_id);
  if (is_ascii(p->subject)) {
    buf_printf(out, "Subject: %s\r\n", p->subject);
  } else { /* RFC 2047: one encoded word per chunk of at most 45 bytes (60 base64 characters) */
    buf_puts(out, "Subject:");
    size_t n = strlen(p->subject), i = 0;
    while (i < n) {
      size_t k = n - i > 45 ? 45 : n - i;
      while (k > 1 && i + k < n && ((unsigned char)p->subject[i + k] & 0xC0) == 0x80) k--; /* whole characters */
      char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
      sodium_bin2base64(b64, sizeof b64, (const unsigned char *)p->subject + i, k, sodium_base64_VARIANT_ORIGINAL);
      buf_printf(out, " =?UTF-8?B?%s?=\r\n", b64);
      i += k;
    }
  }
  buf_puts(out, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");
  if (!p->ics) {
    buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
    put_crlf_text(out, p->text);
    buf_puts(out, "\r\n");
    return true;
  }
  unsigned char rnd[12];
  randombytes_buf(rnd, sizeof rnd);
  char boundary[40];
  sodium_bin2hex(boundary, sizeof boundary, rnd, sizeof rnd);
  buf_printf(out, "Content-Type: multipart/mixed; boundary=\"zw-%s\"\r\n\r\n", boundary);
  buf_printf(out, "--zw-%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
             boundary);
  put_crlf_text(out, p->text);
  /* the part's method is the calendar's own (RFC 6047 2.4): a cancellation says CANCEL, a feed PUBLISH */
  const char *method = strstr(p->ics, "\nMETHOD:CANCEL") ? "CANCEL" : strstr(p->ics, "\nMETHOD:PUBLISH") ? "PUBLISH" : "REQUEST";
  buf_printf(out, "\r\n--zw-%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
                  "Content-Disposition: attachment; filename=\"invite.ics\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
             boundary, method);
  put_crlf_text(out, p->ics);
  buf_printf(out, "\r\n--zw-%s--\r\n", boundary);
  return true;
}

/* ---- the sealed link ----
 * A link in the outbox may carry a one-time token, so it is kept as "box1:" + base64url(nonce ||
 * secretbox(link)) under a subkey of the access log's chain key (like one_time_links.token, account/links.c):
 * a copy of the database holds no usable link. Cleared once sent. */

static const char BOX_PREFIX[] = "box1:";

static bool mail_key(unsigned char k[crypto_secretbox_KEYBYTES]) { return audit_key_derive(2, "zw-mails", k); }

static const char *link_seal(Arena *a, const char *link) {
  unsigned char k[crypto_secretbox_KEYBYTES];
  if (!mail_key(k)) return NULL;
  size_t n = strlen(link), raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
  unsigned char *raw = arena_alloc(a, raw_len);
  randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)link, n, raw, k);
  sodium_memzero(k, sizeof k);
  size_t b64_len = sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = arena_alloc(a, sizeof BOX_PREFIX + b64_len);
  memcpy(out, BOX_PREFIX, sizeof BOX_PREFIX - 1);
  sodium_bin2base64(out + sizeof BOX_PREFIX - 1, b64_len, raw, raw_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* The link from its box; NULL when it cannot be opened. Arena string. */
static const char *link_open(Arena *a, const char *box) {
  if (!box || strncmp(box, BOX_PREFIX, sizeof BOX_PREFIX - 1) != 0) return NULL;
  const char *b64 = box + sizeof BOX_PREFIX - 1;
  size_t cap = strlen(b64), len = 0;
  unsigned char *raw = arena_alloc(a, cap + 1);
  if (sodium_base642bin(raw, cap, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return NULL;
  unsigned char k[crypto_secretbox_KEYBYTES];
  if (!mail_key(k)) return NULL;
  size_t plain_len = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  char *plain = arena_alloc(a, plain_len + 1);
  int bad = crypto_secretbox_open_easy((unsigned char *)plain, raw + crypto_secretbox_NONCEBYTES,
                                       len - crypto_secretbox_NONCEBYTES, raw, k);
  sodium_memzero(k, sizeof k);
  return bad ? NULL : plain;
}

/* ---- the texts, per kind: only that something happened, never content ---- */

static const char *const KINDS[] = {"invite",          "reset",      "message", "meeting",   "meeting_changed",
                                    "meeting_cancelled", "action_due", "digest",  "placement", "proposal",
                                    "proposal_waiting", NULL};

static bool kind_known(const char *kind) {
  for (int i = 0; KINDS[i]; i++)
    if (strcmp(KINDS[i], kind) == 0) return true;
  return false;
}

/* The subject and text of a mail of kind (amount: a digest's number of new messages) in the current language,
 * with link; arena strings. */
static void kind_text(Arena *a, const char *kind, const char *link, int64_t amount, const char **subject,
                      const char **text) {
  const char *body, *tail = _("This mail was sent automatically by the Zorg & Werk portal. It says only that "
                              "something happened: read it in the portal itself.");
  if (strcmp(kind, "invite") == 0) {
    *subject = _("Your invitation to the Zorg & Werk portal");
    body = _("You have been invited to the Zorg & Werk portal. Choose your password with this link. It works one "
             "time:");
  } else if (strcmp(kind, "reset") == 0) {
    *subject = _("Choose a new password for the Zorg & Werk portal");
    body = _("A new password was asked for your account in the Zorg & Werk portal. Choose it with this link. It "
             "works one time. If you did not ask for it, you can ignore this mail:");
  } else if (strcmp(kind, "message") == 0) {
    *subject = _("New message in the Zorg & Werk portal");
    body = _("You have a new message in the Zorg & Werk portal. Sign in to read it:");
  } else if (strcmp(kind, "meeting") == 0) {
    *subject = _("Meeting invitation in the Zorg & Werk portal");
    body = _("You have been invited to a meeting in the Zorg & Werk portal. Sign in to see it:");
  } else if (strcmp(kind, "placement") == 0) { /* a placement started, ended in a hire or stopped */
    *subject = _("News in a trajectory you follow in the Zorg & Werk portal");
    body = _("Something changed in a trajectory you follow in the Zorg & Werk portal. Sign in to see it:");
  } else if (strcmp(kind, "proposal_waiting") == 0) { /* a proposal waits for the participant's answer */
    *subject = _("Something waits for your answer in the Zorg & Werk portal");
    body = _("Something waits for your answer in the Zorg & Werk portal. Sign in to see it:");
  } else if (strcmp(kind, "proposal") == 0) { /* a proposal to an employer was answered */
    *subject = _("News in the Zorg & Werk portal");
    body = _("Something changed in the Zorg & Werk portal that concerns you. Sign in to see it:");
  } else if (strcmp(kind, "meeting_changed") == 0) {
    *subject = _("A meeting was changed in the Zorg & Werk portal");
    body = _("A meeting you were invited to in the Zorg & Werk portal was changed. The attached calendar item has "
             "the new time. Sign in to see it:");
  } else if (strcmp(kind, "meeting_cancelled") == 0) {
    *subject = _("A meeting was cancelled in the Zorg & Werk portal");
    body = _("A meeting you were invited to in the Zorg & Werk portal was cancelled. Sign in to see it:");
  } else if (strcmp(kind, "digest") == 0) {
    long n = amount > 0 ? (long)amount : 0;
    *subject = arena_printf(a, P_("%ld new message in the Zorg & Werk portal", "%ld new messages in the Zorg & Werk portal",
                                  n), n);
    body = arena_printf(a, P_("You have %ld new message in the Zorg & Werk portal. Sign in to read it:",
                              "You have %ld new messages in the Zorg & Werk portal. Sign in to read them:", n), n);
  } else {
    *subject = _("Actions due in the Zorg & Werk portal");
    body = _("You have actions that are due soon in the Zorg & Werk portal. Sign in to see them:");
  }
  *text = arena_printf(a, "%s\n\n%s\n\n-- \n%s\n", body, link ? link : "", tail);
}

/* the sender: mail_from, or noreply@ the host of base_url (else of listen) */
static const char *mail_sender(Arena *a) {
  if (cfg.mail_from[0]) return cfg.mail_from;
  const char *h = cfg.base_url;
  const char *s = strstr(h, "://");
  if (s) h = s + 3;
  size_t n = strcspn(h, ":/");
  if (!n) return "noreply@localhost";
  return arena_printf(a, "noreply@%.*s", (int)n, h);
}

static const char *new_message_id(Arena *a) {
  unsigned char rnd[16];
  char hex[33];
  randombytes_buf(rnd, sizeof rnd);
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  const char *from = mail_sender(a), *at = strchr(from, '@');
  return arena_printf(a, "<%s@%s>", hex, at && at[1] ? at + 1 : "zorgwerk.invalid");
}

/* outbox_queue with a digest's amount (-1: none). */
static int queue_mail(Db *db, int64_t user_id, const char *address, const char *kind, const char *link,
                      const char *ics, int64_t amount) {
  if (!outbox_enabled()) return DB_ERROR;
  if (!kind_known(kind)) return DB_CONSTRAINT;
  Arena *a = arena_new();
  int rc = DB_OK;
  bool own = !db_in_tx(db);
  if (own && (rc = db_begin(db)) != DB_OK) goto out;
  const char *to = address, *lang = NULL;
  if (user_id && (rc = outbox_user_address(db, a, user_id, &to, &lang)) != DB_OK) goto out;
  if (user_id && strcmp(kind, "message") == 0) {
    /* who chose the daily digest hears of new messages only through it (mail/daily.c) */
    const char *pref = NULL;
    if ((rc = user_message_mail(db, user_id, &pref)) != DB_OK && rc != DB_DONE) goto out;
    rc = DB_OK;
    if (pref && strcmp(pref, "daily") == 0) goto out;
  }
  if (!to || !mail_address_ok(to)) {
    rc = DB_CONSTRAINT;
    goto out;
  }
  const char *box = NULL;
  if (link && !(box = link_seal(a, link))) {
    log_warn("outbox: the access log's key file cannot be read, so a mail with a link is not queued");
    rc = DB_ERROR;
    goto out;
  }
  rc = outbox_add(db, to, user_id, kind, lang, box, ics, amount, new_message_id(a), (int64_t)time(NULL));
out:
  if (own && rc == DB_OK) rc = db_commit(db);
  if (own && rc != DB_OK) db_rollback(db);
  arena_free(a);
  return rc;
}

int outbox_queue(Db *db, int64_t user_id, const char *address, const char *kind, const char *link,
                 const char *ics) {
  return queue_mail(db, user_id, address, kind, link, ics, -1);
}

int outbox_queue_digest(Db *db, int64_t user_id, const char *link, int64_t amount) {
  return queue_mail(db, user_id, NULL, "digest", link, NULL, amount);
}

const char *outbox_portal_url(Arena *a, const char *path) {
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return arena_printf(a, "%.*s%s", (int)n, cfg.base_url, path);
  }
  return arena_printf(a, "http://%s%s", cfg.listen, path);
}

/* ---- the worker ---- */

static Worker mailer = WORKER_INIT;

typedef struct Upload {
  const char *p;
  size_t left;
} Upload;

static size_t upload_read(char *dst, size_t size, size_t n, void *arg) {
  Upload *u = arg;
  size_t k = size * n < u->left ? size * n : u->left;
  memcpy(dst, u->p, k);
  u->p += k;
  u->left -= k;
  return k;
}

/* The SMTP password: the first line of smtp_password_file (empty when unset or unreadable). */
static void smtp_password(char *out, size_t n) {
  out[0] = 0;
  if (!cfg.smtp_password_file[0]) return;
  FILE *f = fopen(cfg.smtp_password_file, "r");
  if (!f) {
    log_warn("outbox: smtp_password_file cannot be read");
    return;
  }
  if (fgets(out, (int)n, f)) out[strcspn(out, "\r\n")] = 0;
  fclose(f);
}

/* Delivers msg to `to`. NULL on success, else a short reason (arena string, no content). */
static const char *smtp_send(Arena *a, const char *from, const char *to, const Buf *msg) {
  CURL *c = curl_easy_init();
  if (!c) return "curl cannot start";
  char errbuf[CURL_ERROR_SIZE] = "";
  char pw[512];
  struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to));
  Upload u = {msg->p, msg->len};
  curl_easy_setopt(c, CURLOPT_URL, cfg.smtp_url);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", from));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &u);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg.mail_timeout_s);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)cfg.mail_timeout_s);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (cfg.smtp_user[0]) {
    smtp_password(pw, sizeof pw);
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg.smtp_user);
    curl_easy_setopt(c, CURLOPT_PASSWORD, pw);
    /* never send a password in the clear: STARTTLS is required on smtp:// when logging in */
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  }
  CURLcode res = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (cfg.smtp_user[0]) sodium_memzero(pw, sizeof pw);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (res == CURLE_OK) return NULL;
  const char *why = errbuf[0] ? errbuf : curl_easy_strerror(res);
  return code ? arena_printf(a, "%ld: %.200s", code, why) : arena_printf(a, "%.200s", why);
}

static void rfc5322_date(char out[64], time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
           tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

enum { GIVE_UP_AFTER = 60 };

/* Sends one due mail if there is one; false when nothing was due (or the database failed). */
static bool deliver_one(Db *db) {
  Arena *a = arena_new();
  OutboxMail m;
  bool found = false;
  int64_t now = (int64_t)time(NULL);
  /* "sending" is committed before the SMTP call, with a lease past the longest the call may take (connect and
   * transfer each bounded by mail_timeout_s): no other worker takes the mail meanwhile, and a mail whose sender
   * died is sent again once the lease has run out */
  int64_t lease = 2 * (int64_t)cfg.mail_timeout_s + 5;
  int rc = outbox_claim(db, a, now, now + lease, &m, &found);
  if (rc != DB_OK || !found) {
    if (rc != DB_OK) log_warn("outbox: cannot read the outbox (%s)", db_code_name(rc));
    arena_free(a);
    return false;
  }
  const char *link = m.link ? link_open(a, m.link) : NULL, *subject, *text, *err = NULL;
  char date[64];
  rfc5322_date(date, (time_t)now);
  Buf msg = {0};
  if (m.link && !link) {
    err = "the link cannot be opened (access log key)";
  } else {
    i18n_use(m.lang && i18n_known(m.lang) ? m.lang : cfg.lang); /* the recipient's language */
    kind_text(a, m.kind, link, m.amount, &subject, &text);
    MailParts p = {.from = mail_sender(a), .to = m.to_addr, .subject = subject, .message_id = m.message_id,
                   .date = date, .text = text, .ics = m.attachment};
    if (!mail_compose(&p, &msg)) err = "refused: an address or header is not valid";
    else err = smtp_send(a, p.from, m.to_addr, &msg);
  }
  if (msg.p) {
    sodium_memzero(msg.p, msg.len);
    free(msg.p);
  }
  now = (int64_t)time(NULL);
  if (!err) {
    rc = outbox_mark_sent(db, m.id, now);
    log_info("outbox: mail %lld sent", (long long)m.id);
  } else {
    int shift = m.attempts > 1 ? (int)(m.attempts - 1) : 0;
    int64_t wait = (int64_t)cfg.mail_retry_s << (shift > 16 ? 16 : shift);
    if (wait > 86400) wait = 86400;
    bool give_up = m.attempts >= GIVE_UP_AFTER;
    rc = outbox_mark_failed(db, m.id, now + wait, err, give_up);
    log_warn("outbox: mail %lld not delivered (attempt %lld)%s", (long long)m.id, (long long)m.attempts,
             give_up ? ", given up" : "");
  }
  if (rc != DB_OK) log_error("outbox: cannot record the delivery of mail %lld (%s)", (long long)m.id, db_code_name(rc));
  arena_free(a);
  return rc == DB_OK;
}

enum { DAILY_PASS_EVERY_S = 60 };

static void *worker_main(void *arg) {
  (void)arg;
  i18n_use(cfg.lang);
  Db *db = NULL;
  if (db_open(cfg.db, &db) != DB_OK) {
    log_error("outbox: cannot open the database; no mail is sent");
    return NULL;
  }
  int64_t last_pass = 0;
  while (!worker_stopping(&mailer)) {
    int64_t now = (int64_t)time(NULL);
    if (now - last_pass >= DAILY_PASS_EVERY_S) { /* the mails of the day (mail/daily.h): at start, then each minute */
      last_pass = now;
      int queued = 0;
      if (mail_daily_pass(db, now, &queued) == DB_OK && queued) log_info("outbox: %d mails of the day queued", queued);
    }
    if (deliver_one(db)) continue; /* more waits: no sleep */
    if (!worker_wait(&mailer, 1)) break;
  }
  db_close(db);
  return NULL;
}

bool outbox_start(void) {
  if (!outbox_enabled() || mailer.running) return true;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    log_error("outbox: libcurl cannot start");
    return false;
  }
  if (!worker_start(&mailer, worker_main)) {
    log_error("outbox: cannot start the mail worker");
    return false;
  }
  log_info("outbox: mail worker started");
  return true;
}

void outbox_stop(void) {
  if (!mailer.running) return;
  worker_stop(&mailer);
  curl_global_cleanup();
}
