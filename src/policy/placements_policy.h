/*
 * placements_policy.h — the decisions about placements, evaluation talks and job coaching (issue 13, parts
 * 5 and 6): who records them, and who is told of a placement's events. The visibility of each record is the
 * one rule of policy.h (every record is an item); this file adds nothing to it.
 */
#ifndef ZW_POLICY_PLACEMENTS_H
#define ZW_POLICY_PLACEMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "db/db.h"
#include "policy/policy.h"

/* Placements, their outcome, evaluation talks and job-coaching contacts are recorded by an assigned coach
 * (the evaluation together with the employer); everybody else reads what the one door lets them see. */
bool policy_may_record_placement(Grounds g);

/* Who is told that placement item_id started, ended in a hire or stopped: of the candidate accounts (the
 * trajectory's coaches, the participant, its members' accounts), those who may see the placement itself by
 * the one rule (policy_item on day today) — the coaches, the participant and the members holding the
 * participant's live consent for `work` — except actor. Writes them into an arena array. Returns a DB code. */
int policy_placement_audience(Db *db, Arena *a, int64_t item_id, const char *today, const int64_t *cands, int n,
                              int64_t actor, int64_t **out, int *nout);

#endif
