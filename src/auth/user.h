/*
 * user.h — who is signed in: the roles, the signed-in user and their session, and the small rules on them
 * (role codes, the login name's form, who must use a second factor). Plain types and pure functions; no I/O.
 * The rows behind them are read and written in store/users.h; sessions are started and checked in
 * account/session.h. Every layer may include this file; it includes nothing of the project.
 */
#ifndef ZW_USER_H
#define ZW_USER_H

#include <stdbool.h>
#include <stdint.h>

/* Roles are bits: one user may hold several (a team lead who is also a coach). */
enum {
  ROLE_ADMIN = 1 << 0,
  ROLE_COACH = 1 << 1,
  ROLE_TEAMLEAD = 1 << 2,
  ROLE_PARTICIPANT = 1 << 3,
  ROLE_PARTNER = 1 << 4,   /* external care or work partner */
  ROLE_LOGOFFICER = 1 << 5,
  ROLE_PROGRAMME = 1 << 6, /* programme manager: outcome reports as aggregates, no case content */
  ROLE_ANY = 0x7f,         /* any signed-in user */
  /* must use a second factor */
  ROLE_MFA_REQUIRED = ROLE_ADMIN | ROLE_COACH | ROLE_TEAMLEAD | ROLE_LOGOFFICER | ROLE_PROGRAMME,
  /* The role mask of a case route (R_CASE): every signed-in role reaches the handler, and the one case
   * door inside it decides per trajectory (a refusal is the not-found page, the same as a missing id). A
   * case route that is for fewer roles says so with its own mask. */
  ROLES_CASE = ROLE_ANY,
};

typedef struct User {
  int64_t id;
  unsigned roles;
  const char *name, *email, *lang;
  int64_t org_id;
  const char *side;   /* a partner's side, "care" or "work" (NULL for staff and participants) */
  bool org_employer;  /* the account's organisation is an employer (its HR or line manager) */
  bool totp_enabled;
} User;

typedef struct Session {
  int64_t id;
  const char *csrf;       /* per-session CSRF token */
  bool mfa_ok;            /* second factor done (or not needed) */
  int64_t created_at;
} Session;

/* The role bit of one role code ("admin", "coach", "teamlead", "participant", "partner", "logofficer",
 * "programme"), or 0
 * for anything else (also NULL). Pure. */
unsigned role_from_code(const char *code);

/* The code of a single role bit, or NULL when bit is not exactly one role. Pure; static strings. */
const char *role_code(unsigned bit);

/* The role bits of a comma-separated list of role codes ("coach,teamlead"); 0 when it names no role or any
 * element is not a role code (no spaces; empty elements are skipped). Pure; allocates nothing. */
unsigned roles_parse(const char *list);

/* Whether an account with roles must use a second factor: one of its roles needs it (ROLE_MFA_REQUIRED), or
 * the portal asks it of everyone (cfg.totp_everyone). An account that has one uses it anyway. Pure but for
 * reading cfg. */
bool user_mfa_required(unsigned roles);

/* Folds an e-mail address in place to the form accounts are stored and looked up by (ASCII lowercase) and
 * returns it. Pure. */
char *user_email_fold(char *email);

#endif
