#!/usr/bin/env bash
# Batch engine: -j 1 and -j 8 give the same bytes and the same --json (input
# order); a second run changes nothing; --json statuses in scrub mode;
# progress and summary only on a terminal.
. "$(dirname "$0")/../lib.sh"


A="$T/a"
for i in $(seq -w 1 40); do
	put_jpeg "$A/d$((10#$i % 4))/img$i.jpg"
done
put_png "$A/p1.png" "$A/d1/p2.png"
put_webp "$A/w1.webp" "$A/d2/w2.webp"
convert -size 16x16 xc:gray "$A/d3/plain.jpg"         # already clean (JFIF only)
exiftool -q -q -overwrite_original -all= -- "$A/d3/plain.jpg"
printf 'text\n' >"$A/d0/readme.txt"
printf '\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00' >"$A/d2/truncated.jpg"   # broken JPEG
# an orientation-tagged one, so the minimal-EXIF path runs in parallel too
put_jpeg "$A/d1/rot.jpg"
exiftool -q -q -overwrite_original -Orientation=6 -n -- "$A/d1/rot.jpg"
cp -a "$A" "$T/b"
cp -a "$A" "$T/c"

run_scrub -j 1 --json -r "$A"
rc1=$RC
cp "$T/out" "$T/json1"
cp "$T/err" "$T/err1"
run_scrub -j 8 --json -r "$T/b"
rc8=$RC
sed "s#$T/b#$T/a#g" "$T/out" >"$T/json8"
assert_eq "exit status with a broken file (-j 1)" 2 "$rc1"
assert_eq "exit status -j 1 vs -j 8" "$rc1" "$rc8"
assert_eq "-j 1 and -j 8 give byte-identical trees" "$(tree_sums "$A")" "$(tree_sums "$T/b")"
assert_same_bytes "$T/json1" "$T/json8"
assert_jsonl "$T/json1" 48
assert_grep "$T/err1" "truncated.jpg" "the broken file is named on stderr"
assert_eq "one error line" 1 "$(wc -l <"$T/err1")"
# order is the input (walk) order: sorted names, depth first
"$PYTHON" - "$T/json1" "$A" <<'EOF' && pass || fail "--json order is not the walk order"
import json, os, sys
root = sys.argv[2]
def walk(d):
    for name in sorted(os.listdir(d), key=os.fsencode):
        p = os.path.join(d, name)
        if os.path.isdir(p) and not os.path.islink(p):
            yield from walk(p)
        else:
            yield p
want = list(walk(root))
got = [json.loads(l)["file"] for l in open(sys.argv[1])]
if got != want:
    print("got", got[:5], "want", want[:5])
    sys.exit(1)
EOF
# statuses in scrub mode
"$PYTHON" - "$T/json1" <<'EOF' && pass || fail "--json statuses in scrub mode"
import json, sys
ok = True
for l in open(sys.argv[1]):
    o = json.loads(l)
    f, s = o["file"], o.get("status")
    if f.endswith("readme.txt"):
        want = "skipped"
    elif f.endswith("truncated.jpg"):
        want = "error"
        if not o.get("error"):
            print("error object without an error message:", o); ok = False
    elif f.endswith("plain.jpg"):
        want = "clean"
    else:
        want = "scrubbed"
    if s != want:
        print(f, s, "expected", want); ok = False
sys.exit(0 if ok else 1)
EOF
# same text output too (-v), different -j
run_scrub -j 1 -v -r --check "$T/c"
cp "$T/out" "$T/v1"
run_scrub -j 8 -v -r --check "$T/c"
assert_same_bytes "$T/v1" "$T/out"

# --- a second run changes nothing ------------------------------------------
assert_no_meta "$A"/d*/img*.jpg
"$PYTHON" - "$A" >"$T/before" <<'EOF'
import os, sys
for root, dirs, files in sorted(os.walk(sys.argv[1])):
    for f in sorted(files):
        s = os.lstat(os.path.join(root, f))
        print(os.path.join(root, f), s.st_ino, s.st_mtime_ns, s.st_size)
