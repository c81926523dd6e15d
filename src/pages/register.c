/*
 * register.c — registering a new participant with a trajectory (/participants/new), doc/DOMAIN.md
 * "Registration": who the participant is, who referred them and why, the employer, the first day of
 * absence, the programme the trajectory follows (Zorg & Werk or Werk als Beste Zorg, migration 026: its
 * protocol template and its words; the installation's default template's programme is preselected) and how
 * the participant agreed to start.
 *
 * One table (fields[]) describes every field in display order; it drives both the form and the generic
 * checks (required, length in characters, one line), after which the field-specific checks run. Nothing
 * is truncated: an over-long value is an error. On success the participant, the trajectory (phase
 * 'registration'), the coach's assignment and the access-log entry are written in one transaction. A
 * participant with the same name and date of birth (unique index participants_identity) answers 409 with
 * the form kept.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "html/frame.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"
#include "pages/pages.h"
#include "policy/audit.h"
#include "policy/policy.h"
#include "store/participants.h"
#include "store/protocol.h"
#include "store/trajectories.h"

typedef enum Kind { K_TEXT, K_EMAIL, K_TEL, K_DATE, K_TEXTAREA, K_EMPLOYER, K_PROGRAMME, K_CHECK } Kind;

/* Field-specific checks, run after the generic ones passed for that field; employers: the select options. */
typedef void (*Check)(Req *r, const char *const *employers);
static void check_birth_date(Req *r, const char *const *employers);
static void check_email(Req *r, const char *const *employers);
static void check_phone(Req *r, const char *const *employers);
static void check_employer_org(Req *r, const char *const *employers);
static void check_employer_other(Req *r, const char *const *employers);
static void check_absence_start(Req *r, const char *const *employers);
static void check_programme(Req *r, const char *const *employers);

typedef struct FieldSpec {
  const char *legend;  /* non-NULL: this field starts a new fieldset with this legend */
  const char *name, *label, *hint;
  Kind kind;
  int max;             /* most characters; 0: no length check (dates, select, checkbox) */
  bool required;
  const char *missing; /* message when a required field is empty */
  Check check;         /* or NULL */
} FieldSpec;

static const FieldSpec fields[] = {
    {N_("Participant"), "first_name", N_("First name"), NULL, K_TEXT, 80, true, N_("Fill in the first name.")},
    {NULL, "last_name", N_("Last name"), NULL, K_TEXT, 80, true, N_("Fill in the last name.")},
    {NULL, "birth_date", N_("Date of birth"), NULL, K_DATE, 0, true,
     N_("Fill in the date of birth."), check_birth_date},
    {NULL, "email", N_("E-mail address"), NULL, K_EMAIL, 254, false, NULL, check_email},
    {NULL, "phone", N_("Phone number"), NULL, K_TEL, 40, false, NULL, check_phone},
    {N_("Referral"), "referred_by", N_("Referred by"),
     N_("Who referred the participant: a person, a service, or the participant themselves."), K_TEXT, 200, true,
     N_("Fill in who referred the participant.")},
    {NULL, "reason", N_("Reason for referral"), NULL, K_TEXTAREA, 2000, true,
     N_("Describe the reason for the referral.")},
    {NULL, "employer_org", N_("Employer"), N_("Choose the employer from the list, or type another employer below."),
     K_EMPLOYER, 0, false, NULL, check_employer_org},
    {NULL, "employer_other", N_("Other employer"), N_("Only when the employer is not in the list."), K_TEXT, 200,
     false, NULL, check_employer_other},
    {NULL, "absence_start", N_("First day of absence"), NULL, K_DATE, 0, false, NULL,
     check_absence_start},
    {N_("Programme"), "programme", N_("Programme"),
     N_("The approach the trajectory follows: its protocol, and the words its pages use."), K_PROGRAMME, 0, false,
     NULL, check_programme},
    {N_("Consent to start"), "start_consent", N_("How the participant agreed to start"),
     N_("For example: agreed verbally in the conversation of 12 November."), K_TEXTAREA, 2000, true,
     N_("Describe how the participant agreed to start.")},
    {NULL, "consent_given", N_("The participant agreed to start the trajectory"), NULL, K_CHECK, 0, true,
     N_("Confirm that the participant agreed to start the trajectory.")},
};
enum { FIELDS = sizeof fields / sizeof *fields };

