/*
 * demo.c — `zorgwerk demo`: a believable Flemish/Dutch programme so that a newcomer sees a living portal
 * at once: organisations on both sides, a team lead, two coaches with their caseloads in every phase,
 * participants with accounts, an HR contact and a GP. Prints the logins. All names are invented.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"
#include "auth/totp.h"
#include "cli/cli.h"
#include "cli/demo_jobs.h"
#include "cli/demo_matching.h"
#include "cli/demo_programme.h"
#include "core/config.h"
#include "core/text.h"
#include "http/http.h"
#include "policy/policy.h"
#include "store/caseload.h"
#include "store/consents.h"
#include "store/trajectories.h"
#include "store/users.h"

static const char DEMO_PASSWORD[] = "zorg-en-werk-demo";

/* Adds an organisation (store/users.h); 0 when it could not be written. */
static int64_t org(Db *db, const char *name, const char *kind) {
  int64_t id;
  return org_create(db, name, kind, (int64_t)time(NULL), &id) == DB_OK ? id : 0;
}

static void enrol_totp(Db *db, int64_t uid, char secret[TOTP_SECRET_B32]) {
  totp_secret_new(secret);
  Stmt *st = db_prepare(db, "UPDATE users SET totp_secret = ? WHERE id = ?");
  db_bind_text(st, 1, secret);
  db_bind_int(st, 2, uid);
  db_run(st);
}

typedef struct DemoPerson {
  const char *first, *last, *birth;
  const char *phase;
  int coach;        /* 0 or 1 */
  int employer;     /* index into employers */
  const char *referred_by, *reason;
  int days_ago;     /* trajectory start */
  int absent_days;  /* absence started this many days before the start */
} DemoPerson;

static const DemoPerson people[] = {
    {"An", "Janssens", "1984-03-12", "action_plan", 0, 0, "Huisarts dr. Els Wouters",
     "Burn-out na reorganisatie; wil terug naar eigen job met aangepaste taken", 64, 120},
    {"Karim", "El Amrani", "1990-07-02", "exploration", 0, 1, "CGG De Vliet",
     "Angstklachten; onzeker over terugkeer naar de ploegendienst", 21, 95},
    {"Marieke", "Bakker", "1976-11-23", "follow_up", 1, 2, "Arbeidsarts Mensura",
     "Rugklachten en somberheid; proefplaatsing in een administratieve functie", 140, 200},
    {"Lotte", "Vermeulen", "1995-01-30", "intake", 0, 0, "Zelf aangemeld",
     "Depressieve klachten; loopt vast in de communicatie met de leidinggevende", 6, 40},
    {"Johan", "Desmet", "1968-05-17", "consultation", 0, 3, "Adviserend geneesheer CM",
     "Langdurige afwezigheid na hartoperatie en paniekaanvallen", 35, 260},
    {"Fatima", "Ouali", "1988-09-09", "registration", 0, 1, "VDAB trajectbegeleider",
     "Zoekt werk dat past bij haar mogelijkheden na een depressie", 2, 300},
    {"Bram", "Wouters", "1992-12-01", "aftercare", 0, 2, "Psycholoog praktijk Het Venster",
     "Werkhervatting halftijds; opvolging na terugkeer", 210, 90},
    {"Sanne", "de Groot", "1981-04-04", "action_plan", 1, 3, "Bedrijfsarts Arbo Unie",
     "Overbelasting; combinatie van mantelzorg en voltijds werk", 48, 70},
    {"Youssef", "Benali", "1979-02-14", "exploration", 1, 0, "Huisarts dr. Els Wouters",
     "Chronische pijn; vraag naar aangepast werk in de bouw", 15, 150},
    {"Ilse", "Van den Broeck", "1973-08-19", "intake", 1, 2, "CGG De Vliet",
     "Bipolaire stoornis, stabiel; wil geleidelijk terug aan de slag", 9, 180},
    {"Koen", "Pauwels", "1986-06-25", "follow_up", 0, 3, "Arbeidsarts Mensura",
     "Progressieve werkhervatting na burn-out; evaluatiegesprek met werkgever gepland", 120, 160},
    {"Nadia", "Claeys", "1997-10-10", "consultation", 1, 1, "Zelf aangemeld",
     "Angst en slaapproblemen na een ongeval op het werk", 28, 60},
};

