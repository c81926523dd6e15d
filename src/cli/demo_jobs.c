/*
 * demo_jobs.c — see demo_jobs.h. A believable employer register of Flemish and Dutch employers of several
 * sectors, each with a profile, openings and a contact history. All names are invented.
 */
#include "cli/demo_jobs.h"

#include <stdio.h>
#include <string.h>

#include "auth/user.h"
#include "cli/cli.h"
#include "core/text.h"
#include "store/employers.h"
#include "store/job_coaching.h"
#include "store/openings.h"
#include "store/placements.h"
#include "store/users.h"

enum { GS = SUPPORT_GRADUAL_START, AT = SUPPORT_ADJUSTED_TASKS, BU = SUPPORT_BUDDY, FH = SUPPORT_FLEXIBLE_HOURS };

typedef struct DemoOpening {
  const char *title, *kind, *work_kind, *tasks, *requirements;
  int hours_min, hours_max, support;
  int starts_in, lasts; /* days from today to the start (-1: no start date), days it lasts (0: no end) */
  const char *status;
} DemoOpening;

typedef struct DemoContact {
  int days_ago;
  const char *mode;
  int minutes;
  const char *note;
} DemoContact;

typedef struct DemoEmployer {
  const char *name; /* NULL: one of the demo's four, by index existing */
  int existing;
  const char *sector, *region, *size_band, *processes, *jobs, *culture;
  int support, mediator; /* index into coaches */
  DemoOpening openings[4];
  DemoContact contacts[3];
} DemoEmployer;

