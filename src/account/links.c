/*
 * links.c — see links.h.
 */
#include "account/links.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/log.h"
#include "mail/outbox.h"
#include "policy/audit.h"
#include "store/notices.h"

/* Writes an access-log entry on item "account:<user_id>" for r's user, or for the command line (r NULL).
 * grounds is the link's purpose. Returns a DB code. */
static int link_audit(Db *db, Req *r, int64_t user_id, const char *action, const char *outcome,
                      const char *purpose) {
  char item[40];
  snprintf(item, sizeof item, "account:%lld", (long long)user_id);
  AuditEntry e = {.item = item, .action = action, .outcome = outcome, .grounds = purpose};
  if (r) return audit_write(r, &e);
  return audit_append(db, 0, "cli", NULL, NULL, &e);
}

/* ---- the kept token, sealed ----
 * A live link keeps its token only sealed, as "box1:" and base64url (no padding) of nonce || secretbox(token):
 * libsodium crypto_secretbox (XSalsa20-Poly1305) under a subkey of the access log's chain key (audit.h;
 * the key file is kept outside the database), so that a copy of the database, or of a backup, holds no
 * link that works. The link is found by its hash only; the box serves to show its creator the same link
 * again, and is opened only when the token inside hashes to the row's token_hash. */

enum {
  BOX_RAW = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOKEN_LEN,
  BOX_B64 = (BOX_RAW * 4 + 2) / 3, /* base64 without padding */
  BOX_TEXT = 5 + BOX_B64 + 1,      /* "box1:" ... NUL */
};
static const char BOX_PREFIX[] = "box1:";

/* The links' subkey of the chain key; false when the key cannot be had. */
static bool box_key(unsigned char k[crypto_secretbox_KEYBYTES]) {
  _Static_assert(crypto_secretbox_KEYBYTES == SEAL_KEY_BYTES, "a secretbox key is a chain subkey");
  return audit_key_derive(1, "zw-links", k);
}

/* Seals token into out. False (out empty) without the key: the link then keeps no token. */
static bool token_seal(const char *token, char out[BOX_TEXT]) {
  unsigned char k[crypto_secretbox_KEYBYTES], raw[BOX_RAW];
  out[0] = 0;
  if (!box_key(k)) {
    log_warn("one-time links: the access log's key file cannot be read, so a new link is not kept to be shown "
             "again");
    return false;
  }
  randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)token, TOKEN_LEN, raw, k);
  sodium_memzero(k, sizeof k);
  memcpy(out, BOX_PREFIX, sizeof BOX_PREFIX - 1);
  sodium_bin2base64(out + sizeof BOX_PREFIX - 1, BOX_TEXT - (sizeof BOX_PREFIX - 1), raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return true;
}

/* Opens box (a kept token) into token if it was sealed with the key and holds a token whose hash is
 * token_hash; otherwise token is empty. Text kept by anything else (plain tokens before migration 018) is
 * never taken for a token. */
