#!/bin/bash
# PNG backend end to end: generated fixtures (tests/gen-png-webp-fixtures.sh)
# are scrubbed and checked with exiftool, Pillow, pngcheck; reports and
# malformed files too.
. "$(dirname "$0")/../lib.sh"
need exiftool pngcheck webpinfo
need_pillow

FX=$T/fx
bash "$SCRUB_SRC/tests/gen-png-webp-fixtures.sh" "$FX" || skip "fixture generation failed"
mkdir "$T/w"

# fixture : orientation expected after a default scrub
# (png-exif6's eXIf comes after IDAT, where browsers ignore it: no
# orientation; png-rawprofile's only orientation is ImageMagick's raw EXIF.)
for spec in png-plain: png-text: png-exif6: png-exif6-prefixed:6 png-exif1: \
	png-rawprofile:3 png-icc: png-trailer: png-apng: png-apng-zero: \
	png-exif-late-canonical: png-xmp-orient:8 png-xmp-and-exif:3; do
	name=${spec%%:*}
	scrub_checks "$FX/$name.png" "$T/w/$name.png" "${spec#*:}"
done

# Orientation lands right after IHDR (before IDAT), with a good CRC, also
# when it came from ImageMagick's raw profile or from XMP.
for name in png-exif6-prefixed png-rawprofile png-xmp-orient; do
	check "$name: eXIf precedes IDAT" eval '[ "$(pngcheck -v "$T/w/$name.png" | grep -oE "chunk (eXIf|IDAT)" | head -1)" = "chunk eXIf" ]'
done
# A late eXIf is removable metadata, not an orientation: never moved before IDAT.
assert_eq "late canonical eXIf: the report finds it removable" "1 dirty" \
	"$(json_of "$FX/png-exif-late-canonical.png" 'len([f for f in o["found"] if f["kind"] == "exif" and f["action"] == "remove"]), o["status"]' | tr -d "()',")"
check "late canonical eXIf: gone after the scrub" sh -c "! grep -qa eXIf '$T/w/png-exif-late-canonical.png'"
assert_eq "late eXIf: no orientation in the report" "None" \
	"$(json_of "$FX/png-exif6.png" 'o.get("orientation")')"
# A 0-frame APNG becomes the valid still PNG viewers showed.
check "0-frame APNG: no animation chunk left" sh -c "! grep -qaE 'acTL|fcTL|fdAT' '$T/w/png-apng-zero.png'"
check "0-frame APNG: pngcheck is happy" pngcheck -q "$T/w/png-apng-zero.png"
# ICC kept with its profile; --keep none drops it and the orientation.
check "ICC kept" eval 'exiftool -a -G1 -s "$T/w/png-icc.png" | grep -q "^\[ICC_Profile\]"'
cp "$FX/png-icc.png" "$T/w/none.png"
"$SCRUB" --keep none "$T/w/none.png"
check "--keep none drops iCCP" eval '! exiftool -a -G1 -s "$T/w/none.png" | grep -q "^\[ICC"'
cp "$FX/png-exif6.png" "$T/w/none6.png"
"$SCRUB" --strip-all "$T/w/none6.png" 2>/dev/null
check "--strip-all drops eXIf" eval '! grep -q eXIf "$T/w/none6.png"'
# APNG: frames and fdAT survive.
check "APNG keeps acTL/fcTL/fdAT" eval '[ "$(grep -c -aE "acTL|fcTL|fdAT" "$T/w/png-apng.png")" -ge 1 ] && "$PYTHON" -c "from PIL import Image; import sys; sys.exit(0 if Image.open(sys.argv[1]).n_frames == 2 else 1)" "$T/w/png-apng.png"'

# Reports on the originals.
check "report: gps from eXIf" eval '[ "$(json_of "$FX/png-exif6.png" "round(o[\"gps\"][\"lat\"],4), round(o[\"gps\"][\"lon\"],4)")" = "(48.8584, -2.2948)" ]'
check "report: camera from eXIf" eval '[ "$(json_of "$FX/png-exif6.png" "o[\"camera\"][\"make\"]")" = SECRET-Make ]'
check "report: gps from Raw profile zTXt" eval '[ "$(json_of "$FX/png-rawprofile.png" "round(o[\"gps\"][\"lat\"],4)")" = 48.8584 ]'
check "report: kinds found" eval '[ "$(json_of "$FX/png-text.png" "sorted(set(f[\"kind\"] for f in o[\"found\"]))")" = "['"'"'jumbf'"'"', '"'"'text'"'"', '"'"'time'"'"', '"'"'unknown'"'"', '"'"'xmp'"'"']" ]'
# Keywords by meaning (SPEC.md section 4): Author names a person, Software a device; the rest is free text.
check "report: free-text keywords" eval '[ "$(json_of "$FX/png-text.png" "[t[\"keyword\"] for t in o[\"findings\"][\"other\"][\"text\"]]")" = "['"'"'Comment'"'"', '"'"'Title'"'"', '"'"'parameters'"'"']" ]'
check "report: zTXt Author inflated, as identity" eval '[ "$(json_of "$FX/png-text.png" "o[\"findings\"][\"identity\"][\"artist\"]")" = "SECRET-zTXt author" ]'
check "report: tEXt Software as device" eval '[ "$(json_of "$FX/png-text.png" "o[\"findings\"][\"device\"][\"software\"]")" = "SECRET-text after IDAT" ]'
check "report: Author makes the verdict identity" eval '[ "$(json_of "$FX/png-text.png" "o[\"verdict\"]")" = identity ]'
check "report: tIME" eval '[ "$(json_of "$FX/png-text.png" "o[\"findings\"][\"time\"][\"png_time\"]")" = 2024-05-01T12:34:56Z ]'
check "report: exif removed, icc kept" eval '[ "$(json_of "$FX/png-icc.png" "[(f[\"kind\"], f[\"action\"]) for f in o[\"found\"]]")" = "[('"'"'icc'"'"', '"'"'keep'"'"'), ('"'"'text'"'"', '"'"'remove'"'"')]" ]'
"$SCRUB" --report "$FX/png-text.png" >/dev/null 2>&1
check "report exits 1 on dirty PNG" [ $? = 1 ]
"$SCRUB" --report "$FX/png-plain.png" >/dev/null 2>&1
check "report exits 0 on clean PNG" [ $? = 0 ]

for f in bad-crc bad-length bad-noiend; do
	assert_refused "$FX/$f.png"
done
check "bad CRC named as checksum" eval '"$SCRUB" "$FX/bad-crc.png" 2>&1 | grep -qi checksum'

finish
