#!/bin/bash
# Regenerates the small committed fixtures under fixtures/ (run from the
# top of the tree; the outputs are committed, so tests never need this):
#   fixtures/png/sample.png, fixtures/webp/sample.webp: 96x64 images
#     carrying the EXIF (GPS, camera, serial, artist) and XMP of
#     fixtures/jpeg/sample.jpg, copied over by exiftool;
#   fixtures/png/prompt.png: a 16x16 PNG as an image generator saves it,
#     its prompt and settings in a tEXt "parameters" chunk (Automatic1111's
#     form), built byte by byte;
#   fixtures/malformed/*: broken files built byte by byte from the samples.
# Needs ImageMagick, exiftool and python3.
set -eu
cd "$(dirname "$0")/.."
jpg=fixtures/jpeg/sample.jpg
for ext in png webp; do
	out=fixtures/$ext/sample.$ext
	convert "$jpg" -strip "$out"
	exiftool -q -q -overwrite_original -tagsFromFile "$jpg" -EXIF:all -XMP:all \
		-Orientation= "$out"
done
python3 - <<'PY'
import struct, zlib

def save(name, data):
    with open("fixtures/malformed/" + name, "wb") as f:
        f.write(data)

jpg = open("fixtures/jpeg/sample.jpg", "rb").read()
png = open("fixtures/png/sample.png", "rb").read()
webp = open("fixtures/webp/sample.webp", "rb").read()

sos = jpg.index(b"\xff\xda")
save("jpeg-truncated-in-scan.jpg", jpg[: sos + 40])
# The first APPn after SOI claims more bytes than the file has.
save("jpeg-segment-past-end.jpg", jpg[:4] + b"\xff\xff" + jpg[6:])
save("jpeg-no-sof.jpg", jpg[:2] + jpg[sos:])

# PNG: flip one byte of IHDR's data so its CRC no longer matches.
bad = bytearray(png)
bad[16] ^= 0x01
save("png-bad-crc.png", bytes(bad))
iend = png.rindex(b"IEND") - 4
save("png-no-iend.png", png[:iend])
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
save("png-chunk-before-ihdr.png", png[:8] + chunk(b"tEXt", b"k\0v") + png[8:])

# A generator's PNG: pixels, then the A1111 "parameters" text (prompt, negative, settings).
rows = b"".join(b"\0" + b"".join(bytes((x * 16, y * 16, 128)) for x in range(16)) for y in range(16))
params = (b"a lighthouse on a cliff at dusk, oil painting\nNegative prompt: people, text\n"
          b"Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1234567890, Size: 512x512, "
          b"Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.9.4")
ihdr = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
with open("fixtures/png/prompt.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"tEXt", b"parameters\0" + params)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

# WebP: a RIFF size past the end, and a chunk size past its parent.
save("webp-riff-size-past-end.webp", webp[:4] + struct.pack("<I", len(webp) * 2) + webp[8:])
save("webp-chunk-past-end.webp", webp[:16] + struct.pack("<I", 0x7FFFFFF0) + webp[20:])
PY
ls -l fixtures/png fixtures/webp fixtures/malformed
