/*
 * demo_matching.c — see demo_matching.h.
 */
#include "cli/demo_matching.h"

#include "core/text.h"
#include "store/employers.h"
#include "store/job_profiles.h"
#include "store/placements.h"
#include "store/proposals.h"
#include "store/trajectories.h"

/* The trajectory of the demo participant with this last name and its first coach (0s: none). */
static int trajectory_of(Db *db, const char *last, int64_t *tid, int64_t *coach) {
  *tid = *coach = 0;
  Stmt *st = db_prepare(db, "SELECT t.id, c.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "JOIN trajectory_coaches c ON c.trajectory_id = t.id WHERE p.last_name = ? "
                            "ORDER BY t.id, c.user_id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, last);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *tid = db_int(st, "id");
    *coach = db_int(st, "user_id");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Column col of the first row of sql (one integer parameter, arg) into *out (0: no row). */
static int first_int(Db *db, const char *sql, int64_t arg, const char *col, int64_t *out) {
  *out = 0;
  Stmt *st = db_prepare(db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, arg);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = db_int(st, col);
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The participant's account of trajectory tid (0: none). */
static int participant_user(Db *db, int64_t tid, int64_t *uid) {
  return first_int(db,
                   "SELECT p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                   "WHERE t.id = ? AND p.user_id IS NOT NULL",
                   tid, "user_id", uid);
}

/* The first open care opening of employer org into *id (0: none). */
static int care_opening(Db *db, int64_t org, int64_t *id) {
  return first_int(db,
                   "SELECT id FROM openings WHERE employer_org_id = ? AND work_kind = 'care' "
                   "AND status = 'open' ORDER BY id LIMIT 1",
                   org, "id", id);
}

int demo_matching_seed(Db *db, const DemoJobs *j, int64_t now) {
  int64_t karim, kcoach, kuser, id;
  int rc = trajectory_of(db, "El Amrani", &karim, &kcoach);
  if (rc == DB_OK && karim) rc = participant_user(db, karim, &kuser);
  if (rc != DB_OK) return rc;
  if (karim) {
    rc = job_profile_save_coach(
        db, karim, kcoach, now - 86400 * 6, 0,
        &(JobProfileCoach){.kinds = "care,logistics,green", .regions = "Mechelen\nAntwerpen", .avoid = "nachtdiensten",
                           .coach_work = "Karim wil graag met mensen werken, liefst in de zorg. Hij heeft ervaring "
                                         "als magazijnier.",
                           .coach_capacity = "Werkt goed met een vaste structuur en duidelijke taken; bouwt de uren "
                                             "liefst rustig op.",
                           .hours_now = 12, .hours_goal = 28, .max_travel_min = 40,
                           .support = SUPPORT_GRADUAL_START | SUPPORT_BUDDY},
        &id);
    if (rc == DB_OK && kuser)
      rc = job_profile_save_own(db, karim, kuser, now - 86400 * 5, now - 86400 * 6,
                                "Ik zou graag in de thuiszorg werken. Eerst halve dagen, later meer.",
                                "Ik ben geduldig en werk graag samen. Ik heb het liefst een vaste collega die me "
                                "op weg helpt.",
                                &id);
    if (rc != DB_OK) return rc;
    /* a proposal for a care opening of Thuiszorg Het Anker (else its first), waiting for Karim's answer */
    int64_t opening = 0;
    if ((rc = care_opening(db, j->employers[2], &opening)) != DB_OK) return rc;
    for (int i = 0; i < j->n_openings && !opening; i++)
      if (j->opening_employer[i] == j->employers[2]) opening = j->openings[i];
    if (opening)
      rc = proposal_create(db, &(ProposalNew){.trajectory_id = karim, .opening_id = opening,
                                              .employer_org_id = j->employers[2], .created_by = kcoach,
                                              .created_at = now - 3600,
                                              .note = "Karim is gemotiveerd en wil in de zorg starten, met een "
                                                      "rustige opbouw van de uren."},
                           &id);
    if (rc != DB_OK) return rc;
  }
  return rc;
}

/* a client of Werk als Beste Zorg (issue 13, part 7): registered in that programme, in the action-plan
 * phase with mediator Pieter de Vries, with a job profile and a trial placement under way at Logistiek Schelde. */
int demo_wabz_seed(Db *db, const DemoJobs *j, int64_t now) {
  int32_t today = date_today();
  char started[11], absent[11], since[11], d0[11], d1[11], end[11];
  date_format(today - 70, started);
  date_format(today - 160, absent);
  date_format(today - 20, since);
  int64_t pid, tid, id;
  int rc = registration_create(
      db,
      &(RegistrationNew){.first_name = "Sanne", .last_name = "de Graaf", .birth_date = "1988-05-17",
                         .phase = "action_plan", .referred_by = "Zelf aangemeld via de gemeente",
                         .reason = "Wil na een lange periode van psychische klachten weer aan het werk, liefst in "
                                   "de logistiek.",
                         .employer_name = "Geen werkgever", .absence_start = absent,
                         .start_consent = "Mondeling akkoord in het eerste gesprek; formulier ondertekend.",
                         .started_on = started, .phase_since = since, .coach_id = j->coaches[1],
                         .created_at = now - 70 * 86400, .last_activity_at = now - 2 * 86400,
                         .programme = "werk_als_beste_zorg"},
      &pid, &tid);
  if (rc != DB_OK) return rc;
  rc = job_profile_save_coach(
      db, tid, j->coaches[1], now - 86400 * 30, 0,
      &(JobProfileCoach){.kinds = "logistics,production", .regions = "Breda\nRoosendaal", .avoid = "werken met klanten aan de balie",
                         .coach_work = "Sanne werkt graag met haar handen en in een vast team; ervaring als "
                                       "orderpicker.",
                         .coach_capacity = "Start rustig: eerst drie ochtenden per week, een vaste collega als "
                                           "aanspreekpunt.",
                         .hours_now = 12, .hours_goal = 24, .max_travel_min = 30,
                         .support = SUPPORT_GRADUAL_START | SUPPORT_BUDDY},
      &id);
  if (rc != DB_OK) return rc;
  /* a trial placement at Logistiek Schelde that started two weeks ago, 12 -> 16 hours */
  date_format(today - 14, d0);
  date_format(today + 14, d1);
  date_format(today - 14 + 42, end);
  PlacementStep steps[] = {{d0, 120}, {d1, 160}};
  int64_t pl;
  rc = placement_create(db, &(PlacementNew){.trajectory_id = tid, .author_id = j->coaches[1],
                                            .created_at = now - 20 * 86400, .employer_org_id = j->employers[3],
                                            .kind = "trial", .starts_on = d0, .ends_on = end, .hours_tenths = 160,
                                            .tasks = "Orders verzamelen en inpakken in de ochtendploeg.",
                                            .buddy = "Joris, teamleider van de ochtendploeg",
                                            .adjustments = "Drie ochtenden per week; geen piekdagen de eerste maand.",
                                            .steps = steps, .nsteps = 2},
                        &pl);
  if (rc == DB_OK) rc = placement_mark_started(db, tid, pl, j->coaches[1], now - 14 * 86400);
  return rc;
}
