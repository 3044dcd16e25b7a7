#!/bin/bash
# gen-gif-fixtures.sh DIR: writes GIF test fixtures into DIR at test time.
#
# Nothing is committed: the fixtures come from ImageMagick, gifsicle, Pillow
# and exiftool (what real tools write) and from tests/giftool.py (what they
# will not: plain text with and without a graphic control extension, C2PA,
# unknown extensions, loop extensions with extra sub-blocks, bytes after the
# trailer, 87a headers, and broken files). Two lists describe them:
#
#   DIR/list.tsv   name <TAB> contents (comma-separated) <TAB> planted strings ('|'-separated)
#   DIR/bad.tsv    name <TAB> what is wrong with it
#
# The planted strings (PlantedGif...) are distinctive texts that must not
# survive a scrub. Contents name what a fixture holds: comment, xmp, iptc,
# 8bim, c2pa, plaintext, gce-goes, gce-extra, app, ext, loop, animexts, icc,
# trailer, anim, lct, interlace; "clean" marks a fixture with nothing to remove. Each fixture is
# checked here to hold its strings, so a test can trust the list.
#
# Needs: PYTHON with Pillow, convert (ImageMagick), gifsicle, exiftool.
set -eu

dir=${1:?usage: gen-gif-fixtures.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$dir"
cd "$dir"

gt() { "$py" "$here/giftool.py" "$@"; }
et() { exiftool -q -q -overwrite_original "$@"; }
: >list.tsv
: >bad.tsv
add() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>list.tsv; }
bad() { printf '%s\t%s\n' "$1" "$2" >>bad.tsv; }

# Frames with detail everywhere, so a lost or shifted byte of LZW shows.
convert -size 40x30 gradient:'#d02020-#2040e0' -swirl 90 -colors 32 .f1.gif
convert -size 40x30 gradient:'#20c040-#f0e020' -swirl -60 -colors 16 .f2.gif
convert -size 40x30 plasma:fractal -seed 7 -colors 64 .f3.gif 2>/dev/null ||
	convert -size 40x30 pattern:checkerboard -colors 4 .f3.gif
"$py" -c 'import sys
from PIL import ImageCms
open(sys.argv[1], "wb").write(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())' .srgb.icc

# --- what real tools write -------------------------------------------------

# ImageMagick: a comment extension.
convert .f1.gif -set comment PlantedGifCommentMagick im-comment.gif
add im-comment.gif comment PlantedGifCommentMagick

# ImageMagick from a JPEG with IPTC: MGK8BIM0000 and MGKIPTC0000 extensions.
convert -size 40x30 gradient:'#d02020-#2040e0' -quality 90 .iptc.jpg
et -IPTC:By-line=PlantedGifIptcByline -IPTC:City=PlantedGifIptcCity .iptc.jpg
convert .iptc.jpg -colors 32 im-iptc.gif
add im-iptc.gif 8bim,iptc 'PlantedGifIptcByline|PlantedGifIptcCity'

# ImageMagick: an ICC profile (ICCRGBG1012), then a comment from exiftool.
convert .f1.gif -profile .srgb.icc im-icc.gif
et -Comment=PlantedGifCommentWithIcc im-icc.gif
add im-icc.gif icc,comment PlantedGifCommentWithIcc

# exiftool: XMP DataXMP (with the 257-byte landing zone) and a comment.
cp .f2.gif et-xmp.gif
et -XMP:Creator=PlantedGifXmpCreator -XMP:City=PlantedGifXmpCity -Comment=PlantedGifCommentEt et-xmp.gif
add et-xmp.gif xmp,comment 'PlantedGifXmpCreator|PlantedGifXmpCity|PlantedGifCommentEt'

# gifsicle: an animation with a loop count, delays, disposal, a comment, a
# frame name (its own extension 0xCE), an application and a numbered extension.
gifsicle --loopcount=3 -d 20 -D background --comment PlantedGifCommentGs --name PlantedGifNameGs .f1.gif \
	--app-extension ACMEAPP11.0 PlantedGifAppGs --extension 0x99 PlantedGifExtGs -d 35 -D none .f2.gif \
	-d 50 .f3.gif >gs-anim.gif 2>/dev/null
add gs-anim.gif anim,loop,comment,ext,app 'PlantedGifCommentGs|PlantedGifNameGs|PlantedGifAppGs|PlantedGifExtGs'

