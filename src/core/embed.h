/*
 * embed.h — files compiled into the binary by tools/embed (assets, migrations, translations).
 * Arrays of EmbeddedFile end with an entry whose name is NULL; the data is NUL-terminated.
 */
#ifndef ZW_EMBED_H
#define ZW_EMBED_H

#include <stddef.h>

typedef struct EmbeddedFile {
  const char *name; /* base name, e.g. "style.css" */
  const unsigned char *data;
  size_t len;
} EmbeddedFile;

const EmbeddedFile *embed_find(const EmbeddedFile *files, const char *name);

#endif