static int64_t add_member(Db *db, int64_t tid, const char *side, const char *role, const char *name,
                          const char *org, int64_t user, int64_t coach, int64_t now) {
  Stmt *st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, organisation, user_id, "
                            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return 0;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, side);
  db_bind_text(st, 3, role);
  db_bind_text(st, 4, name);
  db_bind_text(st, 5, org);
  if (user) db_bind_int(st, 6, user); else db_bind_null(st, 6);
  db_bind_int(st, 7, coach);
  db_bind_int(st, 8, now);
  int64_t id = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  return id;
}

static bool add_note(Db *db, int64_t tid, const char *category, int64_t source, int64_t author, const char *title,
                     const char *body, int64_t at) {
  int64_t id;
  return item_create(db, &(ItemNew){.trajectory_id = tid, .kind = "note", .category = category, .source_member_id = source,
                                    .author_id = author, .title = title, .body = body, .created_at = at},
                     &id) == DB_OK;
}

/* Gives a consent (store/consents.h) given on day given_day. */
static bool add_consent(Db *db, int64_t tid, int64_t source, int64_t grantee, const char *side, const char *category,
                        const char *method, int64_t recorder, int32_t given_day, int64_t now) {
  char given[11];
  date_format(given_day, given);
  int64_t id;
  return consent_give(db, &(ConsentNew){.trajectory_id = tid, .source_member_id = source, .grantee_member_id = grantee,
                                        .grantee_side = side, .category = category, .given_on = given,
                                        .method = method, .recorded_by = recorder, .created_at = now},
                      &id) == DB_OK;
}

/* An Janssens' trajectory (the first): her GP and HR contact have accounts, her psychologist and line
 * manager are contacts only; notes in every category from different sources; consents that show the
 * rule at work (the GP sees health, HR sees capacity and the plan, never health). */
static bool demo_network(Db *db, int64_t coach, int64_t hr_user, int64_t gp_user, int64_t now) {
  const int64_t tid = 1;
  int64_t gp = add_member(db, tid, "care", "gp", "dr. Els Wouters", "Huisartsenpraktijk De Linde", gp_user, coach, now);
  int64_t psy = add_member(db, tid, "care", "psychologist", "Joke Mertens", "Praktijk Het Venster", 0, coach, now);
  int64_t hr = add_member(db, tid, "work", "hr", "Tom Claes", "Bouwbedrijf Verbeke NV", hr_user, coach, now);
  int64_t boss = add_member(db, tid, "work", "line_manager", "Luc Verbeke", "Bouwbedrijf Verbeke NV", 0, coach, now);
  if (!gp || !psy || !hr || !boss) return false;
  int32_t today = date_today();
  int64_t day = 86400;
  return add_note(db, tid, "health", 0, coach, "Intakegesprek: klachten en behandeling",
                  "An slaapt slecht en piekert veel sinds de reorganisatie. Ze is in behandeling bij psycholoog "
                  "Joke Mertens (wekelijks). **Diagnose volgens de huisarts: burn-out.**", now - 40 * day) &&
         add_note(db, tid, "capacity", 0, coach, "Wat An nu kan",
                  "- 4 uur per dag, in de voormiddag\n- geen nachtdiensten\n- rustige werkplek, geen klantencontact "
                  "aan de balie de eerste maand", now - 20 * day) &&
         add_note(db, tid, "work", hr, hr_user, "Mogelijkheden bij Verbeke",
                  "We kunnen An tijdelijk inzetten op de planningsdienst, met een vaste collega als aanspreekpunt.",
                  now - 15 * day) &&
         add_note(db, tid, "work", boss, coach, "Zorg van de leidinggevende (vertrouwelijk)",
                  "Luc vreest dat de ploeg een tweede uitval niet aankan; hij wil dit niet met An delen.",
                  now - 14 * day) &&
         add_note(db, tid, "plan", 0, coach, "Afspraken overleg 12/11",
                  "1. Start met 2 x 4 uur per week op de planningsdienst.\n2. Evaluatiegesprek na 4 weken.",
                  now - 10 * day) &&
         add_note(db, tid, "practical", 0, coach, "Volgende afspraak", "Evaluatiegesprek op kantoor bij Verbeke, "
                  "dinsdag 10u.", now - 2 * day) &&
         add_consent(db, tid, 0, gp, NULL, "health", "signed_form", coach, today - 60, now) &&
         add_consent(db, tid, 0, 0, "care", "plan", "conversation", coach, today - 60, now) &&
         add_consent(db, tid, 0, hr, NULL, "capacity", "conversation", coach, today - 21, now) &&
         add_consent(db, tid, 0, 0, "work", "plan", "conversation", coach, today - 11, now) &&
         add_consent(db, tid, 0, 0, "work", "practical", "portal", coach, today - 3, now) &&
         add_consent(db, tid, hr, 0, "participant", "work", "portal", hr_user, today - 15, now);
  /* HR lets An see HR's work information; the line manager's concern carries no consent, so only the
   * coach sees it (multi-directed partiality: the employer's confidences are kept too). */
}

