/*
 * main.c — the zorgwerk binary: global options, settings in order of strength (defaults, config file,
 * environment, flags) and the subcommands.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/session.h"
#include "auth/totp.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/log.h"
#include "html/assets.h"
#include "html/frame.h"
#include "http/http.h"
#include "http/server.h"
#include "i18n/i18n.h"
#include "mail/daily.h"
#include "mail/outbox.h"
#include "pages/pages.h"
#include "pages/routes.h"
#include "policy/audit.h"
#include "policy/seal.h"

static void usage(FILE *out) {
  fprintf(out,
          "zorgwerk — Zorg & Werk portaal\n"
          "\n"
          "Usage: zorgwerk [OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "Commands:\n"
          "  serve                 serve the portal (default address 127.0.0.1:8080)\n"
          "  init                  create or upgrade the database (migrations), create the access-log key\n"
          "                        (audit_key_file) if there is none yet and seal the log, then exit\n"
          "  demo [--force]        create a demo database with a believable programme; prints the logins\n"
          "       [--programme N]  ... plus a second team and N synthetic trajectories of last year (reports)\n"
          "  user add EMAIL --name NAME --role ROLE[,ROLE] [--org ID] [--side care|work] [--function TEXT]\n"
          "                        add a user; reads a password from standard input if --password-stdin,\n"
          "                        otherwise prints a one-time link to set it\n"
          "  user passwd EMAIL     set a password (read from standard input) and end the user's sessions\n"
          "  user reset EMAIL      print a one-time password-reset link\n"
          "  user disable EMAIL    deactivate a user and end their sessions\n"
          "  user enable EMAIL     reactivate a user\n"
          "  user unlock EMAIL     unlock after too many failed logins\n"
          "  user list             list users (no case information)\n"
          "  user invite-participant TRAJECTORY_ID [--email EMAIL]\n"
          "                        give the participant of a trajectory an account (participant role only,\n"
          "                        linked to that participant) and print its one-time link; EMAIL defaults to\n"
          "                        the address entered at registration\n"
          "  backup FILE           copy the database to FILE while it is in use (online backup)\n"
          "  migrate-to URL        copy this SQLite database (--db FILE), access log included, into an empty\n"
          "                        PostgreSQL database (postgresql://...); verifies the chain before and after\n"
          "  audit verify          check the access log's hash chain (with the key) and its seal: exit 0\n"
          "                        intact, 3 changed or truncated, 1 cannot check (no key, database error)\n"
          "                        --full (default) walks the whole chain and reports its rate;\n"
          "                        --from-checkpoint walks only the entries after the verified checkpoint\n"
          "  audit reseal          after an incident has been looked into: seal the log's current head again\n"
          "                        (only if the whole chain verifies)\n"
          "  scale-data [--participants N] [--log-entries M]\n"
          "                        fill a demo database for make bench-scale (synthetic; never in production)\n"
          "  retention run [--dry-run] [--as-of YYYY-MM-DD]\n"
          "                        erase the case content of trajectories closed longer ago than\n"
          "                        retention_case_years (the server does it daily); --dry-run counts only\n"
          "  mail due              queue the mails of the day (actions due, message digests) that are due now\n"
          "                        and were not queued today yet; for cron (the server does it each minute)\n"
          "  routes                print the route table (method, path, roles, flags)\n"
          "  config                print every setting with its current value and meaning\n"
          "  totp SECRET           print the current code for a base32 TOTP secret (demo helper)\n"
          "  version               print the version\n"
          "\n"
          "Options (strongest last: defaults < config file < ZORGWERK_* environment < flags):\n"
          "  --config FILE         read settings from FILE (key = value lines)\n"
          "  --db PATH             database file (setting: db)\n"
          "  --listen ADDR:PORT    address to serve on (setting: listen)\n"
          "  --set KEY=VALUE       any setting; see `zorgwerk config`\n"
          "  -h, --help            this help\n"
          "\n"
          "Roles: admin, coach, teamlead, participant, partner, logofficer, programme.\n");
}

Db *cli_open_db(void) {
  Db *db;
  if (db_is_pg_url(cfg.db) && (!*cfg.audit_key_file || !*cfg.audit_seal_file)) {
    fprintf(stderr, "zorgwerk: with a PostgreSQL database (setting db) the settings audit_key_file and "
                    "audit_seal_file must name files (on SQLite they default to the database file's name)\n");
    return NULL;
  }
  if (db_open(cfg.db, &db) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot open database %s (setting db)\n", db_safe_name(cfg.db));
    return NULL;
  }
  if (db_migrate(db) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot apply migrations to %s: %s\n", db_safe_name(cfg.db), db_errmsg(db));
    db_close(db);
    return NULL;
  }
  return db;
}

/* Loads the access-log key for serve; false (explained on stderr) when it cannot be used. The server never
 * creates a key itself: a new one would make a log whose key was removed look whole again. */
