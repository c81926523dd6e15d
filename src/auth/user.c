/*
 * user.c — see user.h: the role codes, the login name's form and who must use a second factor.
 */
#include "auth/user.h"

#include <ctype.h>
#include <string.h>

#include "core/config.h"

/* The role codes, as typed on the command line and sent by the administrator's form. */
static const struct {
  const char *code;
  unsigned bit;
} role_codes[] = {
    {"admin", ROLE_ADMIN},           {"coach", ROLE_COACH},     {"teamlead", ROLE_TEAMLEAD},
    {"participant", ROLE_PARTICIPANT}, {"partner", ROLE_PARTNER}, {"logofficer", ROLE_LOGOFFICER},
    {"programme", ROLE_PROGRAMME},
};

unsigned role_from_code(const char *code) {
  if (!code) return 0;
  for (size_t i = 0; i < sizeof role_codes / sizeof *role_codes; i++)
    if (strcmp(role_codes[i].code, code) == 0) return role_codes[i].bit;
  return 0;
}

const char *role_code(unsigned bit) {
  for (size_t i = 0; i < sizeof role_codes / sizeof *role_codes; i++)
    if (role_codes[i].bit == bit) return role_codes[i].code;
  return NULL;
}

unsigned roles_parse(const char *list) {
  if (!list || !*list) return 0;
  unsigned roles = 0;
  for (const char *p = list;;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 0) { /* empty elements are skipped, as strtok would */
      char code[16];
      if (n >= sizeof code) return 0;
      memcpy(code, p, n);
      code[n] = '\0';
      unsigned bit = role_from_code(code);
      if (!bit) return 0;
      roles |= bit;
    }
    if (!end) return roles;
    p = end + 1;
  }
}

char *user_email_fold(char *email) {
  for (char *p = email; *p; p++) *p = (char)tolower((unsigned char)*p);
  return email;
}

bool user_mfa_required(unsigned roles) { return cfg.totp_everyone || (roles & ROLE_MFA_REQUIRED); }
