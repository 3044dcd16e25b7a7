#!/usr/bin/env bash
# Decoding that does not miss (issue 15, item 3): GPS written as RATIONAL,
# SRATIONAL or text, with references in any case or none, read the way
# exiftool reads them (its -n values are the oracle); the capture date
# taken in SPEC.md section 4's order and the modify date only as "edited";
# the first of two EXIF blocks winning, with a different second position
# shown as another location; prompts in EXIF UserComment (JPEG, WebP) and
# ComfyUI's EXIF Make/Model; and what a file name says.
. "$(dirname "$0")/../lib.sh"
need exiftool convert
W=$T/w
mkdir -p "$W"
convert -size 32x24 xc:teal "$W/plain.jpg" || fail "convert failed"

# Hand-built EXIF blocks (exiftool writes GPS as RATIONAL only). The builder
# also writes what each case must decode to, worked out from the numbers it
# put in, into expect.tsv: file, lat, lon.
"$PYTHON" - "$SCRUB_SRC/tests" "$W" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[1])
import jpegtool
w = sys.argv[2]

def rat(vals, signed):
    return b"".join(struct.pack(">iI" if signed else ">II", n, d) for n, d in vals)

def tiff(ifd0_extra=(), gps=None, exif=None):
    """TIFF with IFD0 (+extra), and a GPS and/or Exif IFD after it."""
    subs = [(0x8825, gps), (0x8769, exif)]
    subs = [(t, e) for t, e in subs if e is not None]
    ifd0 = list(ifd0_extra) + [(t, 4, 1, b"\0\0\0\0") for t, _ in subs]
    at = 8 + len(jpegtool.ifd(ifd0, 8))
    ptrs, blobs = [], b""
    for t, e in subs:
        ptrs.append((t, 4, 1, struct.pack(">I", at + len(blobs))))
        blobs += jpegtool.ifd(e, at + len(blobs))
    ifd0 = list(ifd0_extra) + ptrs
    return b"MM\0*" + struct.pack(">I", 8) + jpegtool.ifd(ifd0, 8) + blobs

def jpeg(name, *tiffs):
    soi, segs, rest = jpegtool.segments(open(w + "/plain.jpg", "rb").read())
    app1 = b"".join(jpegtool.segment(0xE1, b"Exif\0\0" + t) for t in tiffs)
    open(w + "/" + name, "wb").write(soi + app1 + b"".join(segs) + rest)

def dms(d, m, s):
    return d + m / 60 + s / 3600

out = open(w + "/expect.tsv", "w")
jpeg("srational.jpg", tiff(gps=[(1, 2, 2, b"S\0"), (2, 10, 3, rat([(33, 1), (51, 1), (3012, 100)], True)),
                                (3, 2, 2, b"W\0"), (4, 10, 3, rat([(151, 1), (12, 1), (3600, 100)], True))]))
jpeg("strings.jpg", tiff(gps=[(1, 2, 2, b"N\0"), (2, 2, 10, b"48.858370\0"),
                              (3, 2, 2, b"E\0"), (4, 2, 9, b"2.294481\0")]))
jpeg("lowercase.jpg", tiff(gps=[(1, 2, 2, b"s\0"), (2, 5, 3, rat([(12, 1), (30, 1), (0, 1)], False)),
                                (3, 2, 2, b"w\0"), (4, 5, 3, rat([(77, 1), (2, 1), (0, 1)], False))]))
# No references, negative degrees: south and west by their sign. (exiftool adds
# the minutes to the negative degrees and drops the sign, so it is no oracle here.)
jpeg("negative.jpg", tiff(gps=[(2, 10, 3, rat([(-33, 1), (30, 1), (0, 1)], True)),
                               (4, 10, 3, rat([(-70, 1), (40, 1), (0, 1)], True))]))
print("negative.jpg\t%r\t%r" % (round(-dms(33, 30, 0), 6), round(-dms(70, 40, 0), 6)), file=out)
# Two EXIF blocks: the first one's position, then the second as another location.
pos = lambda la, lo: [(1, 2, 2, b"N\0"), (2, 5, 3, rat([(la, 1), (0, 1), (0, 1)], False)),
                      (3, 2, 2, b"E\0"), (4, 5, 3, rat([(lo, 1), (0, 1), (0, 1)], False))]
jpeg("two.jpg", tiff(gps=pos(48, 2)), tiff(gps=pos(40, 74)))
jpeg("twice.jpg", tiff(gps=pos(48, 2)), tiff(gps=pos(48, 2)))
# UserComment: "UNICODE" then UTF-16, big-endian as A1111 writes it, little-endian as others do.
a1111 = "a lighthouse at dusk\nNegative prompt: people\nSteps: 20, Sampler: Euler a, Seed: 1234, Model: sdxl"
for name, enc in (("uc-be.jpg", "utf-16-be"), ("uc-le.jpg", "utf-16-le")):
    uc = b"UNICODE\0" + a1111.encode(enc)
    jpeg(name, tiff(exif=[(0x9286, 7, len(uc), uc)]))
