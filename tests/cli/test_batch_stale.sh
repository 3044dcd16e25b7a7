#!/usr/bin/env bash
# Stale temporary files: a scrubbing walk removes the temps a killed scrub
# left (exact name, regular file it owns, one link, process gone) and says
# so; it leaves anything less certain, audits remove nothing, and named
# files (no walk) do not look around them.
. "$(dirname "$0")/../lib.sh"

D="$T/d"
mkdir -p "$D/sub"
SAMPLE="$SCRUB_SRC/fixtures/jpeg/sample.jpg"
"$SCRUB" -c "$SAMPLE" >"$T/clean.jpg" || { fail "scrub -c of the sample"; finish; }

# A process id nobody has: a child that has exited.
sh -c 'exit 0' &
DEAD=$!
wait "$DEAD"
kill -0 "$DEAD" 2>/dev/null && skip "pid $DEAD was reused at once"
ALIVE=$$

cp "$SAMPLE" "$D/a.jpg"
stale=("$D/.a.jpg.scrub-tmp-$DEAD-0" "$D/sub/.i.jpg.scrub-tmp-$DEAD-7")
kept=("$D/.b.jpg.scrub-tmp-$ALIVE-0"      # its process runs
      "$D/.d.jpg.scrub-tmp-$DEAD-2"       # another name links to it
      "$D/.f.jpg.scrub-tmp-$DEAD"         # not the exact pattern: no counter
      "$D/g.jpg.scrub-tmp-$DEAD-4"        # no leading dot
      "$D/.scrub-tmp-$DEAD-5"             # no NAME
      "$D/.h.jpg.scrub-tmp-$DEAD-6x")     # trailing garbage
for f in "${stale[@]}" "${kept[@]}"; do
	cp "$T/clean.jpg" "$f"
done
ln "$D/.d.jpg.scrub-tmp-$DEAD-2" "$T/other-name"
ln -s "$T/clean.jpg" "$D/.e.jpg.scrub-tmp-$DEAD-3"   # not a regular file
kept+=("$D/.e.jpg.scrub-tmp-$DEAD-3")
if [ "$(id -u)" -eq 0 ]; then
	cp "$T/clean.jpg" "$D/.c.jpg.scrub-tmp-$DEAD-1"
	chown 65534:65534 "$D/.c.jpg.scrub-tmp-$DEAD-1"      # not ours
	kept+=("$D/.c.jpg.scrub-tmp-$DEAD-1")
fi

exists_all()
{
	local f
	for f in "$@"; do
		[ -e "$f" ] || [ -L "$f" ] || { echo "$f"; return 1; }
	done
}

# Audits change nothing, stale temps included.
run_scrub --report -r "$D"
assert_rc "--report over the folder" 1
check "--report removes no temp ($(exists_all "${stale[@]}" "${kept[@]}"))" exists_all "${stale[@]}" "${kept[@]}"
run_scrub --check -r "$D"
check "--check removes no temp" exists_all "${stale[@]}" "${kept[@]}"
# Named files are scrubbed without reading their folder.
run_scrub "$D/a.jpg"
assert_rc "scrub of a named file" 0
check "a named file leaves the temps beside it" exists_all "${stale[@]}"

cp "$SAMPLE" "$D/a.jpg"
run_scrub -r "$D"
assert_rc "scrub -r with stale temps" 0
for f in "${stale[@]}"; do
	check "stale '$f' removed" test ! -e "$f"
	check "its removal is said" grep -qF "scrub: warning: removed '$f', left by scrub process $DEAD" "$T/err"
done
check "nothing else is kept out ($(exists_all "${kept[@]}"))" exists_all "${kept[@]}"
not_said()
{
	! grep -qF -- "$1" "$T/err"
}
for f in "${kept[@]}"; do
	check "'$f' not said removed" not_said "removed '$f'"
done
assert_eq "one warning per stale temp" "${#stale[@]}" "$(grep -c '^scrub: warning: removed ' "$T/err")"
assert_same_bytes "$D/a.jpg" "$T/clean.jpg"
finish
