/*
 * login.c — signing in (password, then the second factor), signing out, the language switch and the
 * start page that sends each role to its own home.
 *
 * A failed login says the same thing whether or not the account exists, costs the same (a dummy hash
 * is verified for unknown accounts), and is slowed down so that a guesser cannot deny a right password to
 * someone else: a browser that signed in to the account before (a known device) passes the account's and
 * the address's throttles and its lock; the address throttle counts the accounts an address tries, not its
 * failures on one account; a throttled account lets its owner in with password and second-factor code
 * together. The rules are at post_login. cfg.lock_after failures in a row lock an account for unknown
 * devices until an administrator unlocks it; the message does not change when that happens. The second
 * factor locks after cfg.totp_lock_after wrong codes in a row (mfa_code_check).
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "account/links.h"
#include "auth/password.h"
#include "account/session.h"
#include "account/throttle.h"
#include "auth/token.h"
#include "auth/totp.h"
#include "core/config.h"
#include "core/log.h"
#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "mail/outbox.h"
#include "pages/mfa_code.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "store/devices.h"
#include "store/second_factor.h"
#include "store/users.h"

/* See mfa_code.h. */
const char *const mfa_locked_text =
    N_("Two-step verification for your account is locked after too many wrong codes. Sign in with one of your "
       "recovery codes, or ask the administrator of the portal to unlock it.");

const char *home_for(const User *u) {
  if (u->roles & ROLE_COACH) return "/dashboard";
  if (u->roles & ROLE_TEAMLEAD) return "/team";
  if (u->roles & ROLE_ADMIN) return "/admin/users";
  if (u->roles & ROLE_PARTICIPANT) return "/me";
  if (u->roles & ROLE_PARTNER) return "/shared";
  if (u->roles & ROLE_LOGOFFICER) return "/log";
  if (u->roles & ROLE_PROGRAMME) return "/reports";
  return "/account";
}

/* A local path to go on to after signing in: starts with one '/', and holds no control character, DEL or
 * backslash anywhere (browsers drop tabs and newlines from URLs and read '\' as '/', so "/\t/evil" would
 * become the other site "//evil"). */
const char *safe_next(const char *next, const char *fallback) {
  if (!next || next[0] != '/' || next[1] == '/') return fallback;
  for (const unsigned char *p = (const unsigned char *)next; *p; p++)
    if (*p < 0x20 || *p == 0x7f || *p == '\\') return fallback;
  return next;
}

static int get_home(Req *r) {
  if (!r->user) return http_redirect(r, "/login");
  return http_redirect(r, home_for(r->user));
}

static void login_form(Req *r, const char *email, const char *error) {
  page_begin(r, _("Sign in"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1>", _("Sign in"));
  if (error) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", error);
  form_begin(r, "/login", "form");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(query_str(r, "next")[0] ? query_str(r, "next") : form_str(r, "next"), ""));
  field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email", .value = email,
                          .autocomplete = "username", .required = true, .maxlength = 254});
  field_input(r, &(Field){.name = "password", .label = _("Password"), .type = "password",
                          .autocomplete = "current-password", .required = true, .maxlength = 1024});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Sign in"));
  form_end(r);
  if (outbox_enabled())
    html(&r->out, "<p><a href=\"/login/forgot\">%s</a></p></section>", _("Forgot your password?"));
  else
    html(&r->out, "<p class=\"muted small\">%s</p></section>",
         _("Forgot your password? Ask your coach or the administrator of the portal for a reset link."));
  page_end(r);
}

static int get_login(Req *r) {
  if (r->user && r->sess->mfa_ok) return http_redirect(r, home_for(r->user));
  login_form(r, "", NULL);
  return 200;
}

/* The 429 page of a throttled sign-in, with Retry-After. With offer_code (the account, not the address, is
 * throttled) it holds a sign-in form that takes a password and a second-factor code together — the one way
 * past an account's throttle besides a known device (see post_login); error is shown above it when the
 * last such try failed. The page is the same whether or not the account exists or has a second factor. */
