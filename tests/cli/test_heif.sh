#!/bin/bash
# HEIF, HEIC and AVIF end to end: the generated fixtures
# (tests/gen-heif-fixtures.sh) and the shared corpus (real/heic, real/avif
# and the HEIF files in real/other) are scrubbed in place and must come out
# clean by SPEC 1.3 twice over: by the structure (tests/isobmff.py
# check-clean: no Exif, mime or uri item, no sefd/mpvd/uuid/free box, no
# thumbnail or auxiliary but alpha, every extent inside an mdat or idat)
# and by exiftool; no planted string may remain; libheif (through
# ImageMagick) must decode the same pixels; heif-info, heif-convert,
# exiftool and ImageMagick must read the result without a warning the
# original did not give; a second scrub must change nothing. Files scrub
# must refuse, and broken ones, stay byte-identical with one message line.
. "$(dirname "$0")/../lib.sh"
need heif-enc heif-info heif-convert exiftool convert
need_pillow

ISO=$SCRUB_SRC/tests/isobmff.py
FX=$T/fx
if ! PYTHON=$PYTHON bash "$SCRUB_SRC/tests/gen-heif-fixtures.sh" "$FX" >"$T/gen.log" 2>&1; then
	cat "$T/gen.log" >&2
	fail "cannot generate the HEIF fixtures"
	finish
fi
W=$T/w
mkdir -p "$W"

field() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$FX/list.tsv"; }
names() { awk -F'\t' -v e="$1" '$2 == e { print $1 }' "$FX/list.tsv"; }
has_kept() { case ",$(field "$1" 3)," in *",$2,"*) return 0 ;; esac; return 1; }

# examine FILE: decodes it once through every reader and keeps, in $T/seen,
# the hash of the pixels as libheif decodes them (ImageMagick's HEIC/AVIF
# coder, RGBA) and the warnings heif-info, heif-convert, exiftool and
# ImageMagick print for it (the file's own name taken out).
examine()
{
	local key
	key=$T/seen/$(printf '%s' "$1" | sha256sum | cut -c1-16)
	mkdir -p "$T/seen"
	[ -f "$key.px" ] && return
	convert "$1" rgba:- 2>"$key.im" >"$T/seen/rgba"
	sha256sum <"$T/seen/rgba" | cut -d' ' -f1 >"$key.px"
	[ -s "$T/seen/rgba" ] && echo 1 >"$key.decodes" || echo 0 >"$key.decodes"
	{
		cat "$key.im"
		heif-info "$1" 2>&1 >/dev/null
		heif-convert --quiet "$1" "$T/seen/decoded.y4m" 2>&1
	} | sed "s|$1||g" | sort -u >"$key.warn"
	rm -f "$T/seen/decoded.y4m" "$T/seen/rgba"
}
seen() { examine "$1"; cat "$T/seen/$(printf '%s' "$1" | sha256sum | cut -c1-16).$2"; }

