#!/usr/bin/env bash
# Batch engine: -r over a mixed tree, directory and non-image arguments,
# symbolic links (never followed in a walk, followed on the command line).
. "$(dirname "$0")/../lib.sh"

D="$T/tree"
put_jpeg "$D/a.jpg" "$D/sub/b.JPG" "$D/sub/deeper/c.jpeg" "$D/sub/deeper/named-png.png.jpg"
put_png "$D/p.png" "$D/sub/q.png"
put_webp "$D/w.webp" "$D/sub/deeper/v.webp"
printf 'plain text, not an image\n' >"$D/notes.txt"
printf 'GPS 48.8583 Artist Jane\n' >"$D/sub/deeper/readme"
: >"$D/sub/empty"
snap "$D/notes.txt"
snap "$D/sub/deeper/readme"
snap "$D/sub/empty"


# --- a directory without -r is an error --------------------------------
snap "$D/a.jpg"
run_scrub "$D"
assert_rc "directory without -r" 2
assert_grep "$T/err" "$D" "directory error names the directory"
assert_untouched "$D/a.jpg"
# ...also beside a good file: the good one is still done.
put_jpeg "$T/lone.jpg"
run_scrub "$D" "$T/lone.jpg"
assert_rc "directory without -r beside a file" 2
assert_no_meta "$T/lone.jpg"
assert_untouched "$D/a.jpg"

# --- a non-image on the command line is an error -------------------------
run_scrub "$D/notes.txt"
assert_rc "non-image named on the command line" 2
assert_grep "$T/err" "notes.txt" "non-image error names the file"
assert_untouched "$D/notes.txt"

# --- -r over the mixed tree ------------------------------------------------
run_scrub -r "$D"
assert_rc "-r over a mixed tree (non-images skipped quietly)" 0
assert_empty "$T/err" "stderr of a successful walk"
assert_empty "$T/out" "stdout of a successful walk"
assert_no_meta "$D/a.jpg" "$D/sub/b.JPG" "$D/sub/deeper/c.jpeg" "$D/sub/deeper/named-png.png.jpg"
for f in "$D/a.jpg" "$D/sub/b.JPG" "$D/sub/deeper/c.jpeg"; do
	assert_clean "$f"
done
assert_no_meta "$D/p.png" "$D/sub/q.png" "$D/w.webp" "$D/sub/deeper/v.webp"
assert_untouched "$D/notes.txt"
assert_untouched "$D/sub/deeper/readme"
assert_untouched "$D/sub/empty"
assert_no_tempfiles "$D"

# -v names the skipped files (and nothing goes wrong).
run_scrub -r -v "$D"
assert_rc "-r -v" 0
assert_grep "$T/out" "notes.txt" "-v names a skipped text file"
assert_grep "$T/out" "readme" "-v names a skipped text file"
assert_grep "$T/out" "skipped" "-v says skipped"
[ "$(wc -l <"$T/out")" -ge 11 ] && pass || fail "-v: expected one line per file, got: $(cat "$T/out")"
# --json: skipped files are objects with status skipped; the images clean.
run_scrub -r --json "$D"
assert_rc "-r --json over a scrubbed tree" 0
assert_jsonl "$T/out" 11
st=$(json_field "$T/out" status)
printf '%s\n' "$st" | grep -q "notes.txt'	skipped" && pass || fail "--json: notes.txt not skipped: $st"
printf '%s\n' "$st" | grep -q "a.jpg'	clean" && pass || fail "--json: a.jpg not clean on the 2nd run: $st"

# --- special files: a FIFO must not block the run --------------------------------
F="$T/special"
put_jpeg "$F/ok.jpg"
mkfifo "$F/pipe.jpg"
timeout 20 "$SCRUB" "$F/pipe.jpg" "$F/ok.jpg" >"$T/out" 2>"$T/err"
RC=$?
[ "$RC" -ne 124 ] && pass || fail "a FIFO named on the command line hangs"
assert_rc "FIFO named on the command line is an error" 2
assert_grep "$T/err" "pipe.jpg" "FIFO error names it"
assert_no_meta "$F/ok.jpg"
put_jpeg "$F/ok.jpg"
timeout 20 "$SCRUB" -r "$F" >"$T/out" 2>"$T/err"
RC=$?
assert_rc "FIFO in a walk is skipped" 0
assert_no_meta "$F/ok.jpg"
[ -p "$F/pipe.jpg" ] && pass || fail "FIFO replaced"
run_scrub /dev/null
assert_rc "character device on the command line" 2

# --- symbolic links ----------------------------------------------------------
S="$T/links"
O="$T/outside"
put_jpeg "$S/real.jpg" "$O/target.jpg" "$O/dir/indir.jpg" "$O/cmdline.jpg"
snap "$O/target.jpg"
snap "$O/dir/indir.jpg"
ln -s "$O/target.jpg" "$S/link-to-file.jpg"
ln -s "$O/dir" "$S/link-to-dir"
ln -s ../links "$S/loop"                  # a directory loop
ln -s self-a "$S/self-b"; ln -s self-b "$S/self-a"   # a link loop
ln -s /nonexistent/x.jpg "$S/dangling.jpg"
timeout 20 "$SCRUB" -r "$S" >"$T/out" 2>"$T/err"
RC=$?
[ "$RC" -ne 124 ] && pass || fail "walk with symlink loops hung"
assert_rc "walk with links (links are not followed)" 0
assert_no_meta "$S/real.jpg"
assert_untouched "$O/target.jpg"
assert_untouched "$O/dir/indir.jpg"
for l in link-to-file.jpg link-to-dir loop self-a self-b dangling.jpg; do
	[ -L "$S/$l" ] && pass || fail "$l is no longer a symlink after a walk"
done
assert_no_tempfiles "$S"
assert_no_tempfiles "$O"

# A link named on the command line is followed: target scrubbed, link kept.
ln -s "$O/cmdline.jpg" "$T/cmdlink.jpg"
ln -s ../outside/cmdline.jpg "$S/rel-link.jpg"
run_scrub "$T/cmdlink.jpg"
assert_rc "symlink on the command line" 0
[ -L "$T/cmdlink.jpg" ] && pass || fail "command-line symlink was replaced by a file"
assert_eq "link target unchanged" "$O/cmdline.jpg" "$(readlink "$T/cmdlink.jpg")"
assert_no_meta "$O/cmdline.jpg"
assert_no_tempfiles "$T"
# ...also a relative link in another directory, given with a path.
put_jpeg "$O/cmdline.jpg"
run_scrub "$S/rel-link.jpg"
assert_rc "relative symlink on the command line" 0
[ -L "$S/rel-link.jpg" ] && pass || fail "relative symlink was replaced by a file"
assert_no_meta "$O/cmdline.jpg"
# A dangling link on the command line is an error naming it.
run_scrub "$S/dangling.jpg"
assert_rc "dangling symlink on the command line" 2
assert_grep "$T/err" "dangling.jpg" "dangling link error names it"
# A link to a directory named with -r is walked (it was named, not found).
run_scrub -r "$S/link-to-dir"
assert_rc "-r on a command-line link to a directory" 0
assert_no_meta "$O/dir/indir.jpg"
[ -L "$S/link-to-dir" ] && pass || fail "link to dir replaced"

finish
