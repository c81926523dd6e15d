/*
 * messages_policy.c — see messages_policy.h.
 */
#include "policy/messages_policy.h"

bool policy_message_hub(Grounds g) { return g == GROUNDS_COACH; }

bool policy_may_send_message(Grounds g) { return g == GROUNDS_COACH || g == GROUNDS_SELF || g == GROUNDS_MEMBER; }

bool policy_message_from_membership(Grounds g) { return g == GROUNDS_MEMBER; }

bool policy_message_writer_is_participant(Grounds g) { return g == GROUNDS_SELF; }

bool policy_may_withdraw_message(const User *u, int64_t author_id) { return u && author_id == u->id; }

Grounds policy_inbox_grounds(const User *u, const InboxRow *row) {
  if ((u->roles & ROLE_COACH) && row->coach) return GROUNDS_COACH;
  if ((u->roles & ROLE_PARTICIPANT) && row->participant_self) return GROUNDS_SELF;
  if (row->member) return GROUNDS_MEMBER;
  return GROUNDS_NONE;
}
