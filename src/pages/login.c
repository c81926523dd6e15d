/*
 * login.c — signing in (password, then the second factor), signing out, the language switch and the
 * start page that sends each role to its own home.
 *
 * A failed login says the same thing whether or not the account exists, costs the same (a dummy hash
 * is verified for unknown accounts), and counts against both the client address and the account name
 * (throttle.c). cfg.lock_after consecutive failures lock an existing account until an administrator
 * unlocks it; the message does not change when that happens.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/totp.h"
#include "core/config.h"
#include "core/log.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "pages/pages.h"

const char *home_for(const User *u) {
  if (u->roles & ROLE_COACH) return "/dashboard";
  if (u->roles & ROLE_TEAMLEAD) return "/team";
  if (u->roles & ROLE_ADMIN) return "/admin/users";
  if (u->roles & ROLE_PARTICIPANT) return "/me";
  if (u->roles & ROLE_PARTNER) return "/shared";
  if (u->roles & ROLE_LOGOFFICER) return "/log";
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
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("Forgot your password? Ask your coach or the administrator of the portal for a reset link."));
  page_end(r);
}

static int get_login(Req *r) {
  if (r->user && r->sess->mfa_ok) return http_redirect(r, home_for(r->user));
  login_form(r, "", NULL);
  return 200;
}

static char *lower(Arena *a, const char *s) {
  char *d = arena_strdup(a, s);
  for (char *p = d; *p; p++) *p = (char)tolower((unsigned char)*p);
  return d;
}

static int too_many(Req *r, int64_t wait_ms) {
  char secs[24];
  snprintf(secs, sizeof secs, "%lld", (long long)((wait_ms + 999) / 1000));
  http_header(r, "Retry-After", secs);
  buf_reset(&r->out);
  page_begin(r, _("Too many attempts"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1><p>%s</p><p><a href=\"/login\">%s</a></p></section>",
       _("Too many attempts"), _("Too many failed attempts. Wait a moment before you try again."), _("Back to sign in"));
  html(&r->out, "<p class=\"muted small\">%s %s</p>", _("Seconds to wait:"), secs);
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

static int post_login(Req *r) {
  const char *email = lower(r->a, form_str(r, "email"));
  const char *password = params_get(&r->form, "password");
  const char *failed = _("The e-mail address or password is not correct. After repeated failures an account is "
                         "blocked; the administrator can release it.");
  if (!*email || !password || !*password) {
    login_form(r, email, _("Fill in your e-mail address and password."));
    return 400;
  }
  int64_t now = throttle_now_ms();
  char ipkey[96], acctkey[300];
  snprintf(ipkey, sizeof ipkey, "ip:%s", r->ip);
  snprintf(acctkey, sizeof acctkey, "acct:%s", email);
  int64_t wait = throttle_wait_ms(ipkey, now), w2 = throttle_wait_ms(acctkey, now);
  if (w2 > wait) wait = w2;
  if (wait > 0) return too_many(r, wait);

  Stmt *st = db_prepare(r->db, "SELECT id, roles, password_hash, active, locked, failed_logins, totp_secret "
                               "FROM users WHERE email = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_text(st, 1, email);
  int rc = db_step(st);
  if (rc != DB_ROW && rc != DB_DONE) return http_db_error(r, rc);
  int64_t uid = 0;
  bool ok = false, locked = false, has_totp = false;
  unsigned roles = 0;
  if (rc == DB_ROW) {
    uid = db_int(st, "id");
    roles = (unsigned)db_int(st, "roles");
    const char *hash = db_text(st, "password_hash");
    locked = db_int(st, "locked") != 0 || db_int(st, "active") == 0;
    has_totp = !db_null(st, "totp_secret");
    char *h = arena_strdup(r->a, hash);
    db_done(st);
    ok = h ? password_verify(h, password) : (password_verify_dummy(password), false);
  } else {
    db_done(st);
    password_verify_dummy(password);
  }

  if (!ok || locked) {
    throttle_fail(ipkey, now);
    throttle_fail(acctkey, now);
    if (uid && !locked) {
      Stmt *up = db_prepare(r->db, "UPDATE users SET failed_logins = failed_logins + 1, "
                                   "locked = CASE WHEN failed_logins + 1 >= ? THEN 1 ELSE locked END WHERE id = ?");
      if (!up) return http_db_error(r, DB_ERROR);
      db_bind_int(up, 1, cfg.lock_after);
      db_bind_int(up, 2, uid);
      if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
    }
    log_info("rid=%s login failed", r->rid);
    login_form(r, email, failed);
    return 200;
  }

  throttle_clear(acctkey);
  Stmt *up = db_prepare(r->db, "UPDATE users SET failed_logins = 0, last_login_at = ? WHERE id = ?");
  if (!up) return http_db_error(r, DB_ERROR);
  db_bind_int(up, 1, (int64_t)time(NULL));
  db_bind_int(up, 2, uid);
  if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
  /* the second factor is done only for users who have none and whose role does not need one */
  bool mfa_needed = has_totp || cfg.totp_everyone || (roles & ROLE_MFA_REQUIRED);
  if ((rc = start_session(r, uid, !mfa_needed)) != DB_OK) return http_db_error(r, rc);
  const char *next = safe_next(form_str(r, "next"), NULL);
  if (has_totp) return http_redirect(r, next ? arena_printf(r->a, "/login/2fa?next=%s", next) : "/login/2fa");
  if (next) return http_redirect(r, next);
  User *u;
  if ((rc = user_load(r->db, r->a, uid, &u)) != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, home_for(u));
}

