/*
 * zip.c — see zip.h. Every number in the format is little-endian.
 */
#include "render/zip.h"

#include <string.h>
#include <time.h>

enum {
  ZIP_MAX_ENTRIES = 65535,
  ZIP_VERSION = 20,      /* version needed to extract: 2.0 (folders, stored entries) */
  ZIP_FLAG_UTF8 = 1 << 11,
};

static void put16(Buf *b, uint32_t v) {
  unsigned char c[2] = {(unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff)};
  buf_append(b, c, 2);
}

static void put32(Buf *b, uint32_t v) {
  unsigned char c[4] = {(unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff),
                        (unsigned char)((v >> 16) & 0xff), (unsigned char)((v >> 24) & 0xff)};
  buf_append(b, c, 4);
}

uint32_t zip_crc32(const void *data, size_t len) {
  static uint32_t table[256];
  static bool ready; /* written once with the same values by whichever thread comes first: harmless */
  if (!ready) {
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    __atomic_store_n(&ready, true, __ATOMIC_RELEASE);
  }
  const unsigned char *p = data;
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < len; i++) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void zip_begin(ZipWriter *z, Buf *out, Arena *a, int64_t mtime) {
  *z = (ZipWriter){.out = out, .a = a, .base = out->len, .cap = 16};
  z->entries = arena_alloc(a, sizeof *z->entries * (size_t)z->cap);
  time_t t = (time_t)mtime;
  struct tm tm;
  if (!gmtime_r(&t, &tm) || tm.tm_year < 80) tm = (struct tm){.tm_year = 80, .tm_mday = 1}; /* DOS epoch: 1980 */
  z->dos_time = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  z->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

bool zip_add(ZipWriter *z, const char *name, const void *data, size_t len) {
  size_t nlen = name ? strlen(name) : 0;
  size_t offset = z->out->len - z->base;
  if (z->failed || nlen == 0 || nlen > 0xFFFF || z->n == ZIP_MAX_ENTRIES || len > 0xFFFFFFFEu ||
      offset + 30 + nlen + len > 0xFFFFFFFEu) {
    z->failed = true;
    return false;
  }
  if (z->n == z->cap) {
    ZipEntry *e = arena_alloc(z->a, sizeof *e * (size_t)z->cap * 2);
    memcpy(e, z->entries, sizeof *e * (size_t)z->n);
    z->entries = e;
    z->cap *= 2;
  }
  ZipEntry *e = &z->entries[z->n++];
  *e = (ZipEntry){.name = arena_strdup(z->a, name), .crc = zip_crc32(data, len), .size = (uint32_t)len,
                  .offset = (uint32_t)offset};
  Buf *b = z->out;
  put32(b, 0x04034b50); /* local file header */
  put16(b, ZIP_VERSION);
  put16(b, ZIP_FLAG_UTF8);
  put16(b, 0); /* stored */
  put16(b, z->dos_time);
  put16(b, z->dos_date);
  put32(b, e->crc);
  put32(b, e->size); /* compressed size: the same, stored */
  put32(b, e->size);
  put16(b, (uint32_t)nlen);
  put16(b, 0); /* no extra field */
  buf_append(b, name, nlen);
  if (len) buf_append(b, data, len);
  return true;
}

bool zip_end(ZipWriter *z) {
  if (z->failed) return false;
  Buf *b = z->out;
  size_t cd_start = b->len - z->base;
  for (int i = 0; i < z->n; i++) {
    const ZipEntry *e = &z->entries[i];
    size_t nlen = strlen(e->name);
    put32(b, 0x02014b50); /* central directory header */
    put16(b, (3u << 8) | ZIP_VERSION); /* made by: Unix, 2.0 */
    put16(b, ZIP_VERSION);
    put16(b, ZIP_FLAG_UTF8);
    put16(b, 0);
    put16(b, z->dos_time);
    put16(b, z->dos_date);
    put32(b, e->crc);
    put32(b, e->size);
    put32(b, e->size);
    put16(b, (uint32_t)nlen);
    put16(b, 0); /* extra */
    put16(b, 0); /* comment */
    put16(b, 0); /* disk */
    put16(b, 0); /* internal attributes */
    put32(b, 0100644u << 16); /* external: a regular file, rw-r--r-- */
    put32(b, e->offset);
    buf_append(b, e->name, nlen);
  }
  size_t cd_size = b->len - z->base - cd_start;
  if (b->len - z->base > 0xFFFFFFFEu) return false;
  put32(b, 0x06054b50); /* end of central directory */
  put16(b, 0);
  put16(b, 0);
  put16(b, (uint32_t)z->n);
  put16(b, (uint32_t)z->n);
  put32(b, (uint32_t)cd_size);
  put32(b, (uint32_t)cd_start);
  put16(b, 0); /* no comment */
  return true;
}