/* The message for a value longer than max characters (one literal per maximum, for translation). */
static const char *too_long(int max) {
  switch (max) {
    case 40: return _("This is too long: use at most 40 characters.");
    case 80: return _("This is too long: use at most 80 characters.");
    case 200: return _("This is too long: use at most 200 characters.");
    case 254: return _("This is too long: use at most 254 characters.");
    default: return _("This is too long: use at most 2000 characters.");
  }
}

/* The active employers as select options (value: id, label: name), led by the "none" option;
 * NULL-terminated, allocated in the arena. Returns a DB code. */
static int employer_options(Req *r, const char ***out) {
  RegistrationEmployer *e;
  size_t n;
  int rc = registration_employers(r->db, r->a, &e, &n);
  if (rc != DB_OK) return rc;
  const char **o = arena_alloc(r->a, sizeof *o * (n * 2 + 3));
  size_t k = 0;
  o[k++] = "";
  o[k++] = _("None, or not in the list");
  for (size_t i = 0; i < n; i++) {
    o[k++] = arena_printf(r->a, "%lld", (long long)e[i].id);
    o[k++] = e[i].name;
  }
  o[k] = NULL;
  *out = o;
  return DB_OK;
}

/* The programmes as select options (value: code, label), NULL-terminated, in the arena. */
static const char *const *programme_options(Req *r) {
  const char **o = arena_alloc(r->a, sizeof *o * 5);
  o[0] = PROGRAMME_ZW;
  o[1] = _("Zorg & Werk: a coach and the participant, care and work together");
  o[2] = PROGRAMME_WABZ;
  o[3] = _("Werk als Beste Zorg: a mediator and the client, searching for work and a placement from the start");
  o[4] = NULL;
  return o;
}