/* One action of the demo plan: what, owner ("participant" or "coach"), due in days from today, status and
 * the knowledge-base article it links to (a slug of migration 009). */
typedef struct DemoAction {
  const char *text, *owner;
  int due_in;
  const char *status, *measure;
} DemoAction;

/* Koen Pauwels' trajectory (Sofie's, in follow-up): version 1 of an action plan whose actions link to
 * articles of the knowledge base, so that the plan page shows them as links. */
static bool demo_plan(Db *db, int64_t tid, int64_t coach, int64_t now) {
  static const DemoAction actions[] = {
      {"Toestemming voor gedeeltelijke werkhervatting vragen aan de adviserend arts", "participant", -80, "done",
       "gradual-return"},
      {"Taken en werkplek afspreken met de leidinggevende: geen nachtdiensten, rustige plek", "coach", -30, "done",
       "workplace-adjustments"},
      {"Jobcoaching op de werkvloer regelen voor de eerste drie maanden", "coach", 5, "in_progress", "job-coaching"},
  };
  int32_t today = date_today();
  char goal_due[11];
  date_format(today + 60, goal_due);
  int64_t item;
  if (item_create(db, &(ItemNew){.trajectory_id = tid, .kind = "plan", .category = "plan", .author_id = coach,
                                 .title = "Actieplan versie 1",
                                 .body = "# Actieplan versie 1\n\n## Doel 1: Geleidelijk terug naar de eigen job\n",
                                 .created_at = now - 90 * 86400},
                  &item) != DB_OK)
    return false;
  Stmt *st = db_prepare(db, "INSERT INTO plan_versions (item_id, trajectory_id, version, created_by, created_at) "
                            "VALUES (?, ?, 1, ?, ?)");
  if (!st) return false;
  db_bind_int(st, 1, item);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, coach);
  db_bind_int(st, 4, now - 90 * 86400);
  if (db_run(st) != DB_OK) return false;
  st = db_prepare(db, "INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                      "relevant, time_bound) VALUES (?, 1, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return false;
  db_bind_int(st, 1, item);
  db_bind_text(st, 2, "Geleidelijk terug naar de eigen job");
  db_bind_text(st, 3, "Met een opbouw van uren terug naar vier dagen per week in de eigen functie.");
  db_bind_text(st, 4, "Gewerkte uren per week in de planning; elke vier weken een evaluatiegesprek.");
  db_bind_text(st, 5, "De werkgever past de taken tijdelijk aan; een jobcoach ondersteunt de eerste maanden.");
  db_bind_text(st, 6, "Koen wil zijn eigen job houden en opnieuw een vast ritme vinden.");
  db_bind_text(st, 7, goal_due);
  int64_t goal = db_step(st) == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (!goal) return false;
  for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
    char due[11];
    date_format(today + actions[i].due_in, due);
    st = db_prepare(db, "INSERT INTO plan_actions (goal_id, position, text, owner_kind, due_on, status, measure_slug, "
                        "trajectory_id, is_current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)");
    if (!st) return false;
    db_bind_int(st, 1, goal);
    db_bind_int(st, 2, (int64_t)i + 1);
    db_bind_text(st, 3, actions[i].text);
    db_bind_text(st, 4, actions[i].owner);
    db_bind_text(st, 5, due);
    db_bind_text(st, 6, actions[i].status);
    db_bind_text(st, 7, actions[i].measure);
    db_bind_int(st, 8, tid);
    if (db_run(st) != DB_OK) return false;
  }
  return true;
}