static void mfa_form(Req *r, const char *error) {
  page_begin(r, _("Two-step verification"));
  html(&r->out, "<section class=\"narrow card\"><h1>%s</h1>", _("Two-step verification"));
  if (error) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", error);
  html(&r->out, "<p>%s</p>", _("Enter the 6-digit code from your authenticator app, or one of your recovery codes."));
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
  mfa_form(r, NULL);
  return 200;
}

static int post_mfa(Req *r) {
  if (!r->user->totp_enabled) return http_redirect(r, "/account/2fa");
  char key[64];
  snprintf(key, sizeof key, "mfa:%lld", (long long)r->user->id);
  int64_t now_ms = throttle_now_ms();
  int64_t wait = throttle_wait_ms(key, now_ms);
  if (wait > 0) return too_many(r, wait);

  const char *code = form_str(r, "code");
  Stmt *st = db_prepare(r->db, "SELECT totp_secret, totp_last_step FROM users WHERE id = ?");
  if (!st) return http_db_error(r, DB_ERROR);
  db_bind_int(st, 1, r->user->id);
  int rc = db_step(st);
  if (rc != DB_ROW) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);
  char *secret = arena_strdup(r->a, db_text(st, "totp_secret"));
  int64_t last = db_int(st, "totp_last_step");
  db_done(st);

  int64_t step = 0;
  bool ok = false;
  if (secret && totp_verify(secret, code, (int64_t)time(NULL), last, &step)) {
    /* the conditional update makes a code usable once even when two requests race */
    Stmt *up = db_prepare(r->db, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?");
    if (!up) return http_db_error(r, DB_ERROR);
    db_bind_int(up, 1, step);
    db_bind_int(up, 2, r->user->id);
    db_bind_int(up, 3, step);
    if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
    ok = db_changes(r->db) == 1;
  } else if (strlen(code) >= 12) {
    char h[65];
    recovery_code_hash(code, h);
    Stmt *up = db_prepare(r->db, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? "
                                 "AND used_at IS NULL");
    if (!up) return http_db_error(r, DB_ERROR);
    db_bind_int(up, 1, (int64_t)time(NULL));
    db_bind_int(up, 2, r->user->id);
    db_bind_text(up, 3, h);
    if ((rc = db_run(up)) != DB_OK) return http_db_error(r, rc);
    ok = db_changes(r->db) == 1;
  }
  if (!ok) {
    throttle_fail(key, now_ms);
    mfa_form(r, _("That code is not correct, or it was already used. Wait for the next code and try again."));
    return 200;
  }
  throttle_clear(key);
  if ((rc = start_session(r, r->user->id, true)) != DB_OK) return http_db_error(r, rc);
  return http_redirect(r, safe_next(form_str(r, "next"), home_for(r->user)));
}

static int post_logout(Req *r) {
  int rc = session_end(r->db, r->sess->id);
  if (rc != DB_OK) return http_db_error(r, rc);
  http_set_cookie(r, "zw_session", "", 0);
  return http_redirect_flash(r, "/login", "logged_out");
}

static int post_lang(Req *r) {
  const char *lang = form_str(r, "lang");
  if (!i18n_known(lang)) return http_error(r, 400, _("This language is not available."));
  http_set_cookie(r, "zw_lang", lang, 365 * 86400);
  if (r->user) {
    Stmt *up = db_prepare(r->db, "UPDATE users SET lang = ? WHERE id = ?");
    if (!up) return http_db_error(r, DB_ERROR);
    db_bind_text(up, 1, lang);
    db_bind_int(up, 2, r->user->id);
    int rc = db_run(up);
    if (rc != DB_OK) return http_db_error(r, rc);
  }
  return http_redirect(r, safe_next(form_str(r, "next"), "/"));
}

const Route login_routes[] = {
    {"GET", "/", 0, R_PUBLIC, get_home},
    {"GET", "/login", 0, R_PUBLIC, get_login},
    {"POST", "/login", 0, R_PUBLIC, post_login},
    {"GET", "/login/2fa", ROLE_ANY, R_PRE_MFA, get_mfa},
    {"POST", "/login/2fa", ROLE_ANY, R_PRE_MFA, post_mfa},
    {"POST", "/logout", ROLE_ANY, R_PRE_MFA, post_logout},
    {"POST", "/lang", 0, R_PUBLIC, post_lang},
    {0},
};
