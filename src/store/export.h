/*
 * export.h — the participant's own data (GDPR art. 15 and 20) as JSON: everything the portal holds about the
 * signed-in participant that they may see, per trajectory, in the layout doc/data-export.md describes (and
 * assets/data-export.schema.json checks). Rows are mapped into JSON objects here, one function per row kind,
 * so the schema has one place in the code.
 *
 * What "may see" means is the one rule: items through POLICY_SQL_ITEM_VISIBLE (messages also only where the
 * participant wrote or received them), people through the membership rule (the participant sees every member
 * of her own network and her coaches). The caller still discloses the items (items_disclose_kinds) and
 * withholds any the rule in C refuses (export_withhold). The access log and the page's own texts are added by
 * the caller (pages/data_export.c).
 */
#ifndef ZW_STORE_EXPORT_H
#define ZW_STORE_EXPORT_H

#include <stdint.h>

#include <jansson.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

#define EXPORT_SCHEMA_VERSION 1

/* An item placed in the export, for the disclosure check. */
typedef struct ExportItem {
  int64_t id, trajectory_id;
  const char *kind;  /* items.kind */
  json_t *array;     /* the array holding it (borrowed) */
  json_t *obj;       /* its object (borrowed) */
} ExportItem;

typedef struct ExportTrajectory {
  int64_t id;
  int first_item, nitems; /* its items in Export.items */
} ExportTrajectory;

typedef struct Export {
  json_t *root;    /* owned: json_decref when done */
  int64_t pid;     /* participants.id; 0: the account is nobody's participant (root is then NULL) */
  ExportTrajectory *trajectories; /* arena array */
  int ntrajectories;
  ExportItem *items; /* arena array */
  int nitems;
} Export;

/* Collects the data of the participant whose account is u, as the rule lets u see it on day today
 * (YYYY-MM-DD), into *x (x->root a new JSON object; x->pid 0 and no root when u is nobody's participant).
 * Allocates the lists in a and the JSON with jansson. Returns a DB code; on an error nothing is kept. */
int export_collect(Db *db, Arena *a, const User *u, const char *today, Export *x);

/* Removes item i from the export (the rule in C refused what the SQL let through). Cannot fail. */
void export_withhold(Export *x, int i);

/* ISO 8601 UTC text of unix time t ("2026-12-05T14:33:00Z") in a. */
const char *export_time(Arena *a, int64_t t);

#endif
