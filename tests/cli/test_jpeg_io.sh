#!/usr/bin/env bash
# JPEG input and output paths: content sniffing, bad input, stdin/stdout,
# hard and symbolic links, -o, -p, quiet output and the basic command line.
. "$(dirname "$0")/../lib.sh"
gen_fixtures

W=$T/work
mkdir -p "$W"

# Reference: what an in-place default scrub of gps.jpg produces.
cp "$FX/gps.jpg" "$T/ref.jpg"
run_scrub "$T/ref.jpg"
assert_rc "reference scrub" 0
assert_clean "$T/ref.jpg"

# --- recognised by content, never by name ------------------------------------
for n in UPPER.JPG lower.jpeg noext "dot.jpg.txt" "sp ace.png"; do
	cp "$FX/gps.jpg" "$W/$n"
done
run_scrub "$W/UPPER.JPG" "$W/lower.jpeg" "$W/noext" "$W/dot.jpg.txt" "$W/sp ace.png"
assert_rc "odd names" 0
for n in UPPER.JPG lower.jpeg noext "dot.jpg.txt" "sp ace.png"; do
	assert_same_bytes "$T/ref.jpg" "$W/$n"
done

# A text file named .jpg, an empty file, garbage after a JPEG signature.
printf 'GPS 48.858370 PlantedArtistZorblax, not an image\n' >"$W/text.jpg"
: >"$W/empty.jpg"
{ printf '\377\330\377'; head -c 300 /dev/urandom; } >"$W/garbage.jpg"
size=$(stat -c %s "$FX/gps.jpg")
head -c $((size - 40)) "$FX/gps.jpg" >"$W/truncated.jpg" # cut inside the scan data
head -c 200 "$FX/gps.jpg" >"$W/cut-in-exif.jpg"
for n in text.jpg empty.jpg garbage.jpg truncated.jpg cut-in-exif.jpg; do
	snap "$W/$n"
	for mode in "" --report --check --json; do
		# shellcheck disable=SC2086
		run_scrub $mode "$W/$n"
		assert_rc "$n ${mode:-scrub}" 2
		assert_one_line_error "$W/$n"
		assert_untouched "$W/$n"
	done
done
run_scrub "$W/text.jpg"
check "text.jpg: the message says what is wrong" grep -qiE "not (a|an) .*image|not a JPEG|unsupported|unrecognised|unrecognized" "$T/err"
run_scrub "$W/truncated.jpg"
check "truncated.jpg: the message says truncated" grep -qiE "truncat|ends|end of file|short" "$T/err"

# One bad file does not stop the batch; trouble gives 2.
cp "$FX/gps.jpg" "$W/good1.jpg"
cp "$FX/xmp.jpg" "$W/good2.jpg"
run_scrub "$W/good1.jpg" "$W/truncated.jpg" "$W/good2.jpg"
assert_rc "batch with a truncated file" 2
assert_one_line_error "$W/truncated.jpg"
assert_clean_all "$W/good1.jpg" "$W/good2.jpg"
assert_untouched "$W/truncated.jpg"
assert_no_tempfiles "$W"