static const DemoEmployer register_[] = {
    {NULL, 0, "Bouw", "Mechelen en omgeving", "50-249",
     "Woningbouw en renovatie met eigen ploegen; werf- en atelierwerk, een magazijn en een kleine administratie.",
     "Metselaar, dakwerker, magazijnier, werfassistent, administratief bediende.",
     "Familiebedrijf, no-nonsense, vroeg beginnen (7 uur); collega's helpen elkaar op de werf.", GS | AT | BU, 0,
     {{"Magazijnier atelier", "job", "logistics", "Materiaal klaarzetten voor de ploegen, leveringen nakijken.",
       "Heftruckattest is een plus.", 19, 30, GS | BU, 14, 0, "open"},
      {"Werfassistent renovatie", "work_experience", "construction", "Meehelpen bij afbraak en opruim, onder begeleiding.",
       "Veiligheidsschoenen worden voorzien.", 12, 24, GS | AT | BU, 7, 90, "open"},
      {"Administratief bediende werfplanning", "job", "administration", "Planning bijhouden, telefoon, bestellingen.",
       "Vlot met Excel.", 0, 20, FH, -1, 0, "filled"}},
     {{12, "visit", 90, "Rondleiding op het atelier met Tom Claes; mogelijkheden voor een proefplaatsing besproken."},
      {40, "phone", 20, "Eerste kennismaking, interesse in werkervaringsplaatsen."}}},
    {NULL, 1, "Lokaal bestuur", "Mechelen", "250+",
     "Dienstverlening aan burgers: loket, groendienst, schoonmaak van stadsgebouwen, administratie.",
     "Loketmedewerker, groenarbeider, schoonmaker, administratief medewerker.",
     "Grote organisatie met vaste procedures; rustig tempo aan het loket, teamwerk in de buitendiensten.",
     GS | AT | FH, 1,
     {{"Medewerker groendienst", "job", "green", "Onderhoud van parken en pleinen in een ploeg.",
       "Graag buiten werken.", 19, 38, GS | AT, 30, 0, "open"},
      {"Onthaalmedewerker stadskantoor", "work_experience", "administration",
       "Bezoekers ontvangen en doorverwijzen, afspraken inplannen.", "Vriendelijk, Nederlands vlot.", 8, 16,
       GS | FH | BU, 10, 120, "open"}},
     {{20, "info_session", 120, "Infosessie voor leidinggevenden over werkhervatting en aangepast werk."},
      {55, "online", 45, "Overleg met HR over werkervaringsplaatsen in 2027."}}},
    {NULL, 2, "Thuiszorg", "Antwerpen en Mechelen", "50-249",
     "Gezinszorg, poetshulp en dienstencheques bij mensen thuis; planning vanuit twee kantoren.",
     "Verzorgende, poetshulp, planner, logistiek assistent.",
     "Warme organisatie met zelfstandig werk bij cliënten; een vaste meter of peter voor nieuwe collega's.",
     GS | AT | BU | FH, 0,
     {{"Poetshulp dienstencheques", "job", "cleaning", "Huishoudelijke hulp bij vaste klanten in de buurt.",
       "Eigen vervoer of fiets.", 10, 25, GS | BU | FH, 7, 0, "open"},
      {"Verzorgende in opleiding", "work_experience", "care", "Meelopen met een ervaren verzorgende.",
       "Interesse in zorg, attest volgt tijdens de opleiding.", 16, 28, GS | BU, 21, 180, "open"},
      {"Planner thuiszorg", "job", "administration", "Rondes plannen, vervangingen regelen.", "Vlot met de computer.",
       24, 32, FH, -1, 0, "open"}},
     {{8, "visit", 60, "Kennismaking met de nieuwe HR-verantwoordelijke; afspraken rond het meter-peterschap."},
      {35, "email", 10, "Vacatures voor poetshulp doorgestuurd."},
      {70, "phone", 25, "Vraag naar kandidaten voor werkervaring in de zorg."}}},
    {NULL, 3, "Logistiek", "Antwerpen haven", "250+",
     "Opslag en distributie voor retail; orderpicking in ploegen, laden en lossen, voorraadbeheer.",
     "Orderpicker, heftruckchauffeur, voorraadbeheerder, teamleider.",
     "Hoog tempo in de ploegen, duidelijke instructies; een rustiger retourenafdeling.", GS | AT, 1,
     {{"Medewerker retourenafdeling", "job", "logistics", "Retourzendingen controleren en terug in voorraad zetten.",
       "Nauwkeurig werken.", 20, 38, GS | AT, 14, 0, "open"},
      {"Orderpicker dagploeg", "job", "logistics", "Orders verzamelen met een scanner.", "Fysiek werk.", 30, 38, GS,
       7, 0, "withdrawn"}},
     {{25, "visit", 75, "Bezoek aan de retourenafdeling: rustige plek, geschikt voor een geleidelijke start."}}},
    {"Woonzorgcentrum De Notelaar", 0, "Ouderenzorg", "Lier", "50-249",
     "Verzorging en activiteiten voor 90 bewoners; keuken, onderhoud en een cafetaria.",
     "Zorgkundige, logistiek assistent, animator, keukenhulp.",
     "Kleinschalig en huiselijk, vaste teams per afdeling; tempo volgt de dagstructuur van de bewoners.",
     GS | AT | BU, 0,
     {{"Logistiek assistent afdeling", "job", "care", "Maaltijden rondbrengen, bedden opmaken, gesprekjes met bewoners.",
       "Geduldig en vriendelijk.", 16, 24, GS | AT | BU, 10, 0, "open"},
      {"Medewerker cafetaria", "work_experience", "hospitality", "Koffie schenken, afrekenen, opruimen.", NULL, 8, 16,
       GS | BU, 5, 60, "open"}},
     {{15, "visit", 60, "Rondleiding met de directeur; openstaand voor proefplaatsingen."}}},
    {"Buurtsuper Van Dyck", 0, "Detailhandel", "Mechelen-Nekkerspoel", "10-49",
     "Supermarkt met verse afdeling; vakken vullen, kassa, bakkerij.", "Winkelmedewerker, kassamedewerker.",
     "Klein team, iedereen kent iedereen; drukke zaterdagen.", GS | FH, 1,
     {{"Winkelmedewerker vakken vullen", "job", "retail", "Aanvullen van de rekken, vroege ochtend.", NULL, 12, 20,
       GS | FH, 7, 0, "open"}},
     {{45, "phone", 15, "Eigenaar zoekt iemand voor de ochtenden."}}},
    {"Brasserie Het Pakhuis", 0, "Horeca", "Antwerpen-Zuid", "10-49",
     "Brasserie met lunch en diner; keuken, bediening en afwas.", "Keukenhulp, medewerker bediening, afwasser.",
     "Druk tijdens de service, daarbuiten rustig; de chef begeleidt nieuwe mensen zelf.", GS | AT | FH, 0,
     {{"Keukenhulp lunchservice", "job", "hospitality", "Groenten snijden, mise-en-place, afwas.", NULL, 15, 20,
       GS | AT, 14, 0, "open"},
      {"Afwasser avond", "job", "hospitality", "Afwas en opruimen van de keuken.", NULL, 10, 15, FH, -1, 0, "filled"}},
     {{30, "visit", 45, "Gesprek met de chef over een rustige start buiten de service."}}},
    {"Groendienst Rupelstreek vzw", 0, "Sociale economie, groenonderhoud", "Boom en Rupelstreek", "50-249",
     "Maatwerkbedrijf voor groenonderhoud van openbaar domein en bedrijfstuinen.",
     "Groenarbeider, ploegbaas, chauffeur.", "Begeleid werken in kleine ploegen met een vaste ploegbaas.",
     GS | AT | BU | FH, 1,
     {{"Groenarbeider", "job", "green", "Maaien, snoeien, onkruid wieden in een ploeg.", "Rijbewijs B is een plus.",
       19, 32, GS | AT | BU | FH, 7, 0, "open"},
      {"Werkervaring groenonderhoud", "work_experience", "green", "Meewerken in een ploeg, zelf het tempo bepalen.",
       NULL, 8, 19, GS | AT | BU | FH, 3, 180, "open"}},
     {{10, "info_session", 90, "Infosessie voor onze coaches over maatwerk en begeleid werken."},
      {60, "visit", 60, "Bezoek aan de ploegen in Boom."}}},
    {"Codewerf BV", 0, "ICT-diensten", "Leuven", "10-49",
     "Softwareontwikkeling en support voor kmo's; grotendeels thuiswerk.",
     "Supportmedewerker, tester, ontwikkelaar.", "Informeel, flexibele uren, rustige werkplek op kantoor mogelijk.",
     GS | FH | BU, 0,
     {{"Tester webapplicaties", "job", "ict", "Testscenario's uitvoeren en fouten beschrijven.",
       "Nauwkeurig, basiskennis computer.", 16, 30, GS | FH | BU, 30, 0, "open"},
      {"Supportmedewerker eerste lijn", "work_experience", "ict", "Vragen van klanten beantwoorden per mail.", NULL,
       12, 24, GS | FH, 21, 90, "open"}},
     {{18, "online", 30, "Kennismaking met de zaakvoerder; zoekt mensen die rustig en precies werken."}}},
    {"Metaalwerken Dijle NV", 0, "Productie, metaalbewerking", "Mechelen-Noord", "250+",
     "Plaatbewerking en assemblage in ploegen; een eigen opleidingsatelier.",
     "Operator, lasser, assemblagemedewerker, magazijnier.", "Industrieel, veiligheid voorop; vaste ploegen.",
     GS | AT | BU, 1,
     {{"Assemblagemedewerker", "job", "production", "Kleine onderdelen monteren in het atelier.",
       "Handig, veiligheidsschoenen.", 24, 38, GS | AT | BU, 14, 0, "open"},
      {"Operator plooibank dagploeg", "job", "production", "Plooibank bedienen na opleiding.", "Technische interesse.",
       30, 38, GS | BU, 30, 0, "open"},
      {"Werkervaring opleidingsatelier", "work_experience", "production", "Basistechnieken leren in het atelier.",
       NULL, 16, 30, GS | AT | BU, 7, 120, "open"}},
     {{22, "visit", 120, "Rondleiding met de preventieadviseur; aangepaste taken in het opleidingsatelier."}}},
    {"Zorggroep Brabantse Wal", 0, "Zorg (Nederland)", "Bergen op Zoom", "250+",
     "Verpleeghuizen en wijkzorg in West-Brabant; facilitaire dienst en administratie.",
     "Helpende zorg, medewerker facilitair, secretaresse.", "Grote zorgorganisatie met leerafdelingen en een jobcoach.",
     GS | AT | BU | FH, 0,
     {{"Medewerker facilitaire dienst", "job", "cleaning", "Schoonmaak en linnen op een woongroep.", NULL, 12, 24,
       GS | AT | BU, 14, 0, "open"},
      {"Helpende zorg (leerwerkplek)", "work_experience", "care", "Ondersteunen bij dagelijkse zorg, met een buddy.",
       NULL, 16, 24, GS | BU, 21, 180, "open"}},
     {{28, "online", 60, "Overleg met de jobcoach van de zorggroep over een leerwerkplek."}}},
    {"Transportbedrijf Van der Linden BV", 0, "Transport (Nederland)", "Breda", "50-249",
     "Wegtransport en distributie in de Benelux; een planning en een werkplaats.",
     "Chauffeur, planner, monteur, bijrijder.", "Vroeg dag, korte lijnen, nuchter.", GS | FH, 1,
     {{"Bijrijder distributie", "job", "transport", "Meerijden en helpen lossen bij klanten.", "Rijbewijs B.", 20, 32,
       GS | FH, 10, 0, "open"}},
     {{50, "phone", 20, "Interesse in een proefplaatsing als bijrijder."}}},
    {"Hoveniersbedrijf De Groene Hand", 0, "Hoveniers (Nederland)", "Roosendaal", "1-9",
     "Aanleg en onderhoud van particuliere tuinen.", "Hovenier, medewerker onderhoud.",
     "Klein team, de eigenaar werkt zelf mee; rustig tempo.", GS | AT | BU, 0,
     {{"Medewerker tuinonderhoud", "job", "green", "Onderhoud van tuinen samen met de eigenaar.", NULL, 16, 24,
       GS | AT | BU, 7, 0, "open"}},
     {{33, "visit", 45, "Kennismaking in de tuin van een klant; ruimte voor een geleidelijke start."}}},
};

