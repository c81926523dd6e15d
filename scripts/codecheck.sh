#!/bin/sh
# codecheck — rules the compiler cannot enforce, checked on every `make test`:
#  1. no sqlite3_* outside src/db/ (a PostgreSQL driver must be able to replace it);
#  2. no raw writes into a response body (buf_* on ->out) except lines marked /* raw: reason */;
#  3. html_fmt_ is only reached through the html() macro (which demands a literal format);
#  4. trusted markup (markup_from_renderer_) is only made by the writer and the renderers;
#  5. no user text in log lines: log_* calls never pass form_str/query_str/params_get values;
#  6. no SQL in the pages: db_prepare/db_exec only under src/store/ and below (pages reach data through the store);
#  7. layers point one way: only src/cli/ includes pages/ (the route tables, the error page); only src/http/
#     includes libmicrohttpd; the store includes neither http/, html/, policy/ nor pages/ (its functions take Db, Arena and
#     User, never the request); http/ includes nothing of the store, the policy or auth but the plain types
#     (what a request passes through above it comes in through its Site); auth/ (plain types, tokens, passwords,
#     second factor, throttling) includes no layer above core and html, and nothing below the pages includes
#     account/ (sessions, one-time links, invitations: they use the store and the access log).
cd "$(dirname "$0")/.." || exit 2
fail=0
report() { echo "codecheck: $1"; echo "$2" | sed 's/^/    /'; fail=1; }

out=$(grep -rn 'sqlite3_' src --include='*.c' --include='*.h' | grep -v '^src/db/')
[ -n "$out" ] && report "sqlite3_* outside src/db/" "$out"

out=$(grep -rnE 'buf_(puts|printf|vprintf|append|putc)\(&r->out' src --include='*.c' | grep -v '/\* raw:')
[ -n "$out" ] && report "raw write into a response (use html())" "$out"

out=$(grep -rn 'html_fmt_(' src --include='*.c' --include='*.h' | grep -v '^src/html/html\.[ch]:')
[ -n "$out" ] && report "html_fmt_ called directly (use the html() macro)" "$out"

out=$(grep -rn 'markup_from_renderer_(' src --include='*.c' | grep -vE '^src/(html/|auth/totp\.c|render/)')
[ -n "$out" ] && report "markup made outside the writer and renderers" "$out"

out=$(grep -rnE 'log_(info|warn|error)\(.*(form_str|query_str|params_get)\(' src --include='*.c')
[ -n "$out" ] && report "request values in a server log line" "$out"

out=$(grep -rnE 'db_(prepare|exec)\(' src/pages --include='*.c' --include='*.h')
[ -n "$out" ] && report "SQL (db_prepare/db_exec) in a page (put the query in src/store/<concept>.c)" "$out"

out=$(grep -rn '#include "pages/' src --include='*.c' --include='*.h' | grep -vE '^src/(pages|cli)/')
[ -n "$out" ] && report "a layer below the pages includes pages/ (pass what it needs in from main)" "$out"

out=$(grep -rn '#include <microhttpd.h>' src --include='*.c' --include='*.h' | grep -v '^src/http/')
[ -n "$out" ] && report "libmicrohttpd outside src/http/" "$out"

out=$(grep -rnE '#include "(http|html|policy|pages)/' src/store --include='*.c' --include='*.h')
[ -n "$out" ] && report "the store includes http/, html/, policy/ or pages/ (take Db *, Arena *, const User *, never Req *; the SQL filters are in store/visibility.h)" "$out"

out=$(grep -rnE '#include "(store|policy|auth)/' src/http --include='*.c' --include='*.h' \
      | grep -vE '#include "auth/(user|token)\.h"')
[ -n "$out" ] && report "http/ includes a layer above it (hand it in through the Site, http/server.h)" "$out"

out=$(grep -rnE '#include "(store|policy|db|http|pages|account|mail)/' src/auth --include='*.c' --include='*.h')
[ -n "$out" ] && report "auth/ includes a layer above it (sessions, links and invitations live in account/)" "$out"

out=$(grep -rn '#include "account/' src --include='*.c' --include='*.h' | grep -vE '^src/(account|pages|cli)/')
[ -n "$out" ] && report "a layer below the pages includes account/" "$out"

out=$(grep -rnE '#include "(store|policy)/' src/core src/db src/html src/i18n --include='*.c' --include='*.h')
[ -n "$out" ] && report "core/, db/, html/ or i18n/ include the store or the policy (hand in what they need, e.g. frame_unread_count)" "$out"

[ $fail = 0 ] && echo "codecheck: ok"
exit $fail
