/*
 * totp.h — the second factor: TOTP (RFC 6238, HMAC-SHA1, 6 digits, 30 s steps) through liboath,
 * enrolment QR codes as SVG (libqrencode) and one-time recovery codes.
 */
#ifndef ZW_TOTP_H
#define ZW_TOTP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"
#include "html/html.h"

enum { TOTP_SECRET_B32 = 33, RECOVERY_CODES = 10, RECOVERY_CODE_LEN = 12 };

/* A new random 160-bit secret, base32 (RFC 4648, no padding), NUL-terminated. */
void totp_secret_new(char out[TOTP_SECRET_B32]);

/* The 6-digit code for secret at unix time now. False if the secret is not valid base32. */
bool totp_code(const char *b32secret, int64_t now, char out[7]);

/* Accepts code if it matches the step of now or one step either side AND that step is later than
 * last_step (so each code works once). On success *step gets the matched step (store it as the new
 * last_step). Codes with anything but 6 digits (spaces allowed and ignored) are refused. */
bool totp_verify(const char *b32secret, const char *code, int64_t now, int64_t last_step, int64_t *step);

/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30 (escaped). */
char *totp_uri(Arena *a, const char *issuer, const char *account, const char *b32secret);

/* An SVG image of a QR code for text (which must not be request text shown raw: it is only encoded). */
Markup qr_svg(Arena *a, const char *text);

/* Ten new recovery codes, each "xxxx-xxxx-xxxx" of lowercase letters and digits without look-alikes. */
void recovery_codes_new(char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 3]);
/* Hash of a recovery code as typed (case, spaces and dashes ignored), 64 hex characters + NUL. */
void recovery_code_hash(const char *typed, char out[65]);

#endif