static int too_many(Req *r, int64_t wait_ms, const char *email, bool offer_code, const char *error) {
  char secs[24];
  snprintf(secs, sizeof secs, "%lld", (long long)((wait_ms + 999) / 1000));
  http_header(r, "Retry-After", secs);
  buf_reset(&r->out);
  page_begin(r, _("Too many attempts"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1>", _("Too many attempts"));
  if (error) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", error);
  html(&r->out, "<p>%s</p><p>%s</p>", _("Too many failed attempts. Wait a moment before you try again."),
       _("On a device where you signed in before, you can still sign in."));
  html(&r->out, "<p class=\"muted small\">%s %s</p>", _("Seconds to wait:"), secs);
  if (offer_code) {
    html(&r->out, "<p>%s</p>",
         _("If you use two-step verification, you can sign in now: enter your password together with a code from "
           "your authenticator app or one of your recovery codes."));
    form_begin(r, "/login", "form");
    html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(form_str(r, "next"), ""));
    field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email", .value = email,
                            .autocomplete = "username", .required = true, .maxlength = 254});
    field_input(r, &(Field){.name = "password", .label = _("Password"), .type = "password",
                            .autocomplete = "current-password", .required = true, .maxlength = 1024});
    field_input(r, &(Field){.name = "code", .label = _("Code from your app, or a recovery code"),
                            .autocomplete = "one-time-code", .required = true, .maxlength = 20});
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Sign in"));
    form_end(r);
  }
  html(&r->out, "<p><a href=\"/login\">%s</a></p></section>", _("Back to sign in"));
  page_end(r);
  return 429;
}

/* Starts a session for user id (replacing any current one) and sets the cookie. Returns a DB code. */
static int start_session(Req *r, int64_t uid, bool mfa_ok) {
  if (r->sess) session_end(r->db, r->sess->id);
  char token[TOKEN_LEN + 1];
  int rc = session_create(r->db, uid, mfa_ok, (int64_t)time(NULL), token);
  if (rc == DB_OK) http_set_cookie(r, "zw_session", token, -1);
  return rc;
}

/* The device cookie of this browser (zw_device), or NULL. */
static const char *device_cookie(Req *r) {
  return params_get(&r->cookies, http_cookie_name("zw_device"));
}

/* Records this browser as a known device of uid after a complete sign-in (password and, where the account
 * has one, second factor): keeps the browser's device token if it has one, else makes one, and (re)sets the
 * cookie for DEVICE_DAYS. Returns a DB code. */
static int remember_device(Req *r, int64_t uid) {
  char fresh[TOKEN_LEN + 1];
  const char *token = device_cookie(r);
  if (!token || !token_shape_ok(token)) {
    token_new(fresh);
    token = fresh;
  }
  int rc = device_remember(r->db, uid, token, (int64_t)time(NULL));
  if (rc == DB_OK) http_set_cookie(r, "zw_device", token, DEVICE_DAYS * 86400);
  return rc;
}

/* See mfa_code.h. */
int mfa_code_check(Req *r, int64_t uid, const char *code, CodeResult *out) {
  *out = CODE_WRONG;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return rc;
  SecondFactor f;
  int64_t now = (int64_t)time(NULL), step = 0, failures = 0;
  bool used = false;
  if ((rc = second_factor_load(r->db, r->a, uid, &f)) == DB_DONE) rc = DB_ERROR;
  bool locked = f.failures >= cfg.totp_lock_after;
  if (rc == DB_OK && !locked && f.secret && totp_verify(f.secret, code, now, f.last_step, &step)) {
    rc = second_factor_use_step(r->db, uid, step, &used);
  } else if (rc == DB_OK && strlen(code) >= RECOVERY_CODE_LEN) {
    char h[65];
    recovery_code_hash(code, h);
    rc = second_factor_use_recovery(r->db, uid, h, now, &used);
  }
  if (rc == DB_OK && !used && (rc = second_factor_fail(r->db, uid, &failures)) == DB_OK &&
      failures == cfg.totp_lock_after)
    rc = audit_write(r, &(AuditEntry){.item = arena_printf(r->a, "account:%lld", (long long)uid),
                                      .action = "mfa_locked", .outcome = "denied"});
  if (rc != DB_OK || (rc = db_commit(r->db)) != DB_OK) {
    db_rollback(r->db);
    return rc;
  }
  if (used) {
    *out = CODE_OK;
    if (locked) log_info("rid=%s user %lld: second factor unlocked with a recovery code", r->rid, (long long)uid);
    return DB_OK;
  }
  if (failures == cfg.totp_lock_after)
    log_warn("rid=%s user %lld: second factor locked after %lld wrong codes in a row", r->rid, (long long)uid,
             (long long)failures);
  *out = failures >= cfg.totp_lock_after ? CODE_LOCKED : CODE_WRONG;
  return DB_OK;
}

