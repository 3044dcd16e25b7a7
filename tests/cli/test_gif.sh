#!/usr/bin/env bash
# GIF end to end. Generated fixtures (tests/gen-gif-fixtures.sh) and the
# shared corpus, scrubbed in place: structurally clean (giftool check-clean,
# since exiftool misses ImageMagick's IPTC, plain text, unknown extensions
# and trailing bytes), clean by exiftool's allowlist, planted text gone,
# every frame identical (Pillow RGBA, duration, disposal, transparency, loop;
# and the blocks' own timing), valid (gifsicle, giftext), mode kept,
# idempotent; clean files untouched. Broken fixtures and hostile/gif are
# refused untouched with one line, or cleaned validly; never a crash.
. "$(dirname "$0")/../lib.sh"
need gifsicle giftext convert exiftool
need_pillow
gen_format_fixtures gif

W=$T/work
mkdir -p "$W"
mapfile -t names < <(cut -f1 "$FX/list.tsv")
orig=() out=() pairs=()
for name in "${names[@]}"; do
	cp "$FX/$name" "$W/$name"
	chmod 640 "$W/$name"
	orig+=("$FX/$name")
	out+=("$W/$name")
	pairs+=("$FX/$name" "$W/$name")
done

for name in "${names[@]}"; do
	f=$W/$name
	IFS='|' read -ra strings <<<"$(list_field "$name" 3)"
	if has_content "$name" clean; then
		assert_structure_clean gif "$f"
	else
		# The fixture carries what the list says, or the test proves nothing.
		[ ${#strings[@]} -eq 0 ] || assert_has_text "$f" "${strings[@]}"
		check "$name: fixture is not clean to begin with" eval '! giftool check-clean "$f" >/dev/null'
	fi
	snap "$f"
	run_scrub "$f"
	assert_rc "$name: scrub" 0
	check "$name: nothing printed" test ! -s "$T/out" -a ! -s "$T/err"
	if has_content "$name" clean; then
		assert_untouched "$f"
	else
		check "$name: file was rewritten" eval '! cmp -s "$FX/$name" "$f"'
	fi
	[ ${#strings[@]} -eq 0 ] || assert_no_text "$f" "${strings[@]}"
	assert_structure_clean gif "$f"
	assert_valid_gif "$f"
	assert_eq "$name: mode kept" 640 "$(stat -c %a "$f")"
	assert_eq "$name: header version kept" "$(head -c 6 "$FX/$name")" "$(head -c 6 "$f")"
	assert_eq "$name: image blocks and their GCEs" "$(giftool image-blocks "$FX/$name")" \
		"$(giftool image-blocks "$f")"
done
assert_clean_all "${out[@]}"
assert_same_gif_frames "${pairs[@]}"
assert_no_tempfiles "$W"

# Scrubbing twice is scrubbing once: the second run leaves every file alone.
for f in "${out[@]}"; do
	snap "$f"
done
run_scrub "${out[@]}"
assert_rc "second scrub" 0
for f in "${out[@]}"; do
	assert_untouched "$f"
done
run_scrub --check "${out[@]}"
assert_rc "--check after scrub finds nothing" 0

# --- what stays and what goes, block by block ---------------------------------

gce_count() { giftool dump "$1" | grep -c '^gce'; }
for name in "${names[@]}"; do
	has_content "$name" plaintext || continue
	want=$(gce_count "$FX/$name")
	has_content "$name" gce-goes && want=$((want - 1))
	assert_eq "$name: graphic control extensions left" "$want" "$(gce_count "$W/$name")"
done
dump_has() { giftool dump "$1" | grep -q "$2"; }
check "ICC kept by default (ImageMagick)" dump_has "$W/im-icc.gif" 'ident=ICCRGBG1012'
check "ICC kept by default (byte-built)" dump_has "$W/bb-everything.gif" 'ident=ICCRGBG1012'
assert_eq "ICC profile bytes unchanged" "$(icc_sum "$FX/im-icc.gif")" "$(icc_sum "$W/im-icc.gif")"
check "NETSCAPE2.0 loop kept" dump_has "$W/gs-anim.gif" 'ident=NETSCAPE2.0 loop=3'
check "ANIMEXTS1.0 loop kept" dump_has "$W/bb-animexts.gif" 'ident=ANIMEXTS1.0 loop=4'
check "loop count kept without its extra sub-block" dump_has "$W/bb-loop-extra.gif" 'loop=5 bytes=3 '
check "GCE kept without its extra sub-block" dump_has "$W/bb-gce-extra.gif" 'delay=7 .*canonical=True'
check "300 frames kept" eval '[ "$(giftool dump "$W/bb-many.gif" | grep -c ^image)" = 300 ]'
check "the trailer ends the file" eval '[ "$(tail -c 1 "$W/bb-trailer.gif" | od -An -tx1 | tr -d " ")" = 3b ]'

for f in im-icc bb-everything clean-anim; do
	cp "$FX/$f.gif" "$W/none-$f.gif"
	run_scrub --keep none "$W/none-$f.gif"
	assert_rc "--keep none $f" 0
	assert_structure_clean gif "$W/none-$f.gif" --no-icc
	assert_valid_gif "$W/none-$f.gif"
	pairs_none+=("$FX/$f.gif" "$W/none-$f.gif")
done
assert_same_gif_frames "${pairs_none[@]}"

# --verify decodes every frame with giflib, timing included, before replacing.
cp "$FX/bb-everything.gif" "$W/verify.gif"
run_scrub --verify "$W/verify.gif"
assert_rc "--verify on an animation" 0
check "--verify wrote the clean file" eval 'cmp -s "$W/verify.gif" "$W/bb-everything.gif"'

# --- reports ------------------------------------------------------------------

json() { "$SCRUB" --report --json "$1" | "$PYTHON" -c 'import json, sys
o = json.loads(sys.stdin.readline())
print(eval(sys.argv[1]))' "$2"; }
assert_eq "report: format" gif "$(json "$FX/gs-anim.gif" 'o["format"]')"
assert_eq "report: size and frames" "(40, 30, 3)" "$(json "$FX/gs-anim.gif" 'o["width"], o["height"], o["frames"]')"
assert_eq "report: comment text" "['PlantedGifCommentMagick']" \
	"$(json "$FX/im-comment.gif" '[t["value"] for t in o["findings"]["other"]["text"] if t["keyword"] == "Comment"]')"
assert_eq "report: plain text" "['PlantedGifPlainAlone']" \
	"$(json "$FX/bb-plaintext.gif" '[t["value"] for t in o["findings"]["other"]["text"] if t["keyword"] == "Plain text"]')"
assert_eq "report: XMP creator" PlantedGifXmpCreator "$(json "$FX/et-xmp.gif" 'o["findings"]["identity"]["creator"]')"
assert_eq "report: IPTC city from MGKIPTC0000" PlantedGifIptcCity \
	"$(json "$FX/im-iptc.gif" 'o["findings"]["location"]["city"]')"
assert_eq "report: kinds of bb-everything" \
	"['comment', 'xmp', 'iptc', 'photoshop', 'iptc', 'jumbf', 'icc', 'unknown', 'text', 'trailer']" \
	"$(json "$FX/bb-everything.gif" '[f["kind"] for f in o["found"] if f["kind"] != "image"]')"
assert_eq "report: ICC kept, the rest removed" "['keep']" \
	"$(json "$FX/bb-everything.gif" 'sorted({f["action"] for f in o["found"] if f["kind"] == "icc"})')"
run_scrub --report "$FX/bb-everything.gif"
assert_rc "--report on a dirty GIF" 1
check "text report names the XMP packet" grep -q 'remove xmp .*XMP DataXMP' "$T/out"

# --- broken files: refused, untouched, one line ---------------------------------

assert_refuses_listed "$FX" "$W"

# --- the shared corpus ----------------------------------------------------------

if [ -d "$SCRUB_SHARED/corpus/real/gif" ]; then
	C=$T/corpus
	mkdir -p "$C"
	cpairs=() couts=()
	for src in "$SCRUB_SHARED"/corpus/real/gif/*.gif; do
		f=$C/$(basename "$src")
		cp "$src" "$f"
		run_scrub "$f"
		assert_rc "corpus $(basename "$src")" 0
		assert_structure_clean gif "$f"
		assert_valid_gif "$f"
		cpairs+=("$src" "$f")
		couts+=("$f")
		# Every comment and XMP text the original shows is gone.
		while IFS= read -r text; do
			assert_no_text "$f" "$text"
		done < <(giftool dump "$src" | sed -n "s/^comment .* text=b'\\([A-Za-z0-9 ]\\{6,\\}\\).*/\\1/p")
	done
	assert_clean_all "${couts[@]}"
	assert_same_gif_frames "${cpairs[@]}"
	for f in "${couts[@]}"; do
		snap "$f"
	done
	run_scrub "${couts[@]}"
	for f in "${couts[@]}"; do
		assert_untouched "$f"
	done
fi

if [ -d "$SCRUB_SHARED/corpus/hostile/gif" ]; then
	H=$T/hostile
	mkdir -p "$H"
	for src in "$SCRUB_SHARED"/corpus/hostile/gif/*.gif; do
		name=$(basename "$src")
		f=$H/$name
		cp "$src" "$f"
		run_scrub "$f"
		case $RC in
		2)
			assert_one_line_error "$name"
			check "$name: refused and untouched" cmp -s "$src" "$f" ;;
		0)
			assert_structure_clean gif "$f"
			check "$name: still read by gifsicle as before" eval \
				'[ "$(gifsicle --info "$src" 2>/dev/null | grep -c "image #")" = "$(gifsicle --info "$f" 2>/dev/null | grep -c "image #")" ]'
			# The blocks that draw the picture are the same bytes, whatever decodes them.
			assert_eq "$name: image blocks and their GCEs" "$(giftool image-blocks "$src")" \
				"$(giftool image-blocks "$f")"
			if giftool frames "$src" >/dev/null 2>&1; then
				assert_same_gif_frames "$src" "$f"
			fi ;;
		*)
			fail "$name: exit $RC ($(head -c 200 "$T/err"))" ;;
		esac
	done
	assert_no_tempfiles "$H"
fi

finish
