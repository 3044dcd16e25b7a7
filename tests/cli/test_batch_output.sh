#!/usr/bin/env bash
# Batch engine: -o DIR writes cleaned copies, mirroring paths relative to
# each argument; originals stay byte-identical; DIR ends up complete.
. "$(dirname "$0")/../lib.sh"


D="$T/src"
put_jpeg "$D/a.jpg" "$D/sub/b.jpg" "$D/sub/deep/er/c.jpg" "$D/x y/d.jpg"
# an already-clean JPEG
convert -size 32x32 gradient:white-black "$D/sub/clean.jpg"
exiftool -q -q -overwrite_original -all= -- "$D/sub/clean.jpg"
printf 'text\n' >"$D/sub/notes.txt"
chmod 0640 "$D/sub/b.jpg"
before=$(tree_sums "$D")

# --- directory argument with -r ----------------------------------------------
run_scrub -r -o "$T/o" "$D"
assert_rc "-r -o DIR over a tree" 0
assert_empty "$T/err" "stderr of -o"
assert_eq "originals byte-identical after -o" "$before" "$(tree_sums "$D")"
for rel in a.jpg sub/b.jpg sub/deep/er/c.jpg "x y/d.jpg" sub/clean.jpg; do
	[ -f "$T/o/$rel" ] && pass || fail "-o: $rel not mirrored under DIR (have: $(cd "$T/o" 2>/dev/null && find . | tr '\n' ' '))"
done
assert_no_meta "$T/o/a.jpg" "$T/o/sub/b.jpg" "$T/o/sub/deep/er/c.jpg" "$T/o/x y/d.jpg"
assert_clean "$T/o/sub/deep/er/c.jpg"
assert_same_pixels "$D/a.jpg" "$T/o/a.jpg"
assert_same_bytes "$D/sub/clean.jpg" "$T/o/sub/clean.jpg"
assert_eq "mode kept on the copy" 640 "$(stat -c %a "$T/o/sub/b.jpg")"
[ ! -e "$T/o/sub/notes.txt" ] && pass || fail "-o: a skipped non-image was copied"
assert_no_tempfiles "$T/o"
assert_no_tempfiles "$D"
# Output identical to scrubbing in place.
cp -r "$D" "$T/inplace"
run_scrub -r "$T/inplace"
assert_same_bytes "$T/inplace/sub/deep/er/c.jpg" "$T/o/sub/deep/er/c.jpg"

# Running again over an existing output directory replaces the copies.
printf 'stale' >"$T/o/a.jpg"
run_scrub -r -o "$T/o" "$D"
assert_rc "-o into an existing DIR" 0
assert_same_bytes "$T/inplace/a.jpg" "$T/o/a.jpg"

# --- file arguments: DIR/basename --------------------------------------------
run_scrub -o "$T/flat" "$D/a.jpg" "$D/sub/b.jpg"
assert_rc "-o with file arguments" 0
[ -f "$T/flat/a.jpg" ] && [ -f "$T/flat/b.jpg" ] && pass ||
	fail "-o with file arguments: expected flat/a.jpg and flat/b.jpg, have: $(cd "$T/flat" 2>/dev/null && find . | tr '\n' ' ')"
assert_no_meta "$T/flat/a.jpg" "$T/flat/b.jpg"
assert_eq "originals byte-identical after -o with files" "$before" "$(tree_sums "$D")"

# --- output directory inside the walked tree ---------------------------------
cp -r "$D" "$T/self"
selfbefore=$(tree_sums "$T/self")
run_scrub -r -o "$T/self/cleaned" "$T/self"
assert_rc "-o DIR inside the walked tree (DIR new)" 0
[ ! -e "$T/self/cleaned/cleaned" ] && pass || fail "-o: walked into its own output directory"
assert_eq "tree outside the output unchanged" "$selfbefore" \
	"$(tree_sums "$T/self" | grep -v ' \./cleaned/')"