/* The date `days` from today as YYYY-MM-DD into out. */
static const char *day(char out[11], int days) {
  date_format(date_today() + days, out);
  return out;
}

int demo_jobs_seed(Db *db, DemoJobs *j, int64_t now) {
  j->n_register = 0;
  j->n_openings = 0;
  j->second_hr = cli_user_create(db, "nadia.verhoeven@hetanker.example", "Nadia Verhoeven", ROLE_PARTNER,
                                 j->employers[2], "work", "HR-verantwoordelijke", j->password);
  if (!j->second_hr) return DB_ERROR;
  User coach = {.id = j->coaches[0], .roles = ROLE_COACH};
  for (size_t i = 0; i < sizeof register_ / sizeof *register_ && j->n_register < DEMO_JOBS_EMPLOYERS_MAX; i++) {
    const DemoEmployer *d = &register_[i];
    int64_t org = d->name ? 0 : j->employers[d->existing];
    int rc;
    if (d->name && (rc = org_create(db, d->name, "employer", now, &org)) != DB_OK) return rc;
    j->register_ids[j->n_register++] = org;
    coach.id = j->coaches[d->mediator];
    int64_t contact = !d->name && d->existing == 0 ? j->hr : !d->name && d->existing == 2 ? j->second_hr : 0;
    Employer e = {.org_id = org, .sector = d->sector, .region = d->region, .size_band = d->size_band,
                  .work_processes = d->processes, .job_kinds = d->jobs, .culture = d->culture, .support = d->support,
                  .contact_user_id = contact, .mediator_user_id = coach.id};
    if ((rc = employer_profile_save(db, &coach, &e, now - 86400 * (int64_t)(i + 1))) != DB_OK) return rc;
    for (int k = 0; k < 4 && d->openings[k].title && j->n_openings < DEMO_JOBS_OPENINGS_MAX; k++) {
      const DemoOpening *p = &d->openings[k];
      char from[11], until[11];
      Opening o = {.employer_org_id = org, .title = p->title, .kind = p->kind, .work_kind = p->work_kind,
                   .tasks = p->tasks, .requirements = p->requirements, .hours_min = p->hours_min,
                   .hours_max = p->hours_max, .region = d->region, .support = p->support,
                   .starts_on = p->starts_in >= 0 ? day(from, p->starts_in) : NULL,
                   .ends_on = p->starts_in >= 0 && p->lasts > 0 ? day(until, p->starts_in + p->lasts) : NULL};
      if (opening_invalid(&o) != OPENING_OK) return DB_ERROR;
      int64_t id;
      if ((rc = opening_insert(db, &coach, &o, now - 86400 * (int64_t)(20 - k), &id)) != DB_OK) return rc;
      if (strcmp(p->status, "open") != 0 && (rc = opening_set_status(db, &coach, id, p->status, now)) != DB_OK)
        return rc;
      j->opening_employer[j->n_openings] = org;
      j->openings[j->n_openings++] = id;
    }
    for (int k = 0; k < 3 && d->contacts[k].mode; k++) {
      const DemoContact *c = &d->contacts[k];
      char held[11];
      int64_t id;
      EmployerContact ec = {.org_id = org, .held_on = day(held, -c->days_ago), .mode = c->mode,
                            .minutes = c->minutes, .note = c->note};
      if ((rc = employer_contact_insert(db, &coach, &ec, now - 86400 * (int64_t)c->days_ago, &id)) != DB_OK)
        return rc;
    }
  }
  return DB_OK;
}