static bool serve_key(void) {
  KeyStatus ks = audit_key_load();
  if (ks == KEY_OK) return true;
  char path[1100];
  seal_key_path(path, sizeof path);
  if (ks == KEY_MISSING)
    fprintf(stderr,
            "zorgwerk: the access-log key file %s does not exist.\n"
            "  A new or upgraded database: run `zorgwerk init` once to create it (mode 0600), then back it up\n"
            "  apart from the database. A database that had a key: restore the key file from its backup;\n"
            "  without it the access log can be neither verified nor extended. (Setting: audit_key_file.)\n",
            path);
  else
    fprintf(stderr, "zorgwerk: the access-log key file %s %s; not serving.\n", path, seal_key_problem(ks));
  return false;
}

static int cmd_serve(void) {
  Db *db = cli_open_db();
  if (!db) return 1;
  db_close(db);
  if (!serve_key()) return 1;
  db_set_default_path(cfg.db);
  db_fault_file(cfg.fault_file);
  assets_init();
  frame_unread_count = messages_nav_unread;
  static const AuditServer holds = {server_suspend, server_resume, server_in_flight};
  if (!audit_start(cfg.db, &holds)) {
    fprintf(stderr, "zorgwerk: cannot start the access-log writer\n");
    return 1;
  }
  static const Site portal = {
      .routes = route_tables, .error_page = page_error, .find_session = session_load, .hold = audit_hold};
  if (!outbox_start()) { /* notification mails (smtp_url); nothing without it */
    audit_stop();
    return 1;
  }
  retention_daily_start(); /* the retention rule, daily (cli/retention.c) */
  int rc = server_run(&portal);
  retention_daily_stop();
  outbox_stop();
  audit_stop();
  db_thread_close();
  return rc;
}

static int cmd_backup(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: zorgwerk backup FILE\n");
    return 2;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  int rc = db_backup(db, argv[1]);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: backup to %s failed (%s)\n", argv[1], db_code_name(rc));
    return 1;
  }
  printf("backup written to %s\n", argv[1]);
  return 0;
}

/* Prints what audit_check found, one line per finding; returns the exit status (0 intact, 3 not intact,
 * 1 cannot check). */
static int print_check(const AuditCheck *c) {
  char kpath[1100], spath[1100];
  seal_key_path(kpath, sizeof kpath);
  seal_file_path(spath, sizeof spath);
  if (c->from_checkpoint)
    printf("verified from the checkpoint at entry %lld: %lld entries walked in %.3f s\n",
           (long long)c->checkpoint_id, (long long)c->walked, c->seconds);
  else
    printf("verified the whole chain: %lld entries walked in %.3f s (%.0f entries/s)\n", (long long)c->walked,
           c->seconds, c->seconds > 0 ? (double)c->walked / c->seconds : 0.0);
  if (c->full_at) {
    char when[32];
    time_t t = (time_t)c->full_at;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
    printf("last full verification: %s, up to entry %lld\n", when, (long long)c->full_entry_id);
  } else {
    printf("no full verification recorded yet: run `zorgwerk audit verify --full`\n");
  }
  if (audit_check_intact(c)) {
    printf("access log intact: %lld entries, keyed from entry %lld on; sealed up to entry %lld (hash %s)\n",
           (long long)c->checked, (long long)c->keyed_from, (long long)c->seal.id, c->seal.hash);
    return 0;
  }
  int status = 3;
  printf("access log NOT INTACT:\n");
  if (c->key != KEY_OK) {
    printf("- the key file %s %s: the keyed chain and the seal cannot be checked\n", kpath,
           seal_key_problem(c->key));
    if (c->unchecked_from) printf("  (entries from %lld on are not checked)\n", (long long)c->unchecked_from);
    status = 1;
  }
  if (c->bad_id)
    printf("- access log BROKEN at entry %lld (after %lld intact entries): changed, removed or inserted\n",
           (long long)c->bad_id, (long long)c->checked);
  if (c->key == KEY_OK && c->seal_status == SEAL_MISSING)
    printf("- the seal %s is missing: entries removed from the end of the log cannot be ruled out\n", spath);
  else if (c->key == KEY_OK && c->seal_status == SEAL_UNREADABLE)
    printf("- the seal %s cannot be read\n", spath);
  else if (c->key == KEY_OK && c->seal_status == SEAL_INVALID)
    printf("- the seal %s was not written with the chain key: it was replaced or damaged\n", spath);
  if (!c->keyed_from)
    printf("- the record of where the keyed chain begins (table audit_chain) is missing\n");
  else if (c->boundary_changed)
    printf("- the keyed chain begins at entry %lld in the database, at entry %lld in the seal\n",
           (long long)c->keyed_from, (long long)c->seal.keyed_from);
  if (c->truncated)
    printf("- entries removed from the end: the log was sealed up to entry %lld, it now ends at entry %lld\n",
           (long long)c->seal.id, (long long)c->last_id);
  if (c->head_changed)
    printf("- entry %lld differs from the seal (sealed hash %s): the log was rewritten\n", (long long)c->seal.id,
           c->seal.hash);
  if (c->checkpoint_forged)
    printf("- the verified checkpoint (table audit_checkpoint) was not written with the chain key: it was forged "
           "or damaged\n");
  if (c->checkpoint_changed)
    printf("- entry %lld differs from the verified checkpoint: the log was rewritten before it\n",
           (long long)c->checkpoint_id);
  return status;
}