/* True if password is a's; costs one password hash also without an account or password. */
static bool password_ok(const UserCredentials *a, const char *password) {
  if (a->password_hash) return password_verify(a->password_hash, password);
  password_verify_dummy(password);
  return false;
}

/* Counts a wrong password against account a in the database: cfg.lock_after in a row lock it (until an
 * administrator unlocks it or a reset link is used). Only for attempts from devices the account does not
 * know. Returns a DB code. */
static int count_failure(Req *r, const UserCredentials *a) {
  if (!a->id || !a->active || a->locked) return DB_OK;
  return user_login_failed(r->db, a->id, cfg.lock_after);
}

/* After a right password (and, with mfa_done, a right second-factor code too) for account a: notes the
 * time (and with reset, clears the count of failed logins), starts the session, records the device when the
 * sign-in is complete, and sends the browser on (to the second-factor step where one is still due). */
static int signed_in(Req *r, const UserCredentials *a, bool mfa_done, bool reset) {
  int rc = user_login_succeeded(r->db, a->id, (int64_t)time(NULL), reset);
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the second factor is done only for users who have none and whose role does not need one */
  bool mfa_needed = a->has_totp || user_mfa_required(a->roles);
  if ((rc = start_session(r, a->id, mfa_done || !mfa_needed)) != DB_OK) return http_db_error(r, rc);
  /* a device becomes known only by a complete sign-in: a password alone does not vouch for it where the
   * account has a second factor */
  if ((mfa_done || !a->has_totp) && (rc = remember_device(r, a->id)) != DB_OK) return http_db_error(r, rc);
  /* a notice (password reset by someone else) or a membership request comes first: notices.c */
  const char *next = notices_next(r, a->id, safe_next(form_str(r, "next"), NULL));
  if (a->has_totp && !mfa_done)
    return http_redirect(r, next ? arena_printf(r->a, "/login/2fa?next=%s", next) : "/login/2fa");
  if (next) return http_redirect(r, next);
  User *u;
  if ((rc = user_load(r->db, r->a, a->id, &u)) != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, home_for(u));
}

/* signed_in after a right password that passed the throttles; a code sent along (the throttled page's form,
 * used after the delay) is checked as the second factor, and when it is wrong the sign-in goes on to the
 * second-factor step as usual. */
static int signed_in_code(Req *r, const UserCredentials *a, const char *code, bool reset) {
  CodeResult cr = CODE_WRONG;
  int rc;
  if (*code && a->has_totp && (rc = mfa_code_check(r, a->id, code, &cr)) != DB_OK) return http_db_error(r, rc);
  return signed_in(r, a, cr == CODE_OK, reset);
}

/* POST /login while the account's throttle holds (or its lock: cfg.lock_after), from a device the account
 * does not know: the sign-in goes through only with the right password AND a right second-factor code
 * (TOTP or recovery code) together. Every other outcome — wrong password, no second factor, wrong code,
 * locked second factor — gives the same 429 page, so the form answers no question about the password alone
 * (it is no faster way to guess passwords than waiting). A wrong code after a right password counts toward
 * the second factor's lock. Failures count against the address (which bounds the password checks one
 * address can ask for) and the account. */
