#!/usr/bin/env bash
# check-translations.sh — fail when any user-visible message lacks a Chinese translation.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerates the POT from the sources (the same xgettext call as meson's glib preset), merges
# it into a copy of po/zh_CN.po and fails on any untranslated or fuzzy message. It also fails
# when a source file has translatable strings but is missing from po/POTFILES.in.
set -euo pipefail
top=${1:?usage: check-translations.sh SOURCE_ROOT}
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0

# Files with translatable text that POTFILES.in forgot.
listed=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in | sort -u)
found=$( { grep -rlE '\b(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' src --include='*.c' || true
           grep -rl 'translatable="yes"' src --include='*.ui' || true; } | sort -u)
missing=$(comm -13 <(printf '%s\n' "$listed") <(printf '%s\n' "$found") | sed '/^$/d' || true)
if [ -n "$missing" ]; then
  echo "These files have translatable strings but are not in po/POTFILES.in:"
  printf '  %s\n' $missing
  status=1
fi
while read -r f; do
  [ -e "$f" ] || { echo "po/POTFILES.in names a file that does not exist: $f"; status=1; }
done <<<"$listed"

xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --files-from=<(printf '%s\n' "$listed") --output="$work/wangge.pot" --package-name=wangge

msgmerge --quiet --no-fuzzy-matching --output-file="$work/zh_CN.po" po/zh_CN.po "$work/wangge.pot"
untranslated=$(msgattrib --untranslated --no-obsolete "$work/zh_CN.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$work/zh_CN.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too when anything matched.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "po/zh_CN.po is behind the sources: $untranslated untranslated, $fuzzy fuzzy:"
  msgattrib --untranslated --no-obsolete "$work/zh_CN.po" | grep -A1 '^msgid ' | grep -v '^--' | sed 's/^/  /' | sed -n '1,80p'
  msgattrib --only-fuzzy --no-obsolete "$work/zh_CN.po" | grep -A1 '^msgid ' | grep -v '^--' | sed 's/^/  /' | sed -n '1,40p'
  status=1
fi
obsolete=$(msgattrib --only-obsolete "$work/zh_CN.po" | grep -c '^#~ msgid ' || true)
if [ "$obsolete" -gt 0 ]; then
  echo "po/zh_CN.po has $obsolete messages no longer in the sources; run: meson compile -C _build wangge-update-po"
  status=1
fi
[ "$status" = 0 ] && echo "zh_CN.po covers all $(grep -c '^msgid ' "$work/wangge.pot") messages"
exit "$status"
