#!/usr/bin/env bash
# check-translation.sh — check a translation of the help: complete, and valid once built
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: help/check-translation.sh complete LANG
#          Regenerates the POT from help/C/*.page and fails, listing the messages, when
#          help/LANG/LANG.po leaves any of them untranslated or fuzzy.
#        help/check-translation.sh validate LANG
#          Builds the translated pages the way gnome.yelp() does (msgfmt, itstool -m) and
#          runs yelp-check validate on them.
#
# The tools (itstool, msgmerge, msgfmt, msgattrib, yelp-check) are looked up in PATH. The
# script works from its own folder, so it runs the same from meson test and by hand.
set -euo pipefail

prog=$(basename "$0")
helpdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage () {
  printf 'Usage: %s complete|validate LANG\n' "$prog" >&2
  exit 2
}

fail () {
  printf '%s: %s\n' "$prog" "$*" >&2
  exit 1
}

need () {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail "$tool is not installed or not in PATH (it comes with ${pkg[$tool]})"
  done
}

declare -A pkg=([itstool]=itstool [msgmerge]=gettext [msgfmt]=gettext [msgattrib]=gettext
                [yelp-check]=yelp-tools)

# Prints the msgctxt and msgid of every entry of a PO file but its header, one entry per
# paragraph. With --no-wrap, a msgid spans several lines only where its text has newlines.
list_entries () {
  awk 'BEGIN { RS = ""; FS = "\n" }
       /(^|\n)msgid ""\nmsgstr/ { next }
       { keep = 0
         for (i = 1; i <= NF; i++) {
           if ($i ~ /^msgstr/) keep = 0
           else if ($i ~ /^msgctxt / || $i ~ /^msgid /) keep = 1
           if (keep) print "  " $i
         }
         print "" }' "$1"
}

[[ $# -eq 2 ]] || usage
mode=$1
lang=$2
po=$lang/$lang.po

cd "$helpdir"
compgen -G 'C/*.page' >/dev/null || fail "no pages in $helpdir/C"
[[ -f $po ]] || fail "$helpdir/$po does not exist"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wangge-help.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case $mode in
  complete)
    need itstool msgmerge msgfmt msgattrib

    msgfmt --check -o /dev/null "$po" || fail "$po has syntax errors (see above)"
    itstool -o "$tmp/help.pot" C/*.page
    msgmerge --quiet --no-wrap --no-location -o "$tmp/merged.po" "$po" "$tmp/help.pot"

    stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
    msgattrib --force-po --untranslated --no-obsolete --no-wrap --no-location \
      -o "$tmp/untranslated.po" "$tmp/merged.po"
    msgattrib --force-po --only-fuzzy --no-obsolete --no-wrap --no-location \
      -o "$tmp/fuzzy.po" "$tmp/merged.po"
    untranslated=$(list_entries "$tmp/untranslated.po")
    fuzzy=$(list_entries "$tmp/fuzzy.po")
    obsolete=$(grep -c '^#~ msgid' "$tmp/merged.po" || true)

    status=0
    if sed -n '/^msgid ""$/q;p' "$tmp/merged.po" | grep -q '^#, .*fuzzy'; then
      printf '%s: the header of %s is marked fuzzy\n' "$prog" "$po" >&2
      status=1
    fi
    if [[ -n $untranslated ]]; then
      printf '%s: %s does not translate these messages of help/C/*.page:\n%s\n' \
        "$prog" "$po" "$untranslated" >&2
      status=1
    fi
    if [[ -n $fuzzy ]]; then
      printf '%s: %s has fuzzy translations (the English changed; check them, then\n' \
        "$prog" "$po" >&2
      printf 'remove the "fuzzy" flag):\n%s\n' "$fuzzy" >&2
      status=1
    fi
    if [[ $obsolete -gt 0 ]]; then
      printf '%s: note: %s has %s obsolete messages that help/C no longer uses\n' \
        "$prog" "$po" "$obsolete" >&2
    fi
    if [[ $status -ne 0 ]]; then
      printf '%s: %s against help/C: %s\n' "$prog" "$po" "$stats" >&2
      printf '%s: update it with "meson compile -C BUILDDIR help-wangge-update-po", then\n' \
        "$prog" >&2
      printf 'translate what is missing\n' >&2
      exit 1
    fi
    printf '%s: %s is complete: %s\n' "$prog" "$po" "$stats"
    ;;

  validate)
    need itstool msgfmt yelp-check

    msgfmt --check -o "$tmp/$lang.mo" "$po" || fail "$po does not compile (see above)"
    mkdir "$tmp/$lang"
    itstool --strict -m "$tmp/$lang.mo" -l "$lang" -o "$tmp/$lang/" C/*.page ||
      fail "$po has translations with broken markup (see above)"

    missing=()
    for page in C/*.page; do
      [[ -f $tmp/$lang/${page#C/} ]] || missing+=("${page#C/}")
    done
    [[ ${#missing[@]} -eq 0 ]] || fail "itstool did not build: ${missing[*]}"

    # yelp-check prints the file names it was given, so run it from the output folder.
    (cd "$tmp/$lang" && yelp-check validate ./*.page) ||
      fail "the $lang pages built from $po are not valid Mallard (see above)"
    printf '%s: the %s pages are valid Mallard\n' "$prog" "$lang"
    ;;

  *)
    usage
    ;;
esac