/* ---- placements in progress (issue 13, parts 5 and 6) */

/* The trajectory of the demo participant with this last name into *tid (0: none). Returns a DB code. */
static int demo_trajectory_of(Db *db, const char *last, int64_t *tid) {
  *tid = 0;
  Stmt *st = db_prepare(db, "SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "WHERE p.last_name = ? ORDER BY t.id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, last);
  int rc = db_step(st);
  if (rc == DB_ROW) *tid = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int demo_placements_seed(Db *db, const DemoJobs *j, int64_t now) {
  int64_t marieke, bram, anker = j->employers[2], opening = 0;
  int rc = demo_trajectory_of(db, "Bakker", &marieke);
  if (rc == DB_OK) rc = demo_trajectory_of(db, "Wouters", &bram);
  if (rc != DB_OK) return rc;
  if (!marieke || !bram) return DB_OK;
  for (int i = 0; i < j->n_openings; i++) { /* an opening of Het Anker that offers 24 hours or more */
    int64_t org, hmax;
    if (j->opening_employer[i] == anker && placement_opening(db, j->openings[i], &org, &hmax) == DB_ROW && hmax >= 24)
      opening = j->openings[i];
  }
  int32_t today = date_today();
  char d0[11], d1[11], d2[11], end[11], held[11];
  /* Marieke: a trial placement of eight weeks that started three weeks ago, building up 12 -> 18 -> 24 hours */
  date_format(today - 21, d0);
  date_format(today - 7, d1);
  date_format(today + 7, d2);
  date_format(today - 21 + 56, end);
  PlacementStep steps[] = {{d0, 120}, {d1, 180}, {d2, 240}};
  int64_t trial, eval;
  rc = placement_create(db, &(PlacementNew){.trajectory_id = marieke, .author_id = j->coaches[1],
                                            .created_at = now - 28 * 86400, .employer_org_id = anker,
                                            .opening_id = opening, .kind = "trial", .starts_on = d0, .ends_on = end,
                                            .hours_tenths = 240,
                                            .tasks = "Rondes van de thuiszorg mee plannen, vervangingen zoeken, telefoon "
                                                     "van het planningsteam.",
                                            .buddy = "Greet, planner met 10 jaar ervaring",
                                            .adjustments = "Eigen bureau in een rustige hoek; de eerste weken geen "
                                                           "permanentie aan de telefoon; pauze na twee uur werk.",
                                            .steps = steps, .nsteps = 3},
                        &trial);
  if (rc == DB_OK) rc = placement_mark_started(db, marieke, trial, j->coaches[1], now - 21 * 86400);
  date_format(today - 4, held);
  if (rc == DB_OK)
    rc = placement_eval_create(db, &(PlacementEvalNew){.trajectory_id = marieke, .placement_id = trial,
                                                       .author_id = j->coaches[1], .created_at = now - 4 * 86400,
                                                       .held_on = held,
                                                       .goes_well = "Zorgvuldig en snel ingewerkt in het planningspakket; "
                                                                    "collega's vragen haar al om raad.",
                                                       .to_adjust = "Telefoontjes tussendoor halen haar uit haar "
                                                                    "concentratie: voorlopig enkel plannen in de "
                                                                    "voormiddag.",
                                                       .hours_next_tenths = 180, .decision = "continue"},
                               &eval);
  if (rc != DB_OK) return rc;
  /* Bram: a job start four weeks ago, 19 hours a week, with the job-coaching schedule */
  int32_t start = today - 28;
  date_format(start, d0);
  int64_t job;
  rc = placement_create(db, &(PlacementNew){.trajectory_id = bram, .author_id = j->coaches[0],
                                            .created_at = now - 35 * 86400, .employer_org_id = anker,
                                            .kind = "job", .starts_on = d0, .hours_tenths = 190,
                                            .tasks = "Logistiek assistent: materiaal voor de verzorgenden klaarzetten "
                                                     "en bestellingen opvolgen.",
                                            .buddy = "Ahmed van het magazijn",
                                            .adjustments = "Vaste werkdagen (maandag, dinsdag, donderdag); geen "
                                                           "avondwerk."},
                        &job);
  if (rc == DB_OK) rc = placement_mark_started(db, bram, job, j->coaches[0], now - 28 * 86400);
  int32_t days[12];
  int n = job_coaching_schedule(start, days, 12);
  static const char *const notes[] = {
      "Eerste week goed doorgekomen; moe na de dinsdag. Afgesproken: pauze om 10 uur vast inplannen.",
      "Gesprek met Bram en zijn leidinggevende op het werk: taken duidelijk, tempo haalbaar.",
      "Telefonisch: slaapt beter, voelt zich welkom in het team.",
  };
  static const char *const modes[] = {"visit", "visit", "phone"};
  for (int i = 0; i < n && rc == DB_OK; i++) {
    char due[11];
    date_format(days[i], due);
    int64_t id;
    rc = job_contact_plan(db, &(JobContactNew){.trajectory_id = bram, .placement_id = job, .author_id = j->coaches[0],
                                               .created_at = now - 28 * 86400, .due_on = due,
                                               .with_whom = i == 1 ? "both" : (i < 4 ? "participant" : "both")},
                          &id);
    if (rc == DB_OK && i < 3)
      rc = job_contact_record(db, bram, id, due, modes[i], i == 2 ? 20 : 45, notes[i], j->coaches[0],
                              now - (int64_t)(28 - 7 * (i + 1)) * 86400);
  }
  return rc;
}
