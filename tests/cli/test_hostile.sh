#!/usr/bin/env bash
# Every hostile input (fuzzer crashers, CVE proofs of concept, our own
# crasher set) through scrub --report --json, --check, --verify and a plain
# scrub, as one batch each: no crash or sanitizer report, exit status 0, 1
# or 2 only, one message line per refused file naming it, refused files
# byte-identical, and whatever scrub accepted is unchanged by a second pass.
set -u
: "${SCRUB:?}" "${SCRUB_SRC:?}"
SHARED=${SCRUB_SHARED:-$SCRUB_SRC/../shared}
PY=${PYTHON:-/usr/bin/python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
n=0
for dir in "$SHARED/corpus/hostile" "$SCRUB_SRC/fixtures/crashers" "$SCRUB_SRC/fixtures/malformed"; do
	[ -d "$dir" ] || continue
	while IFS= read -r -d '' f; do
		n=$((n + 1))
		cp "$f" "$work/in/$(printf '%04d' $n)-$(basename "$f")"
	done < <(find "$dir" -type f ! -name 'README*' -print0 | sort -z)
done
if [ $n -eq 0 ]; then
	echo "no hostile inputs found (../shared absent?)"
	exit 77
fi
(cd "$work/in" && sha256sum -- * > "$work/before.sum")

pass=0 failed=0
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# Runs one batch mode and checks what every mode must satisfy.
run_mode() {
	"$SCRUB" "$@" -j 2 -r "$work/in" > "$work/out" 2> "$work/err"
	local rc=$?
	if [ $rc -gt 2 ]; then bad "scrub $* exited $rc"; head -20 "$work/err"; return; fi
	if grep -qE 'Sanitizer|runtime error' "$work/err"; then
		bad "sanitizer report in scrub $*"; head -40 "$work/err"; return
	fi
	if grep -vE "^scrub: [a-z ]+ '$work/in/[^']+': " "$work/err"; then
		bad "scrub $*: stderr lines above are not one-line messages naming a file"
	fi
	# Every file named in a message must be byte-identical to what it was.
	"$PY" - "$work/err" "$work/before.sum" "$work/in" > "$work/changed" <<'PYEOF'
import hashlib, os, re, sys
err, sums, folder = sys.argv[1:4]
before = {}
for line in open(sums, encoding="utf-8", errors="surrogateescape"):
    digest, name = line.rstrip("\n").split("  ", 1)
    before[name] = digest
for line in open(err, encoding="utf-8", errors="surrogateescape"):
    m = re.search(r"'([^']+)'", line)
    if not m:
        continue
    name = os.path.basename(m.group(1))
    with open(os.path.join(folder, name), "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != before.get(name):
            print(name)
PYEOF
	if [ -s "$work/changed" ]; then bad "scrub $*: refused files were changed:"; cat "$work/changed"; fi
	pass=$((pass + 1))
}

run_mode --report --json
if ! "$PY" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]' "$work/out"; then
	bad "--json output is not JSON Lines"
fi
run_mode --check
cp -a "$work/in" "$work/verify-copy"
run_mode --verify
run_mode
(cd "$work/in" && sha256sum -- * > "$work/once.sum")
"$SCRUB" -r "$work/in" > /dev/null 2>&1
(cd "$work/in" && sha256sum -- * > "$work/twice.sum")
if ! diff -q "$work/once.sum" "$work/twice.sum" > /dev/null; then
	bad "a second scrub changed files (not idempotent):"; diff "$work/once.sum" "$work/twice.sum"
else
	pass=$((pass + 1))
fi
if [ -n "$(find "$work" -name '*.scrub-tmp-*')" ]; then bad "temp files left behind"; else pass=$((pass + 1)); fi
echo "$n hostile inputs"
echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