static int login_with_code(Req *r, const UserCredentials *a, const char *email, const char *password, const char *code,
                           const char *ipkey, const char *acctkey, int64_t now) {
  bool ok = password_ok(a, password) && a->active && a->has_totp;
  CodeResult cr = CODE_WRONG;
  int rc;
  if (ok && (rc = mfa_code_check(r, a->id, code, &cr)) != DB_OK) return http_db_error(r, rc);
  if (!ok || cr != CODE_OK) {
    throttle_fail(ipkey, now);
    throttle_fail(acctkey, now);
    if (!ok && (rc = count_failure(r, a)) != DB_OK) return http_db_error(r, rc);
    log_info("rid=%s login with code failed", r->rid);
    return too_many(r, throttle_wait_ms(acctkey, now), email, true,
                    _("The e-mail address, password or code is not correct."));
  }
  log_info("rid=%s user %lld signed in with password and code past the account's throttle", r->rid, (long long)a->id);
  return signed_in(r, a, true, false);
}

/* POST /login. Who is slowed down, and what a right password passes:
 *
 * 1. Known device. A browser that completed a sign-in to this account before holds a device cookie recorded
 *    for it (store/devices.h). Its attempts are held only by that device's own count: cfg.login_delay_after
 *    wrong passwords in a row and the device is no longer known (counted before the password check, so
 *    parallel requests get no more). The account's and the address's throttles and the account's lock
 *    (cfg.lock_after) do not apply: all of them can be set off by someone who only knows the e-mail
 *    address, and the owner at their own computer must not be locked out by that. Such a sign-in does not
 *    clear the account's counts: a guesser elsewhere gets no fresh attempts from it.
 * 2. Any other device, address. The address key counts only the first failure on each account that has no
 *    failures yet ("ip:"), so it measures how many accounts an address tries — password spraying — and a
 *    guesser who hammers one account does not throttle the address. While the address is throttled every
 *    attempt from it on an unknown device gets 429 (known devices still pass), without a password check.
 * 3. Any other device, account. After cfg.login_delay_after failures ("acct:", counted before the password
 *    check) attempts wait, doubling to cfg.login_delay_max_ms; cfg.lock_after failures in a row lock the
 *    account in the database. A throttled or locked account still lets in its owner with the password and
 *    a second-factor code together (login_with_code); an account without a second factor waits.
 * A right password from an unknown device clears the account's count and gives back the address's.
 * The failure message is the same whether or not the account exists or is locked or deactivated. */
static int post_login(Req *r) {
  const char *email = user_email_fold(arena_strdup(r->a, form_str(r, "email")));
  const char *password = params_get(&r->form, "password");
  const char *failed = _("The e-mail address or password is not correct. After repeated failures an account is "
                         "blocked; the administrator can release it.");
  if (!*email || !password || !*password) {
    login_form(r, email, _("Fill in your e-mail address and password."));
    return 400;
  }
  const char *code = form_str(r, "code"); /* only the throttled page's form has it */
  int64_t now = throttle_now_ms();
  UserCredentials a;
  int rc = user_credentials(r->db, r->a, email, &a);
  if (rc != DB_OK) return http_db_error(r, rc);

  int64_t device = 0;
  if (a.id && a.active &&
      (rc = device_claim(r->db, a.id, device_cookie(r), cfg.login_delay_after, now / 1000, &device)) != DB_OK)
    return http_db_error(r, rc);
  if (device) {
    if (!password_ok(&a, password)) {
      log_info("rid=%s login failed on a known device", r->rid);
      login_form(r, email, failed);
      return 200;
    }
    if ((rc = device_succeeded(r->db, device, now / 1000)) != DB_OK) return http_db_error(r, rc);
    return signed_in_code(r, &a, code, false);
  }

  char ipkey[96], acctkey[300];
  snprintf(ipkey, sizeof ipkey, "ip:%s", r->ip);
  snprintf(acctkey, sizeof acctkey, "acct:%s", email);
  int64_t wait = throttle_wait_ms(ipkey, now);
  if (wait > 0) return too_many(r, wait, email, false, NULL);
  bool fresh = throttle_failures(acctkey) == 0;
  if ((wait = throttle_take(acctkey, now)) > 0) {
    if (!*code) return too_many(r, wait, email, true, NULL);
    return login_with_code(r, &a, email, password, code, ipkey, acctkey, now);
  }
  if (fresh) throttle_fail(ipkey, now);
  bool ok = password_ok(&a, password);
  if (!ok || a.locked || !a.active) {
    if (!ok && (rc = count_failure(r, &a)) != DB_OK) return http_db_error(r, rc);
    log_info("rid=%s login failed", r->rid);
    login_form(r, email, failed);
    return 200;
  }
  throttle_clear(acctkey);
  if (fresh) throttle_forgive(ipkey);
  return signed_in_code(r, &a, code, true);
}

