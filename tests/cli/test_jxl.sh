#!/usr/bin/env bash
# JPEG XL end to end. Generated fixtures (tests/gen-jxl-fixtures.sh: cjxl
# output, a JPEG recompressed with its comment and IPTC in jbrd, and
# byte-built Exif/xml/jumb/brob/unknown/64-bit/after-codestream boxes) and
# the shared corpus, scrubbed in place: structurally clean (jxltool: no
# Exif, xml , jumb, brob, jbrd or unknown box, codestream parts in order,
# nothing after the last box), planted text gone even inside Brotli
# streams, clean by exiftool's allowlist (which is blind to brob and jbrd),
# same pixels (djxl), valid (jxlinfo, djxl), idempotent; bare codestreams
# and clean containers untouched; codestream orientation and ICC kept, no
# EXIF orientation written; the report says what jbrd's removal costs.
. "$(dirname "$0")/../lib.sh"
need cjxl djxl jxlinfo convert exiftool
need_pillow
"$PYTHON" -c 'import brotli' 2>/dev/null || skip "$PYTHON has no brotli module"
gen_format_fixtures jxl

W=$T/work
mkdir -p "$W"
mapfile -t names < <(cut -f1 "$FX/list.tsv")
out=()
for name in "${names[@]}"; do
	cp "$FX/$name" "$W/$name"
	chmod 640 "$W/$name"
	out+=("$W/$name")
done

