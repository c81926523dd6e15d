/*
 * flash.h — the one table of flash messages: the keys a redirect may name (http_redirect_flash, read back
 * from ?flash= by the server) and the message the frame shows for each.
 */
#ifndef ZW_HTTP_FLASH_H
#define ZW_HTTP_FLASH_H

/* The table's own copy of key, or NULL when key is not a known flash key (then nothing is shown). */
const char *flash_key(const char *key);

/* The English message (a msgid, still to be translated with _()) of a known key, or NULL. */
const char *flash_message(const char *key);

#endif
