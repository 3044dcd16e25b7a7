#!/bin/bash
# Codec backend, JPEG: the header probe in reports, broken image headers,
# and --strip-all turning every orientation 2..8 into pixels losslessly
# (TurboJPEG transforms), checked by undoing the turn with jpegtran and
# comparing with the original decode exactly. Sizes with partial MCUs keep
# the minimal tag and say so.
. "$(dirname "$0")/../lib.sh"
need convert exiftool jpegtran
need_pillow


# near_upright IN OUT: OUT decodes close to IN turned upright by Pillow (IDCT rounding aside).
near_upright()
{
	"$PYTHON" - "$1" "$2" <<'PY'
import sys
from PIL import Image, ImageOps
a = ImageOps.exif_transpose(Image.open(sys.argv[1])).convert("RGB")
b = Image.open(sys.argv[2]).convert("RGB")
if a.size != b.size:
    sys.exit("size %s vs %s" % (a.size, b.size))
worst = max(max(abs(x - y) for x, y in zip(p, q)) for p, q in zip(a.getdata(), b.getdata()))
sys.exit(0 if worst <= 12 else "max difference %d" % worst)
PY
}

mkdir -p "$T/src"
# 4:2:0, so the MCU is 16x16: 64x48 is whole, 61x47 is not.
for size in 64x48 61x47; do
	convert -size "$size" gradient:red-blue -fill yellow -draw "rectangle 5,5 20,15" \
		-fill green -draw "circle 40,30 45,35" -sampling-factor 2x2 "$T/src/base-$size.jpg"
done
convert "$T/src/base-64x48.jpg" -interlace JPEG "$T/src/base-prog.jpg"

for base in 64x48 prog 61x47; do
	for o in 1 2 3 4 5 6 7 8; do
		f=$T/o$o-$base.jpg
		cp "$T/src/base-$base.jpg" "$f"
		exiftool -q -overwrite_original -Orientation#=$o -Artist=PlantedArtist "$f"
		cp "$f" "$T/orig.jpg"
		run_scrub --strip-all --verify "$f"
		assert_rc "o$o-$base --strip-all --verify" 0
		assert_no_text "$f" PlantedArtist
		if [ "$o" = 1 ]; then
			assert_eq "o1-$base orientation" "" "$(tag "$f" Orientation)"
			assert_same_pixels "$T/orig.jpg" "$f"
		elif [ "$base" = 61x47 ] && [ "$o" != 5 ]; then
			# Transpose needs no edge MCU to move: only it is perfect here.
			assert_eq "o$o-$base keeps the tag" "$o" "$(tag "$f" Orientation)"
			check "o$o-$base names the kept orientation" grep -q "orientation $o kept" "$T/err"
			assert_same_pixels "$T/orig.jpg" "$f"
		else
			assert_eq "o$o-$base orientation removed" "" "$(tag "$f" Orientation)"
			# The way back keeps the mode: progressive files decode through block smoothing.
			mode=
			[ "$base" = prog ] && mode=-progressive
			# shellcheck disable=SC2046,SC2086
			jpegtran -perfect $mode $(undo_orientation "$o") "$f" >"$T/back.jpg"
			assert_same_pixels "$T/src/base-$base.jpg" "$T/back.jpg"
			check "o$o-$base looks like Pillow's exif_transpose" near_upright "$T/orig.jpg" "$f"
			assert_clean "$f"
		fi
		cp "$f" "$T/once.jpg"
		run_scrub --strip-all "$f"
		assert_same_bytes "$T/once.jpg" "$f"
	done
done

# Progressive stays progressive.
assert_eq "progressive kept" "Progressive DCT, Huffman coding" \
	"$(exiftool -s3 -EncodingProcess "$T/o6-prog.jpg")"

# Default policy: the tag is kept, nothing is rotated.
cp "$T/src/base-64x48.jpg" "$T/keep.jpg"
exiftool -q -overwrite_original -Orientation#=6 "$T/keep.jpg"
run_scrub "$T/keep.jpg"
assert_rc "default scrub" 0
assert_eq "default keeps orientation" 6 "$(tag "$T/keep.jpg" Orientation)"

# The probe's facts in JSON and in the text report.
run_scrub --report --json "$T/src/base-prog.jpg"
check "json probe facts" grep -q '"color": "YCbCr 4:2:0", "components": 3, "bit_depth": 8, "progressive": true, "animated": false, "frames": 1' "$T/out"
run_scrub --report "$T/src/base-prog.jpg"
check "text probe facts" grep -q 'jpeg 64x48 (YCbCr 4:2:0 8-bit, progressive)' "$T/out"

# A container that walks but an image header libjpeg refuses: height 0 in SOF.
"$PYTHON" - "$T/src/base-64x48.jpg" "$T/broken.jpg" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"\xff\xc0")
d[i + 5:i + 7] = b"\x00\x00"
open(sys.argv[2], "wb").write(d)
PY
snap "$T/broken.jpg"
run_scrub --strip-all "$T/broken.jpg"
assert_rc "broken header" 2
assert_one_line_error "broken.jpg"
check "broken header message" grep -q "image header is broken: " "$T/err"
assert_untouched "$T/broken.jpg"
assert_no_tempfiles "$T"

finish
