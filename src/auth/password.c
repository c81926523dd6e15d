/*
 * password.c — password hashing (argon2id through libsodium) and the password policy.
 *
 * Hashes are PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") produced by
 * crypto_pwhash_str_alg with the OWASP minimum cost (t=2, m=19 MiB). The policy follows NIST
 * SP 800-63B: only length (12..128 code points), valid text, the list of common passwords compiled into
 * the binary (assets/common-passwords.txt) and the account's own e-mail local part or name count.
 *
 * Long-lived state: the sorted common-password list, built once (pthread_once) on first use and owned by
 * this module for the life of the process.
 */
#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "i18n/i18n.h"

extern const EmbeddedFile assets[];

enum {
  PW_MIN_CHARS = 12,
  PW_MAX_CHARS = 128,
  PW_MAX_BYTES = PW_MAX_CHARS * 4, /* UTF-8 needs at most 4 bytes per code point */
  PW_TOKEN_MIN = 4,                /* shortest part of an e-mail local part or name that counts */
  PW_WHOLE_MIN = 3,                /* shortest whole local part or name that counts */
};

#define PW_OPSLIMIT 2ULL
#define PW_MEMLIMIT ((size_t)19 * 1024 * 1024)
#define PW_PREFIX "$argon2id$"

/* A real hash of a random, forgotten password with the same cost as password_hash uses, so that
 * password_verify_dummy does the same work as a real verification. */
static const char DUMMY_HASH[] =
    "$argon2id$v=19$m=19456,t=2,p=1$pYsOcguRhwKUSYAyCIlL7Q$3s3O4p0jrDAPtgdNLMo9vAobzbd2yT7HKOT3pqVd22k";

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "PASSWORD_HASH_MAX too small");

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;
static bool sodium_ok;
static char **common_words; /* sorted with strcmp, lowercase; owned by this module, never freed */
static size_t common_count;

/* Initialises libsodium once. Records the outcome in sodium_ok and logs a failure. */
static void password_sodium_init(void) {
  sodium_ok = sodium_init() >= 0;
  if (!sodium_ok) log_error("password: libsodium initialisation failed");
}

/* Makes sure libsodium is initialised; false if it could not be. */
static bool password_ready(void) {
  pthread_once(&sodium_once, password_sodium_init);
  return sodium_ok;
}

/* ASCII lowercase of one byte; other bytes unchanged. Cannot fail. */
static unsigned char password_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* qsort/bsearch comparator for arrays of char *. */
static int password_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Builds the sorted common-password list from the embedded asset: one entry a line, lowercased, empty
 * lines and lines starting with '#' skipped, CR stripped. Allocates the copy and the index with xmalloc
 * (never freed). If the asset is missing the list stays empty and a warning is logged. */
static void password_common_load(void) {
  const EmbeddedFile *f = embed_find(assets, "common-passwords.txt");
  if (!f) {
    log_warn("password: common-passwords.txt is not embedded; common-password check disabled");
    return;
  }
  char *copy = xmalloc(f->len + 1);
  size_t lines = 1;
  for (size_t i = 0; i < f->len; i++) {
    copy[i] = (char)password_lower(f->data[i]);
    if (copy[i] == '\n') lines++;
  }
  copy[f->len] = '\0';
  common_words = xcalloc(lines, sizeof *common_words);
  char *p = copy;
  while (*p) {
    char *nl = strchr(p, '\n');
    char *next = nl ? nl + 1 : p + strlen(p);
    if (nl) *nl = '\0';
    size_t n = strlen(p);
    if (n && p[n - 1] == '\r') p[--n] = '\0';
    if (n && p[0] != '#') common_words[common_count++] = p;
    p = next;
  }
  qsort(common_words, common_count, sizeof *common_words, password_cmp);
}

/* True if the lowercase password lower is on the common list. Builds the list on first use. */
static bool password_is_common(const char *lower) {
  pthread_once(&common_once, password_common_load);
  if (!common_count) return false;
  return bsearch(&lower, common_words, common_count, sizeof *common_words, password_cmp) != NULL;
}

/* True if needle[0..nn) occurs in hay[0..hn) ignoring ASCII case. Does not allocate. */
static bool password_contains_ci(const char *hay, size_t hn, const char *needle, size_t nn) {
  if (nn == 0 || nn > hn) return false;
  for (size_t i = 0; i + nn <= hn; i++) {
    size_t k = 0;
    while (k < nn && password_lower((unsigned char)hay[i + k]) == password_lower((unsigned char)needle[k]))
      k++;
    if (k == nn) return true;
  }
  return false;
}

/* True if the ASCII byte c separates the parts of a name or e-mail local part (anything that is not a
 * letter or digit; bytes of multi-byte characters never separate). */
