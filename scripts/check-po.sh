#!/bin/sh
# Fails when a translation is missing: every string in the source must have a Dutch translation.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find src -name '*.c' | sort > "$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --no-location --sort-output \
  -f "$tmp/files" -o "$tmp/zorgwerk.pot"
fail=0
for po in po/*.po; do
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/zorgwerk.pot"
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
  echo "$po: $stats"
  case "$stats" in *untranslated*|*fuzzy*) fail=1 ;; esac
done
[ $fail = 0 ] || echo "check-po: run scripts/update-po.sh and translate the new strings"
exit $fail