static int cmd_audit(int argc, char **argv) {
  bool reseal = argc >= 2 && strcmp(argv[1], "reseal") == 0, quick = false;
  for (int i = 2; i < argc; i++) {
    if (!reseal && !strcmp(argv[i], "--from-checkpoint")) quick = true;
    else if (!reseal && !strcmp(argv[i], "--full")) quick = false;
    else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--set") || !strcmp(argv[i], "--config")) i++;
    else argc = 0; /* unknown: usage */
  }
  if (argc < 2 || (!reseal && strcmp(argv[1], "verify") != 0)) {
    fprintf(stderr, "usage: zorgwerk audit verify [--full | --from-checkpoint] | zorgwerk audit reseal\n");
    return 2;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  AuditCheck c;
  Seal now;
  int rc = reseal ? audit_reseal(db, &c, &now) : audit_check_mode(db, &c, quick);
  db_close(db);
  if (reseal) {
    if (rc == DB_OK) {
      printf("was: ");
      print_check(&c);
      printf("access log sealed again up to entry %lld (hash %s)\n", (long long)now.id, now.hash);
      return 0;
    }
    if (rc == DB_ERROR || rc == DB_IOERR) {
      print_check(&c);
      fprintf(stderr, "zorgwerk: %s\n",
              rc == DB_IOERR ? "cannot write the seal"
                             : "not sealed again: the chain itself must verify with the key (a new seal cannot "
                               "make a changed log whole)");
      return 1;
    }
  }
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the access log (%s)\n", db_code_name(rc));
    return 1;
  }
  return print_check(&c);
}

/* Creates the access-log key if needed and seals the log (init, demo); prints what it did. Returns the
 * exit status. */
static int prepare_chain(bool fresh) {
  Db *db = cli_open_db();
  if (!db) return 1;
  char msg[2048];
  int rc = audit_chain_prepare(db, fresh, msg, sizeof msg);
  db_close(db);
  if (rc == 0) fputs(msg, stdout);
  else fprintf(stderr, "zorgwerk: %s\n", msg);
  return rc;
}

/* zorgwerk mail due: the day's pass of mail/daily.h, once; the server's worker delivers the mails. */
static int cmd_mail(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "due") != 0) {
    fprintf(stderr, "usage: zorgwerk mail due\n");
    return 2;
  }
  if (!outbox_enabled()) {
    fprintf(stderr, "zorgwerk: smtp_url is not set, so no mail is sent\n");
    return 1;
  }
  if (audit_key_load() != KEY_OK) { /* links in the outbox are sealed under the access log's key */
    fprintf(stderr, "zorgwerk: the access-log key file cannot be read; see `zorgwerk init`\n");
    return 1;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  int queued = 0, rc = mail_daily_pass(db, (int64_t)time(NULL), &queued);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: the mails of the day could not be queued (%s)\n", db_code_name(rc));
    return 1;
  }
  printf("%d mails queued\n", queued);
  return 0;
}

