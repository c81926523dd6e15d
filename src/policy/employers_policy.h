/*
 * employers_policy.h — who may see and change what of the employer register and its openings (issue 13,
 * parts 1 and 2). The register is not case content (it names no participant), but it is not public either:
 *
 * - coaches and team leads read the whole register (every employer's profile, openings and contact
 *   history); coaches change it (profiles, contacts, openings); team leads only read;
 * - a partner user whose organisation is an employer reads and changes that one employer's profile and
 *   openings — never another employer's (the store does not even return those), and never the mediator at
 *   our side, never the contact history (the mediator's notes about the employer);
 * - everybody else (participants, care partners, administrators, log officers) reads nothing of it.
 *
 * Participants never appear in the register; what of a participant an employer may see (job profile,
 * proposals) is the consent rule of policy.h, decided where those are shown.
 * Pure functions of the user and the employer's organisation id; no I/O.
 */
#ifndef ZW_POLICY_EMPLOYERS_H
#define ZW_POLICY_EMPLOYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"

/* May read the whole register (/employers, every employer and opening). */
bool policy_employer_register(const User *u);

/* May read employer org_id's profile and openings: the register's readers, or a partner of that employer
 * (own_org: the employer of u, store/employers.h employer_of_user; 0 when none). */
bool policy_employer_read(const User *u, int64_t own_org, int64_t org_id);

/* May change employer org_id's profile and add or change its openings: a coach, or a partner of that
 * employer. */
bool policy_employer_edit(const User *u, int64_t own_org, int64_t org_id);

/* May choose the mediator at our side, and read and add to the contact history: a coach (the contact
 * history is read by team leads too: policy_employer_contacts_read). */
bool policy_employer_mediate(const User *u);
bool policy_employer_contacts_read(const User *u);

#endif
