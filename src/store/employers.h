/*
 * employers.h — the employer register (issue 13, part 1): an employer is an organisation of kind 'employer'
 * with a profile the mediator (a coach) builds up — sector, region, size, work processes and kinds of jobs,
 * culture and pace, the support it can offer (a bit set, below), the one contact person at the employer (a
 * user of that organisation) and the one mediator at our side — and a contact history (visits, calls,
 * information sessions) with date, mode and duration. The register is not case content: it names no
 * participant.
 *
 * Visibility is applied inside: coaches, team leads and administrators read every employer; a partner user
 * whose organisation is an employer reads only their own employer (a list holds at most that one, a load of
 * another employer is DB_DONE, the same as a missing one); anyone else reads nothing. Who may WRITE is
 * policy (policy/employers_policy.h), checked by the caller before calling the write functions here.
 *
 * Texts are copied into the arena given; every function returns a DB code (loads: DB_ROW or DB_DONE).
 */
#ifndef ZW_STORE_EMPLOYERS_H
#define ZW_STORE_EMPLOYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

/* The support an employer can offer, and an opening has possible: bits of employer_profiles.support and
 * openings.support. Labels in pages/jobwords.h. */
enum {
  SUPPORT_GRADUAL_START = 1,
  SUPPORT_ADJUSTED_TASKS = 2,
  SUPPORT_BUDDY = 4,
  SUPPORT_FLEXIBLE_HOURS = 8,
  SUPPORT_ALL = 15,
  SUPPORT_BITS = 4, /* how many bits there are: 1 << 0 .. 1 << (SUPPORT_BITS - 1) */
};

/* The size bands (employer_profiles.size_band), in order; NULL-terminated. */
extern const char *const employer_size_bands[];
/* The contact modes (employer_contacts.mode), in order; NULL-terminated. Labels in pages/jobwords.h. */
extern const char *const employer_contact_modes[];
/* Whether s is one of the size bands / contact modes (NULL: no). Pure. */
bool employer_size_band_valid(const char *s);
bool employer_contact_mode_valid(const char *s);

/* One employer: its organisation and its profile (has_profile false and the profile fields NULL/0 while the
 * mediator has not saved one). Names of the contact person, the mediator and who last edited are joined in.
 * open_openings: its openings with status 'open'. placements: how many placements (trial placements and
 * job starts, issue 13 part 5) there were with this employer — a count, no participant. */
typedef struct Employer {
  int64_t org_id;
  const char *name;
  bool active, has_profile;
  const char *sector, *region, *size_band, *work_processes, *job_kinds, *culture;
  int support;
  int64_t contact_user_id, mediator_user_id, updated_by, updated_at; /* 0: none */
  const char *contact_name, *mediator_name, *updated_by_name;      /* NULL: none */
  int64_t open_openings, placements;
} Employer;

/* One contact with an employer. */
typedef struct EmployerContact {
  int64_t id, org_id, by_user_id, created_at;
  int minutes;
  const char *held_on, *mode, *note, *by_name;
} EmployerContact;

/* A person who can be chosen as contact person (a user of the employer) or as mediator (an active coach). */
typedef struct EmployerPerson {
  int64_t id;
  const char *name, *function;
} EmployerPerson;

/* Employer org_id as u may read it into *out: DB_ROW, or DB_DONE when there is no such employer (also an
 * organisation of another kind) or u may not read it. */
int employer_load(Db *db, Arena *a, const User *u, int64_t org_id, Employer *out);

/* The employers u may read, by name (at most 500), into an arena array. q (NULL or "": all) matches name,
 * sector or region, case-insensitively for ASCII. */
int employers_list(Db *db, Arena *a, const User *u, const char *q, Employer **out, int *n);

/* Writes the profile fields of e (sector .. mediator_user_id) for employer e->org_id, creating the row on
 * the first save, with updated_by u and updated_at now. DB_CONSTRAINT on a bad size band or user id. */
int employer_profile_save(Db *db, const User *u, const Employer *e, int64_t now);

/* The contact history of employer org_id, newest first (at most 200), into an arena array. u must be able
 * to read the employer (the caller loaded it with employer_load). */
int employer_contacts_list(Db *db, Arena *a, const User *u, int64_t org_id, EmployerContact **out, int *n);

/* Records a contact (c->org_id, held_on, mode, minutes, note) made by u; writes the new id. */
int employer_contact_insert(Db *db, const User *u, const EmployerContact *c, int64_t now, int64_t *id);

/* The active users of organisation org_id (candidates for contact person), by name (at most 200). */
int employer_people(Db *db, Arena *a, int64_t org_id, EmployerPerson **out, int *n);

/* The active coaches (candidates for mediator), by name (at most 200). */
int employer_mediators(Db *db, Arena *a, EmployerPerson **out, int *n);

/* Whether user_id is an active user of organisation org_id / an active coach, into *yes. */
int employer_is_person(Db *db, int64_t org_id, int64_t user_id, bool *yes);
int employer_is_mediator(Db *db, int64_t user_id, bool *yes);

/* The organisation id of u when u is a partner whose organisation is an active employer, else 0, into *org. */
int employer_of_user(Db *db, const User *u, int64_t *org);

#endif