static void token_open(const char *box, const char *token_hash_hex, char token[TOKEN_LEN + 1]) {
  token[0] = 0;
  if (!box || !token_hash_hex || strncmp(box, BOX_PREFIX, sizeof BOX_PREFIX - 1) != 0) return;
  unsigned char raw[BOX_RAW + 1], k[crypto_secretbox_KEYBYTES];
  size_t len = 0;
  const char *b64 = box + sizeof BOX_PREFIX - 1;
  if (sodium_base642bin(raw, sizeof raw, b64, strlen(b64), NULL, &len, NULL,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != BOX_RAW)
    return;
  if (!box_key(k)) return;
  char plain[TOKEN_LEN + 1];
  int bad = crypto_secretbox_open_easy((unsigned char *)plain, raw + crypto_secretbox_NONCEBYTES,
                                       BOX_RAW - crypto_secretbox_NONCEBYTES, raw, k);
  sodium_memzero(k, sizeof k);
  if (bad) return;
  plain[TOKEN_LEN] = 0;
  char h[TOKEN_HASH_LEN + 1];
  if (!token_shape_ok(plain)) return;
  token_hash(plain, h);
  if (strcmp(h, token_hash_hex) == 0) memcpy(token, plain, TOKEN_LEN + 1);
  sodium_memzero(plain, sizeof plain);
}

/* The live link of user_id that matters for a new one: *found false when there is none; otherwise its
 * creator (0: the command line), purpose and kept token (opened from its box; empty if none) in buffers.
 * Prefers a link of `creator` and `purpose`. Returns a DB code. */
static int live_link(Db *db, int64_t user_id, int64_t creator, const char *purpose, int64_t now, bool *found,
                     int64_t *by, char by_purpose[8], char token[TOKEN_LEN + 1], int64_t *expires_at) {
  *found = false;
  Stmt *st = db_prepare(db, "SELECT created_by, purpose, token, token_hash, expires_at FROM one_time_links "
                            "WHERE user_id = ? AND used_at IS NULL AND expires_at > ? "
                            "ORDER BY CASE WHEN COALESCE(created_by, 0) = ? AND purpose = ? THEN 0 ELSE 1 END, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, creator);
  db_bind_text(st, 4, purpose);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *found = true;
    *by = db_null(st, "created_by") ? 0 : db_int(st, "created_by");
    *expires_at = db_int(st, "expires_at");
    snprintf(by_purpose, 8, "%s", db_text(st, "purpose"));
    token_open(db_text(st, "token"), db_text(st, "token_hash"), token);
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* link_issue on behalf of creator (0: the command line; the account itself: a reset its owner asked for). */
static int link_issue_as(Db *db, Req *r, int64_t creator, int64_t user_id, const char *purpose, int hours,
                         char token_out[TOKEN_LEN + 1], LinkResult *result, int64_t *expires_at);

int link_issue(Db *db, Req *r, int64_t user_id, const char *purpose, int hours, char token_out[TOKEN_LEN + 1],
               LinkResult *result, int64_t *expires_at) {
  return link_issue_as(db, r, r && r->user ? r->user->id : 0, user_id, purpose, hours, token_out, result,
                       expires_at);
}

int link_issue_self(Db *db, Req *r, int64_t user_id, int hours, char token_out[TOKEN_LEN + 1], LinkResult *result,
                    int64_t *expires_at) {
  return link_issue_as(db, r, user_id, user_id, "reset", hours, token_out, result, expires_at);
}

static int link_issue_as(Db *db, Req *r, int64_t creator, int64_t user_id, const char *purpose, int hours,
                         char token_out[TOKEN_LEN + 1], LinkResult *result, int64_t *expires_at) {
  int64_t now = (int64_t)time(NULL);
  token_out[0] = 0;
  *expires_at = 0;
  bool reset = strcmp(purpose, "reset") == 0;
  /* an expired link keeps no token */
  Stmt *st = db_prepare(db, "UPDATE one_time_links SET token = NULL WHERE user_id = ? AND used_at IS NULL "
                            "AND expires_at <= ? AND token IS NOT NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;

  bool found;
  int64_t by = 0;
  char by_purpose[8], kept[TOKEN_LEN + 1];
  int64_t kept_expiry = 0;
  if ((rc = live_link(db, user_id, creator, purpose, now, &found, &by, by_purpose, kept, &kept_expiry)) != DB_OK)
    return rc;
  if (found && by == creator && strcmp(by_purpose, purpose) == 0 && kept[0]) {
    memcpy(token_out, kept, TOKEN_LEN + 1);
    *expires_at = kept_expiry;
    *result = LINK_SAME;
    return link_audit(db, r, user_id, "link_show", "ok", purpose);
  }
  bool own = found && by == creator && strcmp(by_purpose, purpose) == 0; /* made before tokens were kept */
  if (found && !reset && !own) {
    *result = LINK_HELD;
    return link_audit(db, r, user_id, "link_create", "denied", purpose);
  }
  if (found) { /* a reset replaces every earlier live link; an invitation only its maker's own */
    st = db_prepare(db, "UPDATE one_time_links SET used_at = ?, token = NULL WHERE user_id = ? AND used_at IS NULL "
                        "AND (? = 1 OR COALESCE(created_by, 0) = ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, user_id);
    db_bind_int(st, 3, reset ? 1 : 0);
    db_bind_int(st, 4, creator);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  char hash[TOKEN_HASH_LEN + 1], box[BOX_TEXT];
  token_new(token_out);
  token_hash(token_out, hash);
  bool sealed = token_seal(token_out, box);
  st = db_prepare(db, "INSERT INTO one_time_links (token_hash, user_id, purpose, created_by, created_at, expires_at, "
                      "token) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, purpose);
  if (creator) db_bind_int(st, 4, creator); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, now + (int64_t)hours * 3600);
  db_bind_text(st, 7, sealed ? box : NULL);
  if ((rc = db_run(st)) != DB_OK) return rc;
  *expires_at = now + (int64_t)hours * 3600;
  *result = LINK_CREATED;
  return link_audit(db, r, user_id, "link_create", "ok", purpose);
}

/* Counts the live (unused, unexpired at now) links of user_id: all of them (*n) and those of purpose that
 * `creator` (0: the command line) made (*own). Returns a DB code. */
static int live_count(Db *db, int64_t user_id, int64_t creator, const char *purpose, int64_t now, int64_t *n,
                      int64_t *own) {
  *n = *own = 0;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN COALESCE(created_by, 0) = ? AND purpose = ? "
                            "THEN 1 ELSE 0 END), 0) AS own FROM one_time_links "
                            "WHERE user_id = ? AND used_at IS NULL AND expires_at > ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, creator);
  db_bind_text(st, 2, purpose);
  db_bind_int(st, 3, user_id);
  db_bind_int(st, 4, now);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *n = db_int(st, "n");
    *own = db_int(st, "own");
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int link_pending(Db *db, int64_t user_id, int64_t creator, const char *purpose, bool *any, bool *mine) {
  int64_t n, own;
  int rc = live_count(db, user_id, creator, purpose, (int64_t)time(NULL), &n, &own);
  *any = n > 0;
  *mine = own > 0;
  return rc;
}

int link_void_own(Db *db, Req *r, int64_t user_id, const char *purpose, bool *held) {
  int64_t now = (int64_t)time(NULL), creator = r && r->user ? r->user->id : 0;
  int64_t n, own;
  int rc = live_count(db, user_id, creator, purpose, now, &n, &own);
  *held = n > own; /* someone else's link (or one of another purpose) is live */
  if (rc != DB_OK || *held) return rc;
  Stmt *st = db_prepare(db, "UPDATE one_time_links SET used_at = ?, token = NULL WHERE user_id = ? AND used_at IS NULL "
                      "AND expires_at > ? AND COALESCE(created_by, 0) = ? AND purpose = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, now);
  db_bind_int(st, 4, creator);
  db_bind_text(st, 5, purpose);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return db_changes(db) > 0 ? link_audit(db, r, user_id, "link_void", "ok", purpose) : DB_OK;
}

int link_find(Db *db, Arena *a, const char *token, int64_t now, int64_t *user_id, const char **purpose) {
  *user_id = 0;
  *purpose = NULL;
  if (!token_shape_ok(token)) return DB_OK;
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(db, "SELECT l.user_id, l.purpose FROM one_time_links l JOIN users u ON u.id = l.user_id "
                            "WHERE l.token_hash = ? AND l.used_at IS NULL AND l.expires_at > ? AND u.active = 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, now);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *user_id = db_int(st, "user_id");
    *purpose = arena_strdup(a, db_text(st, "purpose"));
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int link_use(Req *r, const char *token, int64_t now) {
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(r->db, "UPDATE one_time_links SET used_at = ?, used_by = ?, used_from = ?, token = NULL "
                               "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
                               "RETURNING user_id, purpose, created_by");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  if (r->user) db_bind_int(st, 2, r->user->id); else db_bind_null(st, 2);
  db_bind_text(st, 3, r->ip);
  db_bind_text(st, 4, hash);
  db_bind_int(st, 5, now);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_done(st);
    return rc == DB_DONE ? DB_CONSTRAINT : rc;
  }
  int64_t uid = db_int(st, "user_id"), by = db_null(st, "created_by") ? 0 : db_int(st, "created_by");
  char purpose[8];
  snprintf(purpose, sizeof purpose, "%s", db_text(st, "purpose"));
  db_done(st);
  if ((rc = link_audit(r->db, r, uid, "link_use", "ok", purpose)) != DB_OK) return rc;
  /* a password reset that someone else issued: the owner is told at the next sign-in */
  if (strcmp(purpose, "reset") == 0 && by != uid) rc = notice_add(r->db, uid, "password_reset", by, now);
  return rc;
}

LinkDelivery link_deliver(Db *db, int64_t user_id, const char *token) {
  if (!outbox_enabled() || !token || !token[0]) return LINK_SHOW; /* no mail: the link is shown to its maker */
  Arena *a = arena_new();
  int64_t found = 0;
  const char *purpose = NULL;
  int rc = link_find(db, a, token, (int64_t)time(NULL), &found, &purpose);
  /* queued in the caller's transaction when one is open (outbox_queue makes its own otherwise); a mail that
   * cannot be queued leaves the link to be shown, as without mail */
  if (rc == DB_OK && found == user_id && purpose)
    rc = outbox_queue(db, user_id, NULL, strcmp(purpose, "reset") == 0 ? "reset" : "invite", link_url(a, token),
                      NULL);
  else if (rc == DB_OK)
    rc = DB_ERROR;
  arena_free(a);
  if (rc != DB_OK) log_warn("one-time links: the link for account %lld could not be queued as mail (%s); it is "
                            "shown instead", (long long)user_id, db_code_name(rc));
  return rc == DB_OK ? LINK_MAILED : LINK_SHOW;
}

const char *link_url(Arena *a, const char *token) {
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return arena_printf(a, "%.*s/reset?token=%s", (int)n, cfg.base_url, token);
  }
  return arena_printf(a, "http://%s/reset?token=%s", cfg.listen, token);
}
