/*
 * config.c — see config.h. One table describes every key: its type, where it lives and what it means;
 * parsing, the environment and `zorgwerk config` all read the table.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

Config cfg;

typedef enum { T_STR, T_INT, T_BOOL } Type;
typedef struct {
  const char *key;
  Type type;
  size_t off, size;
  int min, max;
  const char *doc;
} Key;

#define S(f, doc) {#f, T_STR, offsetof(Config, f), sizeof(((Config *)0)->f), 0, 0, doc}
#define I(f, lo, hi, doc) {#f, T_INT, offsetof(Config, f), sizeof(int), lo, hi, doc}
#define B(f, doc) {#f, T_BOOL, offsetof(Config, f), sizeof(bool), 0, 1, doc}
static const Key keys[] = {
    S(listen, "address and port to listen on"),
    S(db, "SQLite database file"),
    S(base_url, "public URL of the portal (used in links and the Origin check); empty: taken from Host"),
    S(lang, "default language of the interface: nl or en"),
    S(timezone, "time zone of the dates and times people read (an IANA name such as Europe/Brussels, or UTC); "
                "stored times stay UTC"),
    I(threads, 0, 256, "worker threads; 0 = one per core"),
    I(conn_timeout, 1, 3600, "seconds a connection may be idle before it is closed"),
    I(request_deadline_s, 5, 600, "seconds a client may take to send a whole request (headers and body) from its "
                                  "first byte; slower connections are closed (idle ones: conn_timeout)"),
    I(conn_limit, 1, 100000, "simultaneous connections in all"),
    I(per_ip_limit, 1, 10000, "simultaneous connections per client address; with trusted_proxies: requests in "
                              "progress per forwarded client (the proxies themselves are exempt)"),
    I(conn_memory_kib, 16, 65536, "memory per connection in KiB (bounds request headers)"),
    I(max_body_kib, 1, 1048576, "largest request body in KiB (larger: 413)"),
    I(session_idle, 60, 86400, "seconds of inactivity that end a session"),
    I(session_absolute, 300, 604800, "seconds after login that end a session regardless of activity"),
    B(tls, "true when served over TLS or behind a TLS-terminating proxy: Secure __Host- cookies, HSTS"),
    B(totp_everyone, "require the second factor for every role, not only coaches and administrators"),
    I(login_delay_after, 1, 1000, "failed sign-ins before throttling starts: per account for browsers that never "
                                  "signed in to it; per address it counts the accounts tried, not the failures "
                                  "on one; a browser that did sign in before is no longer recognised after this "
                                  "many wrong passwords in a row"),
    I(login_delay_ms, 0, 600000, "first throttle delay in ms, doubling with each further failure"),
    I(login_delay_max_ms, 0, 3600000, "longest throttle delay in ms"),
    I(lock_after, 1, 100000, "consecutive failed logins that lock an account until an administrator unlocks it"),
    I(reset_link_hours, 1, 720, "hours a password-reset link stays valid"),
    I(invite_days, 1, 60, "days an invitation link (new account, network member) stays valid"),
    I(page_size, 5, 500, "rows per page in lists"),
    I(audit_commit_delay_us, 0, 10000, "microseconds the access-log writer may wait for more entries when other "
                                       "requests are under way (one commit for more of them; 0: never wait)"),
    B(access_log_off, "benchmark only: do not write the access log (never use in production)"),
    I(caseload_max, 1, 1000, "active trajectories per coach before the dashboard warns (IPS fidelity: at most 20)"),
    I(no_contact_weeks, 1, 52, "weeks without activity before a trajectory is flagged on the coach's dashboard"),
    S(checkin_months, "long-term follow-up check-ins, in months after return to work (comma-separated)"),
    S(trusted_proxies, "comma-separated addresses or ranges (127.0.0.1, ::1, 10.0.0.0/8) of reverse proxies whose "
                       "X-Forwarded-For or Forwarded header names the client (the right-most address that is "
                       "not a trusted proxy); they are exempt from per_ip_limit, which then also bounds each "
                       "forwarded client's requests at once; empty: the peer address is the client"),
    S(audit_key_file, "file holding the access log's chain key (created by init, readable only by the service user; "
                      "back it up apart from the database); empty: the database path + .key"),
    S(audit_seal_file, "file where the head of the access log's chain is sealed after every batch; empty: the "
                       "database path + .seal"),
    I(totp_lock_after, 1, 1000, "wrong second-factor codes in a row that lock the second factor until a recovery "
                                "code or an administrator unlocks it"),
    S(smtp_url, "SMTP server for the portal's notification mails (smtp://host:port, smtps://host:port); empty: "
                "no mail is sent and one-time links are shown to whoever made them"),
    S(smtp_user, "SMTP user name; empty: no SMTP authentication"),
    S(smtp_password_file, "file whose first line is the SMTP password (keep it readable only by the service user)"),
    S(mail_from, "sender address of the notification mails; empty: noreply@ and the host of base_url"),
    I(mail_retry_s, 1, 86400, "seconds before a mail that could not be delivered is tried again, doubling with "
                              "each failure up to a day"),
    I(mail_timeout_s, 1, 600, "seconds one delivery to the SMTP server may take"),
    I(retention_case_years, 1, 100, "years after a trajectory's closure that its case content (notes, plans, messages, "
                                    "questionnaires...) is kept before the daily retention job erases it; what "
                                    "the reports need is kept as numbers (README: Retention)"),
    I(retention_log_years, 5, 100, "years the access log is kept (NEN 7513: at least 5); an erasure on request "
                                   "keeps the log"),
    S(fault_file, "tests only: a file whose content (full, ioerr) makes every database write fail; empty: off"),
    B(allow_health_to_work, "allow consents that show health details to work-side members (off by law in BE/NL; "
                            "turn on only with a documented legal basis)"),
};

void config_defaults(Config *c) {
  memset(c, 0, sizeof *c);
  strcpy(c->listen, "127.0.0.1:8080");
  strcpy(c->db, "zorgwerk.db");
  strcpy(c->lang, "nl");
  strcpy(c->timezone, "Europe/Brussels");
  c->conn_timeout = 30;
  c->request_deadline_s = 30;
  c->audit_commit_delay_us = 1000;
  c->conn_limit = 1024;
  c->per_ip_limit = 64;
  c->conn_memory_kib = 32;
  c->max_body_kib = 1024;
  c->session_idle = 30 * 60;
  c->session_absolute = 12 * 3600;
  c->login_delay_after = 5;
  c->login_delay_ms = 1000;
  c->login_delay_max_ms = 60000;
  c->lock_after = 100;
  c->reset_link_hours = 72;
  c->invite_days = 7;
  c->totp_lock_after = 10;
  c->mail_retry_s = 60;
  c->mail_timeout_s = 30;
  c->retention_case_years = 2;
  c->retention_log_years = 5;
  c->page_size = 25;
  c->caseload_max = 20;
  c->no_contact_weeks = 4;
  strcpy(c->checkin_months, "3,6,12");
}

bool config_set(Config *c, const char *key, const char *value, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    const Key *k = &keys[i];
    if (strcmp(k->key, key) != 0) continue;
    char *dst = (char *)c + k->off;
    switch (k->type) {
      case T_STR:
        if (strlen(value) >= k->size) {
          snprintf(err, errlen, "%s: value too long", key);
          return false;
        }
        strcpy(dst, value);
        return true;
      case T_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (!errno && end != value && !*end && v < k->min && strcmp(key, "retention_log_years") == 0) {
          snprintf(err, errlen, "%s: the access log must be kept at least %d years (NEN 7513); %ld is refused", key,
                   k->min, v);
          return false;
        }
        if (errno || end == value || *end || v < k->min || v > k->max) {
          snprintf(err, errlen, "%s: expected a whole number from %d to %d", key, k->min, k->max);
          return false;
        }
        *(int *)dst = (int)v;
        return true;
      }
      case T_BOOL:
        if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes") || !strcmp(value, "on"))
          *(bool *)dst = true;
        else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no") || !strcmp(value, "off"))
          *(bool *)dst = false;
        else {
          snprintf(err, errlen, "%s: expected true or false", key);
          return false;
        }
        return true;
    }
  }
  snprintf(err, errlen, "unknown setting '%.64s'", key);
  return false;
}

bool config_parse(Config *c, const char *text, size_t len, char *err, size_t errlen) {
  size_t pos = 0;
  int lineno = 0;
  char line[2048];
  while (pos < len) {
    size_t end = pos;
    while (end < len && text[end] != '\n') end++;
    lineno++;
    size_t n = end - pos;
    if (n >= sizeof line) {
      snprintf(err, errlen, "line %d: too long", lineno);
      return false;
    }
    memcpy(line, text + pos, n);
    line[n] = 0;
    pos = end + 1;
    if (memchr(line, 0, n)) {
      snprintf(err, errlen, "line %d: NUL byte", lineno);
      return false;
    }
    char *hash = strchr(line, '#');
    if (hash) *hash = 0;
    char *s = line;
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    if (!*s) continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      snprintf(err, errlen, "line %d: expected key = value", lineno);
      return false;
    }
    char *k = s, *ke = eq;
    while (ke > k && isspace((unsigned char)ke[-1])) ke--;
    *ke = 0;
    char *v = eq + 1;
    while (isspace((unsigned char)*v)) v++;
    size_t vl = strlen(v);
    if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
      v[vl - 1] = 0;
      v++;
    }
    char sub[256];
    if (!config_set(c, k, v, sub, sizeof sub)) {
      snprintf(err, errlen, "line %d: %s", lineno, sub);
      return false;
    }
  }
  return true;
}

bool config_load_file(Config *c, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return false;
  }
  char *text = NULL;
  size_t len = 0, cap = 0;
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n > cap) {
      cap = (len + n) * 2;
      char *t = realloc(text, cap);
      if (!t) { free(text); fclose(f); snprintf(err, errlen, "out of memory"); return false; }
      text = t;
    }
    memcpy(text + len, chunk, n);
    len += n;
  }
  fclose(f);
  char sub[256];
  bool ok = config_parse(c, text ? text : "", len, sub, sizeof sub);
  if (!ok) snprintf(err, errlen, "%s: %s", path, sub);
  free(text);
  return ok;
}

bool config_load_env(Config *c, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    char name[80] = "ZORGWERK_";
    size_t p = strlen(name);
    for (const char *k = keys[i].key; *k && p < sizeof name - 1; k++) name[p++] = (char)toupper((unsigned char)*k);
    name[p] = 0;
    const char *v = getenv(name);
    if (v && !config_set(c, keys[i].key, v, err, errlen)) return false;
  }
  return true;
}

void config_print(const Config *c, FILE *out) {
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    const Key *k = &keys[i];
    const char *p = (const char *)c + k->off;
    fprintf(out, "# %s\n", k->doc);
    switch (k->type) {
      case T_STR: fprintf(out, "%s = %s\n", k->key, p); break;
      case T_INT: fprintf(out, "%s = %d\n", k->key, *(const int *)p); break;
      case T_BOOL: fprintf(out, "%s = %s\n", k->key, *(const bool *)p ? "true" : "false"); break;
    }
  }
}