# Pillow: transparent frames, their own durations, disposal 2, loop forever, a comment.
"$py" - <<'EOF'
from PIL import Image
def frame(i, w=24, h=18):
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    for x in range(w):
        for y in range(h):
            if (x + y + i) % 3:
                im.putpixel((x, y), ((x * 11 + i * 40) % 256, (y * 14) % 256, (i * 60) % 256, 255))
    return im
f = [frame(i) for i in range(5)]
f[0].save("pil-anim.gif", save_all=True, append_images=f[1:], duration=[40, 60, 80, 100, 120],
          loop=0, disposal=2, comment=b"PlantedGifCommentPil")
g = [frame(i, 12, 9) for i in range(150)]
g[0].save("pil-many.gif", save_all=True, append_images=g[1:], duration=30, loop=2,
          comment=b"PlantedGifCommentMany")
EOF
add pil-anim.gif anim,loop,comment PlantedGifCommentPil
add pil-many.gif anim,loop,comment PlantedGifCommentMany

# --- byte-built --------------------------------------------------------------

gt build bb-everything.gif loop=0 comment=PlantedGifCommentBb xmp=PlantedGifXmpBb \
	iptc=PlantedGifIptcBb 8bim=PlantedGif8bimBb c2pa=PlantedGifC2paBb icc=PlantedGifIccDesc \
	app=ACMEAPP11.0:PlantedGifAppBb anim=4 plaintext=PlantedGifPlainBb image tail=PlantedGifTailBb
add bb-everything.gif anim,loop,comment,xmp,iptc,8bim,c2pa,icc,app,plaintext,trailer \
	'PlantedGifCommentBb|PlantedGifXmpBb|PlantedGifIptcBb|PlantedGif8bimBb|PlantedGifC2paBb|PlantedGifAppBb|PlantedGifPlainBb|PlantedGifTailBb'

# Plain text alone; after a GCE that another, identical one repeats before
# the image (the first goes with the text); after a GCE a differing one
# follows (both stay: decoders disagree on which applies); after the image's
# only GCE (it stays); after a GCE with no image to follow (it goes).
# "gce-goes" marks the fixtures where exactly one GCE must go.
gt build bb-plaintext.gif plaintext=PlantedGifPlainAlone image
add bb-plaintext.gif plaintext PlantedGifPlainAlone
gt build bb-plaintext-gce-same.gif gce=7,1 plaintext=PlantedGifPlainSame gce=7,1 image
add bb-plaintext-gce-same.gif plaintext,gce-goes PlantedGifPlainSame
gt build bb-plaintext-gce-differ.gif gce=100,0,2 plaintext=PlantedGifPlainDiffer gce=7,1 image
add bb-plaintext-gce-differ.gif plaintext PlantedGifPlainDiffer
gt build bb-plaintext-gce1.gif gce=9,1,3 plaintext=PlantedGifPlainOnlyGce image
add bb-plaintext-gce1.gif plaintext PlantedGifPlainOnlyGce
gt build bb-plaintext-end.gif gce=4 image gce=5 plaintext=PlantedGifPlainAtEnd
add bb-plaintext-end.gif plaintext,gce-goes PlantedGifPlainAtEnd

gt build bb-c2pa.gif c2pa=PlantedGifC2paOnly image
add bb-c2pa.gif c2pa PlantedGifC2paOnly
gt build bb-app.gif app=ACMEAPP11.0:PlantedGifAppUnknown image app=MIDICTRLJon:PlantedGifMidi
add bb-app.gif app 'PlantedGifAppUnknown|PlantedGifMidi'
gt build bb-ext.gif ext=99:PlantedGifExtLabel image
add bb-ext.gif ext PlantedGifExtLabel
gt build bb-trailer.gif image tail=PlantedGifTrailerOnly
add bb-trailer.gif trailer PlantedGifTrailerOnly
gt build bb-loop-extra.gif loop-extra=5:PlantedGifLoopExtra anim=2
add bb-loop-extra.gif anim,loop PlantedGifLoopExtra
gt build bb-gce-extra.gif gce-extra=PlantedGifGceExtra image
add bb-gce-extra.gif gce-extra PlantedGifGceExtra
gt build bb-animexts.gif animexts=4 comment=PlantedGifCommentAnimexts anim=3
add bb-animexts.gif anim,animexts,comment PlantedGifCommentAnimexts
gt build bb-xmp-frames.gif loop=0 xmp=PlantedGifXmpFrame1 gce=5 image xmp=PlantedGifXmpFrame2 \
	gce=6 image=16,12,0,0,l xmp=PlantedGifXmpFrame3 gce=7 image=8,6,4,3,li
