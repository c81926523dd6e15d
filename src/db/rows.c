/*
 * rows.c — see rows.h.
 */
#include "db/rows.h"

#include <string.h>

#include "core/mem.h"

void *db_rows(Arena *a, Stmt *st, size_t size, int max, DbRowMap *map, int *n, int *rc) {
  *n = 0;
  *rc = DB_DONE;
  int cap = max >= 1 && max < 16 ? max : 16; /* grows by doubling past 16, so a large max costs nothing */
  char *v = arena_alloc(a, size * (size_t)cap);
  while ((max < 0 || *n < max) && (*rc = db_step(st)) == DB_ROW) {
    if (*n == cap) { /* full: copy into an array twice as large */
      char *more = arena_alloc(a, size * (size_t)cap * 2);
      memcpy(more, v, size * (size_t)*n);
      v = more;
      cap *= 2;
    }
    map(a, st, v + size * (size_t)(*n)++);
  }
  db_done(st);
  if (*rc == DB_ROW || *rc == DB_DONE) *rc = DB_OK;
  return v;
}