# exiftool's -validate warnings for many files in one run (it starts slowly),
# appended to what examine keeps for each.
exiftool_warnings_all()
{
	local f
	for f in "$@"; do
		examine "$f"
	done
	xt -q -q -validate -warning -a -s -- "$@" 2>&1 | awk -v dir="$T/seen" '
		/^======== / { file = substr($0, 10); next }
		/Validate/ { next }
		{ print file "\t" $0 }' >"$T/seen/exiftool.tsv"
	for f in "$@"; do
		local key
		key=$T/seen/$(printf '%s' "$f" | sha256sum | cut -c1-16)
		{
			cat "$key.warn"
			if [ $# -eq 1 ]; then cut -f2- "$T/seen/exiftool.tsv"; else
				awk -F'\t' -v f="$f" '$1 == f { print $2 }' "$T/seen/exiftool.tsv"; fi
		} | sort -u >"$key.all"
		mv "$key.all" "$key.warn"
	done
}

pixels_of() { seen "$1" px; }
decodes() { [ "$(seen "$1" decodes)" = 1 ]; }

check_structure()
{
	local out
	out=$("$PYTHON" "$ISO" check-clean "$1" 2>&1)
	if [ $? -eq 0 ]; then
		pass
	else
		fail "structure of $1: $(printf '%s' "$out" | head -4 | tr '\n' ';')"
	fi
}

assert_no_new_warnings()
{
	local new
	new=$(comm -13 <(seen "$1" warn) <(seen "$2" warn))
	if [ -z "$new" ]; then
		pass
	else
		fail "$2 gives new warnings: $(printf '%s' "$new" | head -4 | tr '\n' ';')"
	fi
}

# kept_items FILE: "type hash" of every item, the ones a scrub must keep byte for byte.
item_hashes() { "$PYTHON" "$ISO" items "$1" | awk '{ print $1, $2, $5 }'; }

# A second scrub of a scrubbed file changes nothing: not its bytes, inode or mtime.
assert_idempotent()
{
	snap "$1"
	"$SCRUB" "$1" 2>"$T/again.err"
	assert_eq "second scrub of $1 exits 0" 0 $?
	assert_untouched "$1"
}

assert_kept_features()
{
	local name=$1 out=$2 dump
	dump=$("$PYTHON" "$ISO" dump "$out")
	if has_kept "$name" alpha; then
		check "$name: alpha kept" grep -qE "aux='urn:mpeg:(hevc:2015:auxid:1|mpegB:cicp:systems:auxiliary:alpha)'" <<<"$dump"
	fi
	if has_kept "$name" icc; then
		check "$name: ICC kept" grep -q 'colr @.* prof [1-9][0-9]* bytes' <<<"$dump"
	fi
	if has_kept "$name" nclx; then
		check "$name: nclx colour kept" grep -q 'colr @.* nclx' <<<"$dump"
	fi
	if has_kept "$name" grid; then
		check "$name: grid kept" grep -qE '^item [0-9]+ grid ' <<<"$dump"
	fi
	for p in irot imir; do
		if has_kept "$name" "$p"; then
			check "$name: $p kept" grep -q "^ *$p @" <<<"$dump"
		fi
	done
}

# --- fixtures with metadata: scrubbed clean --------------------------------------
scrubbed=()
pairs=() # original, scrubbed: compared for new warnings once all are done
for name in $(names scrub); do
	in=$FX/$name out=$W/$name
	cp "$in" "$out"
	planted=$(field "$name" 5 | tr '|' '\n' | sed '/^$/d')
	# shellcheck disable=SC2086
	[ -n "$planted" ] && assert_has_text "$in" $planted
	run_scrub "$out"
	assert_rc "scrub $name" 0
	check "$name: nothing on stderr" [ ! -s "$T/err" ]
	check_structure "$out"
	# shellcheck disable=SC2086
	[ -n "$planted" ] && assert_no_text "$out" $planted
	if has_kept "$name" nolibheif; then
		# libheif 1.15 cannot read these inputs: the image item's bytes are compared.
		assert_eq "$name: image bytes" "$(item_hashes "$in" | grep -E '^[0-9]+ (hvc1|av01) ' | head -1)" \
			"$(item_hashes "$out" | grep -E '^[0-9]+ (hvc1|av01) ' | head -1)"
	else
		assert_eq "$name: pixels" "$(pixels_of "$in")" "$(pixels_of "$out")"
		check "$name: pixels decoded" decodes "$out"
		pairs+=("$in" "$out")
	fi
	assert_kept_features "$name" "$out"
	assert_idempotent "$out"
	scrubbed+=("$out")
done
check "scrub fixtures were found" [ "${#scrubbed[@]}" -gt 40 ]
assert_clean_all "${scrubbed[@]}"

# --- nothing to remove: not rewritten ---------------------------------------------
for name in $(names clean); do
	cp "$FX/$name" "$W/$name"
	snap "$W/$name"
	run_scrub "$W/$name"
	assert_rc "scrub $name (clean)" 0
	assert_untouched "$W/$name"
	run_scrub --check "$W/$name"
	assert_rc "--check $name (clean)" 0
	check_structure "$W/$name"
	assert_kept_features "$name" "$W/$name"
done

# --- refused and broken files: untouched, one line naming the file -----------------
for expect in refuse bad; do
	for name in $(names "$expect"); do
		cp "$FX/$name" "$W/$name"
		snap "$W/$name"
		assert_refused "$W/$name"
		if [ "$expect" = refuse ]; then
			check "$name: says not supported" grep -q "cannot clean '.*': .* not supported; its metadata stays" "$T/err"
		fi
		run_scrub --check "$W/$name"
		check "--check $name ($expect) is not clean" [ "$RC" -ge 1 ]
		assert_untouched "$W/$name"
	done
done
check "refusals were found" [ "$(names refuse | wc -l)" -ge 7 ]
run_scrub -n --json "$FX/refuse-moov.heic"
check "a refused HEIF is unsupported in --json" grep -q '"status": "unsupported"' "$T/out"
run_scrub -n --json "$FX/bad-extent-eof.heic"
check "a broken HEIF is an error in --json" grep -q '"status": "error"' "$T/out"

# --- policies and reports -------------------------------------------------------------
cp "$FX/icc-exif.heic" "$W/stripall.heic"
run_scrub --strip-all "$W/stripall.heic"
assert_rc "--strip-all on an ICC HEIC" 0
check "--strip-all: no ICC colr left" eval '! "$PYTHON" "$ISO" dump "$W/stripall.heic" | grep -q "colr @.* prof"'
check "--strip-all: structure" "$PYTHON" "$ISO" check-clean "$W/stripall.heic"
assert_eq "--strip-all: pixels" "$(pixels_of "$FX/icc-exif.heic")" "$(pixels_of "$W/stripall.heic")"
check "--strip-all: exiftool sees no ICC" eval '! exiftool -a -G1 -s "$W/stripall.heic" | grep -q "^\[ICC"'

cp "$FX/xt-stripped.heic" "$W/stubs.heic"
"$SCRUB" "$W/stubs.heic"
check "exiftool's zero-length stubs are gone" eval '! "$PYTHON" "$ISO" dump "$W/stubs.heic" | grep -qE "item [0-9]+ (Exif|mime)"'

for name in enc-exif-xmp.heic grid2x2.heic alpha-exif.avif irot-imir.heic; do
	cp "$FX/$name" "$W/verify-$name"
	run_scrub --verify "$W/verify-$name"
	assert_rc "--verify $name" 0
	check "--verify $name: scrubbed" "$PYTHON" "$ISO" check-clean "$W/verify-$name"
done

# libheif 1.15 would hang on these; scrub cleans them, and libheif reads the result.
for name in deflate-empty.heic deflate-truncated.heic; do
	check "$name: libheif reads the scrubbed file" timeout 60 heif-info "$W/$name"
	cp "$FX/$name" "$W/verify-$name"
	snap "$W/verify-$name"
	run_scrub --verify "$W/verify-$name"
	assert_rc "--verify $name refuses (the original cannot be decoded safely)" 2
	assert_untouched "$W/verify-$name"
done

run_scrub -n --json "$FX/gainmap-apple.heic"
assert_rc "--report of a dirty HEIC" 1
check "report: gain map removed" grep -q '"kind": "gain_map", "action": "remove"' "$T/out"
check "report: HDR loss said in JSON" grep -q '"loss": "HDR rendering lost"' "$T/out"
check "report: GPS from the Exif item" grep -q '"gps": {"lat": 48.8583' "$T/out"
check "report: camera" grep -q '"make": "PlantedByteMake"' "$T/out"
check "report: serial" grep -q 'PlantedByteSerial' "$T/out"
run_scrub -n "$FX/gainmap-apple.heic"
check "report: gain map row says HDR rendering is lost" grep -q 'gain map .*HDR rendering lost' "$T/out"
cp "$FX/gainmap-apple.heic" "$W/v.heic"
run_scrub -v "$W/v.heic"
check "-v line: gain map and HDR loss" grep -q 'removed .*gain_map.*; HDR rendering lost$' "$T/out"
run_scrub -n --json "$FX/top-boxes.heic"
check "report: sefd is a trailer" grep -q '"kind": "trailer", "action": "remove", "bytes": 89, "label": "Samsung sefd"' "$T/out"
check "report: mpvd is a video" grep -q '"kind": "video", "action": "remove"' "$T/out"
check "report: C2PA uuid is JUMBF" grep -q '"kind": "jumbf", "action": "remove"' "$T/out"
run_scrub -n --json "$FX/enc-deflate-xmp.heic"
check "report: deflated XMP decoded" grep -q 'PlantedHeifXmpCreator' "$T/out"
run_scrub -n --json "$FX/irot-imir.heic"
check "report: size turned by irot" grep -q '"width": 96, "height": 128' "$T/out"
run_scrub -n --json "$FX/enc-alpha.avif"
assert_rc "--report of a clean AVIF" 0
check "report: probe sees alpha" grep -q '"components": 4' "$T/out"

# --- the shared corpus ----------------------------------------------------------------
R=$SCRUB_SHARED/corpus/real
corpus=()
if [ -d "$R" ]; then
	# ISOBMFF files by content: "ftyp" at byte 4 (a JPEG XL container starts "JXL ").
	for f in "$R"/heic/* "$R"/avif/* "$R"/other/*; do
		[ "$(dd if="$f" bs=1 skip=4 count=4 2>/dev/null)" = ftyp ] && corpus+=("$f")
	done
	check "corpus HEIF files found" [ "${#corpus[@]}" -ge 15 ]
fi
outs=()
for f in "${corpus[@]}"; do
	out=$W/corpus-$(basename "$f")
	cp "$f" "$out"
	run_scrub "$out"
	assert_rc "scrub $(basename "$f")" 0
	check_structure "$out"
	if decodes "$f"; then
		assert_eq "$(basename "$f"): pixels" "$(pixels_of "$f")" "$(pixels_of "$out")"
	else # exiftool's QuickTime.heic: stand-in bytes, not HEVC; its items are compared
		assert_eq "$(basename "$f"): primary bytes" "$(item_hashes "$f" | head -1)" \
			"$(item_hashes "$out" | head -1)"
	fi
	pairs+=("$f" "$out")
	assert_idempotent "$out"
	outs+=("$out")
done
[ "${#outs[@]}" -gt 0 ] && assert_clean_all "${outs[@]}"

exiftool_warnings_all "${pairs[@]}"
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
	assert_no_new_warnings "${pairs[i]}" "${pairs[i + 1]}"
done

finish
