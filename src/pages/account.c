/*
 * account.c — the signed-in user's own account (name, e-mail, role, language, password change, second
 * factor) and setting a password with a one-time link (/reset: invitations and resets).
 *
 * Changing or setting a password ends every session of the account; the browser that changed it gets a
 * fresh session. It also forgets the account's known devices (store/devices.h): all of them when the
 * password is set with a link, all but the browser that made the change when the user changes it.
 * Enrolling the second factor rotates the session too. One-time link tokens are never
 * logged (the request log names the route pattern, not the URI). Nothing here touches case information.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/links.h"
#include "auth/password.h"
#include "account/session.h"
#include "account/throttle.h"
#include "auth/totp.h"
#include "core/config.h"
#include "core/log.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "mail/outbox.h"
#include "pages/mfa_code.h"
#include "pages/pages.h"
#include "store/devices.h"
#include "store/mail_daily.h"
#include "store/second_factor.h"
#include "store/users.h"

/* Replaces the current session (if any) with a new one for uid and sets the cookie. Call inside the
 * transaction that made the change. Returns a DB code. */
static int rotate_session(Req *r, int64_t uid, bool mfa_ok) {
  int rc;
  if (r->sess && (rc = session_end(r->db, r->sess->id)) != DB_OK) return rc;
  char token[TOKEN_LEN + 1];
  rc = session_create(r->db, uid, mfa_ok, (int64_t)time(NULL), token);
  if (rc == DB_OK) http_set_cookie(r, "zw_session", token, -1);
  return rc;
}

/* 429 page with Retry-After for a throttled password or code check. */
static int too_many(Req *r, int64_t wait_ms) {
  char secs[24];
  snprintf(secs, sizeof secs, "%lld", (long long)((wait_ms + 999) / 1000));
  http_header(r, "Retry-After", secs);
  return http_error(r, 429, _("Too many failed attempts. Wait a moment before you try again."));
}

static const char *const new_password_hint =
    N_("At least 12 characters. A sentence of a few words is easy to remember and hard to guess.");

/* Checks the throttle of kind ("pwchange", "mfa") for the signed-in user: writes the key into key (size
 * keysz) and the current time into *now_ms. Returns 0 when a try is allowed, else the 429 page's status. */
static int throttle_gate(Req *r, const char *kind, char *key, size_t keysz, int64_t *now_ms) {
  snprintf(key, keysz, "%s:%lld", kind, (long long)r->user->id);
  *now_ms = throttle_now_ms();
  int64_t wait = throttle_wait_ms(key, *now_ms);
  return wait > 0 ? too_many(r, wait) : 0;
}

/* The "new password" and "repeat" fields of a password form. */
static void new_password_fields(Req *r) {
  field_input(r, &(Field){.name = "new", .label = _("New password"), .type = "password", .hint = _(new_password_hint),
                          .autocomplete = "new-password", .required = true, .maxlength = 1024});
  field_input(r, &(Field){.name = "repeat", .label = _("Repeat the new password"), .type = "password",
                          .autocomplete = "new-password", .required = true, .maxlength = 1024});
}

/* Reads the "new" and "repeat" fields into *fresh and *repeat ("" when absent) and records the errors of a
 * new password for the account of email and name; mismatch is the message when the two differ. */
static void check_new_password(Req *r, const char *email, const char *name, const char *mismatch, const char **fresh,
                               const char **repeat) {
  *fresh = params_get(&r->form, "new");
  *repeat = params_get(&r->form, "repeat");
  if (!*fresh) *fresh = "";
  if (!*repeat) *repeat = "";
  PwCheck c = password_check(*fresh, email, name);
  if (!**fresh) form_error(r, "new", _("Fill in a new password."));
  else if (c != PW_OK) form_error(r, "new", _(password_check_message(c)));
  if (**fresh && strcmp(*fresh, *repeat) != 0) form_error(r, "repeat", mismatch);
}

/* ---- GET /account ---- */

/* Writes the account page; the password form shows any recorded errors. Returns a DB code. */
/* ---- mails about new messages (issue 12, part 5) ---- */

static const char *const message_mail_values[] = {"immediately", "daily", "never", NULL};

