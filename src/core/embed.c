/*
 * embed.c — lookup in embedded file arrays.
 */
#include "core/embed.h"

#include <string.h>

const EmbeddedFile *embed_find(const EmbeddedFile *files, const char *name) {
  for (const EmbeddedFile *f = files; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}
