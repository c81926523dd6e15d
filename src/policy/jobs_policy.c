/*
 * jobs_policy.c — see jobs_policy.h.
 */
#include "policy/jobs_policy.h"

#include <string.h>

bool policy_may_edit_job_profile(Grounds g) { return g == GROUNDS_COACH; }
bool policy_may_edit_own_words(Grounds g) { return g == GROUNDS_SELF; }
bool policy_may_match(Grounds g) { return g == GROUNDS_COACH; }
bool policy_may_answer_proposal(Grounds g) { return g == GROUNDS_SELF; }

const char *const proposal_categories[] = {"work", "capacity", NULL};

bool policy_employer_sees_proposal(int64_t user_org, int64_t employer_org, const char *status, bool sees_profile) {
  if (user_org <= 0 || user_org != employer_org || !sees_profile || !status) return false;
  return strcmp(status, "sent") == 0 || strcmp(status, "accepted") == 0 || strcmp(status, "declined_by_employer") == 0;
}