# second run: DIR exists now and must not be walked into either
run_scrub -r -o "$T/self/cleaned" "$T/self"
assert_rc "-o DIR inside the walked tree (DIR exists)" 0
[ ! -e "$T/self/cleaned/cleaned" ] && pass || fail "-o: walked into its existing output directory"
n=$(find "$T/self/cleaned" -type f | wc -l)
assert_eq "output directory holds one copy per image" 5 "$n"
# ...also when DIR is named by another spelling of the same path
run_scrub -r -o "$T/self/./cleaned/" "$T/self"
assert_rc "-o DIR (other spelling) inside the walked tree" 0
[ ! -e "$T/self/cleaned/cleaned" ] && pass || fail "-o: walked into DIR spelled differently"

# ...and when this run creates DIR inside an argument it walks later: the
# walk meets each folder as it goes, after DIR has appeared (with -j 1 and
# --no-sync the first argument's copies are in place before the second is
# read).
put_jpeg "$T/late/a/x.jpg" "$T/late/a/z.jpg" "$T/late/b/y.jpg"
run_scrub --no-sync -j 1 -r -o "$T/late/b/out" "$T/late/a" "$T/late/b"
assert_rc "-o DIR created in a later argument" 0
assert_eq "the late DIR holds one copy per image, none of its own" "out/x.jpg out/y.jpg out/z.jpg" \
	"$(cd "$T/late/b" && find out -type f | sort | tr '\n' ' ' | sed 's/ $//')"

# --- refusing to write over the input --------------------------------------
put_jpeg "$T/here/me.jpg"
snap "$T/here/me.jpg"
(cd "$T/here" && "$SCRUB" -o . me.jpg >"$T/out.txt" 2>"$T/err")
RC=$?
assert_rc "scrub -o . file.jpg in the file's directory" 2
assert_untouched "$T/here/me.jpg"
assert_grep "$T/err" "me.jpg" "refusal names the file"
assert_no_tempfiles "$T/here"
# same with -r: -o DIR equal to the walked directory
run_scrub -r -o "$T/here" "$T/here"
assert_rc "-r -o DIR where DIR is the walked directory" 2
assert_untouched "$T/here/me.jpg"
assert_no_tempfiles "$T/here"
# an output name that is a hard link of the input is the input too
mkdir -p "$T/hl"
ln "$T/here/me.jpg" "$T/hl/me.jpg"
snap "$T/here/me.jpg"
run_scrub -o "$T/hl" "$T/here/me.jpg"
assert_rc "-o where DIR/name is a hard link of the input" 2
assert_untouched "$T/here/me.jpg"
assert_meta "$T/hl/me.jpg"

# --- two inputs mapping to one output name ----------------------------------
# a/x.jpg and b/x.jpg with -o: the second must not silently replace the
# first one's copy; the first wins, the second is an error (exit 2).
put_jpeg "$T/clash/a/x.jpg"
mkdir -p "$T/clash/b"
convert -size 24x24 xc:red "$T/clash/b/x.jpg"
run_scrub -o "$T/clashout" "$T/clash/a/x.jpg" "$T/clash/b/x.jpg"
assert_rc "-o with two inputs of the same name" 2
assert_grep "$T/err" "b/x.jpg" "the clash names the later input"
assert_eq "the first input keeps its copy" "800x600" \
	"$("$PYTHON" -c 'import sys; from PIL import Image; print("%dx%d" % Image.open(sys.argv[1]).size)' "$T/clashout/x.jpg")"
assert_no_meta "$T/clashout/x.jpg"
# the same with two walked directories holding the same relative names
run_scrub -r -o "$T/clashout2" "$T/clash/a" "$T/clash/b"
assert_rc "-r -o over two directories with the same relative names" 2
assert_grep "$T/err" "b/x.jpg" "the walk clash names the later input"

# --- -o into a place that cannot be created ----------------------------------
printf 'x' >"$T/afile"
run_scrub -o "$T/afile/sub" "$D/a.jpg"
assert_rc "-o below a regular file" 2
assert_grep "$T/err" "a.jpg" "error names the file"

finish
