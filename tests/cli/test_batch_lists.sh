#!/usr/bin/env bash
# Batch engine: --files-from (newline and NUL separated, file and stdin),
# and a missing file in a batch.
. "$(dirname "$0")/../lib.sh"

D="$T/d"
put_jpeg "$D/a.jpg" "$D/b c.jpg" "$D/sub/d.jpg" "$D/"$'new\nline.jpg' "$D/not-listed.jpg"
snap "$D/not-listed.jpg"

# --- newline-separated list file, with empty lines -------------------------
printf '\n%s\n\n%s\n%s\n\n' "$D/a.jpg" "$D/b c.jpg" "$D/sub/d.jpg" >"$T/list"
run_scrub --json --files-from "$T/list"
assert_rc "--files-from FILE" 0
assert_jsonl "$T/out" 3
assert_no_meta "$D/a.jpg" "$D/b c.jpg" "$D/sub/d.jpg"
assert_meta "$D/"$'new\nline.jpg'
assert_untouched "$D/not-listed.jpg"
assert_empty "$T/err" "stderr of --files-from"
# order of the list is the order of the output
got=$(json_field "$T/out" file | cut -f1 | tr '\n' '|')
assert_eq "--json order follows the list" "'$D/a.jpg'|'$D/b c.jpg'|'$D/sub/d.jpg'|" "$got"
# the last line without a trailing newline still counts
put_jpeg "$D/a.jpg"
printf '%s' "$D/a.jpg" >"$T/list2"
run_scrub --files-from "$T/list2"
assert_rc "--files-from without a final newline" 0
assert_no_meta "$D/a.jpg"

# --- command-line paths and a list together ---------------------------------
put_jpeg "$D/a.jpg" "$D/b c.jpg"
printf '%s\n' "$D/b c.jpg" >"$T/list3"
run_scrub --files-from "$T/list3" "$D/a.jpg"
assert_rc "--files-from plus a path argument" 0
assert_no_meta "$D/a.jpg" "$D/b c.jpg"

# --- -0 --files-from - fed by find -print0, including a newline in a name ----
put_jpeg "$D/a.jpg" "$D/b c.jpg" "$D/sub/d.jpg"
(cd "$D" && { find . -name '*.jpg' ! -name not-listed.jpg -print0; printf '\0\0'; } |
	"$SCRUB" --json -0 --files-from - >"$T/out" 2>"$T/err")
RC=$?
assert_rc "-0 --files-from - from find -print0" 0
assert_jsonl "$T/out" 4
assert_no_meta "$D/a.jpg" "$D/b c.jpg" "$D/sub/d.jpg" "$D/"$'new\nline.jpg'
assert_untouched "$D/not-listed.jpg"
assert_empty "$T/err" "stderr of -0 --files-from -"

# with -0 a newline is part of the name; without -0 it splits the name.
put_jpeg "$D/"$'new\nline.jpg'
printf '%s\n' "$D/"$'new\nline.jpg' >"$T/list4"
run_scrub --files-from "$T/list4"
assert_rc "newline list splits a name with a newline (both halves missing)" 2
assert_meta "$D/"$'new\nline.jpg'
printf '%s\0' "$D/"$'new\nline.jpg' | "$SCRUB" -0 --files-from - >"$T/out" 2>"$T/err"
RC=$?
assert_rc "NUL list keeps the newline in the name" 0
assert_no_meta "$D/"$'new\nline.jpg'

# an empty list is not an error and does nothing
: >"$T/empty"
run_scrub --files-from "$T/empty"
assert_rc "--files-from an empty list" 0
assert_untouched "$D/not-listed.jpg"
# a missing list is an error naming it
run_scrub --files-from "$T/no-such-list"
assert_rc "--files-from a missing list" 2
assert_grep "$T/err" "no-such-list" "missing list is named"
# -0 without --files-from is a usage error
run_scrub -0 "$D/not-listed.jpg"
assert_rc "-0 without --files-from" 2
assert_untouched "$D/not-listed.jpg"

# --- a missing file beside good ones ---------------------------------------
put_jpeg "$D/a.jpg" "$D/sub/d.jpg"
run_scrub "$D/a.jpg" "$D/missing-one.jpg" "$D/sub/d.jpg"
assert_rc "missing file in a batch" 2
assert_no_meta "$D/a.jpg" "$D/sub/d.jpg"
assert_grep "$T/err" "missing-one.jpg" "stderr names the missing file"
assert_eq "one error line" 1 "$(wc -l <"$T/err")"
# in --json it is an error object, in order
put_jpeg "$D/a.jpg" "$D/sub/d.jpg"
run_scrub --json "$D/a.jpg" "$D/missing-one.jpg" "$D/sub/d.jpg"
assert_rc "missing file in a --json batch" 2
assert_jsonl "$T/out" 3
st=$(json_field "$T/out" status | cut -f2 | tr '\n' ' ')
assert_eq "--json statuses in input order" "scrubbed error scrubbed " "$st"
"$PYTHON" -c '
import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[1])
sys.exit(0 if o.get("error") else 1)' "$T/out" && pass || fail "--json error object lacks an error message"
# missing file in a list
put_jpeg "$D/a.jpg"
printf '%s\n%s\n' "$D/gone.jpg" "$D/a.jpg" >"$T/list5"
run_scrub --files-from "$T/list5"
assert_rc "missing file in --files-from" 2
assert_grep "$T/err" "gone.jpg" "stderr names the missing listed file"
assert_no_meta "$D/a.jpg"
assert_no_tempfiles "$D"

finish
