#!/bin/bash
# gen-jpeg-fixtures.sh DIR: writes small tagged JPEGs into DIR at test time.
#
# Nothing big is committed: every fixture is made here with ImageMagick,
# exiftool, libjpeg-turbo's tools and tests/jpegtool.py (byte-level segments
# the tools will not write). DIR/list.tsv describes each fixture, one a line:
#
#   name <TAB> orientation (0 = none) <TAB> icc (0/1) <TAB> planted strings, '|'-separated
#
# The planted strings are distinctive texts that must not survive a scrub.
# Known values for report tests: gps.jpg has GPS 48.858370 N, 2.294481 W,
# altitude 35.2, make "PlantedMakeQuux", model "PlantedModelFrob";
# gps-south.jpg has 33.856159 S, 151.215256 E, 12.5 m below sea level.
set -eu

dir=${1:?usage: gen-jpeg-fixtures.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$dir"
cd "$dir"

ARTIST=PlantedArtistZorblax
MAKE=PlantedMakeQuux
MODEL=PlantedModelFrob
COMMENT=PlantedCommentWibble
XMP_CREATOR=PlantedXmpCreatorGlorp
XMP_CITY=PlantedXmpCityBlip
IPTC_BYLINE=PlantedIptcBylineSnark
IPTC_CITY=PlantedIptcCityMoof
DATUM=PlantedDatumWGS99
SOFTWARE=PlantedSoftwareTrog
NOTE=PlantedMakerNoteBlob
SERIAL=PlantedSerial0042
OWNER=PlantedOwnerQuib
TRAILER=PlantedTrailerVideo
VENDOR=PlantedVendorSeg

tool() { "$py" "$here/jpegtool.py" "$@"; }
et() { exiftool -q -q -overwrite_original "$@"; }
: >list.tsv
add() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>list.tsv; }

# Pixels with detail in every block, so a broken scan shows.
convert -size 64x48 gradient:'#d02020-#2040e0' -swirl 120 \
	\( -size 64x48 pattern:checkerboard \) -compose multiply -composite \
	-quality 85 -sampling-factor 2x2 .base.jpg
convert -size 16x12 xc:'#30a050' -quality 70 .thumb.jpg
"$py" -c 'import sys
from PIL import ImageCms
p = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
open(sys.argv[1], "wb").write(p.tobytes())' .srgb.icc

# GPS position, camera, people, dates, software.
cp .base.jpg gps.jpg
et -GPSLatitude=48.858370 -GPSLatitudeRef=N -GPSLongitude=2.294481 -GPSLongitudeRef=W \
	-GPSAltitude=35.2 -GPSAltitudeRef=0 -GPSMapDatum="$DATUM" \
	-GPSDateStamp=2024:05:01 -GPSTimeStamp=12:34:56 \
	-Make="$MAKE" -Model="$MODEL" -Artist="$ARTIST" -Software="$SOFTWARE" \
	-DateTimeOriginal='2024:05:01 12:34:56' gps.jpg
add gps.jpg 0 0 "$DATUM|$MAKE|$MODEL|$ARTIST|$SOFTWARE|2024:05:01"

# Southern and eastern hemispheres, below sea level, little-endian EXIF.
cp .base.jpg gps-south.jpg
et -ExifByteOrder=Little-endian -GPSLatitude=33.856159 -GPSLatitudeRef=S \
	-GPSLongitude=151.215256 -GPSLongitudeRef=E -GPSAltitude=12.5 -GPSAltitudeRef#=1 \
	-Orientation#=8 -Model="$MODEL" gps-south.jpg
add gps-south.jpg 8 0 "$MODEL"

# Maker note, body serial and owner (byte-built EXIF: exiftool will not write them).
cp .base.jpg makernote.jpg
tool exif-makernote makernote.jpg "$MAKE" "$MODEL" "$NOTE" "$SERIAL" "$OWNER"
add makernote.jpg 0 0 "$NOTE|$SERIAL|$OWNER|$MAKE"

# EXIF thumbnail (IFD1).
cp .base.jpg exifthumb.jpg
et -Artist="$ARTIST" '-ThumbnailImage<=.thumb.jpg' exifthumb.jpg
add exifthumb.jpg 0 0 "$ARTIST"

cp .base.jpg xmp.jpg
et -XMP-dc:Creator="$XMP_CREATOR" -XMP-photoshop:City="$XMP_CITY" xmp.jpg
add xmp.jpg 0 0 "$XMP_CREATOR|$XMP_CITY|ns.adobe.com"

cp .base.jpg iptc.jpg
et -IPTC:By-line="$IPTC_BYLINE" -IPTC:City="$IPTC_CITY" iptc.jpg
add iptc.jpg 0 0 "$IPTC_BYLINE|$IPTC_CITY|Photoshop 3.0"

