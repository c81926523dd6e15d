/*
 * flash.c — see flash.h.
 */
#include "http/flash.h"

#include <stddef.h>
#include <string.h>

#include "i18n/i18n.h"

static const struct {
  const char *key, *msg;
} flashes[] = {
    {"saved", N_("Saved.")},
    {"created", N_("Created.")},
    {"registered", N_("The participant is registered and the trajectory has started.")},
    {"logged_out", N_("You are signed out.")},
    {"password_changed", N_("Your password is changed. Other sessions have been signed out.")},
    {"mfa_enabled", N_("Two-step verification is on.")},
    {"disabled", N_("The account is deactivated and its sessions are ended.")},
    {"enabled", N_("The account is active again.")},
    {"unlocked", N_("The account is unlocked.")},
    {"lang", N_("Language changed.")},
    {"expired", N_("Your session has ended. Please sign in again.")},
};

/* The table's entry for key, or -1. */
static int flash_find(const char *key) {
  for (size_t i = 0; key && i < sizeof flashes / sizeof *flashes; i++)
    if (strcmp(flashes[i].key, key) == 0) return (int)i;
  return -1;
}

const char *flash_key(const char *key) {
  int i = flash_find(key);
  return i < 0 ? NULL : flashes[i].key;
}

const char *flash_message(const char *key) {
  int i = flash_find(key);
  return i < 0 ? NULL : flashes[i].msg;
}