EOF
sleep 0.05
rm -f "$A/d2/truncated.jpg"
sed -i '/truncated.jpg/d' "$T/before"
run_scrub -r "$A"
assert_rc "second run over the scrubbed tree" 0
assert_empty "$T/err" "second run stderr"
"$PYTHON" - "$A" >"$T/after" <<'EOF'
import os, sys
for root, dirs, files in sorted(os.walk(sys.argv[1])):
    for f in sorted(files):
        s = os.lstat(os.path.join(root, f))
        print(os.path.join(root, f), s.st_ino, s.st_mtime_ns, s.st_size)
EOF
if cmp -s "$T/before" "$T/after"; then pass; else fail "second run changed files: $(diff "$T/before" "$T/after" | head -6)"; fi
run_scrub -r --check "$A"
assert_rc "--check over the scrubbed tree" 0
assert_empty "$T/out" "--check stdout over a clean tree"
assert_empty "$T/err" "--check stderr over a clean tree"
run_scrub -r --json "$A"
"$PYTHON" -c '
import json, sys
bad = [o for o in map(json.loads, open(sys.argv[1])) if o["status"] not in ("clean", "skipped")]
sys.exit(1 if bad else 0)' "$T/out" && pass || fail "second --json run reports something other than clean/skipped"
# and scrubbing a scrubbed file with -o gives the same bytes
run_scrub -o "$T/again" "$A/d1/img01.jpg"
assert_same_bytes "$A/d1/img01.jpg" "$T/again/img01.jpg"

# --- progress and summary --------------------------------------------------------
cp -a "$T/c" "$T/e"
run_scrub -r "$T/e"
# stderr not a terminal: only the broken file's line, no progress or summary
assert_eq "stderr holds only the error line" 1 "$(wc -l <"$T/err")"
cp -a "$T/c" "$T/f"; rm -f "$T/f/d2/truncated.jpg"
run_scrub -r "$T/f"
assert_rc "batch without errors" 0
assert_empty "$T/err" "stderr of a successful batch (not a terminal)"
assert_empty "$T/out" "stdout of a successful batch"
if command -v script >/dev/null 2>&1; then
	cp -a "$T/c" "$T/g"
	cmd=$(printf '%q ' "$SCRUB" -r "$T/g")
	script -qec "$cmd 2>&1" /dev/null </dev/null >"$T/tty" 2>&1
	RC=$?
	# the broken file makes it exit 2; the summary comes last
	assert_rc "batch on a terminal" 2
	tr '\r' '\n' <"$T/tty" | grep -v '^$' >"$T/tty.lines"
	last=$(grep -v '\x1b\[K$' "$T/tty.lines" | tail -1)
	case $last in
	*scrubbed*clean*skipped*failed*) pass ;;
	*) fail "no summary line at the end on a terminal: $(tail -c 300 "$T/tty" | od -c | tail -4)" ;;
	esac
	sum=$(grep -a 'scrubbed.*failed' "$T/tty.lines" | tail -1)
	# 40 + rot + 2 png + 2 webp scrubbed, 1 clean, 1 skipped, 1 failed
	nscr=45; nskip=1
	case $sum in
	*"$nscr scrubbed, 1 already clean, $nskip skipped, 1 failed"*) pass ;;
	*) fail "summary counts: '$sum' (expected $nscr scrubbed, 1 clean, $nskip skipped, 1 failed)" ;;
	esac
	# -q: no summary even on a terminal
	cp -a "$T/c" "$T/h"; rm -f "$T/h/d2/truncated.jpg"
	cmd=$(printf '%q ' "$SCRUB" -q -r "$T/h")
	script -qec "$cmd 2>&1" /dev/null </dev/null >"$T/tty" 2>&1
	if [ ! -s "$T/tty" ]; then pass; else fail "-q printed on a terminal: $(head -c 200 "$T/tty")"; fi
else
	echo "SKIP part: no script(1) for a pseudo-terminal"
fi

finish