EOF
[ -f "$W/two.jpg" ] || fail "fixture builder failed"

# --- GPS: every encoding, against exiftool -n ---------------------------------
for f in srational strings lowercase; do
	report "$W/$f.jpg"
	xt -n -s -s -s -Composite:GPSLatitude -Composite:GPSLongitude -- "$W/$f.jpg" >"$T/xt" 2>/dev/null
	want=$(tr '\n' ' ' <"$T/xt")
	got="$(json_get "$T/$f.jpg.json" gps.lat) $(json_get "$T/$f.jpg.json" gps.lon)"
	check "$f.jpg: gps as exiftool reads it ($want vs $got)" "$PYTHON" -c '
import sys
w = [float(x) for x in sys.argv[1].split()]
g = [float(x) for x in sys.argv[2].split()]
sys.exit(0 if len(w) == 2 and all(abs(a - b) <= 1e-4 for a, b in zip(w, g)) else 1)' "$want" "$got"
	expect "$T/$f.jpg.json" verdict location
done
while IFS=$'\t' read -r f lat lon; do
	report "$W/$f"
	expect "$T/$f.json" findings.location.lat "$lat"
	expect "$T/$f.json" findings.location.lon "$lon"
done <"$W/expect.tsv"

# --- the first EXIF block wins; a different second position is another location --
report "$W/two.jpg"
expect "$T/two.jpg.json" gps.lat 48.0
expect "$T/two.jpg.json" gps.lon 2.0
expect "$T/two.jpg.json" findings.location.second_lat 40.0
expect "$T/two.jpg.json" findings.location.second_lon 74.0
expect "$T/two.jpg.json" findings.location.second_from "EXIF block 2"
report "$W/twice.jpg"
expect "$T/twice.jpg.json" findings.location.second_lat ""
NO_COLOR=1 "$SCRUB" --report -- "$W/two.jpg" >"$T/two.txt" 2>&1
check "text names the second position" grep -qE '^ +other gps +40\.000000, 74\.000000, in EXIF block 2$' "$T/two.txt"
# EXIF and XMP disagree: the EXIF position, then XMP's.
cp "$W/plain.jpg" "$W/exif-xmp.jpg"
xt_set "$W/exif-xmp.jpg" -GPSLatitude=48.8 -GPSLatitudeRef=N -GPSLongitude=2.3 -GPSLongitudeRef=E \
	-XMP-exif:GPSLatitude=51.5 -XMP-exif:GPSLongitude=-0.12
report "$W/exif-xmp.jpg"
expect "$T/exif-xmp.jpg.json" gps.lat 48.8
expect "$T/exif-xmp.jpg.json" findings.location.second_lat 51.5
expect "$T/exif-xmp.jpg.json" findings.location.second_from XMP

# --- capture date: DateTimeOriginal, XMP/IPTC creation, digitised; never the modify date
cp "$W/plain.jpg" "$W/modify-only.jpg"
xt_set "$W/modify-only.jpg" -EXIF:ModifyDate="2024:06:02 08:30:00"
report "$W/modify-only.jpg"
expect "$T/modify-only.jpg.json" findings.time.captured ""
expect "$T/modify-only.jpg.json" findings.time.edited 2024-06-02T08:30:00
cp "$W/plain.jpg" "$W/xmp-create.jpg"
xt_set "$W/xmp-create.jpg" -EXIF:ModifyDate="2024:06:02 08:30:00" -XMP-xmp:CreateDate="2024:05:01 10:00:00"
report "$W/xmp-create.jpg"
expect "$T/xmp-create.jpg.json" findings.time.captured 2024-05-01T10:00:00
expect "$T/xmp-create.jpg.json" findings.time.edited 2024-06-02T08:30:00
cp "$W/plain.jpg" "$W/iptc.jpg"
xt_set "$W/iptc.jpg" -EXIF:CreateDate="2024:05:03 09:00:00" -IPTC:DateCreated=2024:05:01 \
	-IPTC:TimeCreated=10:00:00+02:00
report "$W/iptc.jpg"
expect "$T/iptc.jpg.json" findings.time.captured 2024-05-01T10:00:00+02:00
expect "$T/iptc.jpg.json" findings.time.digitized 2024-05-03T09:00:00
cp "$W/plain.jpg" "$W/digitized.jpg"
xt_set "$W/digitized.jpg" -EXIF:CreateDate="2024:05:03 09:00:00" -EXIF:ModifyDate="2024:06:02 08:30:00"
report "$W/digitized.jpg"
expect "$T/digitized.jpg.json" findings.time.captured 2024-05-03T09:00:00
expect "$T/digitized.jpg.json" findings.time.digitized ""
cp "$W/plain.jpg" "$W/offset.jpg"
xt_set "$W/offset.jpg" -DateTimeOriginal="2024:05:01 12:00:00" -OffsetTimeOriginal=+02:00 \
	-XMP-xmp:CreateDate="2020:01:01 00:00:00"