/* The choice of when the user gets a mail about new messages (only when the portal sends mail). */
static int message_mail_section(Req *r) {
  if (!outbox_enabled()) return DB_OK;
  const char *pref;
  int rc = user_message_mail(r->db, r->user->id, &pref);
  if (rc != DB_OK) return rc;
  const char *const opts[] = {"immediately", _("At once, for every new message"), "daily",
                              _("At most one mail a day"), "never", _("Never"), NULL};
  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("E-mail about new messages"));
  form_begin(r, "/account/message-mail", "form");
  field_select(r, &(Field){.name = "message_mail", .label = _("Get an e-mail when there is a new message"),
                           .value = pref, .required = true},
               opts);
  int hour = 7;
  if ((rc = mail_daily_hour(r->db, r->user->id, &hour)) != DB_OK) return rc;
  const char *hours[2 * 24 + 1];
  for (int h = 0; h < 24; h++) {
    hours[2 * h] = arena_printf(r->a, "%d", h);
    hours[2 * h + 1] = arena_printf(r->a, "%02d:00", h);
  }
  hours[2 * 24] = NULL;
  field_select(r, &(Field){.name = "digest_hour", .label = _("Time of the daily mail"),
                           .hint = _("The mail of the day about new messages and actions that are due comes at this time."),
                           .value = arena_printf(r->a, "%d", hour), .required = true},
               hours);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Save"));
  form_end(r);
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("The e-mail only says that there is a new message. You read the message itself in the portal."));
  return DB_OK;
}

/* POST /account/message-mail */
static int post_message_mail(Req *r) {
  const char *v = form_str(r, "message_mail");
  bool ok = false;
  for (int i = 0; message_mail_values[i]; i++) ok |= strcmp(v, message_mail_values[i]) == 0;
  if (!ok) return http_error(r, 400, _("Choose when you want an e-mail about new messages."));
  const char *hv = params_get(&r->form, "digest_hour");
  int hour = -1;
  if (hv) {
    char *end;
    long h = strtol(hv, &end, 10);
    if (!*hv || *end || h < 0 || h > 23) return http_error(r, 400, _("Choose an hour for the daily mail."));
    hour = (int)h;
  }
  int rc = db_begin(r->db);
  if (rc == DB_OK) rc = user_set_message_mail(r->db, r->user->id, v);
  if (rc == DB_OK && hour >= 0) rc = mail_daily_set_hour(r->db, r->user->id, hour);
  if (rc == DB_OK) rc = db_commit(r->db);
  else db_rollback(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, "/account", "saved");
}

static int account_page(Req *r) {
  int64_t unused_codes = 0;
  if (r->user->totp_enabled) {
    int rc = second_factor_codes_left(r->db, r->user->id, &unused_codes);
    if (rc != DB_OK) return rc;
  }

  page_begin(r, _("My account"));
  html(&r->out, "<h1>%s</h1>", _("My account"));
  html(&r->out, "<section class=\"card\"><h2>%s</h2><dl class=\"facts\">", _("Your details"));
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("Name"), r->user->name);
  html(&r->out, "<dt>%s</dt><dd>%s</dd>", _("E-mail address"), r->user->email);
  html(&r->out, "<dt>%s</dt><dd>%s</dd></dl>", _("Role"), label_role(r->user->roles));
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("Is your name or e-mail address wrong? Ask the administrator of the portal to correct it."));

  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Language"));
  form_begin(r, "/lang", "form");
  html(&r->out, "<input type=\"hidden\" name=\"next\" value=\"/account\">");
  static const char *const langs[] = {"nl", "Nederlands", "en", "English", NULL};
  field_select(r, &(Field){.name = "lang", .label = _("Language of the portal"), .value = r->lang, .required = true},
               langs);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\">%s</button></div>", _("Change language"));
  form_end(r);
  html(&r->out, "</section>");

  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Change password"));
  form_errors_summary(r);
  form_begin(r, "/account/password", "form");
  /* a hidden user name helps password managers store the new password with the right account */
  html(&r->out, "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"%s\">", r->user->email);
  field_input(r, &(Field){.name = "current", .label = _("Current password"), .type = "password",
                          .autocomplete = "current-password", .required = true, .maxlength = 1024});
  new_password_fields(r);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Change password"));
  form_end(r);
  html(&r->out, "<p class=\"muted small\">%s</p></section>",
       _("After the change you are signed out everywhere else."));

  html(&r->out, "<section class=\"card\"><h2>%s</h2>", _("Two-step verification"));
  if (r->user->totp_enabled) {
    html(&r->out, "<p>%s</p>", _("Two-step verification is on."));
    html(&r->out, "<p>%s %lld</p>", _("Unused recovery codes:"), (long long)unused_codes);
    html(&r->out, "<p><a href=\"/account/2fa\">%s</a></p>", _("Manage two-step verification"));
  } else {
    html(&r->out, "<p>%s</p>", _("Two-step verification is off."));
    html(&r->out, "<p><a href=\"/account/2fa\">%s</a></p>", _("Set up two-step verification"));
  }
  html(&r->out, "</section>");
  int rc = message_mail_section(r);
  if (rc != DB_OK) return rc;
  rc = calendar_feed_section(r, NULL);
  if (rc != DB_OK) return rc;
  page_end(r);
  return DB_OK;
}

