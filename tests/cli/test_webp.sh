#!/bin/bash
# WebP backend end to end: generated fixtures (tests/gen-png-webp-fixtures.sh)
# are scrubbed and checked with exiftool, Pillow (every frame), webpinfo;
# VP8X flags, reports and malformed files too.
. "$(dirname "$0")/../lib-png-webp.sh"
pw_need cwebp img2webp webpmux

FX=$T/fx
bash "$SCRUB_SRC/tests/gen-png-webp-fixtures.sh" "$FX" || pw_skip "fixture generation failed"
mkdir "$T/w"

# fixture : orientation expected after a default scrub
for spec in webp-lossy: webp-lossless: webp-alpha: webp-anim: webp-icc: webp-exif6:6 \
	webp-exif8-prefixed:8 webp-icc-xmp: webp-anim-exif:6 webp-list: webp-simple-exif:6 \
	webp-trailer: webp-anim-junk:; do
	name=${spec%%:*}
	pw_scrub_checks "$FX/$name.webp" "$T/w/$name.webp" "${spec#*:}"
done

# VP8X flags as webpinfo reads them: "ICCP: 1", "Alpha: 1", ...
flag() { webpinfo "$1" 2>/dev/null | sed -n "s/^  $2: *//p" | head -1; }
pw_check "icc+xmp: ICC flag kept" [ "$(flag "$T/w/webp-icc-xmp.webp" ICCP)" = 1 ]
pw_check "icc+xmp: XMP flag cleared" [ "$(flag "$T/w/webp-icc-xmp.webp" XMP)" = 0 ]
pw_check "exif6: EXIF flag set for orientation" [ "$(flag "$T/w/webp-exif6.webp" EXIF)" = 1 ]
pw_check "exif8: alpha flag kept" [ "$(flag "$T/w/webp-exif8-prefixed.webp" Alpha)" = 1 ]
pw_check "anim+exif: animation flag kept" [ "$(flag "$T/w/webp-anim-exif.webp" Animation)" = 1 ]
pw_check "simple+exif: VP8X synthesised with the canvas" eval 'webpinfo "$T/w/webp-simple-exif.webp" | grep -q "Canvas size 24 x 16"'
pw_check "list: back to a simple file" eval '! grep -q VP8X "$T/w/webp-list.webp"'
pw_check "ICC kept" eval 'exiftool -a -G1 -s "$T/w/webp-icc-xmp.webp" | grep -q "^\[ICC_Profile\]"'
cp "$FX/webp-icc-xmp.webp" "$T/w/none.webp"
"$SCRUB" --keep none "$T/w/none.webp"
pw_check "--keep none drops ICCP and its flag" eval '! grep -q ICCP "$T/w/none.webp" && [ "$(flag "$T/w/none.webp" ICCP)" = 0 ]'
pw_check "--keep none output valid" pw_valid "$T/w/none.webp"

pw_check "report: gps from EXIF" eval '[ "$(pw_json "$FX/webp-exif6.webp" "round(o[\"gps\"][\"lat\"],4), round(o[\"gps\"][\"lon\"],4)")" = "(48.8584, -2.2948)" ]'
pw_check "report: gps from Exif-prefixed EXIF" eval '[ "$(pw_json "$FX/webp-exif8-prefixed.webp" "o[\"camera\"][\"model\"]")" = SECRET-Model ]'
pw_check "report: kinds found" eval '[ "$(pw_json "$FX/webp-icc-xmp.webp" "[(f[\"kind\"], f[\"action\"]) for f in o[\"found\"]]")" = "[('"'"'icc'"'"', '"'"'keep'"'"'), ('"'"'xmp'"'"', '"'"'remove'"'"')]" ]'
pw_check "report: LIST INFO is unknown" eval 'pw_json "$FX/webp-list.webp" "[f[\"label\"] for f in o[\"found\"]]" | grep -q "LIST INFO"'
pw_check "report: trailer" eval 'pw_json "$FX/webp-trailer.webp" "[f[\"kind\"] for f in o[\"found\"]]" | grep -q trailer'
pw_check "report: size" eval '[ "$(pw_json "$FX/webp-lossy.webp" "o[\"width\"], o[\"height\"]")" = "(24, 16)" ]'

for f in bad-riffsize bad-chunksize; do
	pw_refused "$FX/$f.webp"
done

pw_finish