static bool password_is_sep(unsigned char c) {
  return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

/* True if pw (pn bytes) contains the account text s[0..n): the whole of it when at least PW_WHOLE_MIN
 * bytes, the whole of it without separators, or any separator-delimited part of at least PW_TOKEN_MIN
 * bytes. Does not allocate (the separator-free copy is truncated to the password's length, beyond which
 * it cannot be contained anyway). */
static bool password_contains_account(const char *pw, size_t pn, const char *s, size_t n) {
  if (n >= PW_WHOLE_MIN && password_contains_ci(pw, pn, s, n)) return true;
  char joined[PW_MAX_BYTES + 2];
  size_t jn = 0;
  bool joined_fits = true;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && !password_is_sep((unsigned char)s[i])) {
      if (jn < sizeof joined) joined[jn++] = s[i];
      else joined_fits = false;
      continue;
    }
    if (i - start >= PW_TOKEN_MIN && password_contains_ci(pw, pn, s + start, i - start)) return true;
    start = i + 1;
  }
  return joined_fits && jn >= PW_WHOLE_MIN && jn != n && password_contains_ci(pw, pn, joined, jn);
}

/* Hashes pw with argon2id (t=2, m=19 MiB) into out as a PHC string. Needs 19 MiB for the duration;
 * returns false if libsodium cannot be initialised or the memory cannot be had. */
bool password_hash(const char *pw, char out[PASSWORD_HASH_MAX]) {
  if (!pw || !password_ready()) return false;
  return crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT, PW_MEMLIMIT,
                               crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* Verifies pw against an argon2id PHC string. False for NULL arguments, anything that is not an
 * argon2id string NUL-terminated within PASSWORD_HASH_MAX bytes, or a mismatch. Allocates only
 * libsodium's temporary argon2 memory. */
bool password_verify(const char *hash, const char *pw) {
  if (!hash || !pw || !password_ready()) return false;
  /* Only our own argon2id strings, NUL-terminated within the stored size. */
  size_t n = strnlen(hash, PASSWORD_HASH_MAX);
  if (n >= PASSWORD_HASH_MAX) return false;
  if (strncmp(hash, PW_PREFIX, strlen(PW_PREFIX)) != 0) return false;
  /* libsodium's prototype takes a full crypto_pwhash_STRBYTES buffer: hand it a zero-padded copy. */
  char full[PASSWORD_HASH_MAX] = {0};
  memcpy(full, hash, n);
  return crypto_pwhash_str_verify(full, pw, strlen(pw)) == 0;
}

/* Runs a full verification against DUMMY_HASH and discards the result. Cannot fail. */
void password_verify_dummy(const char *pw) { (void)password_verify(DUMMY_HASH, pw ? pw : ""); }

/* Applies the policy in this order: text, length in code points, common list, account text.
 * Allocates nothing per call (the common list is built once on first use). */
PwCheck password_check(const char *pw, const char *email, const char *name) {
  if (!pw) return PW_BAD_TEXT;
  size_t n = strlen(pw);
  if (!text_valid(pw, n)) return PW_BAD_TEXT;
  for (size_t i = 0; i < n; i++) /* text_valid lets tab, LF and CR through; a password holds none */
    if ((unsigned char)pw[i] < 0x20) return PW_BAD_TEXT;
  size_t chars = text_chars(pw);
  if (chars < PW_MIN_CHARS) return PW_TOO_SHORT;
  if (chars > PW_MAX_CHARS) return PW_TOO_LONG;

  char lower[PW_MAX_BYTES + 1]; /* n <= 4 * 128 bytes since the text is valid UTF-8 */
  for (size_t i = 0; i < n; i++) lower[i] = (char)password_lower((unsigned char)pw[i]);
  lower[n] = '\0';
  bool common = password_is_common(lower);
  sodium_memzero(lower, sizeof lower);
  if (common) return PW_COMMON;

  if (email) {
    const char *at = strrchr(email, '@');
    size_t local = at ? (size_t)(at - email) : strlen(email);
    if (password_contains_account(pw, n, email, local)) return PW_LIKE_ACCOUNT;
  }
  if (name && password_contains_account(pw, n, name, strlen(name))) return PW_LIKE_ACCOUNT;
  return PW_OK;
}

/* Static English message for c, marked for translation. Never NULL. */
const char *password_check_message(PwCheck c) {
  switch (c) {
  case PW_OK: return N_("The password meets the requirements.");
  case PW_TOO_SHORT: return N_("The password must be at least 12 characters long.");
  case PW_TOO_LONG: return N_("The password may be at most 128 characters long.");
  case PW_COMMON: return N_("This password is too common. Choose another one.");
  case PW_LIKE_ACCOUNT: return N_("The password must not contain your e-mail address or name.");
  case PW_BAD_TEXT: return N_("The password contains characters that cannot be used.");
  }
  return N_("The password cannot be used.");
}
