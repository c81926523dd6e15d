#!/bin/sh
# Extracts the _("...") / N_("...") strings and the P_("singular", "plural", n) plural entries from src/
# into po/zorgwerk.pot and merges them into each po/LANG.po. New strings arrive untranslated (a plural
# entry with empty msgstr[0] and msgstr[1]); `make test` fails while a Dutch string or form is missing.
set -eu
cd "$(dirname "$0")/.."
find src -name '*.c' | sort > po/POTFILES
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 --add-comments=TRANSLATORS: \
  --package-name=zorgwerk --no-location --sort-output -f po/POTFILES -o po/zorgwerk.pot
for po in po/*.po; do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-location --sort-output "$po" po/zorgwerk.pot
done
rm -f po/POTFILES
for po in po/*.po; do printf '%s: ' "$po"; msgfmt --statistics -o /dev/null "$po"; done
