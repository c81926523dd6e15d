/*
 * employers_policy.c — see employers_policy.h.
 */
#include "policy/employers_policy.h"

bool policy_employer_register(const User *u) { return (u->roles & (ROLE_COACH | ROLE_TEAMLEAD)) != 0; }

bool policy_employer_read(const User *u, int64_t own_org, int64_t org_id) {
  if (org_id <= 0) return false;
  if (policy_employer_register(u)) return true;
  return (u->roles & ROLE_PARTNER) && own_org > 0 && own_org == org_id && u->org_id == org_id;
}

bool policy_employer_edit(const User *u, int64_t own_org, int64_t org_id) {
  if (org_id <= 0) return false;
  if (u->roles & ROLE_COACH) return true;
  return (u->roles & ROLE_PARTNER) && own_org > 0 && own_org == org_id && u->org_id == org_id;
}

bool policy_employer_mediate(const User *u) { return (u->roles & ROLE_COACH) != 0; }

bool policy_employer_contacts_read(const User *u) { return (u->roles & (ROLE_COACH | ROLE_TEAMLEAD)) != 0; }
