/*
 * user.c — `zorgwerk user ...`: account administration from the shell (the first administrator is
 * made here). Prints no case information.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/invite.h"
#include "account/links.h"
#include "auth/password.h"
#include "account/session.h"
#include "cli/cli.h"
#include "core/config.h"
#include "core/text.h"
#include "policy/audit.h"
#include "store/devices.h"
#include "store/participants.h"
#include "store/users.h"

int64_t cli_user_create(Db *db, const char *email, const char *name, unsigned roles, int64_t org_id,
                        const char *side, const char *function, const char *password) {
  char hash[PASSWORD_HASH_MAX];
  if (password && !password_hash(password, hash)) return 0;
  char *lower = user_email_fold(xstrdup(email));
  int64_t id = 0;
  user_create(db,
              &(NewUser){.email = lower, .name = name, .roles = roles, .org_id = org_id, .side = side,
                         .function = function, .password_hash = password ? hash : NULL},
              (int64_t)time(NULL), &id);
  free(lower);
  return id;
}

/* The id of the account with e-mail address email (any case), or 0 with a message. */
static int64_t find_user(Db *db, const char *email) {
  char *lower = user_email_fold(xstrdup(email));
  int64_t id = 0;
  int rc = user_find_by_email(db, lower, &id);
  free(lower);
  if (rc != DB_OK) fprintf(stderr, "zorgwerk: cannot read the database\n");
  else if (!id) fprintf(stderr, "zorgwerk: no user with e-mail %s\n", email);
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
  char *lower = user_email_fold(text_trim(arena_strdup(a, email)));
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

/* What `user disable|enable|unlock` changes. */
typedef enum AccountChange { CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_UNLOCK } AccountChange;

/* Applies change to the account of email and ends its sessions; prints done. Returns the exit status. */
static int change_account(Db *db, const char *email, AccountChange change, const char *done) {
  int64_t uid = find_user(db, email);
  if (!uid) return 1;
  int rc = change == CHANGE_UNLOCK ? user_unlock(db, uid) : user_set_active(db, uid, change == CHANGE_ENABLE);
  if (rc != DB_OK || session_end_all(db, uid) != DB_OK) {
    fprintf(stderr, "zorgwerk: could not update %s\n", email);
    return 1;
  }
  printf("%s: %s\n", email, done);
  return 0;
}

/* `user list`: every account with its roles and state, no case information. Returns the exit status. */
static int list_users(Db *db) {
  Arena *a = arena_new();
  UserRecord *users;
  size_t n;
  int rc = users_all(db, a, &users, &n);
  if (rc == DB_OK) {
    printf("%-5s %-36s %-28s %-6s %s\n", "id", "email", "name", "roles", "state");
    for (size_t i = 0; i < n; i++)
      printf("%-5lld %-36s %-28s %-6u %s\n", (long long)users[i].id, users[i].email, users[i].name, users[i].roles,
             !users[i].active ? "inactive" : users[i].locked ? "locked" : "active");
  } else {
    fprintf(stderr, "zorgwerk: cannot read the database\n");
  }
  arena_free(a);
  return rc == DB_OK ? 0 : 1;
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
    rc = list_users(db);
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
    unsigned roles = roles_parse(role);
    if (!name || !roles || !strchr(email, '@')) {
      fprintf(stderr, "zorgwerk: user add EMAIL --name NAME --role ROLE (admin, coach, teamlead, participant, "
                      "partner, logofficer, programme)\n");
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
        /* a reset by the operator: the account's known devices (login throttling) are forgotten too */
        rc = user_set_password(db, uid, hash, true) == DB_OK && session_end_all(db, uid) == DB_OK &&
                     device_forget_others(db, uid, NULL) == DB_OK
                 ? 0
                 : 1;
        if (!rc) printf("password set for %s; sessions ended, known devices forgotten\n", argv[2]);
      }
    }
  } else if (!strcmp(sub, "reset")) {
    int64_t uid = find_user(db, argv[2]);
    rc = uid ? print_link(db, uid, "reset") : 1;
  } else if (!strcmp(sub, "disable")) {
    rc = change_account(db, argv[2], CHANGE_DISABLE, "deactivated, sessions ended");
  } else if (!strcmp(sub, "enable")) {
    rc = change_account(db, argv[2], CHANGE_ENABLE, "active");
  } else if (!strcmp(sub, "unlock")) {
    /* lifts both locks: the password's (cfg.lock_after) and the second factor's (cfg.totp_lock_after) */
    rc = change_account(db, argv[2], CHANGE_UNLOCK, "unlocked");
  } else {
    fprintf(stderr, "zorgwerk: unknown user command '%s'\n", sub);
  }
out:
  db_close(db);
  return rc;
}
