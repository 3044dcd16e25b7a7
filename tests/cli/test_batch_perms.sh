#!/usr/bin/env bash
# Batch engine: hard links, -p (times with nanoseconds), mode and owner,
# a non-writable directory, a full disk.
. "$(dirname "$0")/../lib.sh"

D="$T/d"
mkdir -p "$D"

ns()
{
	# ns FILE: "atime_ns mtime_ns"
	"$PYTHON" -c 'import os, sys; s = os.stat(sys.argv[1]); print(s.st_atime_ns, s.st_mtime_ns)' "$1"
}

# --- hard links ----------------------------------------------------------------
put_jpeg "$D/h1.jpg"
ln "$D/h1.jpg" "$D/h2.jpg"
snap "$D/h1.jpg"
snap "$D/h2.jpg"
run_scrub "$D/h1.jpg"
assert_rc "hard-linked file refused" 2
assert_grep "$T/err" "hard link" "refusal mentions hard links"
assert_grep "$T/err" "h1.jpg" "refusal names the file"
assert_untouched "$D/h1.jpg"
assert_untouched "$D/h2.jpg"
assert_no_tempfiles "$D"
# in a walk both names are refused, other files still done
put_jpeg "$D/other.jpg"
run_scrub -r "$D"
assert_rc "walk over hard links" 2
assert_untouched "$D/h1.jpg"
assert_untouched "$D/h2.jpg"
assert_no_meta "$D/other.jpg"
assert_eq "two refusals" 2 "$(grep -c 'hard link' "$T/err")"
# --force replaces this name and warns; the other name keeps the original.
run_scrub --force "$D/h1.jpg"
assert_rc "--force on a hard-linked file" 0
assert_no_meta "$D/h1.jpg"
assert_meta "$D/h2.jpg"
assert_grep "$T/err" "hard link" "--force warns about the other names"
assert_eq "h2 now has one link" 1 "$(stat -c %h "$D/h2.jpg")"
# the risk is named even with -q (the other names still leak)
ln "$D/h2.jpg" "$D/h3.jpg"
run_scrub -q --force "$D/h2.jpg"
assert_rc "-q --force" 0
assert_no_meta "$D/h2.jpg"
assert_grep "$T/err" "hard link" "-q --force still warns"
rm -f "$D"/h*.jpg "$D/other.jpg"

# --- --no-sync swaps the names and unlinks the old file: same outcome -------------
put_jpeg "$D/n1.jpg" "$D/n2.jpg"
ln "$D/n1.jpg" "$D/n1-link.jpg"
chmod 0604 "$D/n2.jpg"
mkdir -p "$D/out"
run_scrub --no-sync --force "$D/n1.jpg" "$D/n2.jpg"
assert_rc "--no-sync replaces" 0
assert_no_meta "$D/n1.jpg"
assert_no_meta "$D/n2.jpg"
assert_meta "$D/n1-link.jpg"
assert_eq "--no-sync: the other name keeps one link" 1 "$(stat -c %h "$D/n1-link.jpg")"
assert_eq "--no-sync keeps the mode" 604 "$(stat -c %a "$D/n2.jpg")"
assert_no_tempfiles "$D"
run_scrub --no-sync -o "$D/out" "$D/n1-link.jpg"
assert_rc "--no-sync -o to a new name" 0
assert_no_meta "$D/out/n1-link.jpg"
assert_meta "$D/n1-link.jpg"
assert_no_tempfiles "$D/out"
rm -rf "$D"/n*.jpg "$D/out"

# --- times, mode, owner ----------------------------------------------------------
put_jpeg "$D/t.jpg" "$D/u.jpg"
for f in t u; do
	chmod 0640 "$D/$f.jpg"
	chown 1234:2345 "$D/$f.jpg" 2>/dev/null
	touch -a -d '2019-05-06 07:08:09.987654321' "$D/$f.jpg"
	touch -m -d '2020-01-02 03:04:05.123456789' "$D/$f.jpg"
