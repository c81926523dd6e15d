/*
 * user.c — `zorgwerk user ...`: account administration from the shell (the first administrator is
 * made here). Prints no case information.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/links.h"
#include "auth/password.h"
#include "auth/session.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/text.h"
#include "http/http.h"
#include "policy/audit.h"
#include "store/devices.h"
#include "store/participants.h"

static unsigned parse_roles(const char *s) {
  static const struct { const char *name; unsigned bit; } names[] = {
      {"admin", ROLE_ADMIN}, {"coach", ROLE_COACH}, {"teamlead", ROLE_TEAMLEAD},
      {"participant", ROLE_PARTICIPANT}, {"partner", ROLE_PARTNER}, {"logofficer", ROLE_LOGOFFICER}};
  unsigned roles = 0;
  char *copy = xstrdup(s), *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    unsigned bit = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (!strcmp(names[i].name, t)) bit = names[i].bit;
    if (!bit) { free(copy); return 0; }
    roles |= bit;
  }
  free(copy);
  return roles;
}

int64_t cli_user_create(Db *db, const char *email, const char *name, unsigned roles, int64_t org_id,
                        const char *side, const char *function, const char *password) {
  char hash[PASSWORD_HASH_MAX];
  if (password && !password_hash(password, hash)) return 0;
  char *lower = xstrdup(email);
  for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
  Stmt *st = db_prepare(db, "INSERT INTO users (email, name, roles, org_id, side, function, password_hash, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  int64_t id = 0;
  if (st) {
    db_bind_text(st, 1, lower);
    db_bind_text(st, 2, name);
    db_bind_int(st, 3, roles);
    if (org_id) db_bind_int(st, 4, org_id); else db_bind_null(st, 4);
    db_bind_text(st, 5, side);
    db_bind_text(st, 6, function);
    db_bind_text(st, 7, password ? hash : NULL);
    db_bind_int(st, 8, (int64_t)time(NULL));
    if (db_step(st) == DB_ROW) id = db_int(st, "id");
    db_done(st);
  }
  free(lower);
  return id;
}

static int64_t find_user(Db *db, const char *email) {
  char *lower = xstrdup(email);
  for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
  Stmt *st = db_prepare(db, "SELECT id FROM users WHERE email = ?");
  int64_t id = 0;
  if (st) {
    db_bind_text(st, 1, lower);
    if (db_step(st) == DB_ROW) id = db_int(st, "id");
    db_done(st);
  }
  free(lower);
  if (!id) fprintf(stderr, "zorgwerk: no user with e-mail %s\n", email);
  return id;
}

static bool read_password(char *out, size_t n) {
  if (!fgets(out, (int)n, stdin)) return false;
  out[strcspn(out, "\r\n")] = 0;
  return true;
}

/* Issues a one-time link (links.h: an access-log entry by "cli" on the account; a reset replaces earlier
 * links and the owner is told at the next sign-in once it is used) and prints it for the operator to hand
 * to the person themselves. Returns the exit status. */
static int print_link(Db *db, int64_t uid, const char *purpose) {
  char token[TOKEN_LEN + 1];
  LinkResult res;
  int64_t expires;
  int hours = strcmp(purpose, "invite") == 0 ? cfg.invite_days * 24 : cfg.reset_link_hours;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = link_issue(db, NULL, uid, purpose, hours, token, &res, &expires);
  if (rc == DB_OK && res == LINK_HELD) rc = DB_CONSTRAINT;
  if (rc == DB_OK) rc = db_commit(db);
  else db_rollback(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot create the link\n");
    return 1;
  }
  Arena *a = arena_new();
  printf("one-time link (valid %d hours): %s\n", hours, link_url(a, token));
  printf("hand it to the person themselves; its creation and use are in the access log\n");
  arena_free(a);
  return 0;
}

/* `user invite-participant TRAJECTORY [--email EMAIL]`: the command-line way to give the participant of a
 * trajectory an account, as a coach does on /t/{id}/account (store/participants.h): a new account with the
 * participant role only, linked to that participant, and its one-time link printed for the operator to hand
 * over; the same link again while the command line's link is live. EMAIL defaults to the address entered at
 * registration (or the invited account's). The invitation is in the access log on the participant, the
 * link's creation on the account. Prints no case information. Returns the exit status. */