/* The demo's organisations and accounts, and the second-factor secrets of those who need one. */
typedef struct DemoAccounts {
  int64_t coaching, gp, employers[4];
  int64_t admin, lead, coaches[2], logofficer, hr, doc, programme;
  char s_admin[TOTP_SECRET_B32], s_lead[TOTP_SECRET_B32], s_c0[TOTP_SECRET_B32], s_c1[TOTP_SECRET_B32],
      s_log[TOTP_SECRET_B32], s_prog[TOTP_SECRET_B32];
} DemoAccounts;

/* PostgreSQL: the database of cfg.db holds no tables, or (force) is emptied: its schema public dropped and
 * made again, as --force removes a SQLite file. False (after a message) otherwise. */
static bool demo_pg_empty(bool force) {
  Db *db;
  if (db_open(cfg.db, &db) != DB_OK) {
    fprintf(stderr, "zorgwerk: cannot open database %s (setting db)\n", db_safe_name(cfg.db));
    return false;
  }
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
  int rc = st ? db_step(st) : DB_ERROR;
  int64_t tables = rc == DB_ROW ? db_int(st, "n") : -1;
  db_done(st);
  bool ok = tables == 0;
  if (tables > 0 && !force)
    fprintf(stderr, "zorgwerk: %s holds tables; use `zorgwerk demo --force` to replace them with demo data\n",
            db_safe_name(cfg.db));
  else if (tables > 0)
    ok = db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public") == DB_OK;
  db_close(db);
  return ok;
}

/* Opens a new, empty database at cfg.db; an existing one is replaced only with --force. NULL (after a
 * message) when there is one without --force or it cannot be opened. */
