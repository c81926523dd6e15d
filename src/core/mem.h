/*
 * mem.h — allocation that aborts on failure, a per-request arena and a growable buffer.
 *
 * Every allocation in zorgwerk goes through these: xmalloc and friends never return NULL (the process
 * aborts with a message instead, which is the only sane answer to out-of-memory in a server), the arena
 * owns everything a request allocates and frees it in one go after the response, and Buf collects output.
 */
#ifndef ZW_MEM_H
#define ZW_MEM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);                 /* never NULL; aborts on failure */
void *xcalloc(size_t n, size_t size);    /* zeroed; aborts on failure or overflow */
void *xrealloc(void *p, size_t n);       /* aborts on failure */
char *xstrdup(const char *s);            /* copy of s, or NULL if s is NULL */

/* Arena: bump allocator freed as a whole. Not thread-safe: one arena per request. */
typedef struct Arena Arena;
Arena *arena_new(void);                                  /* allocates; free with arena_free */
void arena_free(Arena *a);                               /* frees every block; a may be NULL */
void *arena_alloc(Arena *a, size_t n);                   /* zeroed, 16-byte aligned, never NULL */
char *arena_strdup(Arena *a, const char *s);             /* NULL stays NULL */
char *arena_strndup(Arena *a, const char *s, size_t n);  /* copies n bytes and adds a NUL */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
size_t arena_used(const Arena *a);                       /* bytes handed out so far */

/* Buf: growable byte buffer, always NUL-terminated after the first append. */
typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;
void buf_append(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(Buf *b);   /* len = 0, keeps the memory */
void buf_free(Buf *b);    /* releases the memory; b is empty and reusable afterwards */

#endif
