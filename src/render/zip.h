/*
 * zip.h — a small ZIP writer: entries stored without compression (method 0), for downloads made of a few
 * files (the participant's data export). Stored, so that what is in a file can be read in the bytes of the
 * archive too (the access-control matrix test looks for forbidden markers in every response body).
 *
 * Writes the PKWARE APPNOTE layout: per entry a local file header and the data, then the central directory
 * and its end record. Names are UTF-8 (general purpose flag bit 11). No ZIP64: an archive stays below
 * 4 GiB and 65,535 entries (zip_add refuses beyond that). The CRC-32 is the ZIP one (polynomial 0xEDB88320),
 * computed here with a table.
 */
#ifndef ZW_RENDER_ZIP_H
#define ZW_RENDER_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"

typedef struct ZipEntry {
  const char *name;
  uint32_t crc, size, offset;
} ZipEntry;

typedef struct ZipWriter {
  Buf *out;   /* the archive is appended here */
  Arena *a;   /* the entry list lives here */
  size_t base; /* out->len when the archive began */
  uint16_t dos_time, dos_date;
  ZipEntry *entries;
  int n, cap;
  bool failed; /* an entry was refused: zip_end writes nothing more and returns false */
} ZipWriter;

/* Starts an archive appended to out, every entry dated at unix time mtime (UTC: ZIP has no time zone).
 * Allocates the entry list in a. Cannot fail. */
void zip_begin(ZipWriter *z, Buf *out, Arena *a, int64_t mtime);

/* Adds a file name (UTF-8, '/' separates folders, no leading '/') with len bytes of data. Returns false,
 * and marks the archive failed, when the archive would pass the format's limits (4 GiB, 65,535 entries) or
 * name is empty or longer than 65,535 bytes. */
bool zip_add(ZipWriter *z, const char *name, const void *data, size_t len);

/* Writes the central directory and the end record. Returns false when an entry was refused (the archive
 * is then incomplete and must not be sent). */
bool zip_end(ZipWriter *z);

/* The CRC-32 of len bytes at data, as ZIP (and gzip, PNG) compute it. Pure. */
uint32_t zip_crc32(const void *data, size_t len);

#endif
