#!/bin/bash
# Builds the HEIC/HEIF/AVIF test fixtures into DIR.
#
# The images come from heif-enc (libheif-examples): HEIC and AVIF, with
# thumbnails, alpha, an ICC profile, deflated XMP and the 1x1 grids heif-enc
# writes for sizes it pads, carrying the EXIF and XMP that exiftool wrote into
# the JPEG they were encoded from. exiftool also writes into one HEIC directly
# and strips another (its zero-length stubs are a case to clean up, never a
# golden). Everything no encoder writes is rebuilt at box level with
# tests/isobmff.py: every iloc version and field size, idat items, 32-bit
# item IDs, large boxes, meta after mdat, interleaved extents, two mdats,
# 2x2 grids, thumbnails, depth maps, mattes, gain maps (Apple auxl and ISO
# tmap + altr), uri and unknown items, vendor boxes (sefd, mpvd, uuid, udta),
# the files scrub must refuse and broken ones.
#
# DIR/list.tsv has one line per fixture:
#   name <TAB> expect <TAB> kept <TAB> what it holds <TAB> planted strings ('|'-separated)
# expect: scrub   metadata to remove; the output must be clean
#         clean   nothing to remove; the output is the input, byte for byte
#         refuse  a HEIF scrub cannot walk safely: unsupported, untouched
#         bad     malformed: an error, untouched
# kept:   what must survive a default scrub (comma-separated: alpha, icc,
#         irot, imir, grid, nclx), "-" for nothing in particular.
# Planted strings are spelled Planted... so a test can grep the output for
# any byte of removed text.
#
# Usage: gen-heif-fixtures.sh DIR   (needs heif-enc, exiftool, convert and
# PYTHON with Pillow for the ICC profile)
set -eu
dir=${1:?usage: gen-heif-fixtures.sh DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$dir"
cd "$dir"
: "${PYTHON:=/usr/bin/python3}"
: >list.tsv

add()
{
	# add NAME EXPECT KEPT DESCRIPTION PLANTED
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>list.tsv
}

et()
{
	exiftool -q -q -overwrite_original "$@"
}

enc()
{
	heif-enc -q 60 "$@" >/dev/null
}

# Source pictures, deterministic (fixed plasma seeds, 8-bit).
convert -seed 7 -size 128x96 plasma:fractal -depth 8 .src.png
convert -seed 11 -size 100x75 plasma:fractal -depth 8 .odd.png
convert -seed 5 -size 128x128 plasma:fractal -depth 8 .big.png
for i in 0 1 2 3; do
	convert .big.png -crop "64x64+$(( (i % 2) * 64 ))+$(( (i / 2) * 64 ))" +repage -depth 8 ".tile$i.png"
done
convert -seed 13 -size 64x64 plasma:fractal -colorspace Gray -depth 8 .gray.png
"$PYTHON" - <<'EOF'
from PIL import Image, ImageCms
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
open(".srgb.icc", "wb").write(icc)
im = Image.new("RGBA", (64, 64))
px = im.load()
for y in range(64):
    for x in range(64):
        px[x, y] = (x * 4, y * 4, (x + y) * 2, 255 if x < 40 else 60)
im.save(".alpha.png")
Image.open(".src.png").convert("RGB").save(".icc.png", icc_profile=icc)
EOF

# EXIF and XMP as a phone writes them, into JPEGs heif-enc carries them from.
tag_jpeg()
{
	et -Make=PlantedHeifMake -Model=PlantedHeifModel -Artist=PlantedHeifArtist \
		-SerialNumber=PlantedHeifSerial -OwnerName=PlantedHeifOwner \
		-Copyright=PlantedHeifCopyright -DateTimeOriginal='2021:06:30 12:34:56' \
		-GPSLatitude=48.858370 -GPSLatitudeRef=N -GPSLongitude=2.294481 -GPSLongitudeRef=E \
		-GPSAltitude=35 -XMP-dc:Creator=PlantedHeifXmpCreator \
		-XMP-photoshop:City=PlantedHeifXmpCity "$1"
}
convert .src.png -quality 92 .tagged.jpg
tag_jpeg .tagged.jpg
convert .odd.png -quality 92 .tagged-odd.jpg
tag_jpeg .tagged-odd.jpg
EXIF_STRINGS="PlantedHeifMake|PlantedHeifModel|PlantedHeifArtist|PlantedHeifSerial|PlantedHeifOwner|PlantedHeifCopyright"
XMP_STRINGS="PlantedHeifXmpCreator|PlantedHeifXmpCity"

enc .tagged.jpg -o enc-exif-xmp.heic
add enc-exif-xmp.heic scrub - "heif-enc HEIC, Exif (offset 0, MM) and XMP items from a tagged JPEG" "$EXIF_STRINGS|$XMP_STRINGS"
enc -t 48 .tagged.jpg -o enc-thumb.heic
add enc-thumb.heic scrub - "heif-enc HEIC with a thmb thumbnail, Exif and XMP" "$EXIF_STRINGS|$XMP_STRINGS"
enc -t 32 .tagged-odd.jpg -o enc-grid-thumb.heic
add enc-grid-thumb.heic scrub grid "heif-enc 1x1 grid (100x75 padded) with a thumbnail that is itself a grid, Exif, XMP" "$EXIF_STRINGS|$XMP_STRINGS"
enc --enable-metadata-compression .tagged.jpg -o enc-deflate-xmp.heic
add enc-deflate-xmp.heic scrub - "heif-enc HEIC with XMP deflate-encoded (content_encoding deflate)" "$EXIF_STRINGS"
enc -A .tagged.jpg -o enc-exif-xmp.avif
add enc-exif-xmp.avif scrub - "heif-enc AVIF with Exif and XMP" "$EXIF_STRINGS|$XMP_STRINGS"
enc -A -t 32 .tagged.jpg -o enc-thumb.avif
add enc-thumb.avif scrub - "heif-enc AVIF with an av01 thumbnail, Exif and XMP" "$EXIF_STRINGS|$XMP_STRINGS"
enc .src.png -o enc-plain.heic
add enc-plain.heic clean - "heif-enc HEIC without metadata: nothing to remove" ""
enc -A .src.png -o enc-plain.avif
add enc-plain.avif clean nclx "heif-enc AVIF without metadata: nothing to remove" ""
enc .odd.png -o enc-plain-grid.heic
add enc-plain-grid.heic clean grid "heif-enc 1x1 grid without metadata: nothing to remove" ""
enc .alpha.png -o enc-alpha.heic
add enc-alpha.heic clean alpha "heif-enc HEIC with an alpha auxiliary (urn:mpeg:hevc:2015:auxid:1): kept" ""
enc -A .alpha.png -o enc-alpha.avif
add enc-alpha.avif clean alpha,nclx "heif-enc AVIF with an alpha auxiliary (urn:mpeg:mpegB:cicp:systems:auxiliary:alpha): kept" ""
enc .icc.png -o enc-icc.heic
add enc-icc.heic clean icc "heif-enc HEIC with an ICC colr (prof): kept by default, removed by --strip-all" ""

# exiftool writing into a HEIC itself, and exiftool's own strip (zero-length
# Exif/XMP stubs left in iinf/iloc/iref: scrub must remove them properly).
cp enc-plain.heic xt-written.heic
et -Artist=PlantedXtArtist -Make=PlantedXtMake -XMP-dc:Creator=PlantedXtCreator \
	-GPSLatitude=10.5 -GPSLatitudeRef=S -GPSLongitude=20.25 -GPSLongitudeRef=W xt-written.heic
add xt-written.heic scrub - "exiftool 12.57 wrote Exif, GPS and XMP into a HEIC" "PlantedXtArtist|PlantedXtMake|PlantedXtCreator"
cp enc-exif-xmp.heic xt-stripped.heic
et -all= xt-stripped.heic
add xt-stripped.heic scrub - "exiftool -all= output: Exif and mime items kept as zero-length stubs" ""

# Pieces the box-level fixtures are put together from.
for i in 0 1 2 3; do
	enc ".tile$i.png" -o ".tile$i.heic"
	enc -A ".tile$i.png" -o ".tile$i.avif"
done
enc .gray.png -o .gray.heic
enc -A .gray.png -o .gray.avif
convert -size 32x24 gradient:red-blue -quality 80 .thumb.jpg
et -Comment=PlantedJpegThumbComment .thumb.jpg

# Everything else at box level.
"$PYTHON" - "$here" <<'EOF'
import struct, sys, zlib
sys.path.insert(0, sys.argv[1])
import isobmff as I

def load(path):
    return I.Heif(open(path, "rb").read())

def add(name, expect, kept, what, planted=()):
    with open("list.tsv", "a") as f:
        f.write("%s\t%s\t%s\t%s\t%s\n" % (name, expect, kept or "-", what, "|".join(planted)))

def save(name, data):
    with open(name, "wb") as f:
        f.write(data)

EXIF_STRINGS = {"Make": "PlantedByteMake", "Model": "PlantedByteModel", "Artist": "PlantedByteArtist",
                "Copyright": "PlantedByteCopyright", "OwnerName": "PlantedByteOwner",
                "BodySerialNumber": "PlantedByteSerial", "LensSerialNumber": "PlantedByteLens",
                "DateTimeOriginal": "2020:06:30 03:27:59"}
EXIF_PLANTED = [v for k, v in EXIF_STRINGS.items() if k != "DateTimeOriginal"]
XMP = I.xmp_packet({"dc:creator": "PlantedByteXmpCreator", "photoshop:City": "PlantedByteXmpCity"})
XMP_PLANTED = ["PlantedByteXmpCreator", "PlantedByteXmpCity"]
ALL = EXIF_PLANTED + XMP_PLANTED

plain = load("enc-plain.heic")
plain_avif = load("enc-plain.avif")

def base(src=plain):
    return I.Builder.from_heif(src)

def add_exif(b, target=None, apple=True, little=False, storage="mdat", name=""):
    it = b.add_item("Exif", I.exif_item(I.tiff_exif(EXIF_STRINGS, little=little), apple), name=name)
    it.storage = storage
    if storage == "idat":
        b.iloc_version = max(b.iloc_version, 1)
    b.refs.append(("cdsc", it.id, [target or b.pitm]))
    return it

def add_xmp(b, target=None, data=XMP, encoding=None, storage="mdat"):
    it = b.add_item("mime", data, content_type="application/rdf+xml", content_encoding=encoding)
    it.storage = storage
    if storage == "idat":
        b.iloc_version = max(b.iloc_version, 1)
    b.refs.append(("cdsc", it.id, [target or b.pitm]))
    return it

def dirty(src=plain):
    b = base(src)
    add_exif(b)
    add_xmp(b)
    return b

# --- iloc versions and field sizes --------------------------------------
# libheif 1.15 reads extent_index only in iloc v2 (box.cc: get_version() > 1),
# so it cannot decode v1 files with index_size > 0: those are marked
# "nolibheif" and compared by item bytes instead of pixels.
for v, sizes, use_base in [(0, (4, 4, 0, 0), False), (0, (4, 4, 4, 0), True), (0, (8, 8, 8, 0), True),
                           (1, (4, 4, 0, 0), False), (1, (4, 4, 4, 0), True), (1, (8, 8, 8, 0), False),
                           (1, (4, 4, 4, 4), True), (1, (8, 8, 0, 8), False),
                           (2, (4, 4, 0, 0), False), (2, (4, 8, 4, 8), True), (2, (8, 4, 0, 4), False),
                           (1, (0, 4, 4, 0), True), (0, (4, 4, 8, 0), False)]:
    b = dirty()
    b.iloc_version = v
    b.offset_size, b.length_size, b.base_size, b.index_size = sizes
    b.use_base = use_base
    name = "iloc-v%d-%s%s.heic" % (v, "".join(map(str, sizes)), "-base" if use_base else "")
    save(name, b.build())
    add(name, "scrub", "nolibheif" if v == 1 and sizes[3] else "",
        "iloc v%d offset/length/base/index sizes %s%s, Exif and XMP"
        % (v, "/".join(map(str, sizes)), ", positions in base_offset" if use_base else ""), ALL)

# Clean twins of a few forms: nothing to remove, the bytes must not change.
for v, sizes, use_base in [(0, (4, 4, 4, 0), True), (1, (8, 8, 8, 0), False), (2, (4, 4, 0, 4), False)]:
    b = base()
    b.iloc_version = v
    b.offset_size, b.length_size, b.base_size, b.index_size = sizes
    b.use_base = use_base
    name = "clean-iloc-v%d-%s.heic" % (v, "".join(map(str, sizes)))
    save(name, b.build())
    add(name, "clean", "", "no metadata, iloc v%d sizes %s" % (v, "/".join(map(str, sizes))))

# --- 32-bit item IDs, wide ipma, idat items ------------------------------
b = dirty()
b.iloc_version = 2
b.renumber({it.id: 70000 + it.id for it in b.items})
save("ids32.heic", b.build())
add("ids32.heic", "scrub", "", "item IDs above 65535: iloc v2, infe v3, iref v1, ipma v1, pitm v1", ALL)

b = base()
b.iloc_version = 2
b.renumber({it.id: 90000 + it.id for it in b.items})
save("clean-ids32.heic", b.build())
add("clean-ids32.heic", "clean", "", "no metadata, 32-bit item IDs")

b = dirty()
b.ipma_flags = 1
save("ipma-wide.heic", b.build())
add("ipma-wide.heic", "scrub", "", "ipma with 16-bit property indices (flags 1)", ALL)

b = base()
add_exif(b, storage="idat")
add_xmp(b, storage="idat")
save("idat-exif-xmp.heic", b.build())
add("idat-exif-xmp.heic", "scrub", "", "Exif and XMP in idat (construction method 1)", ALL)

grid = load("enc-plain-grid.heic")
b = base(grid)
ex = add_exif(b, storage="idat")
b.items.remove(ex)          # Exif before the grid descriptor in idat
b.items.insert(0, ex)
add_xmp(b)
save("idat-grid-exif.heic", b.build())
add("idat-grid-exif.heic", "scrub", "grid", "Exif in idat before the grid descriptor, whose offset must move", ALL)

# --- box header forms and layouts ----------------------------------------
b = dirty()
b.large = {"meta", "mdat", "iloc", "iinf", "iprp", "ipco", "infe"}
save("large-boxes.heic", b.build())
add("large-boxes.heic", "scrub", "", "meta, mdat, iloc, iinf, iprp, ipco, infe with 64-bit largesize", ALL)

b = dirty()
b.last_mdat_to_end = True
save("mdat-size0.heic", b.build())
add("mdat-size0.heic", "scrub", "", "mdat with size 0 (runs to the end of the file)", ALL)

b = dirty()
b.layout = ["ftyp", "mdat0", "meta"]
save("meta-after-mdat.heic", b.build())
add("meta-after-mdat.heic", "scrub", "", "mdat before meta, as the Galaxy S10 writes", ALL)

b = dirty()
b.layout = ["ftyp", "mdat0", "meta"]
b.last_mdat_to_end = False
b.large = {"mdat"}
save("meta-after-large-mdat.heic", b.build())
add("meta-after-large-mdat.heic", "scrub", "", "largesize mdat before meta", ALL)

b = dirty()
b.item(b.pitm).extents = 3
b.interleave = True
for it in b.items:
    if it.type in ("Exif", "mime"):
        it.extents = 2
save("interleaved.heic", b.build())
add("interleaved.heic", "scrub", "", "image in 3 extents interleaved with the Exif and XMP extents", ALL)

b = dirty()
b.item(b.pitm).extents = 3
b.interleave = True
b.use_base = True
b.base_size = 4
save("interleaved-base.heic", b.build())
add("interleaved-base.heic", "scrub", "", "interleaved extents addressed from a base_offset", ALL)

b = dirty()
b.layout = ["ftyp", "meta", "mdat0", "mdat1"]
for it in b.items:
    if it.type in ("Exif", "mime"):
        it.mdat = 1
save("two-mdats.heic", b.build())
add("two-mdats.heic", "scrub", "", "image in the first mdat, Exif and XMP in a second one", ALL)

b = dirty()
b.layout = ["ftyp", "meta", "mdat0", "mdat1"]
b.item(b.pitm).mdat = 1
save("two-mdats-meta-first.heic", b.build())
add("two-mdats-meta-first.heic", "scrub", "", "Exif and XMP in the first mdat, the image in the second", ALL)

b = dirty()
b.filler = b"PlantedMdatLeftover"
save("mdat-filler.heic", b.build())
add("mdat-filler.heic", "scrub", "", "bytes in mdat no item references, between the extents", ALL + ["PlantedMdatLeftover"])

b = dirty()
x = b.add_item("mime", b"", content_type="application/rdf+xml")
x.share = b.pitm
b.refs.append(("cdsc", x.id, [b.pitm]))
save("shared-extent.heic", b.build())
add("shared-extent.heic", "scrub", "", "a removed mime item points at the image's own bytes, which must stay", ALL)

# --- grids ----------------------------------------------------------------
def grid2x2(avif=False):
    ext = "avif" if avif else "heic"
    tiles = [load(".tile%d.%s" % (i, ext)) for i in range(4)]
    b = I.Builder()
    b.major = "avif" if avif else "heic"
    b.compat = ["mif1", "avif", "miaf"] if avif else ["mif1", "heic", "miaf"]
    ids = []
    for t in tiles:
        it = b.import_item(t, t.pitm)
        it.flags = 1
        ids.append(it.id)
    g = b.add_item("grid", I.grid_descriptor(2, 2, 128, 128), hidden=False)
    g.storage = "idat"
    g.props = [(False, b.add_prop(I.prop_ispe(128, 128)))]
    b.refs.append(("dimg", g.id, ids))
    b.pitm = g.id
    return b

b = grid2x2()
add_exif(b)
add_xmp(b)
save("grid2x2.heic", b.build())
add("grid2x2.heic", "scrub", "grid", "2x2 grid of 64x64 hvc1 tiles (dimg), Exif and XMP", ALL)
save("clean-grid2x2.heic", grid2x2().build())
add("clean-grid2x2.heic", "clean", "grid", "2x2 grid, no metadata")

b = grid2x2()
add_exif(b)
add_xmp(b)
for it in b.items:
    it.extents = 2
b.interleave = True
save("grid2x2-interleaved.heic", b.build())
add("grid2x2-interleaved.heic", "scrub", "grid", "2x2 grid, every item in 2 extents, all interleaved", ALL)

b = grid2x2(avif=True)
add_exif(b, apple=False, little=True)
add_xmp(b)
save("grid2x2.avif", b.build())
add("grid2x2.avif", "scrub", "grid", "2x2 grid of av01 tiles, Exif (offset 0, II) and XMP", ALL)

# --- auxiliary images, thumbnails, gain maps -------------------------------
gray = load(".gray.heic")
gray_avif = load(".gray.avif")

def with_aux(urn, xmp_on_aux=None, src=plain, aux_src=gray):
    b = dirty(src)
    aux = b.import_item(aux_src, aux_src.pitm)
    aux.flags = 1
    aux.props.append((False, b.add_prop(I.prop_auxc(urn))))
    b.refs.append(("auxl", aux.id, [b.pitm]))
    if xmp_on_aux:
        add_xmp(b, target=aux.id, data=xmp_on_aux)
    return b, aux

b, _ = with_aux("urn:mpeg:hevc:2015:auxid:2")
save("depth.heic", b.build())
add("depth.heic", "scrub", "", "depth map auxiliary (urn:mpeg:hevc:2015:auxid:2)", ALL + ["urn:mpeg:hevc:2015:auxid:2"])

b, _ = with_aux("urn:com:apple:photo:2018:aux:portraiteffectsmatte")
save("matte.heic", b.build())
add("matte.heic", "scrub", "", "Apple portrait matte auxiliary", ALL + ["portraiteffectsmatte"])

gm_xmp = I.xmp_packet({"HDRGainMap:HDRGainMapVersion": "131072",
                       "HDRGainMap:HDRGainMapHeadroom": "PlantedGainMapHeadroom"}).replace(
    b'xmlns:dc=', b'xmlns:HDRGainMap="http://ns.apple.com/HDRGainMap/1.0/" xmlns:dc=')
b, _ = with_aux("urn:com:apple:photo:2020:aux:hdrgainmap", xmp_on_aux=gm_xmp)
save("gainmap-apple.heic", b.build())
add("gainmap-apple.heic", "scrub", "", "Apple HDR gain map (auxl, auxC hdrgainmap) with its own cdsc XMP",
    ALL + ["hdrgainmap", "PlantedGainMapHeadroom"])

thumb = load("enc-thumb.heic")
tb = I.Builder.from_heif(thumb)
jpeg = open(".thumb.jpg", "rb").read()
t = tb.add_item("jpeg", jpeg, hidden=False)
t.props = [(False, tb.add_prop(I.prop_ispe(32, 24)))]
tb.refs.append(("thmb", t.id, [tb.pitm]))
save("thumb-jpeg.heic", tb.build())
add("thumb-jpeg.heic", "scrub", "", "hvc1 thumbnail plus a jpeg thumbnail item with a COM comment",
    ["PlantedHeifArtist", "PlantedJpegThumbComment"])

# ISO 21496-1 layout: tmap derived from [base, gain map], in an altr group.
b = dirty(plain_avif)
b.compat.append("tmap")
gm = b.import_item(gray_avif, gray_avif.pitm)
gm.flags = 1
tm = b.add_item("tmap", b"\0\0\0\0PlantedTmapPayload", hidden=False)
tm.props = [(False, b.add_prop(I.prop_ispe(128, 96)))]
b.refs.append(("dimg", tm.id, [b.pitm, gm.id]))
b.groups.append(("altr", 1000, [tm.id, b.pitm], b""))
xm = add_xmp(b, target=gm.id, data=gm_xmp)
save("tmap.avif", b.build())
add("tmap.avif", "scrub", "nclx", "ISO 21496-1 gain map: tmap item (dimg base, gain map), altr group, XMP on the gain map",
    ALL + ["PlantedTmapPayload", "PlantedGainMapHeadroom"])
# As newer iPhones write it: metadata also describes the tmap item, which
# libheif 1.15 does not know ("Metadata assigned to non-existing image").
b.refs = [(t, f, [tm.id] if f == xm.id else to) for t, f, to in b.refs]
save("tmap-cdsc.avif", b.build())
add("tmap-cdsc.avif", "scrub", "nclx,nolibheif", "tmap gain map with its XMP describing the tmap item",
    ALL + ["PlantedTmapPayload", "PlantedGainMapHeadroom"])

alpha = load("enc-alpha.heic")
b = dirty(alpha)
save("alpha-exif.heic", b.build())
add("alpha-exif.heic", "scrub", "alpha", "alpha auxiliary kept, Exif and XMP removed", ALL)

b, _ = with_aux("urn:mpeg:hevc:2015:auxid:2", src=alpha)
save("alpha-depth.heic", b.build())
add("alpha-depth.heic", "scrub", "alpha", "alpha kept, depth map removed", ALL + ["urn:mpeg:hevc:2015:auxid:2"])

alpha_avif = load("enc-alpha.avif")
b = dirty(alpha_avif)
save("alpha-exif.avif", b.build())
add("alpha-exif.avif", "scrub", "alpha,nclx", "AVIF alpha auxiliary kept, Exif and XMP removed", ALL)

icc = load("enc-icc.heic")
b = dirty(icc)
save("icc-exif.heic", b.build())
add("icc-exif.heic", "scrub", "icc", "ICC colr (kept by default), Exif and XMP", ALL)

# --- other item types --------------------------------------------------------
b = dirty()
u = b.add_item("uri ", b"PlantedUriData", uri_type="tag:planted.example,2024:PlantedUriType")
b.refs.append(("cdsc", u.id, [b.pitm]))
save("uri-item.heic", b.build())
add("uri-item.heic", "scrub", "", "a uri item (type and data planted)", ALL + ["PlantedUriData", "PlantedUriType"])

b = dirty()
b.add_item("zzzz", b"PlantedUnknownItem", name="PlantedUnknownName")
m = b.add_item("mime", b'{"PlantedJsonMime": 1}', content_type="application/json")
b.refs.append(("cdsc", m.id, [b.pitm]))
save("unknown-items.heic", b.build())
add("unknown-items.heic", "scrub", "", "an unknown item type and a mime item that is not XMP",
    ALL + ["PlantedUnknownItem", "PlantedUnknownName", "PlantedJsonMime"])

b = base()
add_exif(b, apple=False, little=True, name="PlantedExifItemName")
save("exif-ii-offset0.heic", b.build())
add("exif-ii-offset0.heic", "scrub", "", "Exif item with offset 0 and a little-endian TIFF header, named",
    EXIF_PLANTED + ["PlantedExifItemName"])

b = base()
add_xmp(b, data=zlib.compress(XMP), encoding="deflate")
save("xmp-deflate.heic", b.build())
add("xmp-deflate.heic", "scrub", "", "XMP deflated (content_encoding deflate), no Exif", [])

# libheif 1.15 loops for ever reading these (its inflate never sees the
# stream end): scrub must clean them without handing them to libheif.
for name, data in [("deflate-empty.heic", b""), ("deflate-truncated.heic", zlib.compress(XMP)[:20])]:
    b = base()
    add_exif(b)
    add_xmp(b, data=data, encoding="deflate")
    save(name, b.build())
    add(name, "scrub", "nolibheif", "a deflate XMP item libheif 1.15 hangs on (%s)" % name.split("-")[1][:-5],
        EXIF_PLANTED)

b = dirty()
b.props.append(I.prop_irot(1))
b.props.append(I.prop_imir(1))
prim = b.item(b.pitm)
prim.props += [(True, len(b.props) - 1), (True, len(b.props))]
save("irot-imir.heic", b.build())
add("irot-imir.heic", "scrub", "irot,imir", "primary with irot 90 and imir: orientation kept, no Exif written", ALL)

b = dirty()
b.props.insert(0, I.box("free", b"\0" * 12))
for it in b.items:
    it.props = [(e, i + 1) for e, i in it.props]
b.item(b.pitm).props.append((False, 0))
save("ipco-free.heic", b.build())
add("ipco-free.heic", "scrub", "", "a zeroed free box inside ipco and an index 0 association (Galaxy S24 FE)", ALL)

# --- top-level boxes ---------------------------------------------------------
sefd = (b"\0\0\x01\x0a" + struct.pack("<I", 27) + b"Image_UTC_Data1593487679058"
        + b"\0\0\xa1\x0a" + struct.pack("<I", 18) + b"MCC_DataPlanted466"
        + b"SEFH" + struct.pack("<III", 107, 2, 0) + b"SEFT")
mpvd = I.box("ftyp", b"mp42\0\0\0\0isommp42") + I.box("mdat", b"PlantedMotionVideo" * 4)
c2pa = b"\0" * 4 + b"manifest\0" + b"PlantedC2paManifest"
boxes = [I.box("sefd", sefd), I.box("mpvd", mpvd), I.box("uuid", c2pa, usertype=I.C2PA_UUID),
         I.box("free", b"PlantedFreeLeftover"), I.box("skip", b"PlantedSkipLeftover"),
         I.box("udta", I.box("cprt", b"PlantedUdtaCopyright")), I.box("zzzz", b"PlantedUnknownBox")]
top_planted = ["Image_UTC_Data", "MCC_DataPlanted466", "PlantedMotionVideo", "PlantedC2paManifest",
               "PlantedFreeLeftover", "PlantedSkipLeftover", "PlantedUdtaCopyright", "PlantedUnknownBox"]
b = dirty()
b.layout = ["ftyp", boxes[3], "meta", boxes[2], boxes[6], "mdat0", boxes[1], boxes[4], boxes[5], boxes[0]]
save("top-boxes.heic", b.build())
add("top-boxes.heic", "scrub", "", "sefd, mpvd, uuid (C2PA), free, skip, udta and an unknown box around meta and mdat",
    ALL + top_planted)

b = base()
b.layout = ["ftyp", "mdat0", "meta", I.box("free", b"\0" * 64), boxes[1], boxes[0]]
save("samsung-like.heic", b.build())
add("samsung-like.heic", "scrub", "", "Samsung order: mdat, meta, free, mpvd (motion photo), sefd; no items to remove",
    ["Image_UTC_Data", "MCC_DataPlanted466", "PlantedMotionVideo"])

b = base()
b.layout = ["ftyp", "meta", "mdat0", I.box("uuid", c2pa, usertype=I.C2PA_UUID)]
save("c2pa-only.heic", b.build())
add("c2pa-only.heic", "scrub", "", "a C2PA uuid box after mdat and nothing else", ["PlantedC2paManifest"])

# --- files scrub must refuse ---------------------------------------------------
b = dirty()
b.layout = ["ftyp", "meta", I.box("moov", I.box("mvhd", b"\0" * 100)), "mdat0"]
b.compat = ["msf1", "mif1", "heic", "hevc"]
save("refuse-moov.heic", b.build())
add("refuse-moov.heic", "refuse", "", "image sequence: a moov box next to meta", ALL)

mini = (I.box("ftyp", b"mif3\0\0\0\0mif3miaf") + I.box("mini", b"\x80" + b"\0" * 40 + b"PlantedMiniExif"))
save("refuse-mini.heic", mini)
add("refuse-mini.heic", "refuse", "", "compact mif3 file (a mini box instead of meta)", ["PlantedMiniExif"])

b = dirty()
b.dinf = I.fullbox("dref", 0, 0, struct.pack(">I", 2) + I.fullbox("url ", 0, 1, b"")
                   + I.fullbox("url ", 0, 0, b"http://planted.example/PlantedRemote\0"))
b.item(b.pitm).dref = 2
save("refuse-dref.heic", b.build())
add("refuse-dref.heic", "refuse", "", "the primary's data is in another file (dref url, not self-contained)", ALL)

b = dirty()
b.iloc_version = 1
b.item(b.pitm).cm = 2
save("refuse-cm2.heic", b.build())
add("refuse-cm2.heic", "refuse", "", "construction_method 2 (item offset) on the primary", ALL)

b = dirty()
b.item(b.pitm).protection = 1
b.meta_extra.append(I.fullbox("ipro", 0, 0, struct.pack(">H", 1) + I.box("sinf", I.box("frma", b"hvc1"))))
save("refuse-protected.heic", b.build())
add("refuse-protected.heic", "refuse", "", "a protected item (ipro, item_protection_index 1)", ALL)

b = dirty()
one = b.build()
h1 = I.Heif(one)
save("refuse-two-meta.heic", one + h1.meta.raw(one))
add("refuse-two-meta.heic", "refuse", "", "two top-level meta boxes", ALL)

b = dirty()
for it in b.items:
    if it.type == "Exif":
        it.infe_version = 1
save("refuse-infe-v1.heic", b.build())
add("refuse-infe-v1.heic", "refuse", "", "an infe version 1 entry (no item_type)", [])

# --- broken files ----------------------------------------------------------
def dirty_v1():
    b = dirty()
    b.iloc_version = 1
    b.offset_size, b.length_size, b.base_size, b.index_size = 4, 4, 0, 0
    b.use_base = False
    return b

good = dirty_v1().build()
h = I.Heif(good)

def patched(name, what, edits):
    d = bytearray(good)
    for off, fmt, value in edits:
        struct.pack_into(fmt, d, off, value)
    save(name, bytes(d))
    add(name, "bad", "", what)

def box_at(path):
    for p, off, head, size in I.find_boxes(good):
        if p == path:
            return off, size
    raise KeyError(path)

meta_off, meta_size = box_at("/meta")
mdat_off, mdat_size = box_at("/mdat")
patched("bad-meta-size.heic", "meta size runs past the end of the file",
        [(meta_off, ">I", meta_size + len(good))])
patched("bad-meta-short.heic", "meta size cuts its last child in half", [(meta_off, ">I", meta_size - 3)])
patched("bad-mdat-size.heic", "mdat size one byte past the end", [(mdat_off, ">I", mdat_size + 1)])
patched("bad-box-tiny.heic", "a box with size 7 (below its header)", [(mdat_off, ">I", 7)])
iinf_off, _ = box_at("/meta/iinf")
patched("bad-iinf-count.heic", "iinf entry_count larger than its infe boxes", [(iinf_off + 12, ">H", 9)])
save("bad-truncated-mdat.heic", good[:mdat_off + 20])
add("bad-truncated-mdat.heic", "bad", "", "cut in the middle of mdat: extents past the end")
save("bad-truncated-meta.heic", good[:meta_off + meta_size // 2])
add("bad-truncated-meta.heic", "bad", "", "cut in the middle of meta")

def rebuilt(name, what, change):
    b = dirty()
    change(b)
    save(name, b.build())
    add(name, "bad", "", what)

rebuilt("bad-iref-missing.heic", "iref names an item that does not exist",
        lambda b: b.refs.append(("dimg", b.pitm, [4242])))
rebuilt("bad-ipma-index.heic", "ipma association past the end of ipco",
        lambda b: b.item(b.pitm).props.append((False, 99)))
rebuilt("bad-pitm-missing.heic", "pitm names no item", lambda b: setattr(b, "pitm", 4243))

# An extent of the image that reaches past the end of the file, one that
# points into meta, and a zero-length extent (the whole container) on it.
for name, what, fix in [
        ("bad-extent-eof.heic", "the image's extent runs past the end of the file", lambda o, n: (o, n + 10**6)),
        ("bad-extent-in-meta.heic", "the image's extent points into meta, not into mdat", lambda o, n: (40, n)),
        ("bad-extent-zero.heic", "the image's extent has length 0 (the whole container)", lambda o, n: (o, 0))]:
    data = bytearray(dirty_v1().build())
    hh = I.Heif(bytes(data))
    loc = hh.loc(hh.pitm)
    il_off = [o for p, o, hd, s in I.find_boxes(bytes(data)) if p == "/meta/iloc"][0]
    # iloc v1 4/4/0/0: 12 header + 2 sizes + 2 count, entries of 2+2+2+2+8n.
    pos = il_off + 12 + 4
    for e in hh.iloc.entries:
        if e.id == hh.pitm:
            break
        pos += 8 + 8 * len(e.extents)
    o, n = fix(loc.extents[0][1], loc.extents[0][2])
    struct.pack_into(">II", data, pos + 8, o, n)
    save(name, bytes(data))
    add(name, "bad", "", what)
EOF

# The pieces are not fixtures.
rm -f .src.png .odd.png .big.png .gray.* .alpha.png .icc.png .srgb.icc .tagged.jpg .tagged-odd.jpg \
	.tile[0-3].* .thumb.jpg
