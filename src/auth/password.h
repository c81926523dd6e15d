/*
 * password.h — password hashing (argon2id via libsodium) and the password policy.
 *
 * Policy (NIST SP 800-63B / OWASP): at least 12 and at most 128 characters (code points), any
 * characters, no composition rules, refused when on the list of common passwords (assets/
 * common-passwords.txt, compared case-insensitively) or when it contains the account's e-mail
 * local part or name.
 */
#ifndef ZW_PASSWORD_H
#define ZW_PASSWORD_H

#include <stdbool.h>

enum { PASSWORD_HASH_MAX = 128 };

/* argon2id, t=2, m=19 MiB (OWASP minimum). Writes a NUL-terminated PHC string into out.
 * Returns false only if memory for the hash cannot be had. May take ~50 ms; call outside transactions. */
bool password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* True if pw matches hash. False for a malformed hash. Constant time with respect to pw. */
bool password_verify(const char *hash, const char *pw);
/* Verifies against a fixed dummy hash so that a login for an unknown account costs the same. */
void password_verify_dummy(const char *pw);

typedef enum {
  PW_OK = 0,
  PW_TOO_SHORT,
  PW_TOO_LONG,
  PW_COMMON,
  PW_LIKE_ACCOUNT,
  PW_BAD_TEXT, /* not valid UTF-8 or holds control characters */
} PwCheck;

/* Checks pw against the policy; email and name may be NULL. */
PwCheck password_check(const char *pw, const char *email, const char *name);
/* English message for a check result, to be passed through _() by the caller. */
const char *password_check_message(PwCheck c);

#endif