add bb-xmp-frames.gif anim,loop,xmp,lct,interlace 'PlantedGifXmpFrame1|PlantedGifXmpFrame2|PlantedGifXmpFrame3'
gt build bb-87a.gif version=87a screen=20,10,2 comment=PlantedGif87aComment image
add bb-87a.gif comment PlantedGif87aComment
gt build bb-noglobal.gif screen=16,12,0 comment=PlantedGifNoGlobal image=16,12,0,0,l
add bb-noglobal.gif comment,lct PlantedGifNoGlobal
gt build bb-many.gif loop=0 anim=300,2 comment=PlantedGifCommentLast
add bb-many.gif anim,loop,comment PlantedGifCommentLast

# Clean: nothing to remove, so scrub must leave the bytes (and inode) alone.
gt build clean-still.gif gce=0 image
add clean-still.gif clean ''
gt build clean-anim.gif loop=0 anim=6 icc=scrub-clean-profile
add clean-anim.gif clean,anim,loop,icc ''
gt build clean-87a.gif version=87a image=8,6,2,2,li
add clean-87a.gif clean,lct,interlace ''

# --- broken ----------------------------------------------------------------

gt build .good.gif loop=0 comment=PlantedGifCommentBroken gce=4 image=16,12,0,0,l gce=3 image
size=$(wc -c <.good.gif)
gt cut .good.gif bad-header.gif 4
bad bad-header.gif 'cut inside the header'
gt cut .good.gif bad-screen.gif 9
bad bad-screen.gif 'cut inside the logical screen descriptor'
gt cut .good.gif bad-gct.gif 20
bad bad-gct.gif 'cut inside the global colour table'
gt cut .good.gif bad-loop.gif 46
bad bad-loop.gif 'cut inside the loop extension'
gt cut .good.gif bad-comment.gif 66
bad bad-comment.gif 'cut inside the comment'
gt cut .good.gif bad-lzw.gif $((size - 30))
bad bad-lzw.gif 'cut inside the LZW data of the last image'
gt cut .good.gif bad-notrailer.gif -1
bad bad-notrailer.gif 'the trailer is missing'
# Every sub-block length byte of .good.gif, each made to run past the end.
k=0
for off in $(gt subblocks .good.gif); do
	gt lie .good.gif "bad-lie-$k.gif" "$k" 255
	if gt dump "bad-lie-$k.gif" | grep -q '^error'; then
		bad "bad-lie-$k.gif" "sub-block length at $off says 255"
	else
		rm -f "bad-lie-$k.gif" # the lie happened to land on valid structure
	fi
	k=$((k + 1))
done
gt build bad-introducer.gif image raw=00 image
bad bad-introducer.gif 'a 0x00 byte where a block must start'
gt build bad-codesize.gif raw=2c00000000100010000000 raw=0c010000
bad bad-codesize.gif 'LZW minimum code size 12'
gt build bad-gce.gif raw=21f902000000 image
bad bad-gce.gif 'a graphic control extension of 2 bytes'
gt build bad-version.gif image
printf 'GIF88a' | dd of=bad-version.gif bs=1 conv=notrunc status=none
bad bad-version.gif 'header GIF88a'
rm -f .good.gif

# --- self-check: the fixtures hold what the lists say ----------------------

while IFS=$'\t' read -r name contents strings; do
	gt dump "$name" >.dump || { echo "fixture $name does not parse" >&2; exit 1; }
	if grep -q '^error' .dump; then
		echo "fixture $name does not parse: $(cat .dump)" >&2
		exit 1
	fi
	IFS='|' read -ra want <<<"$strings"
	for s in "${want[@]}"; do
		grep -qaF -- "$s" "$name" || { echo "fixture $name lacks $s" >&2; exit 1; }
	done
	case ,$contents, in
	*,clean,*) gt check-clean "$name" >/dev/null || { echo "fixture $name is not clean" >&2; exit 1; } ;;
	*) ! gt check-clean "$name" >/dev/null || { echo "fixture $name is already clean" >&2; exit 1; } ;;
	esac
	"$py" -c 'import sys
from PIL import Image, ImageSequence
with Image.open(sys.argv[1]) as im:
    for f in ImageSequence.Iterator(im):
        f.convert("RGBA")' "$name" || { echo "Pillow cannot decode fixture $name" >&2; exit 1; }
done <list.tsv
while IFS=$'\t' read -r name why; do
	gt dump "$name" | grep -q '^error' || { echo "broken fixture $name parses ($why)" >&2; exit 1; }
done <bad.tsv
rm -f .dump .f1.gif .f2.gif .f3.gif .iptc.jpg .srgb.icc