static int invite_participant(Db *db, int argc, char **argv) {
  char *end = NULL;
  long long tid = argc > 2 ? strtoll(argv[2], &end, 10) : 0;
  if (argc < 3 || !end || *end || tid <= 0) {
    fprintf(stderr, "usage: zorgwerk user invite-participant TRAJECTORY_ID [--email EMAIL]\n");
    return 2;
  }
  const char *email = NULL;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--email") && i + 1 < argc) email = argv[++i];
    else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--config") || !strcmp(argv[i], "--set")) i++;
  }
  int64_t pid;
  if (participant_of_trajectory(db, tid, &pid) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the database\n");
    return 1;
  }
  if (!pid) {
    fprintf(stderr, "zorgwerk: no trajectory %lld\n", tid);
    return 1;
  }
  Arena *a = arena_new();
  int status = 1;
  ParticipantAccount acc;
  if (participant_account_load(db, a, pid, &acc) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot read the database\n");
    goto out;
  }
  if (!email) email = acc.state == PACCOUNT_INVITED ? acc.account_email : acc.registered_email;
  char *lower = text_trim(arena_strdup(a, email));
  for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
  if (acc.state == PACCOUNT_ACTIVE || acc.state == PACCOUNT_INACTIVE) {
    fprintf(stderr, "zorgwerk: the participant of trajectory %lld already has an account\n", tid);
    goto out;
  }
  if (!text_email_ok(lower, 254)) {
    fprintf(stderr, "zorgwerk: no usable e-mail address for the participant: give one with --email EMAIL\n");
    goto out;
  }
  ParticipantInvite inv;
  int hours = cfg.invite_days * 24;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = participant_invite(db, NULL, pid, lower, hours, &inv);
  if (rc == DB_OK && inv.result == PINVITE_RACE) rc = DB_CONSTRAINT;
  bool ok = rc == DB_OK && inv.result == PINVITE_LINK;
  if (rc == DB_OK)
    rc = audit_append(db, 0, "cli", NULL, NULL,
                      &(AuditEntry){.participant_id = pid, .trajectory_id = tid, .item = "account",
                                    .action = inv.created ? "create" : "update", .outcome = ok ? "ok" : "denied"});
  if (rc == DB_OK) rc = db_commit(db);
  else db_rollback(db);
  if (rc != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot invite the participant (the account changed meanwhile?); try again\n");
  } else if (inv.result == PINVITE_REFUSED) {
    fprintf(stderr, "zorgwerk: this e-mail address cannot be used for the participant's account\n");
  } else if (inv.result == PINVITE_HAS_ACCOUNT) {
    fprintf(stderr, "zorgwerk: the participant of trajectory %lld already has an account\n", tid);
  } else if (inv.result == PINVITE_HELD) {
    fprintf(stderr, "zorgwerk: someone else's invitation link for this participant still works; a new one can be "
                    "made once it has expired (or use `user reset %s`)\n", lower);
  } else {
    printf("participant account %s (user %lld)%s\n", lower, (long long)inv.user_id,
           inv.created ? " created" : "");
    printf("one-time link (valid %d hours): %s\n", hours, link_url(a, inv.token));
    printf("hand it to the participant themselves; its creation and use are in the access log\n");
    status = 0;
  }
out:
  arena_free(a);
  return status;
}

static int set_flag(Db *db, const char *email, const char *sql, const char *done) {
  int64_t uid = find_user(db, email);
  if (!uid) return 1;
  Stmt *st = db_prepare(db, sql);
  if (!st) return 1;
  db_bind_int(st, 1, uid);
  if (db_run(st) != DB_OK || session_end_all(db, uid) != DB_OK) {
    fprintf(stderr, "zorgwerk: could not update %s\n", email);
    return 1;
  }
  printf("%s: %s\n", email, done);
  return 0;
}

