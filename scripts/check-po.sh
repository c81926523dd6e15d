#!/bin/sh
# Fails when a translation is missing: every string in the source must have a Dutch translation, and a
# plural entry (P_) every one of its forms (msgfmt counts a plural entry as translated as soon as msgstr[0]
# is, so the forms are checked here).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find src -name '*.c' | sort > "$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 --no-location --sort-output \
  -f "$tmp/files" -o "$tmp/zorgwerk.pot"
fail=0
for po in po/*.po; do
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/zorgwerk.pot"
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
  echo "$po: $stats"
  case "$stats" in *untranslated*|*fuzzy*) fail=1 ;; esac
  # every msgstr[N] of a plural entry non-empty, at least two of them (nl and en: nplurals=2)
  awk -v po="$po" '
    function endform() { if (inform && formempty) empty = 1; inform = 0 }
    function flush() {
      endform()
      if (plural && (nforms < 2 || empty)) { printf "%s: plural forms missing for %s\n", po, id; bad = 1 }
      plural = 0; nforms = 0; empty = 0; id = ""; inid = 0
    }
    /^msgid / { flush(); id = substr($0, 7); inid = 1; next }
    /^msgid_plural / { plural = 1; inid = 0; next }
    /^msgstr\[[0-9]+\] / { endform(); inid = 0; inform = 1; nforms++; formempty = ($0 ~ /\] ""$/); next }
    /^msgstr / { inid = 0; next }
    /^"/ { if (inid) id = id $0; if (inform && $0 != "\"\"") formempty = 0; next }
    /^$/ { flush() }
    END { flush(); exit bad }
  ' "$tmp/merged.po" || fail=1
done
[ $fail = 0 ] || echo "check-po: run scripts/update-po.sh and translate the new strings (every plural form)"
exit $fail