report "$W/offset.jpg"
expect "$T/offset.jpg.json" findings.time.captured 2024-05-01T12:00:00+02:00
expect "$T/offset.jpg.json" findings.time.created 2020-01-01T00:00:00
cp "$W/plain.jpg" "$W/zero.jpg"
xt_set "$W/zero.jpg" -DateTimeOriginal="0000:00:00 00:00:00" -Make=Zero
report "$W/zero.jpg"
expect "$T/zero.jpg.json" findings.time.captured ""
expect "$T/zero.jpg.json" verdict device

# --- prompts in EXIF UserComment (JPEG, WebP) and ComfyUI's EXIF -------------------
for f in uc-be uc-le; do
	report "$W/$f.jpg"
	expect "$T/$f.jpg.json" verdict prompt
	expect "$T/$f.jpg.json" findings.prompt.prompt "a lighthouse at dusk"
	expect "$T/$f.jpg.json" findings.prompt.negative_prompt people
	expect "$T/$f.jpg.json" findings.prompt.seed 1234
	expect "$T/$f.jpg.json" findings.prompt.sampler "Euler a"
	expect "$T/$f.jpg.json" findings.other.text ""
done
convert -size 16x16 xc:navy "$W/uc.webp"
xt_set "$W/uc.webp" -EXIF:UserComment="a fox in snow
Steps: 30, Seed: 77, Model: flux1-dev" -EXIF:Software="Fooocus v2.5.5"
report "$W/uc.webp"
expect "$T/uc.webp.json" findings.prompt.prompt "a fox in snow"
expect "$T/uc.webp.json" findings.prompt.model flux1-dev
expect "$T/uc.webp.json" findings.prompt.generator "Fooocus v2.5.5"
expect "$T/uc.webp.json" findings.device.software ""
# ComfyUI's WebP saver: Make "workflow:{...}", Model "prompt:{...}".
convert -size 16x16 xc:olive "$W/comfy.webp"
xt_set "$W/comfy.webp" -EXIF:Model='prompt:{"3": {"class_type": "KSampler", "inputs": {"seed": 5, "positive": ["6", 0]}}, "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a red barn"}}}' \
	-EXIF:Make='workflow:{"nodes": [], "links": []}'
report "$W/comfy.webp"
expect "$T/comfy.webp.json" findings.prompt.generator ComfyUI
expect "$T/comfy.webp.json" findings.prompt.prompt "a red barn"
expect "$T/comfy.webp.json" findings.prompt.seed 5
expect "$T/comfy.webp.json" camera.make ""
expect "$T/comfy.webp.json" camera.model ""
# A plain UserComment is free text, not a prompt.
cp "$W/plain.jpg" "$W/note.jpg"
xt_set "$W/note.jpg" -EXIF:UserComment="Screenshot"
report "$W/note.jpg"
expect "$T/note.jpg.json" findings.prompt.prompt ""
check "note.jpg: UserComment listed as free text" "$PYTHON" -c '
import json, sys
j = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if {"keyword": "UserComment", "value": "Screenshot"} in j["findings"]["other"]["text"] else 1)' "$T/note.jpg.json"

# --- RIFF INFO in a WebP: artist, copyright, date and title where they belong ---
convert -size 16x16 xc:maroon "$W/info.webp"
"$PYTHON" - "$W/info.webp" <<'EOF'
import struct, sys
path = sys.argv[1]
d = open(path, "rb").read()
ck = lambda cc, b: cc + struct.pack("<I", len(b)) + b + (b"\0" if len(b) & 1 else b"")
info = b"INFO" + ck(b"IART", b"Ana Silva\0") + ck(b"ICOP", b"(c) Ana Silva\0") + \
    ck(b"ICRD", b"2024-05-01\0") + ck(b"INAM", b"Garden\0")
body = d[12:] + ck(b"LIST", info)
open(path, "wb").write(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body)
EOF
report "$W/info.webp"
for pair in artist:Artist copyright:Copyright; do
	want=$(xt -s -s -s -RIFF:"${pair#*:}" -- "$W/info.webp")
	expect "$T/info.webp.json" "findings.identity.${pair%%:*}" "$want"
done
expect "$T/info.webp.json" findings.time.captured 2024-05-01
check "info.webp: the title is free text" grep -q '{"keyword": "INAM", "value": "Garden"}' "$T/info.webp.json"

# --- the file name: a finding of its own, kept (scrub does not rename) ----------
cp "$W/plain.jpg" "$W/IMG_20240501_123456.jpg"
"$SCRUB" --report --json -- "$W/IMG_20240501_123456.jpg" >"$T/name.json" 2>&1
expect "$T/name.json" findings.time.name_time 2024-05-01T12:34:56
expect "$T/name.json" findings.device.name_device "phone camera (Android naming)"
expect "$T/name.json" verdict clean
"$SCRUB" --report --json - <"$W/IMG_20240501_123456.jpg" >"$T/stdin.json" 2>&1
expect "$T/stdin.json" findings.time.name_time ""

finish
