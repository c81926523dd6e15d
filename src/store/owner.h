/*
 * owner.h — whose file an object of a trajectory is in: the trajectory and participant that a case item,
 * protocol step, consent or network member belongs to, whatever trajectory a URL named. A refused request
 * for an object is logged against that participant (or against nobody when the object does not exist),
 * so that a wrong or guessed URL neither puts a refusal on somebody else's file nor hides the attempt
 * from the person whose object it was.
 */
#ifndef ZW_STORE_OWNER_H
#define ZW_STORE_OWNER_H

#include <stdint.h>

#include "db/db.h"

typedef enum OwnerKind {
  OWNER_ITEM,    /* items.id: a note, plan version, assessment, referral or follow-up (deleted ones too) */
  OWNER_STEP,    /* trajectory_steps.id: a step of a trajectory's protocol */
  OWNER_CONSENT, /* consents.id */
  OWNER_MEMBER,  /* network_members.id (removed ones too) */
  OWNER_PROPOSAL, /* proposals.id: a proposal of the participant to an employer (issue 13) */
  OWNER_MEETING, /* meetings.id: a meeting of a trajectory (issue 12) */
} OwnerKind;

/* The trajectory and participant object id of kind belongs to, into *tid and *pid; both 0 when there is
 * no such object. Returns a DB code (DB_OK also when there is none). */
int owner_of(Db *db, OwnerKind kind, int64_t id, int64_t *tid, int64_t *pid);

#endif
