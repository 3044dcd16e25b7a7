#!/usr/bin/env bash
# Batch engine: awkward file names (spaces, newlines, leading dashes,
# non-UTF-8 bytes) are scrubbed, and --json stays valid JSON Lines.
. "$(dirname "$0")/../lib.sh"

D="$T/names"
mkdir -p "$D"
names=(
	"with space.jpg"
	"  leading and trailing spaces  .jpg"
	$'new\nline.jpg'
	$'tab\there.jpg'
	"-x.jpg"
	"--json.jpg"
	$'\xff\xfe.jpg'
	$'caf\xc3\xa9.jpg'
	'quote"and\back.jpg'
	$'ctrl\x01\x1b[31m.jpg'
	"*glob?[x].jpg"
)
for n in "${names[@]}"; do
	put_jpeg "$D/$n"
done
# and a directory with an awkward name
put_jpeg "$D/dir with space"$'\n'"and newline/inner.jpg"

# --- command line, from inside the directory ---------------------------------
cd "$D" || exit 2
run_scrub -- "-x.jpg"
assert_rc "-- then a leading-dash name" 0
assert_no_meta "$D/-x.jpg"
put_jpeg "$D/-x.jpg"
run_scrub ./-x.jpg
assert_rc "./-x.jpg" 0
assert_no_meta "$D/-x.jpg"
# without -- a leading-dash name is taken as an option (usage error, nothing done)
put_jpeg "$D/-x.jpg"
snap "$D/-x.jpg"
run_scrub -x.jpg
assert_rc "-x.jpg without -- is an unknown option" 2
assert_untouched "$D/-x.jpg"
put_jpeg "$D/-x.jpg"

run_scrub --json -- "${names[@]}"
assert_rc "awkward names on the command line" 0
assert_jsonl "$T/out" "${#names[@]}"
files=("${names[@]/#/$D/}")
assert_no_meta "${files[@]}"
assert_no_tempfiles "$D"
"$PYTHON" - "$T/out" "${names[@]}" <<'EOF' && pass || fail "--json file names/statuses do not match the inputs in order"
import json, os, sys
lines = open(sys.argv[1], "rb").read().splitlines()
want = [os.fsencode(a) for a in sys.argv[2:]]
ok = True
for l, w in zip(lines, want):
    o = json.loads(l)
    if o.get("status") != "scrubbed":
        print("status", o); ok = False
    got = o.get("file", "")
    # valid UTF-8 names must come back exactly; others may be replaced.
    try:
        wd = w.decode("utf-8")
    except UnicodeDecodeError:
        wd = None
    if wd is not None and got != wd:
        print("name", repr(got), "!=", repr(wd)); ok = False
sys.exit(0 if ok else 1)
EOF

# --- error messages stay one line per file ---------------------------------
printf 'not an image' >$'bad\nname.jpg'
run_scrub -- $'bad\nname.jpg'
assert_rc "non-image with a newline in its name" 2
assert_eq "error for a name with a newline is one line" 1 "$(wc -l <"$T/err")"
rm -f $'bad\nname.jpg'

# --- the same names in a walk ----------------------------------------------
cd "$T" || exit 2
for n in "${names[@]}"; do
	put_jpeg "$D/$n"
done
put_jpeg "$D/dir with space"$'\n'"and newline/inner.jpg"
run_scrub -r --json names
assert_rc "walk over awkward names" 0
assert_jsonl "$T/out" $((${#names[@]} + 1))
assert_no_meta "${files[@]}" "$D/dir with space"$'\n'"and newline/inner.jpg"
assert_empty "$T/err" "stderr of the walk"
# every file reported once, under distinct names.
"$PYTHON" - "$T/out" <<'EOF' && pass || fail "walk --json: duplicate file names"
import json, sys
names = [json.loads(l)["file"] for l in open(sys.argv[1], "rb").read().splitlines()]
sys.exit(0 if len(set(names)) == len(names) else 1)
EOF
# text mode with -v: one line per file even for names with newlines.
for n in "${names[@]}"; do
	put_jpeg "$D/$n"
done
run_scrub -r -v names
assert_rc "walk -v over awkward names" 0
lines=$(wc -l <"$T/out")
assert_eq "-v prints one line per file" "$((${#names[@]} + 1))" "$lines"

# --- a directory whose name looks like an option, after -- ------------------
mkdir -p "$T/--report"
put_jpeg "$T/--report/x.jpg"
run_scrub -r -- --report
assert_rc "directory named --report after --" 0
assert_no_meta "$T/--report/x.jpg"

finish
