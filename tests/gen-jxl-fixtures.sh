#!/bin/bash
# gen-jxl-fixtures.sh DIR: writes JPEG XL test fixtures into DIR at test time.
#
# Nothing is committed: cjxl makes the images (from a PNG, an animated GIF
# and a JPEG carrying a comment, IPTC, XMP and EXIF, so that its jbrd box
# holds the comment and IPTC Brotli-compressed and brob boxes hold the rest),
# and tests/jxltool.py adds the boxes cjxl will not write (Exif, xml , jumb,
# brob, unknown and 64-bit-size boxes, boxes after the codestream, a box
# running to the end, trailing bytes) and the broken files. Two lists:
#
#   DIR/list.tsv   name <TAB> contents (comma-separated) <TAB> planted strings ('|'-separated)
#   DIR/bad.tsv    name <TAB> what is wrong with it
#
# The planted strings (PlantedJxl...) must not survive a scrub, not even
# inside a Brotli stream (jxltool.py unpack shows those). Contents: exif, xml,
# jumb, brob, jbrd, jxli, jxll, unknown, large, after, last, trailer, split,
# anim, orientation; "bare" and "clean" mark files with nothing to remove.
# Each fixture is checked here: it parses, holds its strings (decompressed
# where they are hidden), decodes with djxl, and the one made from a JPEG
# turns back into that JPEG with its comment and IPTC (proving jbrd carries
# them).
#
# Needs: PYTHON with Pillow and brotli, cjxl, djxl, convert (ImageMagick), exiftool.
set -eu

dir=${1:?usage: gen-jxl-fixtures.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$dir"
cd "$dir"

jt() { "$py" "$here/jxltool.py" "$@"; }
et() { exiftool -q -q -overwrite_original "$@"; }
enc() { cjxl --quiet "$@" >/dev/null 2>&1; }
: >list.tsv
: >bad.tsv
add() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>list.tsv; }
bad() { printf '%s\t%s\n' "$1" "$2" >>bad.tsv; }

convert -size 48x32 gradient:'#d02020-#2040e0' -swirl 120 .src.png
convert -size 48x32 gradient:'#d02020-#2040e0' -swirl 120 -quality 88 .src.jpg
"$py" - <<'EOF'
from PIL import Image
frames = []
for i in range(4):
    im = Image.new("RGBA", (20, 16), (0, 0, 0, 0))
    for x in range(20):
        for y in range(16):
            if (x + y + i) % 3:
                im.putpixel((x, y), ((x * 12 + i * 40) % 256, (y * 15) % 256, (i * 60) % 256, 255))
    frames.append(im)
frames[0].save(".anim.gif", save_all=True, append_images=frames[1:], duration=[50, 70, 90, 110], loop=0)
EOF

# --- what cjxl writes ---------------------------------------------------------

enc .src.png clean-bare.jxl
add clean-bare.jxl bare,clean ''
enc --container=1 .src.png clean-container.jxl
add clean-container.jxl clean ''
enc --codestream_level=10 .src.png clean-level10.jxl
add clean-level10.jxl clean,jxll ''
enc .anim.gif clean-anim-bare.jxl
add clean-anim-bare.jxl bare,clean,anim ''
# cjxl 0.7 writes the frame index after the codestream parts.
enc --container=1 --frame_indexing=1010 .anim.gif anim-jxli.jxl
add anim-jxli.jxl anim,split,jxli ''

# From a JPEG: jbrd (comment, IPTC), brob Exif and brob xml; orientation 6
# goes into the codestream too.
cp .src.jpg .meta.jpg
et -Comment=PlantedJxlJpegComment -IPTC:By-line=PlantedJxlIptcByline -IPTC:City=PlantedJxlIptcCity \
	-XMP:Creator=PlantedJxlXmpCreator -EXIF:Artist=PlantedJxlExifArtist -EXIF:Orientation=6 -n \
	-GPSLatitude=48.858370 -GPSLatitudeRef=N -GPSLongitude=2.294481 -GPSLongitudeRef=E .meta.jpg
enc .meta.jpg from-jpeg.jxl
add from-jpeg.jxl jbrd,brob,split,orientation \
	'PlantedJxlJpegComment|PlantedJxlIptcByline|PlantedJxlIptcCity|PlantedJxlXmpCreator|PlantedJxlExifArtist'
