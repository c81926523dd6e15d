/*
 * config.h — settings, from (weakest to strongest) built-in defaults, a config file, the environment
 * (ZORGWERK_<KEY> with the key upper-cased) and command-line flags.
 *
 * The global `cfg` is written only during start-up, before worker threads exist, and read-only after.
 */
#ifndef ZW_CONFIG_H
#define ZW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct Config {
  char listen[128];          /* ADDR:PORT */
  char db[1024];             /* database file */
  char base_url[256];        /* public URL, e.g. https://portaal.example.org; empty: from Host */
  char lang[8];              /* default UI language: nl or en */
  char timezone[64];         /* IANA zone of the times shown to people (core/dates.h) */
  int threads;               /* worker threads; 0 = number of cores */
  int conn_timeout;          /* seconds of inactivity before a connection is closed */
  int request_deadline_s;    /* seconds a request may take to arrive whole (headers and body) */
  int conn_limit;            /* simultaneous connections in all */
  int per_ip_limit;          /* simultaneous connections from one address */
  int conn_memory_kib;       /* memory per connection (bounds header size) */
  int max_body_kib;          /* largest request body accepted */
  int session_idle;          /* seconds */
  int session_absolute;      /* seconds */
  bool tls;                  /* served over TLS or behind a TLS proxy: Secure cookies, HSTS */
  bool totp_everyone;        /* require the second factor for every role, not only coaches and admins */
  int login_delay_after;     /* failed attempts (per account or address) before throttling starts */
  int login_delay_ms;        /* first throttle delay, doubling per further failure */
  int login_delay_max_ms;    /* cap on the throttle delay */
  int lock_after;            /* consecutive failures that lock an account (unlock by an administrator) */
  int reset_link_hours;      /* lifetime of a password-reset link */
  int invite_days;           /* lifetime of an invitation link */
  int page_size;             /* rows per page in lists */
  int audit_commit_delay_us; /* group commit: how long the access-log writer may wait for more entries */
  bool access_log_off;       /* benchmark-only: skip the access log (never in production) */
  bool allow_health_to_work;
  char fault_file[256];
  int caseload_max;          /* active trajectories per coach before the dashboard warns (IPS fidelity: 20) */
  int no_contact_weeks;      /* weeks without activity before a trajectory is flagged on the dashboard */
  char checkin_months[64];   /* long-term follow-up: months after return to work, e.g. "3,6,12" */
  char trusted_proxies[512]; /* comma-separated addresses whose X-Forwarded-For / Forwarded header is believed */
  char audit_key_file[1024]; /* the access-log chain key (created by init, mode 0600); empty: DB + ".key" */
  char audit_seal_file[1024];/* the sealed chain head, rewritten at every batch; empty: DB + ".seal" */
  int totp_lock_after;       /* wrong second-factor codes in a row that lock the second factor */
  char smtp_url[512];        /* smtp://host:port or smtps://host:port; empty: no mail, links are shown */
  char smtp_user[256];       /* SMTP login; empty: none */
  char smtp_password_file[1024]; /* file holding the SMTP password (first line) */
  char mail_from[256];       /* sender address of the portal's mails */
  int mail_retry_s;          /* first wait before a failed mail is tried again, doubling per failure */
  int mail_timeout_s;        /* seconds one SMTP delivery may take */
  int retention_case_years;  /* years after closure that a trajectory's case content is kept (store/retention.h) */
  int retention_log_years;   /* years the access log is kept (NEN 7513: at least 5) */
} Config;

extern Config cfg;

void config_defaults(Config *c);
/* Sets one key from text. Returns false (message in err) for an unknown key or a bad value. */
bool config_set(Config *c, const char *key, const char *value, char *err, size_t errlen);
/* Reads "key = value" lines ('#' starts a comment). Returns false with a message naming the line. */
bool config_load_file(Config *c, const char *path, char *err, size_t errlen);
/* Parses config text (used by config_load_file and the fuzzer). */
bool config_parse(Config *c, const char *text, size_t len, char *err, size_t errlen);
/* Applies ZORGWERK_* environment variables. */
bool config_load_env(Config *c, char *err, size_t errlen);
/* Writes every key with its current value and a description. */
void config_print(const Config *c, FILE *out);

#endif