/* The consent checkbox with its label, written by hand (frame.h has no checkbox helper). */
static void field_checkbox(Req *r, const FieldSpec *f) {
  const char *err = form_error_for(r, f->name);
  html(&r->out, "<div class=\"field check%s\">", err ? " has-error" : "");
  if (err) html(&r->out, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", f->name, err);
  html(&r->out, "<input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"yes\" required", f->name, f->name);
  if (strcmp(form_str(r, f->name), "yes") == 0) html(&r->out, " checked");
  if (err) html(&r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", f->name);
  html(&r->out, "> <label for=\"f-%s\">%s</label></div>", f->name, _(f->label));
}

/* Writes one field of the table with what the user typed; programme: the programme chosen when nothing was
 * typed (the installation's). */
static void field_write(Req *r, const FieldSpec *f, const char *const *employers, const char *programme) {
  static const char *const types[] = {[K_TEXT] = "text", [K_EMAIL] = "email", [K_TEL] = "tel", [K_DATE] = "date"};
  Field fl = {.name = f->name, .label = _(f->label), .hint = f->hint ? _(f->hint) : NULL,
              .value = form_str(r, f->name), .required = f->required, .maxlength = f->max};
  switch (f->kind) {
    case K_TEXTAREA: field_textarea(r, &fl, 4); break;
    case K_EMPLOYER: field_select(r, &fl, employers); break;
    case K_PROGRAMME:
      if (!*fl.value) fl.value = programme;
      field_select(r, &fl, programme_options(r));
      break;
    case K_CHECK: field_checkbox(r, f); break;
    default:
      fl.type = types[f->kind];
      field_input(r, &fl);
  }
}

/* The whole page with the form; notice (translated text, or NULL) is a message above the form; programme: the
 * installation's, chosen until the user chooses. */
static void register_form(Req *r, const char *const *employers, const char *programme, const char *notice) {
  page_begin(r, _("Register participant"));
  html(&r->out, "<h1>%s</h1><p>%s</p>", _("Register a participant"),
       _("Registering starts a trajectory in the phase Registration, with you as its coach."));
  if (notice) html(&r->out, "<p class=\"errors\" role=\"alert\">%s</p>", notice);
  form_begin(r, "/participants/new", NULL);
  form_errors_summary(r);
  for (int i = 0; i < FIELDS; i++) {
    if (fields[i].legend && i) html(&r->out, "</fieldset>");
    if (fields[i].legend) html(&r->out, "<fieldset><legend>%s</legend>", _(fields[i].legend));
    field_write(r, &fields[i], employers, programme);
  }
  html(&r->out, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">%s</button> "
                "<a href=\"/caseload\">%s</a></div>",
       _("Register and start the trajectory"), _("Cancel"));
  form_end(r);
  page_end(r);
}

/* Generic checks for any field: required (a checkbox must be ticked), length in characters, one line for
 * all but text areas. Records an error. */
static void check_field(Req *r, const FieldSpec *f) {
  const char *v = form_str(r, f->name);
  if (f->kind == K_CHECK ? strcmp(v, "yes") != 0 : !*v) {
    if (f->required) form_error(r, f->name, _(f->missing));
  } else if (f->max > 0 && text_chars(v) > (size_t)f->max) {
    form_error(r, f->name, too_long(f->max));
  } else if (f->kind != K_TEXTAREA && strpbrk(v, "\r\n\t")) {
    form_error(r, f->name, _("Keep this on one line."));
  }
}

/* Parses date field name into *days; records bad_shape and returns false when it is not a real date. */
static bool check_date(Req *r, const char *name, const char *bad_shape, int32_t *days) {
  if (date_parse(form_str(r, name), days)) return true;
  form_error(r, name, bad_shape);
  return false;
}

/* Full years from day count a to day count b. */
static int years_between(int32_t a, int32_t b) {
  int ya, yb;
  unsigned ma, da, mb, db;
  civil_from_days(a, &ya, &ma, &da);
  civil_from_days(b, &yb, &mb, &db);
  return yb - ya - (mb < ma || (mb == ma && db < da));
}

static void check_birth_date(Req *r, const char *const *employers) {
  int32_t d, today = date_today();
  if (!check_date(r, "birth_date", _("Enter the date of birth as YYYY-MM-DD; it must be a real date."), &d)) return;
  int age = years_between(d, today);
  if (d > today) form_error(r, "birth_date", _("The date of birth cannot be in the future."));
  else if (age < 15) form_error(r, "birth_date", _("The participant must be at least 15 years old."));
  else if (age > 80) form_error(r, "birth_date", _("The participant must be at most 80 years old."));
}

static void check_absence_start(Req *r, const char *const *employers) {
  int32_t d;
  if (!*form_str(r, "absence_start") ||
      !check_date(r, "absence_start", _("Enter the first day of absence as YYYY-MM-DD; it must be a real date."), &d))
    return;
  if (d > date_today()) form_error(r, "absence_start", _("The first day of absence cannot be in the future."));
  else if (d < days_from_civil(1990, 1, 1))
    form_error(r, "absence_start", _("The first day of absence cannot be before 1990."));
}

/* Shape check only: one @, something before it, a dotted domain after it, no spaces. */
static void check_email(Req *r, const char *const *employers) {
  const char *s = form_str(r, "email"), *at = strchr(s, '@');
  if (!*s) return;
  bool ok = at && at != s && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n,;<>\"") && !strstr(at + 1, "..");
  const char *dot = ok ? strchr(at + 1, '.') : NULL;
  if (!dot || dot == at + 1 || s[strlen(s) - 1] == '.')
    form_error(r, "email", _("Enter an e-mail address like name@example.org, or leave it empty."));
}

/* Digits with the usual separators; at least one digit. */
static void check_phone(Req *r, const char *const *employers) {
  const char *s = form_str(r, "phone");
  bool digit = false, ok = true;
  for (const char *p = s; *p; p++) {
    if (*p >= '0' && *p <= '9') digit = true;
    else if (!strchr(" +-()./", *p)) ok = false;
  }
  if (*s && !(ok && digit)) form_error(r, "phone", _("Use digits, spaces and + - ( ) . / only, or leave it empty."));
}

/* The chosen employer must be one of the active employers offered. */
static void check_employer_org(Req *r, const char *const *employers) {
  const char *org = form_str(r, "employer_org");
  bool known = !*org;
  for (int i = 2; !known && employers[i]; i += 2) known = strcmp(employers[i], org) == 0;
  if (!known) form_error(r, "employer_org", _("Choose an employer from the list."));
}

/* One of the two programmes (none sent: the installation's, as the form preselects it). */
static void check_programme(Req *r, const char *const *employers) {
  const char *p = form_str(r, "programme");
  if (*p && !programme_known(p)) form_error(r, "programme", _("Choose a programme from the list."));
}

/* A typed employer only when none is chosen from the list. */
static void check_employer_other(Req *r, const char *const *employers) {
  if (*form_str(r, "employer_org") && *form_str(r, "employer_other"))
    form_error(r, "employer_other", _("Choose an employer from the list or type another one, not both."));
}

/* Form value, or NULL when empty (binds SQL NULL). */
static const char *opt(Req *r, const char *name) {
  const char *v = form_str(r, name);
  return *v ? v : NULL;
}

/* Writes participant, trajectory (in programme, following its template), coach assignment and access-log
 * entry in one transaction. *duplicate is set when the participant already exists (the transaction is then
 * rolled back). Returns a DB code; on any error the transaction is rolled back. */
static int registration_store(Req *r, const char *programme, int64_t *tid, bool *duplicate) {
  int64_t now = (int64_t)time(NULL), pid = 0, template_id;
  char today[11];
  date_format(date_today(), today);
  *duplicate = false;
  int rc = db_begin(r->db);
  if (rc != DB_OK) return rc;
  if ((rc = protocol_template_for(r->db, programme, &template_id)) != DB_OK) {
    db_rollback(r->db);
    return rc;
  }
  rc = registration_create(r->db,
                           &(RegistrationNew){.first_name = form_str(r, "first_name"),
                                              .last_name = form_str(r, "last_name"),
                                              .birth_date = form_str(r, "birth_date"), .email = opt(r, "email"),
                                              .phone = opt(r, "phone"), .referred_by = form_str(r, "referred_by"),
                                              .reason = form_str(r, "reason"),
                                              .employer_org_id = opt(r, "employer_org")
                                                                     ? strtoll(form_str(r, "employer_org"), NULL, 10)
                                                                     : 0,
                                              .employer_name = opt(r, "employer_other"),
                                              .absence_start = opt(r, "absence_start"),
                                              .start_consent = form_str(r, "start_consent"), .started_on = today,
                                              .phase_since = today, .coach_id = r->user->id, .created_at = now,
                                              .last_activity_at = now, .programme = programme,
                                              .template_id = template_id},
                           &pid, tid);
  *duplicate = rc == DB_CONSTRAINT;
  if (rc == DB_OK)
    rc = audit_write(r, &(AuditEntry){.participant_id = pid, .trajectory_id = *tid, .item = "trajectory",
                                      .action = "create", .outcome = "ok", .grounds = grounds_name(GROUNDS_COACH)});
  if (rc == DB_OK) rc = db_commit(r->db);
  if (rc != DB_OK) db_rollback(r->db);
  return rc;
}

static int get_register(Req *r) {
  const char **employers, *programme;
  int rc = employer_options(r, &employers);
  if (rc == DB_OK) rc = protocol_default_programme(r->db, &programme);
  if (rc != DB_OK) return http_db_error(r, rc);
  register_form(r, employers, programme, NULL);
  return 200;
}

static int post_register(Req *r) {
  const char **employers, *programme;
  int rc = employer_options(r, &employers);
  if (rc == DB_OK) rc = protocol_default_programme(r->db, &programme);
  if (rc != DB_OK) return http_db_error(r, rc);
  for (int i = 0; i < FIELDS; i++) {
    check_field(r, &fields[i]);
    if (fields[i].check && !form_error_for(r, fields[i].name)) fields[i].check(r, employers);
  }
  if (r->nerrors) {
    register_form(r, employers, programme, NULL);
    return 400;
  }
  int64_t tid = 0;
  bool duplicate;
  rc = registration_store(r, *form_str(r, "programme") ? form_str(r, "programme") : programme, &tid, &duplicate);
  if (duplicate) {
    /* the answer tells the coach this person is registered: the participant's log shows that it was asked */
    /* the number of the participant's latest trajectory lets the team lead find it without searching by
     * name (/team/assign?t=N); it says no more than the message already does */
    int64_t existing, existing_tid;
    rc = participant_find_identity(r->db, form_str(r, "first_name"), form_str(r, "last_name"),
                                   form_str(r, "birth_date"), &existing, &existing_tid);
    if (rc != DB_OK) return http_db_error(r, rc);
    rc = audit_write(r, &(AuditEntry){.participant_id = existing, .trajectory_id = existing_tid, .item = "participant",
                                      .action = "create", .outcome = "denied", .grounds = "coach"});
    if (rc != DB_OK) return http_db_error(r, rc);
    register_form(r, employers, programme,
                  existing_tid
                      ? arena_printf(r->a,
                                     _("A participant with this name and date of birth is already registered, in "
                                       "trajectory %lld. Ask your team lead to assign trajectory %lld to you."),
                                     (long long)existing_tid, (long long)existing_tid)
                      : _("A participant with this name and date of birth is already registered. Ask your team lead to "
                          "assign the existing trajectory to you."));
    return 409;
  }
  if (rc != DB_OK) return http_db_error(r, rc);
  return http_redirect_flash(r, arena_printf(r->a, "/t/%lld", (long long)tid), "registered");
}

const Route register_routes[] = {
    {"GET", "/participants/new", ROLE_COACH, 0, get_register}, /* the empty form: nothing of a case */
    {"POST", "/participants/new", ROLE_COACH, R_CASE, post_register},
    {0},
};
