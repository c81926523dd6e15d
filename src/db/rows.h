/*
 * rows.h — reading a statement's rows into an arena array, the one loop every list function of the store
 * uses. Driver-neutral: built on db.h only, so it serves every driver.
 */
#ifndef ZW_DB_ROWS_H
#define ZW_DB_ROWS_H

#include <stddef.h>

#include "db/db.h"

/* Maps the current row of st into the element at elem; text kept goes into arena a (db_text_copy). */
typedef void DbRowMap(Arena *a, Stmt *st, void *elem);

/* db_rows' max for "every row". */
#define DB_ROWS_ALL (-1)

/* Steps the bound statement st and maps each row through map into an arena array of elements of size
 * bytes, at most max rows (DB_ROWS_ALL: all of them; the array grows as rows come), then finishes st
 * (db_done). Returns the array (never NULL; zeroed) with *n elements, and sets *rc to DB_OK or the
 * DB code of the failed step (the rows read before it are returned). Allocates in a. */
void *db_rows(Arena *a, Stmt *st, size_t size, int max, DbRowMap *map, int *n, int *rc);

#endif