cp .base.jpg icc.jpg
et '-ICC_Profile<=.srgb.icc' -Artist="$ARTIST" icc.jpg
add icc.jpg 0 1 "$ARTIST"

# A profile too big for one APP2 segment: exiftool splits it in three parts.
"$py" -c 'import struct, sys
p = bytearray(open(sys.argv[1], "rb").read()) + bytes(140000)
p[0:4] = struct.pack(">I", len(p))
open(sys.argv[2], "wb").write(p)' .srgb.icc .big.icc
cp .base.jpg multi-icc.jpg
et '-ICC_Profile<=.big.icc' -Artist="$ARTIST" -Comment="$COMMENT" multi-icc.jpg
add multi-icc.jpg 0 1 "$ARTIST|$COMMENT"

cp .base.jpg comment.jpg
et -Comment="$COMMENT" comment.jpg
add comment.jpg 0 0 "$COMMENT"

# Trailers: a second JPEG (MPF-like) and fake MP4 bytes (motion photo).
cat .base.jpg .thumb.jpg >trailer-jpeg.jpg
add trailer-jpeg.jpg 0 0 ""
# A secondary image with EXIF of its own (GPS, model) after EOI, like MPF.
cat .base.jpg gps-south.jpg >trailer-exif.jpg
add trailer-exif.jpg 0 0 "$MODEL"
cp .base.jpg trailer-mp4.jpg
printf '\0\0\0\030ftypmp42\0\0\0\0mp42isom%s' "$TRAILER$TRAILER" >>trailer-mp4.jpg
add trailer-mp4.jpg 0 0 "$TRAILER|ftypmp42"

for o in 1 2 3 4 5 6 7 8; do
	cp .base.jpg "orient$o.jpg"
	et -Orientation#="$o" -Artist="$ARTIST" "orient$o.jpg"
	add "orient$o.jpg" "$( [ "$o" -eq 1 ] && echo 0 || echo "$o")" 0 "$ARTIST"
done

# JFIF APP0 with an RGB thumbnail, and a JFXX extension thumbnail.
cp .base.jpg jfif-thumb.jpg
tool jfif-thumb jfif-thumb.jpg
add jfif-thumb.jpg 0 0 ""
cp .base.jpg jfxx.jpg
tool jfxx jfxx.jpg .thumb.jpg
add jfxx.jpg 0 0 "JFXX"

# Vendor APPn, APP11 JUMBF-like, fill bytes between markers.
cp .base.jpg vendor.jpg
tool app vendor.jpg E9 "$VENDOR" "$VENDOR"
tool jumbf vendor.jpg "$VENDOR-jumbf"
tool app vendor.jpg EF "Q 70" "$VENDOR-app15"
add vendor.jpg 0 0 "$VENDOR"
cp gps.jpg fill.jpg
tool fill fill.jpg
add fill.jpg 0 0 "$DATUM|$ARTIST"

# Coding variants: progressive, restart markers, arithmetic, CMYK (Adobe APP14).
jpegtran -copy all -progressive gps.jpg >progressive.jpg
add progressive.jpg 0 0 "$DATUM|$ARTIST"
djpeg .base.jpg | cjpeg -restart 1 -quality 80 >restart.jpg
et -Artist="$ARTIST" -Comment="$COMMENT" restart.jpg
add restart.jpg 0 0 "$ARTIST|$COMMENT"
jpegtran -copy all -arithmetic gps.jpg >arithmetic.jpg
add arithmetic.jpg 0 0 "$DATUM|$ARTIST"
convert .base.jpg -colorspace CMYK -quality 85 cmyk.jpg
et -Artist="$ARTIST" -XMP-dc:Creator="$XMP_CREATOR" cmyk.jpg
add cmyk.jpg 0 0 "$ARTIST|$XMP_CREATOR"

# Everything at once, with orientation 6 and an ICC profile.
cp gps.jpg all.jpg
et -Orientation#=6 '-ThumbnailImage<=.thumb.jpg' '-ICC_Profile<=.srgb.icc' \
	-XMP-dc:Creator="$XMP_CREATOR" -IPTC:By-line="$IPTC_BYLINE" -Comment="$COMMENT" all.jpg
tool app all.jpg E9 "$VENDOR" "$VENDOR"
tool jfif-thumb all.jpg
printf '%s' "$TRAILER" >>all.jpg
add all.jpg 6 1 "$DATUM|$MAKE|$MODEL|$ARTIST|$XMP_CREATOR|$IPTC_BYLINE|$COMMENT|$VENDOR|$TRAILER"

# Already clean: nothing to remove, must never be rewritten (fixtures named
# clean*.jpg). Fill bytes before markers are legal and are not metadata.
cp .base.jpg clean.jpg
add clean.jpg 0 0 ""
cp .base.jpg clean-fill.jpg
tool fill clean-fill.jpg
add clean-fill.jpg 0 0 ""
