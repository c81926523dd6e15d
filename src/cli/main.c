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

#include "auth/totp.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/log.h"
#include "http/http.h"
#include "http/server.h"
#include "i18n/i18n.h"
#include "pages/pages.h"
#include "policy/audit.h"

static void usage(FILE *out) {
  fprintf(out,
          "zorgwerk — Zorg & Werk portaal\n"
          "\n"
          "Usage: zorgwerk [OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "Commands:\n"
          "  serve                 serve the portal (default address 127.0.0.1:8080)\n"
          "  init                  create or upgrade the database (migrations), then exit\n"
          "  demo [--force]        create a demo database with a believable programme; prints the logins\n"
          "  user add EMAIL --name NAME --role ROLE[,ROLE] [--org ID] [--side care|work] [--function TEXT]\n"
          "                        add a user; reads a password from standard input if --password-stdin,\n"
          "                        otherwise prints a one-time link to set it\n"
          "  user passwd EMAIL     set a password (read from standard input) and end the user's sessions\n"
          "  user reset EMAIL      print a one-time password-reset link\n"
          "  user disable EMAIL    deactivate a user and end their sessions\n"
          "  user enable EMAIL     reactivate a user\n"
          "  user unlock EMAIL     unlock after too many failed logins\n"
          "  user list             list users (no case information)\n"
          "  backup FILE           copy the database to FILE while it is in use (online backup)\n"
          "  audit verify          check the hash chain of the access log\n"
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
          "Roles: admin, coach, teamlead, participant, partner, logofficer.\n");
}

Db *cli_open_db(void) {
  Db *db;
  if (db_open(cfg.db, &db) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot open database %s\n", cfg.db);
    return NULL;
  }
  if (db_migrate(db) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot apply migrations to %s: %s\n", cfg.db, db_errmsg(db));
    db_close(db);
    return NULL;
  }
  return db;
}

static int cmd_serve(void) {
  Db *db = cli_open_db();
  if (!db) return 1;
  db_close(db);
  db_set_default_path(cfg.db);
  db_fault_file(cfg.fault_file);
  static_init();
  if (!audit_start(cfg.db)) {
    fprintf(stderr, "zorgwerk: cannot start the access-log writer\n");
    return 1;
  }
  int rc = server_run();
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

static int cmd_audit(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "verify") != 0) {
    fprintf(stderr, "usage: zorgwerk audit verify\n");
    return 2;
  }
  Db *db = cli_open_db();
  if (!db) return 1;
  int64_t bad, checked;
  int rc = audit_verify(db, &bad, &checked);
  db_close(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the access log (%s)\n", db_code_name(rc));
    return 1;
  }
  if (bad) {
    printf("access log BROKEN at entry %lld (after %lld intact entries): changed, removed or inserted\n",
           (long long)bad, (long long)checked);
    return 3;
  }
  printf("access log intact: %lld entries\n", (long long)checked);
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
    printf("database %s ready (schema %d)\n", cfg.db, v);
    db_close(db);
    return 0;
  }
  if (!strcmp(cmd, "demo")) return cmd_demo(cargc, cargv);
  if (!strcmp(cmd, "user")) return cmd_user(cargc, cargv);
  if (!strcmp(cmd, "backup")) return cmd_backup(cargc, cargv);
  if (!strcmp(cmd, "audit")) return cmd_audit(cargc, cargv);
  if (!strcmp(cmd, "totp")) return cmd_totp(cargc, cargv);
  if (!strcmp(cmd, "routes")) { router_print(); return 0; }
  if (!strcmp(cmd, "config")) { config_print(&cfg, stdout); return 0; }
  if (!strcmp(cmd, "version")) { printf("zorgwerk %s\n", ZW_VERSION); return 0; }
  if (!strcmp(cmd, "help")) { usage(stdout); return 0; }
  fprintf(stderr, "zorgwerk: unknown command '%s' (see zorgwerk --help)\n", cmd);
  return 2;
bad:
  fprintf(stderr, "zorgwerk: %s\n", err);
  return 2;
}
