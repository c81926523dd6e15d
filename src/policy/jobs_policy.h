/*
 * jobs_policy.h — the decisions of the job side of a trajectory (issue 13, parts 3 and 4): who writes which
 * part of the job profile, who matches and proposes, who answers a proposal, and what an employer's user
 * may see of one. Reading the profile's parts is the visibility rule itself (policy_item through
 * items_disclose): these functions decide only what the rule does not.
 */
#ifndef ZW_POLICY_JOBS_POLICY_H
#define ZW_POLICY_JOBS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"

/* The structured wishes and the coach's words are written by an assigned coach only. */
bool policy_may_edit_job_profile(Grounds g);
/* The participant's own words are written by the participant only (nobody writes in someone's own words). */
bool policy_may_edit_own_words(Grounds g);
/* Matching a participant against the openings and proposing them to an employer: an assigned coach (the
 * mediator) only. */
bool policy_may_match(Grounds g);
/* A proposal is answered by the participant whose trajectory it is, in the portal, before the employer sees
 * anything. */
bool policy_may_answer_proposal(Grounds g);
/* The categories a proposal shares with the employer: the job profile's 'work' and 'capacity' — never
 * 'health' (the legal guardrail: policy_consent_allowed is asked as well). NULL-terminated. */
extern const char *const proposal_categories[];
/* Whether an employer's user may see a proposal: the user belongs to the proposal's employer
 * (user_org == employer_org, both > 0), the proposal went to the employer (status sent, accepted or
 * declined_by_employer) and the user sees at least one part of the profile through the one door
 * (sees_profile: items_disclose let one through — withdrawing the consent hides the proposal at once). */
bool policy_employer_sees_proposal(int64_t user_org, int64_t employer_org, const char *status, bool sees_profile);
/* A candidate count for an opening is shown as a number only from this many participants on; fewer are
 * "fewer than 5", so that nobody is singled out. */
enum { POLICY_COUNT_MIN = 5 };

#endif
