/*
 * messages_policy.h — the decisions of secure messages (issue 12, part 1) that the messages page used to take
 * itself: who reads every message of a trajectory (its hub), who may write one and as whose information, who
 * may withdraw one, and the grounds the inbox names per conversation. Who may read a single message is the
 * visibility rule (policy.h, POLICY_SQL_ITEM_VISIBLE) plus author, recipients and hub (store/messages.h).
 * Pure functions: no I/O.
 */
#ifndef ZW_POLICY_MESSAGES_POLICY_H
#define ZW_POLICY_MESSAGES_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "policy/policy.h"
#include "store/messages.h"

/* Whether a reader with grounds g on a trajectory reads every message of it that the rule allows, not only
 * the ones they wrote or received: its assigned coaches (and stand-ins), the hub of the conversation. */
bool policy_message_hub(Grounds g);

/* Whether a reader with grounds g on a trajectory may write messages in it: its coaches, its participant and
 * its live network members. */
bool policy_may_send_message(Grounds g);

/* Whether the messages of a writer with grounds g are their own membership's information (a network member);
 * otherwise they are the participant's (the participant writes about themselves, a coach about the
 * participant). */
bool policy_message_from_membership(Grounds g);

/* Whether the writer with grounds g is the participant (whose coach always reads along). */
bool policy_message_writer_is_participant(Grounds g);

/* Whether u may withdraw the message written by author_id: its author only. */
bool policy_may_withdraw_message(const User *u, int64_t author_id);

/* The grounds u has on the trajectory of an inbox row, from the standing the row carries (read with it,
 * store/messages.h), in the order policy_trajectory decides: coach, then the participant, then a member. */
Grounds policy_inbox_grounds(const User *u, const InboxRow *row);

#endif
