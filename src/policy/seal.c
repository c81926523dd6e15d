/*
 * seal.c — see seal.h. The seal file is text:
 *
 *   zorgwerk access-log seal 1
 *   keyed_from 1
 *   id 1234
 *   count 1234
 *   hash <64 hex digits>
 *   mac <64 hex digits>
 *
 * The MAC is BLAKE2b-256 keyed with the chain key over a domain label and the four values, each
 * length-prefixed (as entry hashes are, whose first field is always a 64-digit hash, so a seal's MAC input
 * never reads as an entry's).
 */
#include "policy/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"

static const char *path_or_default(const char *set, const char *suffix, char *out, size_t n) {
  if (*set) snprintf(out, n, "%s", set);
  else snprintf(out, n, "%s%s", cfg.db, suffix);
  return out;
}

const char *seal_key_path(char *out, size_t n) { return path_or_default(cfg.audit_key_file, ".key", out, n); }
const char *seal_file_path(char *out, size_t n) { return path_or_default(cfg.audit_seal_file, ".seal", out, n); }

/* Reads at most n - 1 bytes of the regular file at fd into buf, NUL-terminated. Returns the length or -1. */
static ssize_t read_small(int fd, char *buf, size_t n) {
  size_t len = 0;
  while (len < n - 1) {
    ssize_t r = read(fd, buf + len, n - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    len += (size_t)r;
  }
  buf[len] = 0;
  return (ssize_t)len;
}

/* fsyncs the folder holding path, so that a rename or a new file survives a crash. Best effort. */
static void sync_dir(const char *path) {
  char dir[1100];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash) snprintf(dir, sizeof dir, ".");
  else if (slash == dir) dir[1] = 0;
  else *slash = 0;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

KeyStatus seal_key_load(const char *path, unsigned char key[SEAL_KEY_BYTES]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == ENOENT ? KEY_MISSING : KEY_UNREADABLE;
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    return KEY_UNREADABLE;
  }
  if (sb.st_mode & 077) {
    close(fd);
    return KEY_OPEN;
  }
  char buf[160];
  ssize_t len = read_small(fd, buf, sizeof buf);
  close(fd);
  if (len < 0) return KEY_UNREADABLE;
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) buf[--len] = 0;
  size_t got = 0;
  bool ok = len == 2 * SEAL_KEY_BYTES &&
            sodium_hex2bin(key, SEAL_KEY_BYTES, buf, (size_t)len, NULL, &got, NULL) == 0 && got == SEAL_KEY_BYTES;
  sodium_memzero(buf, sizeof buf);
  return ok ? KEY_OK : KEY_MALFORMED;
}

KeyStatus seal_key_create(const char *path, unsigned char key[SEAL_KEY_BYTES]) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno == EEXIST ? KEY_EXISTS : KEY_UNREADABLE;
  randombytes_buf(key, SEAL_KEY_BYTES);
  char hex[2 * SEAL_KEY_BYTES + 2];
  sodium_bin2hex(hex, sizeof hex - 1, key, SEAL_KEY_BYTES);
  size_t len = strlen(hex);
  hex[len++] = '\n';
  bool ok = fchmod(fd, 0600) == 0 && write(fd, hex, len) == (ssize_t)len && fsync(fd) == 0;
  sodium_memzero(hex, sizeof hex);
  if (close(fd) != 0) ok = false;
  if (!ok) {
    unlink(path);
    return KEY_UNREADABLE;
  }
  sync_dir(path);
  return KEY_OK;
}

const char *seal_key_problem(KeyStatus st) {
  switch (st) {
    case KEY_OK: return "ok";
    case KEY_MISSING: return "does not exist";
    case KEY_UNREADABLE: return "cannot be read (or written) by this user";
    case KEY_OPEN: return "may be read or changed by other users: make it readable only by the service user "
                          "(chmod 600)";
    case KEY_MALFORMED: return "does not hold a key (64 hexadecimal digits)";
    case KEY_EXISTS: return "already exists";
  }
  return "?";
}

static void mac_feed(crypto_generichash_state *s, const char *v) {
  char len[24];
  size_t n = strlen(v);
  snprintf(len, sizeof len, "%zu:", n);
  crypto_generichash_update(s, (const unsigned char *)len, strlen(len));
  crypto_generichash_update(s, (const unsigned char *)v, n);
}

static void mac_feed_int(crypto_generichash_state *s, int64_t v) {
  char num[24];
  snprintf(num, sizeof num, "%" PRId64, v);
  mac_feed(s, num);
}

static void seal_mac(const unsigned char key[SEAL_KEY_BYTES], const Seal *s, char out[65]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key, SEAL_KEY_BYTES, 32);
  mac_feed(&st, "zorgwerk access-log seal 1");
  mac_feed_int(&st, s->keyed_from);
  mac_feed_int(&st, s->id);
  mac_feed_int(&st, s->count);
  mac_feed(&st, s->hash);
  unsigned char h[32];
  crypto_generichash_final(&st, h, sizeof h);
  sodium_bin2hex(out, 65, h, sizeof h);
}

static bool is_hex64(const char *s) {
  if (strlen(s) != 64) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
  return true;
}

SealStatus seal_read(const char *path, const unsigned char key[SEAL_KEY_BYTES], Seal *s) {
  memset(s, 0, sizeof *s);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? SEAL_MISSING : SEAL_UNREADABLE;
  char buf[512];
  ssize_t len = read_small(fd, buf, sizeof buf);
  close(fd);
  if (len < 0) return SEAL_UNREADABLE;
  long long kf, id, count;
  char hash[80], mac[80], want[65];
  int n = 0;
  if (sscanf(buf, "zorgwerk access-log seal 1\nkeyed_from %lld\nid %lld\ncount %lld\nhash %79s\nmac %79s\n%n",
             &kf, &id, &count, hash, mac, &n) != 5 || n != (int)len)
    return SEAL_INVALID;
  if (kf < 1 || id < 0 || count < 0 || !is_hex64(hash) || !is_hex64(mac)) return SEAL_INVALID;
  *s = (Seal){.keyed_from = kf, .id = id, .count = count};
  memcpy(s->hash, hash, sizeof s->hash); /* 64 digits and the NUL: checked above */
  seal_mac(key, s, want);
  if (sodium_memcmp(want, mac, 64) != 0) {
    memset(s, 0, sizeof *s);
    return SEAL_INVALID;
  }
  return SEAL_OK;
}

bool seal_write(const char *path, const unsigned char key[SEAL_KEY_BYTES], const Seal *s) {
  char tmp[1200], mac[65], text[512];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  seal_mac(key, s, mac);
  int len = snprintf(text, sizeof text,
                     "zorgwerk access-log seal 1\nkeyed_from %" PRId64 "\nid %" PRId64 "\ncount %" PRId64
                     "\nhash %s\nmac %s\n",
                     s->keyed_from, s->id, s->count, s->hash, mac);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  bool ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    unlink(tmp);
    errno = saved;
  }
  return ok;
}

void seal_remove(const char *path) {
  if (unlink(path) == 0) sync_dir(path);
}
