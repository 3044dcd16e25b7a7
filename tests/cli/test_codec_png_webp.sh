#!/bin/bash
# Codec backend, PNG and WebP: header probe facts, broken image headers,
# and --strip-all baking orientation (from an eXIf chunk / EXIF chunk) into
# the pixels by lossless re-encoding, compared exactly with Pillow's
# Image.transpose of the original. Lossy and animated WebP keep the tag.
. "$(dirname "$0")/../lib.sh"
need exiftool cwebp
need_pillow

mkdir -p "$T/src"
"$PYTHON" - "$T/src" <<'PY'
import random, sys
from PIL import Image
random.seed(8)
d = sys.argv[1]
def noise(mode, size, values):
    im = Image.new(mode, size)
    im.putdata([values() for _ in range(size[0] * size[1])])
    return im
rgb = lambda: tuple(random.randrange(256) for _ in range(3))
rgba = lambda: tuple(random.randrange(256) for _ in range(4))
noise("RGB", (61, 47), rgb).save(d + "/rgb.png", dpi=(72, 150))
noise("RGBA", (20, 13), rgba).save(d + "/rgba.png")
noise("I;16", (17, 9), lambda: random.randrange(65536)).save(d + "/grey16.png")
noise("1", (29, 11), lambda: random.choice((0, 255))).save(d + "/bw.png")
pal = noise("P", (33, 17), lambda: random.randrange(16))
pal.putpalette([random.randrange(256) for _ in range(48)])
pal.save(d + "/pal4.png", bits=4)
noise("RGB", (30, 20), rgb).save(d + "/interlaced.png")
PY
convert "$T/src/interlaced.png" -interlace PNG "$T/src/adam7.png" 2>/dev/null || rm -f "$T/src/adam7.png"
rm -f "$T/src/interlaced.png"
cwebp -quiet -lossless "$T/src/rgba.png" -o "$T/src/lossless.webp"
cwebp -quiet -q 80 "$T/src/rgb.png" -o "$T/src/lossy.webp"

# upright ORIG OUT: OUT has exactly ORIG's pixels turned by Pillow for ORIG's orientation.
upright()
{
	"$PYTHON" - "$1" "$2" <<'PY'
import sys
from PIL import Image, ImageOps
a = Image.open(sys.argv[1])
a.load()
want = ImageOps.exif_transpose(a)
got = Image.open(sys.argv[2])
got.load()
if want.mode in ("P", "1", "I;16", "I") or got.mode != want.mode:
    ok = got.mode == want.mode and got.size == want.size and got.tobytes() == want.tobytes()
else:
    ok = got.size == want.size and got.convert("RGBA").tobytes() == want.convert("RGBA").tobytes()
sys.exit(0 if ok else "%s %s %s vs %s %s" % (sys.argv[2], want.mode, want.size, got.mode, got.size))
PY
}

for src in "$T"/src/*.png "$T/src/lossless.webp"; do
	base=$(basename "$src")
	for o in 2 3 4 5 6 7 8; do
		f=$T/o$o-$base
		cp "$src" "$f"
		exiftool -q -m -overwrite_original -Orientation#=$o -Artist=PlantedArtist "$f"
		# exiftool is slow: the fixture and exiftool's clean view are checked on one turn.
		[ "$o" = 6 ] && assert_eq "fixture o$o-$base has the tag" "$o" "$(tag "$f" Orientation)"
		cp "$f" "$T/orig"
		run_scrub --strip-all --verify "$f"
		assert_rc "o$o-$base --strip-all --verify" 0
		assert_eq "o$o-$base tag removed" "" "$(tag "$f" Orientation)"
		assert_no_text "$f" PlantedArtist
		check "o$o-$base turned exactly" upright "$T/orig" "$f"
		[ "$o" = 6 ] && assert_clean "$f"
		cp "$f" "$T/once"
		run_scrub --strip-all "$f"
		assert_same_bytes "$T/once" "$f"
	done
done

# pHYs densities trade places on a quarter turn.
assert_eq "pHYs swapped" "150.01239999999999 72.009" \
	"$("$PYTHON" -c 'import sys; from PIL import Image; print(*Image.open(sys.argv[1]).info["dpi"])' "$T/o6-rgb.png")"

# Lossy WebP: the tag stays, the pixels do not change, a note says why.
cp "$T/src/lossy.webp" "$T/lossy.webp"
exiftool -q -overwrite_original -Orientation#=6 "$T/lossy.webp"
cp "$T/lossy.webp" "$T/lossy-orig.webp"
run_scrub --strip-all --verify "$T/lossy.webp"
assert_rc "lossy webp" 0
assert_eq "lossy webp keeps the tag" 6 "$(tag "$T/lossy.webp" Orientation)"
check "lossy webp note" grep -q "orientation 6 kept: lossy WebP" "$T/err"
assert_same_pixels "$T/lossy-orig.webp" "$T/lossy.webp"

# Animations keep the tag: APNG (libpng here has no APNG) and animated WebP.
"$PYTHON" - "$T" <<'PY'
import sys
from PIL import Image
frames = [Image.new("RGBA", (16, 12), c) for c in ((255, 0, 0, 255), (0, 255, 0, 128), (0, 0, 255, 255))]
frames[0].save(sys.argv[1] + "/anim.png", save_all=True, append_images=frames[1:], duration=100)
frames[0].save(sys.argv[1] + "/anim.webp", save_all=True, append_images=frames[1:], duration=100, lossless=True)
PY
for f in anim.png anim.webp; do
	exiftool -q -m -overwrite_original -Orientation#=8 "$T/$f"
	run_scrub --report --json "$T/$f"
	check "$f probe: 3 frames" grep -q '"animated": true, "frames": 3' "$T/out"
	run_scrub --strip-all --verify "$T/$f"
	assert_rc "$f --strip-all" 0
	assert_eq "$f keeps the tag" 8 "$(tag "$T/$f" Orientation)"
	check "$f note" grep -q "orientation 8 kept: animated" "$T/err"
done

# Probe facts.
run_scrub --report --json "$T/src/pal4.png"
check "png probe json" grep -q '"color": "palette", "components": 1, "bit_depth": 4, "interlaced": false, "animated": false, "frames": 1' "$T/out"
run_scrub --report --json "$T/src/lossless.webp"
check "webp probe json" grep -q '"color": "RGBA", "components": 4, "bit_depth": 8, "lossless": true, "animated": false, "frames": 1' "$T/out"
if [ -f "$T/src/adam7.png" ]; then
	run_scrub --report "$T/src/adam7.png"
	check "png probe text" grep -q 'png 30x20 (RGB 8-bit, interlaced)' "$T/out"
fi

# A PNG whose chunks walk (CRC fixed up) but whose IHDR libpng refuses: bit depth 3.
"$PYTHON" - "$T/src/rgb.png" "$T/broken.png" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
d[24] = 3
d[29:33] = struct.pack(">I", zlib.crc32(bytes(d[12:29])))
open(sys.argv[2], "wb").write(d)
PY
snap "$T/broken.png"
run_scrub "$T/broken.png"
assert_rc "broken png header" 2
assert_one_line_error "broken.png"
check "broken png message" grep -q "image header is broken: " "$T/err"
assert_untouched "$T/broken.png"
assert_no_tempfiles "$T"

finish