# Proof: djxl turns it back into the very JPEG, comment and IPTC included.
djxl from-jpeg.jxl .back.jpg >/dev/null 2>&1
cmp -s .meta.jpg .back.jpg || { echo "from-jpeg.jxl does not reconstruct its JPEG" >&2; exit 1; }
for s in PlantedJxlJpegComment PlantedJxlIptcByline PlantedJxlIptcCity; do
	grep -qaF "$s" .back.jpg || { echo "reconstructed JPEG lacks $s" >&2; exit 1; }
	! grep -qaF "$s" from-jpeg.jxl || { echo "from-jpeg.jxl shows $s uncompressed" >&2; exit 1; }
done

# --- byte-built on cjxl's container ------------------------------------------

b() { local out=$1; shift; jt build clean-container.jxl "$out" "$@"; }
b bb-exif.jxl exif=PlantedJxlExifBb
add bb-exif.jxl exif PlantedJxlExifBb
b bb-exif-orient.jxl exif-orient=6:PlantedJxlExifOrient
add bb-exif-orient.jxl exif PlantedJxlExifOrient
b bb-xml.jxl xml=PlantedJxlXmlBb
add bb-xml.jxl xml PlantedJxlXmlBb
b bb-jumb.jxl jumb=PlantedJxlJumbBb
add bb-jumb.jxl jumb PlantedJxlJumbBb
b bb-brob.jxl brob-exif=PlantedJxlBrobExif brob-xml=PlantedJxlBrobXml
add bb-brob.jxl brob PlantedJxlBrobExif\|PlantedJxlBrobXml
b bb-unknown.jxl box=abcd:PlantedJxlUnknownBox box=free:PlantedJxlFreeBox
add bb-unknown.jxl unknown 'PlantedJxlUnknownBox|PlantedJxlFreeBox'
b bb-large.jxl large=zzzz:PlantedJxlLargeBox
add bb-large.jxl large PlantedJxlLargeBox
b bb-after.jxl after exif=PlantedJxlExifAfter xml=PlantedJxlXmlAfter
add bb-after.jxl after,exif,xml 'PlantedJxlExifAfter|PlantedJxlXmlAfter'
b bb-last.jxl last=uuid:PlantedJxlLastBox
add bb-last.jxl last PlantedJxlLastBox
b bb-trailer.jxl tail=PlantedJxlTrailer
add bb-trailer.jxl trailer PlantedJxlTrailer
b bb-split.jxl split=3 at=3 exif=PlantedJxlBetweenParts
add bb-split.jxl split,exif PlantedJxlBetweenParts
b clean-split.jxl split=4
add clean-split.jxl clean,split ''
b bb-level10.jxl jxll=10 xml=PlantedJxlXmlLevel
add bb-level10.jxl jxll,xml PlantedJxlXmlLevel
b bb-everything.jxl exif=PlantedJxlEvExif xml=PlantedJxlEvXml jumb=PlantedJxlEvJumb \
	brob-exif=PlantedJxlEvBrobExif brob-xml=PlantedJxlEvBrobXml box=abcd:PlantedJxlEvUnknown \
	large=zzzz:PlantedJxlEvLarge after exif=PlantedJxlEvAfter tail=PlantedJxlEvTrailer
add bb-everything.jxl exif,xml,jumb,brob,unknown,large,after,trailer \
	'PlantedJxlEvExif|PlantedJxlEvXml|PlantedJxlEvJumb|PlantedJxlEvBrobExif|PlantedJxlEvBrobXml|PlantedJxlEvUnknown|PlantedJxlEvLarge|PlantedJxlEvAfter|PlantedJxlEvTrailer'
jt build from-jpeg.jxl bb-jpeg-more.jxl jumb=PlantedJxlJpegJumb after box=abcd:PlantedJxlJpegUnknown
add bb-jpeg-more.jxl jbrd,brob,split,orientation,jumb,unknown,after \
	'PlantedJxlJpegComment|PlantedJxlIptcByline|PlantedJxlIptcCity|PlantedJxlXmpCreator|PlantedJxlExifArtist|PlantedJxlJpegJumb|PlantedJxlJpegUnknown'

# --- broken ------------------------------------------------------------------