# --- stdin and stdout ------------------------------------------------------------
cp "$FX/gps.jpg" "$W/in.jpg"
snap "$W/in.jpg"
"$SCRUB" - <"$W/in.jpg" >"$T/stdin-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub -" 0
assert_same_bytes "$T/ref.jpg" "$T/stdin-out.jpg"
check "scrub - prints nothing on stderr" test ! -s "$T/err"
"$SCRUB" -c "$W/in.jpg" >"$T/c-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub -c" 0
assert_same_bytes "$T/ref.jpg" "$T/c-out.jpg"
"$SCRUB" --stdout "$W/in.jpg" >"$T/stdout-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub --stdout" 0
assert_same_bytes "$T/ref.jpg" "$T/stdout-out.jpg"
assert_untouched "$W/in.jpg"
assert_same_pixels "$W/in.jpg" "$T/c-out.jpg"
# A clean input goes through unchanged.
"$SCRUB" -c "$FX/clean.jpg" >"$T/clean-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub -c clean" 0
assert_same_bytes "$FX/clean.jpg" "$T/clean-out.jpg"
# --keep applies to stdin too.
"$SCRUB" --keep icc - <"$FX/icc.jpg" >"$T/icc-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub --keep icc -" 0
assert_eq "stdin --keep icc: ICC bytes" "$(icc_sum "$FX/icc.jpg")" "$(icc_sum "$T/icc-out.jpg")"
assert_clean "$T/icc-out.jpg"
# Bad input on stdin: exit 2, no image bytes out.
"$SCRUB" - <"$W/truncated.jpg" >"$T/bad-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub - truncated" 2
check "scrub - truncated writes no image" test ! -s "$T/bad-out.jpg"
check "scrub - truncated: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
"$SCRUB" -c "$W/text.jpg" >"$T/bad-out.jpg" 2>"$T/err"
RC=$?
assert_rc "scrub -c text" 2
check "scrub -c text writes nothing" test ! -s "$T/bad-out.jpg"
# Reports read stdin too, and change nothing.
"$SCRUB" --report - <"$W/in.jpg" >"$T/out" 2>"$T/err"
RC=$?
assert_rc "--report -" 1
check "--report - names GPS" grep -qF 48.858370 "$T/out"
"$SCRUB" --check - <"$FX/clean.jpg" >"$T/out" 2>"$T/err"
RC=$?
assert_rc "--check - clean" 0
assert_untouched "$W/in.jpg"

# Image bytes never go to a terminal (script(1) gives stdout a pty).
if command -v script >/dev/null 2>&1; then
	for how in "-c '$W/in.jpg'" "- <'$W/in.jpg'"; do
		script -qec "'$SCRUB' $how" /dev/null >"$T/tty.out" 2>&1
		RC=$?
		cp "$T/tty.out" "$T/err"
		assert_rc "image to a terminal ($how)" 2
		check "terminal refusal explains itself" grep -q terminal "$T/tty.out"
		check "no JPEG bytes on the terminal" sh -c "! grep -q -a \"\$(printf '\\377\\330')\" '$T/tty.out'"
	done
	assert_untouched "$W/in.jpg"
else
	echo "script(1) missing: terminal refusal not tested"
fi

# --- hard links ----------------------------------------------------------------------
cp "$FX/gps.jpg" "$W/hl-a.jpg"
ln "$W/hl-a.jpg" "$W/hl-b.jpg"
snap "$W/hl-a.jpg"
snap "$W/hl-b.jpg"
run_scrub "$W/hl-a.jpg"
assert_rc "hard-linked file refused" 2
assert_one_line_error "$W/hl-a.jpg"
check "hard-link refusal mentions links" grep -qi "link" "$T/err"
assert_untouched "$W/hl-a.jpg"
assert_untouched "$W/hl-b.jpg"
# Only replacing is refused: reading a hard-linked file is fine.
"$SCRUB" -c "$W/hl-a.jpg" >"$T/hl-c.jpg" 2>"$T/err"
RC=$?
assert_rc "-c on a hard-linked file" 0
assert_same_bytes "$T/ref.jpg" "$T/hl-c.jpg"
run_scrub --check "$W/hl-a.jpg"
assert_rc "--check on a hard-linked file" 1
run_scrub -o "$T/hl-out" "$W/hl-a.jpg"
assert_rc "-o on a hard-linked file" 0
assert_untouched "$W/hl-a.jpg"
assert_untouched "$W/hl-b.jpg"
run_scrub --force "$W/hl-a.jpg"
assert_rc "--force on a hard link" 0
assert_clean "$W/hl-a.jpg"
check "--force warns that the other name keeps the metadata" grep -qi "link" "$T/err"
# The other name is a separate file now and still has everything.
assert_has_text "$W/hl-b.jpg" PlantedArtistZorblax
assert_eq "other link keeps the original bytes" "$(sha256sum <"$FX/gps.jpg")" "$(sha256sum <"$W/hl-b.jpg")"
assert_eq "link count after --force" 1 "$(stat -c %h "$W/hl-a.jpg")"