/* The second-factor form; error (if any) above it. With locked, a notice that only a recovery code works. */
static void mfa_form(Req *r, const char *error, bool locked) {
  page_begin(r, _("Two-step verification"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1>", _("Two-step verification"));
  if (error) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", error);
  if (locked && !error) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", _(mfa_locked_text));
  html(&r->out, "<p>%s</p>", locked ? _("Enter one of your recovery codes.")
                                    : _("Enter the 6-digit code from your authenticator app, or one of your recovery codes."));
  form_begin(r, "/login/2fa", "form");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">",
       safe_next(query_str(r, "next")[0] ? query_str(r, "next") : form_str(r, "next"), ""));
  field_input(r, &(Field){.name = "code", .label = _("Code"), .autocomplete = "one-time-code", .required = true,
                          .maxlength = 20});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>", _("Verify"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
}

static int get_mfa(Req *r) {
  if (!r->user->totp_enabled) return http_redirect(r, "/account/2fa");
  if (r->sess->mfa_ok) return http_redirect(r, home_for(r->user));
  SecondFactor f;
  int rc = second_factor_load(r->db, r->a, r->user->id, &f);
  if (rc != DB_OK) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  mfa_form(r, NULL, f.failures >= cfg.totp_lock_after);
  return 200;
}

/* POST /login/2fa: the second step of a sign-in. Wrong codes are slowed down like passwords ("mfa:" key)
 * and lock the second factor at cfg.totp_lock_after in a row (mfa_code_check); while it is locked the user is
 * told so, a TOTP code is refused even when right, and only a recovery code (or an administrator's
 * unlock) lets the sign-in go on. */
static int post_mfa(Req *r) {
  if (!r->user->totp_enabled) return http_redirect(r, "/account/2fa");
  char key[64];
  snprintf(key, sizeof key, "mfa:%lld", (long long)r->user->id);
  int64_t now_ms = throttle_now_ms();
  int64_t wait = throttle_wait_ms(key, now_ms);
  if (wait > 0) return too_many(r, wait, "", false, NULL);

  CodeResult cr;
  int rc = mfa_code_check(r, r->user->id, form_str(r, "code"), &cr);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (cr == CODE_LOCKED) {
    mfa_form(r, _(mfa_locked_text), true);
    return 403;
  }
  if (cr != CODE_OK) {
    throttle_fail(key, now_ms);
    mfa_form(r, _("That code is not correct, or it was already used. Wait for the next code and try again."), false);
    return 200;
  }
  throttle_clear(key);
  if ((rc = start_session(r, r->user->id, true)) != DB_OK) return http_db_error(r, rc);
  if ((rc = remember_device(r, r->user->id)) != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, safe_next(form_str(r, "next"), home_for(r->user)));
}

static int post_logout(Req *r) {
  int rc = session_end(r->db, r->sess->id);
  if (rc != DB_OK) return http_db_error(r, rc);
  http_set_cookie(r, "zw_session", "", 0);
  return http_redirect_flash(r, "/login", "logged_out");
}

/* ---- GET/POST /login/forgot: a participant or network member resets their own password by mail ----
 * Only with mail (smtp_url). The answer is the same whether or not the address has an account, and whether
 * or not that account may reset here: an active account of a participant or a care or work partner that
 * has a password and needs no second factor (coaches, team leads, administrators and log officers recover
 * through an administrator, as before). The link goes only to the account's own address (link_issue_self,
 * queued in the same transaction), so asking for it hands nothing to the asker. Throttled per client address
 * and per address asked for (throttle.h), so it cannot be used to flood a mailbox. */

static void forgot_form(Req *r, const char *error) {
  page_begin(r, _("Forgot your password?"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1>", _("Forgot your password?"));
  if (!outbox_enabled()) {
    html(&r->out, "<p>%s</p>", _("Forgot your password? Ask your coach or the administrator of the portal for a reset link."));
  } else {
    html(&r->out, "<p>%s</p>", _("Fill in the e-mail address you sign in with. You get a mail with a link to choose a "
                                 "new password."));
    if (error) form_errors_summary(r);
    form_begin(r, "/login/forgot", "form");
    field_input(r, &(Field){.name = "email", .label = _("E-mail address"), .type = "email",
                            .value = form_str(r, "email"), .autocomplete = "username", .required = true,
                            .maxlength = 254});
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
         _("Send me a link"));
    form_end(r);
  }
  html(&r->out, "<p><a href=\"/login\">%s</a></p></section>", _("Back to sign in"));
  page_end(r);
}

static int get_forgot(Req *r) {
  forgot_form(r, NULL);
  return 200;
}

static int post_forgot(Req *r) {
  if (!outbox_enabled()) return http_error(r, 404, _("This page does not exist, or you have no access to it."));
  char *email = user_email_fold(arena_strdup(r->a, form_str(r, "email")));
  if (!text_email_ok(email, 254)) {
    form_error(r, "email", _("Enter an e-mail address like name@example.org."));
    forgot_form(r, "");
    return 400;
  }
  int64_t now_ms = throttle_now_ms();
  const char *ipkey = arena_printf(r->a, "forgot-ip:%s", r->ip), *acctkey = arena_printf(r->a, "forgot:%s", email);
  int64_t wait = throttle_take(ipkey, now_ms);
  if (wait <= 0) wait = throttle_take(acctkey, now_ms);
  if (wait > 0) return too_many(r, wait, "", false, NULL);

  UserCredentials c;
  int rc = user_credentials(r->db, r->a, email, &c);
  if (rc != DB_OK) return http_db_error(r, rc);
  bool may = c.id && c.active && c.password_hash && !c.has_totp && !user_mfa_required(c.roles) &&
             (c.roles & (ROLE_PARTICIPANT | ROLE_PARTNER)) && !(c.roles & ~(unsigned)(ROLE_PARTICIPANT | ROLE_PARTNER));
  if (may) {
    if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
    char token[TOKEN_LEN + 1];
    LinkResult res;
    int64_t expires;
    if ((rc = link_issue_self(r->db, r, c.id, cfg.reset_link_hours, token, &res, &expires)) != DB_OK)
      return http_db_error(r, rc);
    /* mailed only: a link that cannot be queued is not shown to an anonymous asker */
    if (link_deliver(r->db, c.id, token) != LINK_MAILED) {
      db_rollback(r->db);
      return http_error(r, 503, _("The portal cannot send mail right now. Try again later."));
    }
    sodium_memzero(token, sizeof token);
    if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  }
  page_begin(r, _("Check your mail"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p><p>%s</p>", _("Check your mail"),
       _("If you can reset your password here, a mail with a link is on its way to this address. The link works "
         "one time."),
       _("No mail? Look in your spam folder, or ask your coach or the administrator of the portal for a reset "
         "link."));
  html(&r->out, "<p><a href=\"/login\">%s</a></p></section>", _("Back to sign in"));
  page_end(r);
  return 200;
}

static int post_lang(Req *r) {
  const char *lang = form_str(r, "lang");
  if (!i18n_known(lang)) return http_error(r, 400, _("This language is not available."));
  http_set_cookie(r, "zw_lang", lang, 365 * 86400);
  if (r->user) {
    int rc = user_set_lang(r->db, r->user->id, lang);
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  return http_redirect(r, safe_next(form_str(r, "next"), "/"));
}

const Route login_routes[] = {
    {"GET", "/", 0, R_PUBLIC, get_home},
    {"GET", "/login", 0, R_PUBLIC, get_login},
    {"POST", "/login", 0, R_PUBLIC, post_login},
    {"GET", "/login/forgot", 0, R_PUBLIC, get_forgot},
    {"POST", "/login/forgot", 0, R_PUBLIC, post_forgot},
    {"GET", "/login/2fa", ROLE_ANY, R_PRE_MFA, get_mfa},
    {"POST", "/login/2fa", ROLE_ANY, R_PRE_MFA, post_mfa},
    {"POST", "/logout", ROLE_ANY, R_PRE_MFA, post_logout},
    {"POST", "/lang", 0, R_PUBLIC, post_lang},
    {0},
};