static Db *demo_db_fresh(int argc, char **argv) {
  bool force = false;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--force")) force = true;
  if (db_is_pg_url(cfg.db) && !demo_pg_empty(force)) return NULL;
  if (!db_is_pg_url(cfg.db) && access(cfg.db, F_OK) == 0) {
    if (!force) {
      fprintf(stderr, "zorgwerk: %s exists; use `zorgwerk demo --force` to replace it with demo data\n", cfg.db);
      return NULL;
    }
    char side[1100];
    unlink(cfg.db);
    snprintf(side, sizeof side, "%s-wal", cfg.db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", cfg.db);
    unlink(side);
  }
  return cli_open_db();
}

/* Writes the organisations and accounts into *d, and enrols the staff in the second factor. */
static void demo_accounts(Db *db, DemoAccounts *d) {
  d->coaching = org(db, "Zorg & Werk Antwerpen-Mechelen", "coaching");
  org(db, "CGG De Vliet", "care");
  d->gp = org(db, "Huisartsenpraktijk De Linde", "care");
  org(db, "Mensura Arbeidsgeneeskunde", "care");
  org(db, "VDAB Mechelen", "agency");
  d->employers[0] = org(db, "Bouwbedrijf Verbeke NV", "employer");
  d->employers[1] = org(db, "Stad Mechelen", "employer");
  d->employers[2] = org(db, "Thuiszorg Het Anker vzw", "employer");
  d->employers[3] = org(db, "Logistiek Schelde BV", "employer");

  d->admin = cli_user_create(db, "beheer@zorgwerk.example", "Wim Beheerder", ROLE_ADMIN, d->coaching, NULL,
                             "Functioneel beheerder", DEMO_PASSWORD);
  d->lead = cli_user_create(db, "hilde.maes@zorgwerk.example", "Hilde Maes", ROLE_TEAMLEAD, d->coaching, NULL,
                            "Programmaleider", DEMO_PASSWORD);
  d->coaches[0] = cli_user_create(db, "sofie.peeters@zorgwerk.example", "Sofie Peeters", ROLE_COACH, d->coaching,
                                  NULL, "Zorg & Werk coach", DEMO_PASSWORD);
  d->coaches[1] = cli_user_create(db, "pieter.devries@zorgwerk.example", "Pieter de Vries", ROLE_COACH, d->coaching,
                                  NULL, "Zorg & Werk coach", DEMO_PASSWORD);
  d->logofficer = cli_user_create(db, "privacy@zorgwerk.example", "Ines Lambrecht", ROLE_LOGOFFICER, d->coaching,
                                  NULL, "Functionaris gegevensbescherming", DEMO_PASSWORD);
  d->hr = cli_user_create(db, "tom.claes@verbeke.example", "Tom Claes", ROLE_PARTNER, d->employers[0], "work",
                          "HR-verantwoordelijke", DEMO_PASSWORD);
  d->doc = cli_user_create(db, "els.wouters@delinde.example", "dr. Els Wouters", ROLE_PARTNER, d->gp, "care",
                           "Huisarts", DEMO_PASSWORD);
  enrol_totp(db, d->logofficer, d->s_log);
  enrol_totp(db, d->admin, d->s_admin);
  enrol_totp(db, d->lead, d->s_lead);
  enrol_totp(db, d->coaches[0], d->s_c0);
  enrol_totp(db, d->coaches[1], d->s_c1);
  d->programme = cli_user_create(db, "rik.vanacker@zorgwerk.example", "Rik Van Acker", ROLE_PROGRAMME, d->coaching,
                                 NULL, "Programmamanager", DEMO_PASSWORD);
  enrol_totp(db, d->programme, d->s_prog);
}

/* Registers every demo person with their trajectory and coach (store/trajectories.h), the first three with
 * an account; *plan_tid gets the trajectory that gets a demo plan (demo_plan). Returns a DB code. */
static int demo_people(Db *db, const DemoAccounts *d, int64_t now, int64_t *plan_tid) {
  static const char *const login_of[3] = {"an.janssens@mail.example", "karim.elamrani@mail.example",
                                          "marieke.bakker@mail.example"};
  int32_t today = date_today();
  *plan_tid = 0;
  for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
    const DemoPerson *p = &people[i];
    int64_t uid = 0;
    if (i < 3) {
      char name[128];
      snprintf(name, sizeof name, "%s %s", p->first, p->last);
      uid = cli_user_create(db, login_of[i], name, ROLE_PARTICIPANT, 0, NULL, NULL, DEMO_PASSWORD);
    }
    char started[11], absent[11], since[11];
    date_format(today - p->days_ago, started);
    date_format(today - p->days_ago - p->absent_days, absent);
    date_format(today - p->days_ago / 3, since);
    int64_t pid, tid;
    int rc = registration_create(
        db,
        &(RegistrationNew){
            .user_id = uid, .first_name = p->first, .last_name = p->last, .birth_date = p->birth,
            .email = i < 3 ? login_of[i] : NULL, .phase = p->phase, .referred_by = p->referred_by,
            .reason = p->reason, .employer_org_id = d->employers[p->employer], .absence_start = absent,
            .start_consent = "Mondeling akkoord tijdens het aanmeldgesprek; toestemmingsformulier ondertekend.",
            .started_on = started, .phase_since = since, .coach_id = d->coaches[p->coach],
            .created_at = now - (int64_t)p->days_ago * 86400,
            .last_activity_at = now - (int64_t)(p->days_ago % 9) * 86400 - (int64_t)i * 3600},
        &pid, &tid);
    if (rc != DB_OK) return rc;
    if (strcmp(p->last, "Pauwels") == 0) *plan_tid = tid;
  }
  return DB_OK;
}