# --- symbolic links on the command line ---------------------------------------------
mkdir -p "$W/real" "$W/links"
cp "$FX/all.jpg" "$W/real/target.jpg"
ln -s ../real/target.jpg "$W/links/rel.jpg"
ln -s "$W/real/target.jpg" "$W/abs.jpg"
run_scrub "$W/links/rel.jpg"
assert_rc "scrub via relative symlink" 0
check "relative link is still a link" test -L "$W/links/rel.jpg"
assert_eq "relative link target unchanged" ../real/target.jpg "$(readlink "$W/links/rel.jpg")"
assert_clean "$W/real/target.jpg"
assert_same_pixels "$FX/all.jpg" "$W/real/target.jpg"
assert_no_tempfiles "$W"
cp "$FX/gps.jpg" "$W/real/target.jpg"
run_scrub "$W/abs.jpg"
assert_rc "scrub via absolute symlink" 0
check "absolute link is still a link" test -L "$W/abs.jpg"
assert_same_bytes "$T/ref.jpg" "$W/real/target.jpg"
# A dangling link is an error, not a crash.
ln -s "$W/nowhere.jpg" "$W/dangling.jpg"
run_scrub "$W/dangling.jpg"
assert_rc "dangling symlink" 2
assert_one_line_error "$W/dangling.jpg"
check "dangling link not replaced" test -L "$W/dangling.jpg"

# --- -o DIR: copies, originals untouched ------------------------------------------
cp "$FX/gps.jpg" "$W/o-src.jpg"
snap "$W/o-src.jpg"
run_scrub -o "$T/outdir" "$W/o-src.jpg"
assert_rc "-o" 0
assert_untouched "$W/o-src.jpg"
found=$(find "$T/outdir" -type f -name 'o-src.jpg' | head -1)
check "-o wrote a copy" test -n "$found"
[ -z "$found" ] || assert_same_bytes "$T/ref.jpg" "$found"

# --- times and modes ------------------------------------------------------------------
cp "$FX/gps.jpg" "$W/p.jpg"
chmod 604 "$W/p.jpg"
touch -d '2001-02-03 04:05:06.123456789' "$W/p.jpg"
run_scrub -p "$W/p.jpg"
assert_rc "-p" 0
assert_eq "-p keeps mtime" "2001-02-03 04:05:06.123456789" "$(stat -c %y "$W/p.jpg" | cut -c1-29)"
assert_eq "-p keeps mode" 604 "$(stat -c %a "$W/p.jpg")"
cp "$FX/gps.jpg" "$W/np.jpg"
touch -d '2001-02-03 04:05:06' "$W/np.jpg"
run_scrub "$W/np.jpg"
check "without -p a scrubbed file gets a new mtime" \
	test "$(stat -c %Y "$W/np.jpg")" -gt "$(date -d '2001-02-04' +%s)"

# --- output volume -------------------------------------------------------------------
cp "$FX/gps.jpg" "$W/q.jpg"
run_scrub -q "$W/q.jpg"
assert_rc "-q" 0
check "-q prints nothing" test ! -s "$T/out" -a ! -s "$T/err"
cp "$FX/gps.jpg" "$W/v.jpg"
run_scrub -v "$W/v.jpg"
assert_rc "-v" 0
check "-v names the file" grep -qF "$W/v.jpg" "$T/out"
run_scrub -q "$W/text.jpg"
assert_rc "-q bad file" 2
check "-q still prints errors" test -s "$T/err"

# --- command line ---------------------------------------------------------------------
run_scrub --help
assert_rc "--help" 0
check "--help on stdout" grep -q -- "--strip-all" "$T/out"
check "--help nothing on stderr" test ! -s "$T/err"
run_scrub -h
assert_rc "-h" 0
run_scrub --version
assert_rc "--version" 0
check "--version prints a version" grep -qE '[0-9]+\.[0-9]+' "$T/out"
cp "$FX/gps.jpg" "$W/opt.jpg"
snap "$W/opt.jpg"
for bad in --bogus -Z "--jobs 0" "--jobs x" "-j 99999999999999999999" "--keep" "-c $W/opt.jpg $W/opt.jpg"; do
	# shellcheck disable=SC2086
	run_scrub $bad "$W/opt.jpg"
	assert_rc "bad usage '$bad'" 2
	check "bad usage '$bad': message on stderr only" test -s "$T/err" -a ! -s "$T/out"
done
run_scrub
assert_rc "no arguments" 2
assert_untouched "$W/opt.jpg"
assert_no_tempfiles "$W"

finish