done
owner=$(stat -c %u:%g "$D/t.jpg")
want=$(ns "$D/t.jpg")
assert_eq "fixture times" "1557126489987654321 1577934245123456789" "$want"
run_scrub -p "$D/t.jpg"
assert_rc "-p" 0
# (before anything reads the file: reading may update its atime)
assert_eq "-p keeps atime and mtime to the nanosecond" "$want" "$(ns "$D/t.jpg")"
assert_no_meta "$D/t.jpg"
assert_eq "mode kept (-p)" 640 "$(stat -c %a "$D/t.jpg")"
assert_eq "owner kept" "$owner" "$(stat -c %u:%g "$D/t.jpg")"
run_scrub "$D/u.jpg"
assert_rc "without -p" 0
mt=$(stat -c %Y "$D/u.jpg")
now=$(date +%s)
[ $((now - mt)) -lt 120 ] && pass || fail "without -p the mtime should be now, got $(stat -c %y "$D/u.jpg")"
assert_eq "mode kept (no -p)" 640 "$(stat -c %a "$D/u.jpg")"
assert_eq "owner kept (no -p)" "$owner" "$(stat -c %u:%g "$D/u.jpg")"
# -p in a grouped (multi-file, durable) batch too
put_jpeg "$D/g1.jpg" "$D/g2.jpg" "$D/g3.jpg"
touch -d '2018-03-04 05:06:07.000000001' "$D"/g?.jpg
chmod 0604 "$D/g2.jpg"
want=$(ns "$D/g2.jpg")
run_scrub -p -j 2 "$D"/g?.jpg
assert_rc "-p over a batch" 0
assert_eq "-p in a batch keeps times" "$want" "$(ns "$D/g2.jpg")"
assert_eq "mode kept in a batch" 604 "$(stat -c %a "$D/g2.jpg")"
assert_no_meta "$D"/g?.jpg
rm -f "$D"/*.jpg

# --- a directory the user cannot write -----------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP part: not root, cannot test as another user (testing as myself)"
	AS=()
elif command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
elif su nobody -s /bin/sh -c true 2>/dev/null; then
	AS=(su_nobody)
else
	AS=(none)
fi
su_nobody()
{
	local q
	q=$(printf '%q ' "$@")
	su nobody -s /bin/bash -c "$q"
}
if [ "${AS[0]:-}" = none ]; then
	echo "SKIP part: running as root and cannot drop privileges (no setpriv/su)"
else
	R=$(mktemp -d /tmp/scrub-ro.XXXXXX)
	chmod 0755 "$R"
	put_jpeg "$R/locked/in.jpg" "$R/locked/in2.jpg"
	if [ "$(id -u)" -eq 0 ]; then
		chown 65534:65534 "$R/locked/in.jpg" "$R/locked/in2.jpg"   # writable file...
	fi
	chmod 0555 "$R/locked"                      # ...in a directory that is not
	snap "$R/locked/in.jpg"
	snap "$R/locked/in2.jpg"
	if [ "${#AS[@]}" -eq 0 ] && [ -w "$R/locked" ]; then
		echo "SKIP part: directory stays writable for this user"
	else
		"${AS[@]}" "$SCRUB" "$R/locked/in.jpg" "$R/locked/in2.jpg" >"$T/out" 2>"$T/err"
		RC=$?
		assert_rc "file in a non-writable directory" 2
		assert_untouched "$R/locked/in.jpg"
		assert_untouched "$R/locked/in2.jpg"
		assert_grep "$T/err" "in.jpg" "error names the file"
		assert_grep "$T/err" "in2.jpg" "error names the second file"
		assert_no_tempfiles "$R"
		# single file (direct, unbatched path) too
		"${AS[@]}" "$SCRUB" "$R/locked/in.jpg" >"$T/out" 2>"$T/err"
		RC=$?
		assert_rc "single file in a non-writable directory" 2
		assert_untouched "$R/locked/in.jpg"
		assert_no_tempfiles "$R"
		# --check still works there (read only)
		"${AS[@]}" "$SCRUB" --check "$R/locked/in.jpg" >"$T/out" 2>"$T/err"
		RC=$?
		assert_rc "--check in a non-writable directory" 1
	fi
	chmod 0755 "$R/locked"
	rm -rf "$R"
fi

# --- a full disk -------------------------------------------------------------------
full_disk_checks()
{
	# full_disk_checks DIR HOW: DIR holds f1.jpg and f2.jpg, writes there fail.
	local dir=$1 how=$2
	assert_rc "$how: writes fail" 2
	assert_untouched "$dir/f1.jpg"
	assert_untouched "$dir/f2.jpg"
	assert_grep "$T/err" "f1.jpg" "$how: error names f1.jpg"
	assert_grep "$T/err" "f2.jpg" "$how: error names f2.jpg"
	assert_no_tempfiles "$dir"
}
M="$T/small"
mkdir -p "$M"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m tmpfs "$M" 2>/dev/null; then
	trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT
	put_jpeg "$M/f1.jpg" "$M/f2.jpg"
	snap "$M/f1.jpg"
	snap "$M/f2.jpg"
	dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
	run_scrub "$M/f1.jpg" "$M/f2.jpg"
	full_disk_checks "$M" "full tmpfs, batch"
	run_scrub --no-sync "$M/f1.jpg" "$M/f2.jpg"
	full_disk_checks "$M" "full tmpfs, --no-sync"
	run_scrub "$M/f1.jpg"
	assert_rc "full tmpfs, one file" 2
	assert_untouched "$M/f1.jpg"
	assert_no_tempfiles "$M"
	# room again: works
	rm -f "$M/filler"
	run_scrub "$M/f1.jpg" "$M/f2.jpg"
	assert_rc "tmpfs with room again" 0
	assert_no_meta "$M/f1.jpg" "$M/f2.jpg"
	umount "$M"
else
	echo "SKIP part: cannot mount a tmpfs here (using ulimit -f only)"
fi
# ulimit -f: the write fails with EFBIG (SIGXFSZ ignored).
put_jpeg "$D/f1.jpg" "$D/f2.jpg"
snap "$D/f1.jpg"
snap "$D/f2.jpg"
(trap '' XFSZ; ulimit -f 100; exec "$SCRUB" "$D/f1.jpg" "$D/f2.jpg") >"$T/out" 2>"$T/err"
RC=$?
full_disk_checks "$D" "ulimit -f"
(trap '' XFSZ; ulimit -f 100; exec "$SCRUB" -o "$D/copies" "$D/f1.jpg" "$D/f2.jpg") >"$T/out" 2>"$T/err"
RC=$?
full_disk_checks "$D" "ulimit -f with -o"

finish