jt build clean-container.jxl .good.jxl exif=PlantedJxlBroken
size=$(wc -c <.good.jxl)
jt cut .good.jxl bad-signature.jxl 7
bad bad-signature.jxl 'cut inside the signature box'
jt cut .good.jxl bad-ftyp.jxl 24
bad bad-ftyp.jxl 'cut inside ftyp'
jt cut .good.jxl bad-exif.jxl 60
bad bad-exif.jxl 'cut inside the Exif box before the codestream'
jt cut .good.jxl bad-jxlc-header.jxl $(($(jt dump .good.jxl | awk '$1 == "'"'jxlc'"'" { print $2 }') + 5))
bad bad-jxlc-header.jxl 'cut inside the jxlc box header'
jt cut .good.jxl bad-codestream.jxl $((size - 20))
bad bad-codestream.jxl 'cut inside the codestream'
jt setsize .good.jxl bad-size-huge.jxl 2 4000000000
bad bad-size-huge.jxl 'Exif box size past the end'
jt setsize .good.jxl bad-size-small.jxl 2 5
bad bad-size-small.jxl 'Exif box size 5, below its header'
jt setsize .good.jxl bad-size-short.jxl 2 12
bad bad-size-short.jxl 'Exif box size too short, so the next header lands inside it'
jt setsize .good.jxl bad-jxlc-size.jxl 3 $((size + 1))
bad bad-jxlc-size.jxl 'jxlc size one past the end'
"$py" - clean-container.jxl "$here" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[2])
import jxltool as jt
data = open(sys.argv[1], "rb").read()
boxes = jt.walk(data)
sig, ftyp = data[:12], data[12:32]
cs = [b for b in boxes if b.type == b"jxlc"][0].payload
def w(name, blob):
    open(name, "wb").write(blob)
w("bad-noftyp.jxl", sig + jt.box(b"jxlc", cs))
w("bad-ftyp-late.jxl", sig + jt.box(b"jxll", b"\x05") + ftyp + jt.box(b"jxlc", cs))
w("bad-nocodestream.jxl", sig + ftyp + jt.box(b"Exif", b"\0\0\0\0MM\0*\0\0\0\x08\0\0"))
w("bad-both.jxl", sig + ftyp + jt.box(b"jxlc", cs) + jt.box(b"jxlp", struct.pack(">I", 0x80000000) + cs))
half = len(cs) // 2
p0 = jt.box(b"jxlp", struct.pack(">I", 0) + cs[:half])
p1 = jt.box(b"jxlp", struct.pack(">I", 0x80000001) + cs[half:])
w("bad-jxlp-order.jxl", sig + ftyp + p1 + p0)
w("bad-jxlp-nolast.jxl", sig + ftyp + p0 + jt.box(b"jxlp", struct.pack(">I", 1) + cs[half:]))
w("bad-jxlp-after-last.jxl", sig + ftyp + p0 + p1 + jt.box(b"jxlp", struct.pack(">I", 2) + b"\0"))
w("bad-largesize.jxl", sig + ftyp + struct.pack(">I4sQ", 1, b"abcd", 8) + jt.box(b"jxlc", cs))
w("bad-two-jxlc.jxl", sig + ftyp + jt.box(b"jxlc", cs) + jt.box(b"jxlc", cs))
EOF
bad bad-noftyp.jxl 'no ftyp box after the signature'
bad bad-ftyp-late.jxl 'ftyp is not the second box'
bad bad-nocodestream.jxl 'no codestream box'
bad bad-both.jxl 'both jxlc and jxlp'
bad bad-jxlp-order.jxl 'jxlp parts out of order'
bad bad-jxlp-nolast.jxl 'no jxlp part is marked last'
bad bad-jxlp-after-last.jxl 'a jxlp part after the last'
bad bad-largesize.jxl '64-bit box size 8, below its 16-byte header'
bad bad-two-jxlc.jxl 'two jxlc boxes'
rm -f .good.jxl

# --- self-check: the fixtures hold what the lists say ---------------------------

while IFS=$'\t' read -r name contents strings; do
	dump=$(jt dump "$name") && ! grep -q '^error' <<<"$dump" ||
		{ echo "fixture $name does not parse: $dump" >&2; exit 1; }
	jt unpack "$name" >.unpacked
	IFS='|' read -ra want <<<"$strings"
	for s in "${want[@]}"; do
		grep -qaF -- "$s" .unpacked || { echo "fixture $name lacks $s" >&2; exit 1; }
	done
	case ,$contents, in
	*,clean,*) jt check-clean "$name" >/dev/null || { echo "fixture $name is not clean" >&2; exit 1; } ;;
	*) ! jt check-clean "$name" >/dev/null || { echo "fixture $name is already clean" >&2; exit 1; } ;;
	esac
	case ,$contents, in
	*,large,*) ;; # libjxl 0.7 misreads 64-bit box sizes; scrub's output must decode all the same
	*) djxl "$name" .check.png >/dev/null 2>&1 || { echo "djxl cannot decode fixture $name" >&2; exit 1; } ;;
	esac
done <list.tsv
while IFS=$'\t' read -r name why; do
	! jt check-clean "$name" >/dev/null || { echo "broken fixture $name passes as clean ($why)" >&2; exit 1; }
done <bad.tsv
rm -f .unpacked .check.png .src.png .src.jpg .meta.jpg .back.jpg .anim.gif
