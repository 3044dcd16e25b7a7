#!/bin/bash
# WebP backend end to end: generated fixtures (tests/gen-png-webp-fixtures.sh)
# are scrubbed and checked with exiftool, Pillow (every frame), webpinfo;
# VP8X flags, reports and malformed files too.
. "$(dirname "$0")/../lib.sh"
need exiftool pngcheck webpinfo
need_pillow
need cwebp img2webp webpmux

FX=$T/fx
bash "$SCRUB_SRC/tests/gen-png-webp-fixtures.sh" "$FX" || skip "fixture generation failed"
mkdir "$T/w"

# fixture : orientation expected after a default scrub
for spec in webp-lossy: webp-lossless: webp-alpha: webp-anim: webp-icc: webp-exif6:6 \
	webp-exif8-prefixed:8 webp-icc-xmp: webp-anim-exif:6 webp-list: webp-simple-exif:6 \
	webp-trailer: webp-anim-junk:; do
	name=${spec%%:*}
	scrub_checks "$FX/$name.webp" "$T/w/$name.webp" "${spec#*:}"
done

# VP8X flags as webpinfo reads them: "ICCP: 1", "Alpha: 1", ...
flag() { webpinfo "$1" 2>/dev/null | sed -n "s/^  $2: *//p" | head -1; }
check "icc+xmp: ICC flag kept" [ "$(flag "$T/w/webp-icc-xmp.webp" ICCP)" = 1 ]
check "icc+xmp: XMP flag cleared" [ "$(flag "$T/w/webp-icc-xmp.webp" XMP)" = 0 ]
check "exif6: EXIF flag set for orientation" [ "$(flag "$T/w/webp-exif6.webp" EXIF)" = 1 ]
check "exif8: alpha flag kept" [ "$(flag "$T/w/webp-exif8-prefixed.webp" Alpha)" = 1 ]
check "anim+exif: animation flag kept" [ "$(flag "$T/w/webp-anim-exif.webp" Animation)" = 1 ]
check "simple+exif: VP8X synthesised with the canvas" eval 'webpinfo "$T/w/webp-simple-exif.webp" | grep -q "Canvas size 24 x 16"'
check "list: back to a simple file" eval '! grep -q VP8X "$T/w/webp-list.webp"'
check "ICC kept" eval 'exiftool -a -G1 -s "$T/w/webp-icc-xmp.webp" | grep -q "^\[ICC_Profile\]"'
cp "$FX/webp-icc-xmp.webp" "$T/w/none.webp"
"$SCRUB" --keep none "$T/w/none.webp"
check "--keep none drops ICCP and its flag" eval '! grep -q ICCP "$T/w/none.webp" && [ "$(flag "$T/w/none.webp" ICCP)" = 0 ]'
check "--keep none output valid" valid_image "$T/w/none.webp"

check "report: gps from EXIF" eval '[ "$(json_of "$FX/webp-exif6.webp" "round(o[\"gps\"][\"lat\"],4), round(o[\"gps\"][\"lon\"],4)")" = "(48.8584, -2.2948)" ]'
check "report: gps from Exif-prefixed EXIF" eval '[ "$(json_of "$FX/webp-exif8-prefixed.webp" "o[\"camera\"][\"model\"]")" = SECRET-Model ]'
check "report: kinds found" eval '[ "$(json_of "$FX/webp-icc-xmp.webp" "[(f[\"kind\"], f[\"action\"]) for f in o[\"found\"]]")" = "[('"'"'icc'"'"', '"'"'keep'"'"'), ('"'"'xmp'"'"', '"'"'remove'"'"')]" ]'
check "report: LIST INFO is unknown" eval 'json_of "$FX/webp-list.webp" "[f[\"label\"] for f in o[\"found\"]]" | grep -q "LIST INFO"'
check "report: trailer" eval 'json_of "$FX/webp-trailer.webp" "[f[\"kind\"] for f in o[\"found\"]]" | grep -q trailer'
check "report: size" eval '[ "$(json_of "$FX/webp-lossy.webp" "o[\"width\"], o[\"height\"]")" = "(24, 16)" ]'

for f in bad-riffsize bad-chunksize; do
	assert_refused "$FX/$f.webp"
done

finish