for name in "${names[@]}"; do
	f=$W/$name
	IFS='|' read -ra strings <<<"$(list_field "$name" 3)"
	if has_content "$name" clean; then
		assert_structure_clean jxl "$f"
	else
		check "$name: fixture is not clean to begin with" eval '! jxltool check-clean "$f" >/dev/null'
		jxltool unpack "$f" >"$T/unpacked"
		[ ${#strings[@]} -eq 0 ] || assert_has_text "$T/unpacked" "${strings[@]}"
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
	jxltool unpack "$f" >"$T/unpacked"
	[ ${#strings[@]} -eq 0 ] || assert_no_text "$T/unpacked" "${strings[@]}"
	assert_structure_clean jxl "$f"
	assert_valid_jxl "$f"
	assert_same_jxl_pixels "$FX/$name" "$f"
	assert_eq "$name: codestream byte for byte" "$(jxltool codestream "$FX/$name" | sha256sum)" \
		"$(jxltool codestream "$f" | sha256sum)"
	assert_eq "$name: mode kept" 640 "$(stat -c %a "$f")"
	assert_eq "$name: no EXIF orientation written" "" "$(tag "$f" IFD0:Orientation)"
	if has_content "$name" anim; then
		assert_eq "$name: frame durations" "$(jxlinfo "$FX/$name" | grep -E '^(frame|Animation)')" \
			"$(jxlinfo "$f" | grep -E '^(frame|Animation)')"
	fi
done
assert_clean_all "${out[@]}"
assert_no_tempfiles "$W"

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

# --- what stays -------------------------------------------------------------------

boxes() { jxltool dump "$1" | cut -c1-6 | tr '\n' ' '; }
assert_eq "bare codestream stays bare" "bare" "$(jxltool dump "$W/clean-bare.jxl" | awk '{ print $1 }')"
assert_eq "jxll kept, xml gone" "'JXL ' 'ftyp' 'jxll' 'jxlc' " "$(boxes "$W/bb-level10.jxl")"
assert_eq "jxlp parts kept in order, Exif between them gone" "'JXL ' 'ftyp' 'jxlp' 'jxlp' 'jxlp' " \
	"$(boxes "$W/bb-split.jxl")"
check "jxli goes (not needed to display)" eval '! boxes "$W/anim-jxli.jxl" | grep -q jxli'
orient() { jxlinfo "$1" 2>/dev/null | sed -n 's/^Orientation: \([0-9]\).*/\1/p'; }
assert_eq "codestream orientation of from-jpeg kept" 6 "$(orient "$W/from-jpeg.jxl")"
cp "$FX/from-jpeg.jxl" "$W/none.jxl"
run_scrub --keep none "$W/none.jxl"
assert_rc "--keep none" 0
assert_eq "--keep none: codestream orientation stays" 6 "$(orient "$W/none.jxl")"
assert_structure_clean jxl "$W/none.jxl"
check "--keep none gives the default scrub's bytes" cmp -s "$W/none.jxl" "$W/from-jpeg.jxl"

# jbrd: the fixture turns back into its JPEG with comment and IPTC; the scrubbed file cannot.
djxl "$FX/from-jpeg.jxl" "$T/back.jpg" >/dev/null 2>&1
assert_has_text "$T/back.jpg" PlantedJxlJpegComment PlantedJxlIptcCity
djxl "$W/from-jpeg.jxl" "$T/back2.jpg" >/dev/null 2>&1
assert_no_text "$T/back2.jpg" PlantedJxlJpegComment PlantedJxlIptcCity PlantedJxlExifArtist

# --verify decodes both with libjxl. 0.7 misreads 64-bit box sizes, so an
# original holding one does not decode and is left as it is.
cp "$FX/bb-everything.jxl" "$W/verify-large.jxl"
snap "$W/verify-large.jxl"
run_scrub --verify "$W/verify-large.jxl"
assert_rc "--verify, original libjxl cannot read" 2
# Debian's libjxl 0.7 prints a diagnostic of its own; scrub's message is one line.
assert_eq "--verify refusal: one scrub line" 1 "$(grep -c '^scrub: ' "$T/err")"
check "--verify refusal names the file and the reason" \
	grep -q "^scrub: cannot verify '.*verify-large.jxl': the original does not decode" "$T/err"
assert_untouched "$W/verify-large.jxl"
cp "$FX/bb-jpeg-more.jxl" "$W/verify.jxl"
run_scrub --verify "$W/verify.jxl"
assert_rc "--verify" 0
check "--verify wrote the clean file" cmp -s "$W/verify.jxl" "$W/bb-jpeg-more.jxl"

# --- reports ------------------------------------------------------------------------

json() { "$SCRUB" --report --json "$1" | "$PYTHON" -c 'import json, sys
o = json.loads(sys.stdin.readline())
print(eval(sys.argv[1]))' "$2"; }
assert_eq "report: format and size" "('jxl', 48, 32)" "$(json "$FX/bb-exif.jxl" 'o["format"], o["width"], o["height"]')"
assert_eq "report: bare codestream size" "(48, 32)" "$(json "$FX/clean-bare.jxl" 'o["width"], o["height"]')"
assert_eq "report: Exif box (after its offset)" "PlantedJxlExifBb" "$(json "$FX/bb-exif.jxl" 'o["findings"]["identity"]["artist"]')"
assert_eq "report: Exif GPS" "(48.8584, 2.2948)" \
	"$(json "$FX/bb-exif.jxl" 'round(o["gps"]["lat"], 4), round(o["gps"]["lon"], 4)')"
assert_eq "report: xml box" "PlantedJxlXmlBb" "$(json "$FX/bb-xml.jxl" 'o["findings"]["identity"]["creator"]')"
assert_eq "report: kinds" "['exif', 'xmp', 'jumbf', 'exif', 'xmp', 'unknown', 'unknown', 'exif', 'trailer']" \
	"$(json "$FX/bb-everything.jxl" '[f["kind"] for f in o["found"] if f["kind"] not in ("image", "gps")]')"
assert_eq "report: jbrd" "['jpeg_reconstruction']" \
	"$(json "$FX/from-jpeg.jxl" '[f["kind"] for f in o["found"] if f["kind"].startswith("jpeg")]')"
assert_eq "report: codestream orientation" 6 \
	"$(json "$FX/from-jpeg.jxl" 'o["findings"]["other"]["codestream_orientation"]')"
run_scrub --report "$FX/from-jpeg.jxl"
assert_rc "--report on a dirty JPEG XL" 1
check "report: without jbrd no JPEG can be rebuilt" grep -q 'jpeg rebuild .*without it the file cannot be turned back into that JPEG' "$T/out"
check "report: codestream orientation stays even with --keep none" \
	grep -q 'orientation 6: part of the image, kept even with --keep none' "$T/out"
if "$SCRUB" --report --json "$FX/bb-brob.jxl" | grep -q PlantedJxlBrobExif; then
	# Built with libbrotlidec: brob-wrapped Exif and XMP are read too.
	assert_eq "report: brob Exif" PlantedJxlBrobExif "$(json "$FX/bb-brob.jxl" 'o["findings"]["identity"]["artist"]')"
	assert_eq "report: brob xml" PlantedJxlBrobXml "$(json "$FX/bb-brob.jxl" 'o["findings"]["identity"]["creator"]')"
	assert_eq "report: GPS inside brob Exif" "['brob Exif, compressed']" \
		"$(json "$FX/bb-brob.jxl" '[f["label"] for f in o["found"] if f["kind"] == "gps"]')"
fi
assert_eq "report: brob named by what it wraps" "['brob Exif, compressed', 'brob xml, compressed']" \
	"$(json "$FX/bb-brob.jxl" '[f["label"] for f in o["found"] if f["kind"] in ("exif", "xmp")]')"

# --- broken files: refused, untouched, one line ---------------------------------------

assert_refuses_listed "$FX" "$W"

# --- the shared corpus --------------------------------------------------------------

if [ -d "$SCRUB_SHARED/corpus/real/jxl" ]; then
	C=$T/corpus
	mkdir -p "$C"
	couts=()
	for src in "$SCRUB_SHARED"/corpus/real/jxl/*.jxl "$SCRUB_SHARED"/corpus/real/other/*.jxl; do
		[ -f "$src" ] || continue
		f=$C/$(basename "$src")
		cp "$src" "$f"
		run_scrub --keep none "$f"
		assert_rc "corpus $(basename "$src")" 0
		assert_structure_clean jxl "$f"
		assert_valid_jxl "$f"
		assert_same_jxl_pixels "$src" "$f"
		assert_eq "$(basename "$src"): colour and orientation of the codestream stay" \
			"$(jxlinfo "$src" | grep -E '^(Orientation|Color space)')" \
			"$(jxlinfo "$f" | grep -E '^(Orientation|Color space)')"
		couts+=("$f")
	done
	assert_clean_all "${couts[@]}"
	for f in "${couts[@]}"; do
		snap "$f"
	done
	run_scrub "${couts[@]}"
	for f in "${couts[@]}"; do
		assert_untouched "$f"
	done
fi

finish
