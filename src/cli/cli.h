/*
 * cli.h — subcommands of the zorgwerk binary. Each returns the process exit status.
 */
#ifndef ZW_CLI_H
#define ZW_CLI_H

#include "db/db.h"

/* Opens cfg.db and applies migrations; prints a message and returns NULL on failure. */
Db *cli_open_db(void);

int cmd_demo(int argc, char **argv);  /* demo.c */
int cmd_user(int argc, char **argv);  /* user.c */
int cmd_scale_data(int argc, char **argv); /* scale.c: `scale-data` for make bench-scale */
int cmd_migrate_to(int argc, char **argv); /* migrate_to.c: `migrate-to URL`, SQLite into PostgreSQL */
int cmd_retention(int argc, char **argv); /* retention.c: `retention run [--dry-run] [--as-of DAY]` */
/* retention.c: the daily retention job inside the server (a thread with its own connection); db.h brings bool. */
bool retention_daily_start(void);
void retention_daily_stop(void);

/* Creates a user; password may be NULL (no password: must use a reset link). Returns the id or 0. */
int64_t cli_user_create(Db *db, const char *email, const char *name, unsigned roles, int64_t org_id,
                        const char *side, const char *function, const char *password);

#endif