/* Prints the logins, their roles and the second-factor secrets. */
static void demo_print(const DemoAccounts *d) {
  printf("\nDemo database: %s\n", db_safe_name(cfg.db));
  printf("Every demo account has the password:  %s\n\n", DEMO_PASSWORD);
  printf("  %-34s %-22s %s\n", "login", "role", "second factor (TOTP secret)");
  printf("  %-34s %-22s %s\n", "beheer@zorgwerk.example", "administrator", d->s_admin);
  printf("  %-34s %-22s %s\n", "hilde.maes@zorgwerk.example", "team lead", d->s_lead);
  printf("  %-34s %-22s %s\n", "sofie.peeters@zorgwerk.example", "coach", d->s_c0);
  printf("  %-34s %-22s %s\n", "pieter.devries@zorgwerk.example", "coach", d->s_c1);
  printf("  %-34s %-22s %s\n", "privacy@zorgwerk.example", "log officer", d->s_log);
  printf("  %-34s %-22s %s\n", "rik.vanacker@zorgwerk.example", "programme manager", d->s_prog);
  printf("  %-34s %-22s %s\n", "an.janssens@mail.example", "participant", "-");
  printf("  %-34s %-22s %s\n", "karim.elamrani@mail.example", "participant", "-");
  printf("  %-34s %-22s %s\n", "marieke.bakker@mail.example", "participant", "-");
  printf("  %-34s %-22s %s\n", "tom.claes@verbeke.example", "HR (work side)", "-");
  printf("  %-34s %-22s %s\n", "nadia.verhoeven@hetanker.example", "HR of another employer", "-");
  printf("  %-34s %-22s %s\n", "els.wouters@delinde.example", "GP (care side)", "-");
  printf("\nCoaches and administrators need a second factor: add the secret to an authenticator app,\n"
         "or print the current code with:  zorgwerk totp SECRET   (e.g. build/release/zorgwerk totp %s)\n\n", d->s_c0);
}

int cmd_demo(int argc, char **argv) {
  Db *db = demo_db_fresh(argc, argv);
  if (!db) return 1;
  if (db_begin(db) != DB_OK) {
    db_close(db);
    return 1;
  }
  DemoAccounts d = {0};
  demo_accounts(db, &d);
  int64_t now = (int64_t)time(NULL), plan_tid;
  if (demo_people(db, &d, now, &plan_tid) != DB_OK || !demo_network(db, d.coaches[0], d.hr, d.doc, now) ||
      !demo_plan(db, plan_tid, d.coaches[0], now)) {
    fprintf(stderr, "zorgwerk: demo network could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  DemoJobs jobs = {.employers = {d.employers[0], d.employers[1], d.employers[2], d.employers[3]},
                   .coaches = {d.coaches[0], d.coaches[1]}, .hr = d.hr, .password = DEMO_PASSWORD};
  if (demo_jobs_seed(db, &jobs, now) != DB_OK) { /* the employer register (cli/demo_jobs.c) */
    fprintf(stderr, "zorgwerk: demo employer register could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  if (demo_placements_seed(db, &jobs, now) != DB_OK) { /* placements in progress (cli/demo_jobs.c) */
    fprintf(stderr, "zorgwerk: demo placements could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  if (demo_matching_seed(db, &jobs, now) != DB_OK) { /* job profiles and a proposal (cli/demo_matching.c) */
    fprintf(stderr, "zorgwerk: demo job profiles could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  if (demo_wabz_seed(db, &jobs, now) != DB_OK) { /* a client of Werk als Beste Zorg (cli/demo_matching.c) */
    fprintf(stderr, "zorgwerk: demo Werk als Beste Zorg client could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  DemoProgramme prog = {.coaching = d.coaching, .coaches = {d.coaches[0], d.coaches[1]},
                        .employers = {d.employers[0], d.employers[1], d.employers[2], d.employers[3]},
                        .n = demo_programme_arg(argc, argv)};
  if (prog.n && demo_programme_seed(db, &prog, now) != DB_OK) { /* a year of a programme (cli/demo_programme.c) */
    fprintf(stderr, "zorgwerk: demo programme could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  if (caseload_next_refresh_all(db) != DB_OK) { /* the caseload's next thing due (store/caseload.c) */
    fprintf(stderr, "zorgwerk: demo caseload could not be written: %s\n", db_errmsg(db));
    db_rollback(db);
    db_close(db);
    return 1;
  }
  if (db_commit(db) != DB_OK) {
    fprintf(stderr, "zorgwerk: demo data could not be written: %s\n", db_errmsg(db));
    db_close(db);
    return 1;
  }
  db_close(db);
  demo_print(&d);
  return 0;
}