int cmd_user(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: zorgwerk user add|passwd|reset|disable|enable|unlock|list|invite-participant ... "
                    "(see --help)\n");
    return 2;
  }
  const char *sub = argv[1];
  Db *db = cli_open_db();
  if (!db) return 1;
  int rc = 2;
  if (!strcmp(sub, "list")) {
    Stmt *st = db_prepare(db, "SELECT id, email, name, roles, active, locked FROM users ORDER BY id");
    printf("%-5s %-36s %-28s %-6s %s\n", "id", "email", "name", "roles", "state");
    while (st && db_step(st) == DB_ROW)
      printf("%-5lld %-36s %-28s %-6lld %s\n", (long long)db_int(st, "id"), db_text(st, "email"), db_text(st, "name"),
             (long long)db_int(st, "roles"),
             !db_int(st, "active") ? "inactive" : db_int(st, "locked") ? "locked" : "active");
    db_done(st);
    rc = 0;
  } else if (!strcmp(sub, "invite-participant")) {
    rc = invite_participant(db, argc, argv);
  } else if (argc < 3) {
    fprintf(stderr, "zorgwerk: user %s needs an e-mail address\n", sub);
  } else if (!strcmp(sub, "add")) {
    const char *email = argv[2], *name = NULL, *role = NULL, *side = NULL, *function = NULL;
    int64_t org = 0;
    bool stdin_pw = false;
    for (int i = 3; i < argc; i++) {
      if (!strcmp(argv[i], "--name") && i + 1 < argc) name = argv[++i];
      else if (!strcmp(argv[i], "--role") && i + 1 < argc) role = argv[++i];
      else if (!strcmp(argv[i], "--org") && i + 1 < argc) org = atoll(argv[++i]);
      else if (!strcmp(argv[i], "--side") && i + 1 < argc) side = argv[++i];
      else if (!strcmp(argv[i], "--function") && i + 1 < argc) function = argv[++i];
      else if (!strcmp(argv[i], "--password-stdin")) stdin_pw = true;
      else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--config") || !strcmp(argv[i], "--set")) i++;
    }
    unsigned roles = role ? parse_roles(role) : 0;
    if (!name || !roles || !strchr(email, '@')) {
      fprintf(stderr, "zorgwerk: user add EMAIL --name NAME --role ROLE (admin, coach, teamlead, participant, "
                      "partner, logofficer)\n");
    } else {
      char pw[1100];
      const char *password = NULL;
      if (stdin_pw) {
        if (!read_password(pw, sizeof pw)) { fprintf(stderr, "zorgwerk: no password on standard input\n"); goto out; }
        PwCheck c = password_check(pw, email, name);
        if (c != PW_OK) { fprintf(stderr, "zorgwerk: %s\n", password_check_message(c)); goto out; }
        password = pw;
      }
      int64_t id = cli_user_create(db, email, name, roles, org, side, function, password);
      if (!id) {
        fprintf(stderr, "zorgwerk: could not add %s (does the e-mail address exist already?)\n", email);
        rc = 1;
      } else {
        printf("added user %lld: %s\n", (long long)id, email);
        rc = password ? 0 : print_link(db, id, "invite");
      }
    }
  } else if (!strcmp(sub, "passwd")) {
    int64_t uid = find_user(db, argv[2]);
    char pw[1100];
    if (!uid) rc = 1;
    else if (!read_password(pw, sizeof pw)) fprintf(stderr, "zorgwerk: no password on standard input\n");
    else {
      PwCheck c = password_check(pw, argv[2], NULL);
      char hash[PASSWORD_HASH_MAX];
      if (c != PW_OK) fprintf(stderr, "zorgwerk: %s\n", password_check_message(c));
      else if (!password_hash(pw, hash)) fprintf(stderr, "zorgwerk: out of memory\n");
      else {
        Stmt *st = db_prepare(db, "UPDATE users SET password_hash = ?, failed_logins = 0, locked = 0 WHERE id = ?");
        db_bind_text(st, 1, hash);
        db_bind_int(st, 2, uid);
        /* a reset by the operator: the account's known devices (login throttling) are forgotten too */
        rc = db_run(st) == DB_OK && session_end_all(db, uid) == DB_OK && device_forget_others(db, uid, NULL) == DB_OK
                 ? 0 : 1;
        if (!rc) printf("password set for %s; sessions ended, known devices forgotten\n", argv[2]);
      }
    }
  } else if (!strcmp(sub, "reset")) {
    int64_t uid = find_user(db, argv[2]);
    rc = uid ? print_link(db, uid, "reset") : 1;
  } else if (!strcmp(sub, "disable")) {
    rc = set_flag(db, argv[2], "UPDATE users SET active = 0 WHERE id = ?", "deactivated, sessions ended");
  } else if (!strcmp(sub, "enable")) {
    rc = set_flag(db, argv[2], "UPDATE users SET active = 1 WHERE id = ?", "active");
  } else if (!strcmp(sub, "unlock")) {
    /* lifts both locks: the password's (cfg.lock_after) and the second factor's (cfg.totp_lock_after) */
    rc = set_flag(db, argv[2], "UPDATE users SET locked = 0, failed_logins = 0, totp_failures = 0 WHERE id = ?",
                  "unlocked");
  } else {
    fprintf(stderr, "zorgwerk: unknown user command '%s'\n", sub);
  }
out:
  db_close(db);
  return rc;
}