static int cmd_totp(int argc, char **argv) {
  char code[7];
  if (argc < 2 || !totp_code(argv[1], (int64_t)time(NULL), code)) {
    fprintf(stderr, "usage: zorgwerk totp BASE32SECRET\n");
    return 2;
  }
  printf("%s\n", code);
  return 0;
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) {
    fprintf(stderr, "zorgwerk: libsodium cannot start\n");
    return 1;
  }
  config_defaults(&cfg);
  char err[512];
  /* First pass: --config only, so that the file sits below environment and flags. */
  for (int i = 1; i < argc - 1; i++)
    if (strcmp(argv[i], "--config") == 0 && !config_load_file(&cfg, argv[i + 1], err, sizeof err)) {
      fprintf(stderr, "zorgwerk: %s\n", err);
      return 2;
    }
  if (!config_load_env(&cfg, err, sizeof err)) {
    fprintf(stderr, "zorgwerk: environment: %s\n", err);
    return 2;
  }
  static const struct option opts[] = {
      {"config", required_argument, 0, 'c'}, {"db", required_argument, 0, 'd'},
      {"listen", required_argument, 0, 'l'}, {"set", required_argument, 0, 's'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0},
  };
  int c;
  /* '+' stops at the first non-option: the command and its own options follow */
  while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': break;
      case 'd': if (!config_set(&cfg, "db", optarg, err, sizeof err)) goto bad; break;
      case 'l': if (!config_set(&cfg, "listen", optarg, err, sizeof err)) goto bad; break;
      case 's': {
        char *eq = strchr(optarg, '=');
        if (!eq) { snprintf(err, sizeof err, "--set expects KEY=VALUE"); goto bad; }
        *eq = 0;
        if (!config_set(&cfg, optarg, eq + 1, err, sizeof err)) goto bad;
        break;
      }
      case 'h': usage(stdout); return 0;
      default: usage(stderr); return 2;
    }
  }
  if (!i18n_init()) return 1;
  /* the zone of local times is read once, here, before any thread exists (core/dates.h) */
  if (!dates_init(cfg.timezone, err, sizeof err)) goto bad;
  if (*err) fprintf(stderr, "zorgwerk: %s\n", err);
  if (optind >= argc) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[optind];
  int cargc = argc - optind;
  char **cargv = argv + optind;
  /* Command-specific --db/--listen after the command are accepted too (zorgwerk serve --db x). */
  for (int i = 1; i < cargc - 1; i++) {
    if (!strcmp(cargv[i], "--db") && !config_set(&cfg, "db", cargv[i + 1], err, sizeof err)) goto bad;
    if (!strcmp(cargv[i], "--listen") && !config_set(&cfg, "listen", cargv[i + 1], err, sizeof err)) goto bad;
    if (!strcmp(cargv[i], "--config") && !config_load_file(&cfg, cargv[i + 1], err, sizeof err)) goto bad;
    if (!strcmp(cargv[i], "--set")) {
      char *eq = strchr(cargv[i + 1], '=');
      if (!eq) { snprintf(err, sizeof err, "--set expects KEY=VALUE"); goto bad; }
      *eq = 0;
      if (!config_set(&cfg, cargv[i + 1], eq + 1, err, sizeof err)) goto bad;
      *eq = '=';
    }
  }
  if (!strcmp(cmd, "serve")) return cmd_serve();
  if (!strcmp(cmd, "init")) {
    Db *db = cli_open_db();
    if (!db) return 1;
    int v = 0;
    db_schema_version(db, &v);
    db_close(db);
    int rc = prepare_chain(false);
    if (rc == 0) printf("database %s ready (schema %d)\n", db_safe_name(cfg.db), v);
    return rc;
  }
  if (!strcmp(cmd, "demo")) {
    int rc = cmd_demo(cargc, cargv);
    return rc == 0 ? prepare_chain(true) : rc;
  }
  if (!strcmp(cmd, "user")) return cmd_user(cargc, cargv);
  if (!strcmp(cmd, "backup")) return cmd_backup(cargc, cargv);
  if (!strcmp(cmd, "migrate-to")) return cmd_migrate_to(cargc, cargv);
  if (!strcmp(cmd, "audit")) return cmd_audit(cargc, cargv);
  if (!strcmp(cmd, "totp")) return cmd_totp(cargc, cargv);
  if (!strcmp(cmd, "mail")) return cmd_mail(cargc, cargv);
  if (!strcmp(cmd, "retention")) return cmd_retention(cargc, cargv);
  if (!strcmp(cmd, "scale-data")) return cmd_scale_data(cargc, cargv);
  if (!strcmp(cmd, "routes")) { router_print(route_tables); return 0; }
  if (!strcmp(cmd, "config")) { config_print(&cfg, stdout); return 0; }
  if (!strcmp(cmd, "version")) { printf("zorgwerk %s\n", ZW_VERSION); return 0; }
  if (!strcmp(cmd, "help")) { usage(stdout); return 0; }
  fprintf(stderr, "zorgwerk: unknown command '%s' (see zorgwerk --help)\n", cmd);
  return 2;
bad:
  fprintf(stderr, "zorgwerk: %s\n", err);
  return 2;
}