static int get_account(Req *r) {
  int rc = account_page(r);
  return rc == DB_OK ? 200 : http_db_error(r, rc);
}

/* ---- POST /account/password ---- */

static int post_password(Req *r) {
  char key[64];
  int64_t now_ms;
  int s = throttle_gate(r, "pwchange", key, sizeof key, &now_ms);
  if (s) return s;

  const char *current = params_get(&r->form, "current");
  if (!current) current = "";

  const char *hash;
  int rc = user_password_hash(r->db, r->a, r->user->id, &hash);
  if (rc != DB_OK) return http_db_error(r, rc == DB_DONE ? DB_ERROR : rc);

  if (!*current) {
    form_error(r, "current", _("Fill in your current password."));
  } else if (!hash || !password_verify(hash, current)) {
    throttle_fail(key, now_ms);
    form_error(r, "current", _("This is not your current password."));
  }
  const char *fresh, *repeat;
  check_new_password(r, r->user->email, r->user->name, _("The two new passwords are not the same."), &fresh, &repeat);
  if (r->nerrors) {
    rc = account_page(r);
    return rc == DB_OK ? 400 : http_db_error(r, rc);
  }
  throttle_clear(key);

  char newhash[PASSWORD_HASH_MAX];
  if (!password_hash(fresh, newhash)) return http_error(r, 500, NULL);

  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = user_set_password(r->db, r->user->id, newhash, false)) != DB_OK) return http_db_error(r, rc);
  if ((rc = session_end_all(r->db, r->user->id)) != DB_OK) return http_db_error(r, rc);
  r->sess = NULL; /* ended with the others */
  /* browsers known for the old password no longer pass the sign-in throttles; this one, which has just
   * shown the password (and second factor), stays known */
  rc = device_forget_others(r->db, r->user->id, params_get(&r->cookies, http_cookie_name("zw_device")));
  if (rc != DB_OK) return http_db_error(r, rc);
  /* the route is not R_PRE_MFA, so this session passed the second factor where one is needed */
  if ((rc = rotate_session(r, r->user->id, true)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s user %lld changed their password", r->rid, (long long)r->user->id);
  return http_redirect_flash(r, "/account", "password_changed");
}

/* ---- GET/POST /account/2fa ---- */

/* True if s is a TOTP secret as we make them: 32 characters of the base32 alphabet. */
static bool secret_shape_ok(const char *s) {
  if (strlen(s) != TOTP_SECRET_B32 - 1) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'))) return false;
  return true;
}

/* The enrolment page: QR code and secret for secret (not saved yet), and the form that confirms a code. */
static void enrol_page(Req *r, const char *secret) {
  page_begin(r, _("Set up two-step verification"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", _("Set up two-step verification"));
  if (user_mfa_required(r->user->roles))
    html(&r->out, "<p>%s</p>", _("Your role needs two-step verification. Set it up now to continue."));
  form_errors_summary(r);
  html(&r->out, "<ol class=\"steps\"><li>%s</li><li>%s</li><li>%s</li></ol>",
       _("Install an authenticator app on your phone (for example FreeOTP, Aegis, Google Authenticator or "
         "Microsoft Authenticator)."),
       _("Scan this QR code with the app, or type the key below."),
       _("Enter the 6-digit code the app shows."));
  /* the issuer an authenticator app shows: the product's name as the page frame has it (one message) */
  Markup qr = qr_svg(r->a, totp_uri(r->a, _("Care & Work"), r->user->email, secret));
  html(&r->out, "<div class=\"qr\">");
  html_markup(&r->out, qr);
  html(&r->out, "</div>");
  char grouped[TOTP_SECRET_B32 + TOTP_SECRET_B32 / 4 + 1];
  size_t o = 0;
  for (size_t i = 0; secret[i] && o + 2 < sizeof grouped; i++) {
    if (i && i % 4 == 0) grouped[o++] = ' ';
    grouped[o++] = secret[i];
  }
  grouped[o] = '\0';
  html(&r->out, "<p>%s</p><p class=\"secret\"><code>%s</code></p>", _("Key for typing in by hand:"), grouped);
  form_begin(r, "/account/2fa", "form");
  html(&r->out, "<input type=\"hidden\" name=\"secret\" value=\"%s\">", secret);
  field_input(r, &(Field){.name = "code", .label = _("Code from the app"), .autocomplete = "one-time-code",
                          .required = true, .maxlength = 10});
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Turn on"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
}

/* The page for an enrolled user: status, and the form to turn it off where the role allows. */
static void enrolled_page(Req *r) {
  page_begin(r, _("Two-step verification"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p>", _("Two-step verification"),
       _("Two-step verification is on. When you sign in, you enter a code from your authenticator app or one of "
         "your recovery codes."));
  if (user_mfa_required(r->user->roles)) {
    html(&r->out, "<p>%s</p>", _("Your role needs two-step verification, so it cannot be turned off."));
  } else {
    html(&r->out, "<h2>%s</h2>", _("Turn off"));
    form_errors_summary(r);
    form_begin(r, "/account/2fa/off", "form");
    field_input(r, &(Field){.name = "code", .label = _("Code from your app, or a recovery code"),
                            .autocomplete = "one-time-code", .required = true, .maxlength = 20});
    html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">%s</button></div>",
         _("Turn off two-step verification"));
    form_end(r);
  }
  html(&r->out, "<p><a href=\"/account\">%s</a></p></section>", _("Back to my account"));
  page_end(r);
}

static int get_2fa(Req *r) {
  if (r->user->totp_enabled) {
    if (!r->sess->mfa_ok) return http_redirect(r, "/login/2fa");
    enrolled_page(r);
    return 200;
  }
  char secret[TOTP_SECRET_B32];
  totp_secret_new(secret);
  enrol_page(r, secret);
  return 200;
}

static int post_2fa(Req *r) {
  if (r->user->totp_enabled) {
    /* re-enrolment would let someone holding only the password replace the second factor */
    if (!r->sess->mfa_ok) return http_redirect(r, "/login/2fa");
    return http_error(r, 409, _("Two-step verification is already on."));
  }
  const char *secret = form_str(r, "secret");
  if (!secret_shape_ok(secret)) return http_error(r, 400, _("The form is damaged. Reload the page and start again."));
  int64_t step = 0;
  if (!totp_verify(secret, form_str(r, "code"), (int64_t)time(NULL), 0, &step)) {
    form_error(r, "code", _("That code is not correct. Check the time on your phone, wait for the next code and "
                            "try again."));
    enrol_page(r, secret);
    return 400;
  }

  char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 3], hashes[RECOVERY_CODES][65];
  const char *hashp[RECOVERY_CODES];
  recovery_codes_new(codes);
  for (int i = 0; i < RECOVERY_CODES; i++) {
    recovery_code_hash(codes[i], hashes[i]);
    hashp[i] = hashes[i];
  }
  int rc = db_begin(r->db);
  if (rc != DB_OK) return http_db_error(r, rc);
  bool enrolled;
  if ((rc = second_factor_enrol(r->db, r->user->id, secret, step, hashp, RECOVERY_CODES, &enrolled)) != DB_OK)
    return http_db_error(r, rc);
  if (!enrolled) { /* enrolled meanwhile in another tab */
    db_rollback(r->db);
    return http_error(r, 409, _("Two-step verification is already on."));
  }
  if ((rc = rotate_session(r, r->user->id, true)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s user %lld turned on two-step verification", r->rid, (long long)r->user->id);

  page_begin(r, _("Your recovery codes"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", _("Your recovery codes"));
  html(&r->out, "<p class=\"flash\" role=\"status\">%s</p>", _("Two-step verification is on."));
  html(&r->out, "<p>%s</p>",
       _("If you lose your phone, you can sign in with one of these codes instead of a code from the app. Each "
         "code works once."));
  html(&r->out, "<p><strong>%s</strong></p>",
       _("They are shown only now. Print them or write them down and keep them in a safe place."));
  html(&r->out, "<ul class=\"codes\">");
  for (int i = 0; i < RECOVERY_CODES; i++) html(&r->out, "<li><code>%s</code></li>", codes[i]);
  html(&r->out, "</ul>");
  html(&r->out, "<p><a class=\"button primary\" href=\"%s\">%s</a></p></section>", home_for(r->user), _("Continue"));
  page_end(r);
  return 200;
}

/* The enrolled page again with the refused code's error; returns 400. */
static int code_refused(Req *r) {
  form_error(r, "code", _("That code is not correct, or it was already used. Wait for the next code and try again."));
  enrolled_page(r);
  return 400;
}

/* POST /account/2fa/off — only for roles that do not need the second factor, with a current code from the app
 * or a recovery code, checked as at sign-in (mfa_code_check: counted toward the lock; while locked, only a
 * recovery code). */
static int post_2fa_off(Req *r) {
  if (!r->user->totp_enabled) return http_redirect(r, "/account/2fa");
  if (user_mfa_required(r->user->roles))
    return http_error(r, 403, _("Your role needs two-step verification, so it cannot be turned off."));
  char key[64];
  int64_t now_ms;
  int s = throttle_gate(r, "mfa", key, sizeof key, &now_ms);
  if (s) return s;

  /* the same check as the sign-in's: wrong codes count toward the second factor's lock, a locked one takes
   * only a recovery code, and a code works once (mfa_code.h) */
  CodeResult cr;
  int rc = mfa_code_check(r, r->user->id, form_str(r, "code"), &cr);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (cr == CODE_LOCKED) {
    throttle_fail(key, now_ms);
    form_error(r, "code", _(mfa_locked_text));
    enrolled_page(r);
    return 403;
  }
  if (cr != CODE_OK) {
    throttle_fail(key, now_ms);
    return code_refused(r);
  }
  throttle_clear(key);
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  if ((rc = second_factor_remove(r->db, r->user->id)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  log_info("rid=%s user %lld turned off two-step verification", r->rid, (long long)r->user->id);
  return http_redirect_flash(r, "/account", "saved");
}

/* ---- GET/POST /reset ---- */

static int gone(Req *r) {
  db_rollback(r->db);
  buf_reset(&r->out);
  page_begin(r, _("This link is not valid any more"));
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1><p>%s</p><p>%s</p><p><a href=\"/login\">%s</a></p></section>",
       _("This link is not valid any more"),
       _("This link is not valid any more; ask for a new one."),
       _("A link works once and for a limited time. Your coach or the administrator of the portal can give you a "
         "new link."),
       _("Go to sign in"));
  page_end(r);
  return 410;
}

/* A live one-time link and its account; text in the request arena. purpose: "invite" or "reset". */
typedef struct ResetLink {
  int64_t uid;
  const char *token, *purpose, *email, *name;
} ResetLink;

/* The set-password form for the live link k. */
static void reset_form(Req *r, const ResetLink *k) {
  const char *token = k->token, *email = k->email;
  bool invite = strcmp(k->purpose, "invite") == 0;
  const char *title = invite ? _("Welcome: choose your password") : _("Choose a new password");
  page_begin(r, title);
  html(&r->out, "<section class=\"card narrow\"><h1>%s</h1>", title);
  html(&r->out, "<p>%s <strong>%s</strong></p>", _("Account:"), email);
  form_errors_summary(r);
  form_begin(r, "/reset", "form");
  html(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%s\">", token);
  html(&r->out, "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"%s\">", email);
  new_password_fields(r);
  html(&r->out, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button></div>",
       _("Save password"));
  form_end(r);
  html(&r->out, "</section>");
  page_end(r);
}

/* Looks up the live one-time link token and its account into *k. Returns 0, or the status of the page sent
 * instead (410 for a dead link or a missing account, a DB error page). */
static int reset_link(Req *r, const char *token, ResetLink *k) {
  *k = (ResetLink){.token = token};
  int rc = link_find(r->db, r->a, token, (int64_t)time(NULL), &k->uid, &k->purpose);
  if (rc != DB_OK) return http_db_error(r, rc);
  if (!k->uid) return gone(r);
  User *u;
  if ((rc = user_load(r->db, r->a, k->uid, &u)) == DB_DONE) return gone(r);
  if (rc != DB_OK) return http_db_error(r, rc);
  k->email = u->email;
  k->name = u->name;
  return 0;
}

static int get_reset(Req *r) {
  ResetLink k;
  int s = reset_link(r, query_str(r, "token"), &k);
  if (s) return s;
  reset_form(r, &k);
  return 200;
}

static int post_reset(Req *r) {
  ResetLink k;
  int s = reset_link(r, form_str(r, "token"), &k);
  if (s) return s;

  const char *fresh, *repeat;
  check_new_password(r, k.email, k.name, _("The two passwords are not the same."), &fresh, &repeat);
  if (r->nerrors) {
    reset_form(r, &k);
    return 400;
  }

  char hash[PASSWORD_HASH_MAX];
  if (!password_hash(fresh, hash)) return http_error(r, 500, NULL);
  int rc;
  if ((rc = db_begin(r->db)) != DB_OK) return http_db_error(r, rc);
  rc = link_use(r, k.token, (int64_t)time(NULL)); /* logs the use; a reset by someone else leaves a notice */
  if (rc == DB_CONSTRAINT) return gone(r); /* used or expired meanwhile; gone() rolls back */
  if (rc != DB_OK) return http_db_error(r, rc);
  if ((rc = user_set_password(r->db, k.uid, hash, true)) != DB_OK) return http_db_error(r, rc);
  if ((rc = session_end_all(r->db, k.uid)) != DB_OK) return http_db_error(r, rc);
  /* a password set with a link (a reset: the account may have been in other hands) forgets every known
   * device of the account, this browser's too: the next complete sign-in makes it known again */
  if ((rc = device_forget_others(r->db, k.uid, NULL)) != DB_OK) return http_db_error(r, rc);
  if ((rc = db_commit(r->db)) != DB_OK) return http_db_error(r, rc);
  /* the login throttle for this account name starts afresh too */
  char acctkey[300];
  snprintf(acctkey, sizeof acctkey, "acct:%s", k.email);
  throttle_clear(acctkey);
  if (r->sess && r->user && r->user->id == k.uid) http_set_cookie(r, "zw_session", "", 0);
  log_info("rid=%s user %lld set a password with a one-time link", r->rid, (long long)k.uid);
  return http_redirect_flash(r, "/login", "password_changed");
}

const Route account_routes[] = {
    {"GET", "/account", ROLE_ANY, 0, get_account},
    {"POST", "/account/password", ROLE_ANY, 0, post_password},
    {"POST", "/account/message-mail", ROLE_ANY, 0, post_message_mail},
    {"GET", "/account/2fa", ROLE_ANY, R_PRE_MFA, get_2fa},
    {"POST", "/account/2fa", ROLE_ANY, R_PRE_MFA, post_2fa},
    {"POST", "/account/2fa/off", ROLE_ANY, 0, post_2fa_off},
    {"GET", "/reset", 0, R_PUBLIC, get_reset},
    {"POST", "/reset", 0, R_PUBLIC, post_reset},
    {0},
};
