#!/usr/bin/env bash
# --report --json on XMP and IPTC-IIM written by exiftool (JPEG, PNG, WebP):
# place names, creator, GPS, rights and the verdict come out as planted.
# Hand-built packets check that a DOCTYPE (billion laughs) is refused, that
# EXIF wins over XMP, and that a whole ExtendedXMP chunk is read.
. "$(dirname "$0")/../lib.sh"
need exiftool convert
W=$T/w
mkdir -p "$W"

# --- JPEG: XMP place, creator and GPS -------------------------------------
convert -size 64x48 xc:orange "$W/plain.jpg"
cp "$W/plain.jpg" "$W/xmp.jpg"
xt_set "$W/xmp.jpg" -XMP-photoshop:City=Paris -XMP-photoshop:State=Ile-de-France \
	-XMP-photoshop:Country=France -XMP-iptcCore:CountryCode=FR -XMP-iptcCore:Location="Champ de Mars" \
	-XMP-dc:Creator="Jane Roe" -XMP-dc:Rights="(c) Jane Roe" \
	-XMP-exif:GPSLatitude=48.858370 -XMP-exif:GPSLongitude=-2.294481 \
	-XMP-tiff:Make=Canon -XMP-tiff:Model="EOS R5" -XMP-exifEX:SerialNumber=BODY123 -XMP-exifEX:LensSerialNumber=LENS9 \
	-XMP-exif:DateTimeOriginal="2024:05:01 12:00:00"
report "$W/xmp.jpg"
J=$T/xmp.jpg.json
expect "$J" verdict location
expect "$J" findings.location.city Paris
expect "$J" findings.location.state Ile-de-France
expect "$J" findings.location.country France
expect "$J" findings.location.country_code FR
expect "$J" findings.location.sublocation "Champ de Mars"
expect "$J" findings.identity.creator "Jane Roe"
expect "$J" findings.identity.copyright "(c) Jane Roe"
expect "$J" gps.lat 48.85837
expect "$J" gps.lon -2.294481
expect "$J" camera.make Canon
expect "$J" camera.model "EOS R5"
expect "$J" camera.serial BODY123
expect "$J" camera.lens_serial LENS9
check "xmp.jpg captured from exif:DateTimeOriginal" grep -qF '"captured": "2024-05-01T12:00:00' "$J"
"$SCRUB" --report -- "$W/xmp.jpg" >"$T/xmp.txt" 2>&1
check "text header shows the verdict" grep -qE '^.*xmp\.jpg: jpeg .*, verdict location$' "$T/xmp.txt"
check "text report opens with the location group" sh -c "sed -n 2p '$T/xmp.txt' | grep -qE '^  location +gps +48\.858370, -2\.294481'"
check "text report shows the place" grep -qE '^  (location)? +place +Champ de Mars, Paris, Ile-de-France, France \(FR\)$' "$T/xmp.txt"
check "text report shows the creator" grep -qE '^  (identity)? +creator +Jane Roe$' "$T/xmp.txt"

# --- JPEG: IPTC-IIM -----------------------------------------------------------
cp "$W/plain.jpg" "$W/iptc.jpg"
xt_set "$W/iptc.jpg" -IPTC:By-line="John Doe" -IPTC:City=Berlin -IPTC:Province-State=Berlin \
	-IPTC:Country-PrimaryLocationName=Germany -IPTC:CopyrightNotice="(c) JD" \
	-IPTC:DateCreated=2023:07:08 -IPTC:Keywords=one -IPTC:Keywords=two -IPTC:Keywords=three
report "$W/iptc.jpg"
J=$T/iptc.jpg.json
expect "$J" verdict location
expect "$J" findings.location.city Berlin
expect "$J" findings.location.state Berlin
expect "$J" findings.location.country Germany
expect "$J" findings.identity.creator "John Doe"
expect "$J" findings.identity.copyright "(c) JD"
expect "$J" findings.time.captured 2023-07-08
expect "$J" findings.other.keywords 3

# IPTC text without a UTF-8 declaration is Latin-1; with 1:90 ESC % G it is UTF-8.
cp "$W/plain.jpg" "$W/latin1.jpg"
xt_set "$W/latin1.jpg" -charset iptc=Latin -IPTC:City="Zürich"
report "$W/latin1.jpg"
expect "$T/latin1.jpg.json" findings.location.city "Zürich"
cp "$W/plain.jpg" "$W/utf8.jpg"
xt_set "$W/utf8.jpg" -IPTC:CodedCharacterSet=UTF8 -IPTC:City="Zürich"
report "$W/utf8.jpg"
expect "$T/utf8.jpg.json" findings.location.city "Zürich"

# --- identity, time and other verdicts ---------------------------------------
cp "$W/plain.jpg" "$W/owner.jpg"
xt_set "$W/owner.jpg" -XMP-xmpRights:Owner="Acme Corp" -XMP-aux:SerialNumber=AUX9
report "$W/owner.jpg"
expect "$T/owner.jpg.json" verdict identity
expect "$T/owner.jpg.json" findings.identity.owner "Acme Corp"
expect "$T/owner.jpg.json" camera.serial AUX9
cp "$W/plain.jpg" "$W/low.jpg"
xt_set "$W/low.jpg" -XMP-tiff:Make=Nikon -XMP-xmp:CreatorTool=GIMP \
	-XMP-xmpMM:DocumentID=xmp.did:abc -XMP-xmpMM:HistoryAction=created -XMP-xmpMM:HistoryAction+=saved
report "$W/low.jpg"
# The edit history is a log of dated edits: time outranks the device.
expect "$T/low.jpg.json" verdict time
expect "$T/low.jpg.json" findings.device.software GIMP
expect "$T/low.jpg.json" findings.time.edits 2
expect "$T/low.jpg.json" findings.other.document_id xmp.did:abc
"$SCRUB" --report --json -- "$W/plain.jpg" >"$T/plain.json" 2>/dev/null
expect "$T/plain.json" verdict clean

# --- who is in the picture, and how to reach its creator -----------------------
cp "$W/plain.jpg" "$W/people.jpg"
xt_set "$W/people.jpg" -XMP-iptcExt:PersonInImage="Jane Roe" -XMP-iptcCore:CreatorWorkEmail=jane@example.org \
	-IPTC:Writer-Editor="John Doe"
report "$W/people.jpg"
expect "$T/people.jpg.json" verdict identity
expect "$T/people.jpg.json" findings.identity.people "Jane Roe"
expect "$T/people.jpg.json" findings.identity.contact jane@example.org
expect "$T/people.jpg.json" findings.identity.writer "John Doe"
cp "$W/plain.jpg" "$W/faces.jpg"
xt_set "$W/faces.jpg" -XMP-mwg-rs:RegionName="Ann Lee" -XMP-mwg-rs:RegionType=Face
report "$W/faces.jpg"
expect "$T/faces.jpg.json" findings.identity.people "Ann Lee"

# --- EXIF wins over XMP -------------------------------------------------------
cp "$W/plain.jpg" "$W/both.jpg"
xt_set "$W/both.jpg" -EXIF:Make=ExifMake -XMP-tiff:Make=XmpMake -XMP-tiff:Model=XmpModel
report "$W/both.jpg"
expect "$T/both.jpg.json" camera.make ExifMake
expect "$T/both.jpg.json" camera.model XmpModel

# --- PNG iTXt and WebP XMP ----------------------------------------------------
convert -size 16x16 xc:blue "$W/x.png"
xt_set "$W/x.png" -XMP-photoshop:City=Oslo -XMP-dc:Creator="Kari Nordmann"
report "$W/x.png"
expect "$T/x.png.json" findings.location.city Oslo
expect "$T/x.png.json" findings.identity.creator "Kari Nordmann"
expect "$T/x.png.json" verdict location
convert -size 16x16 xc:red "$W/x.webp"
xt_set "$W/x.webp" -XMP-photoshop:Country=Chile -XMP-exif:GPSLatitude=-33.45 -XMP-exif:GPSLongitude=-70.66
report "$W/x.webp"
expect "$T/x.webp.json" findings.location.country Chile
expect "$T/x.webp.json" gps.lat -33.45
expect "$T/x.webp.json" gps.lon -70.66

# --- hand-built packets -------------------------------------------------------
# jpeg_with_app1 OUT IDENT PAYLOAD-FILE: plain.jpg with one APP1 after SOI.
jpeg_with_app1()
{
	"$PYTHON" - "$W/plain.jpg" "$@" <<'EOF'
import struct, sys
src, out, ident, payload = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
data = open(src, "rb").read()
body = ident.encode() + b"\0" + open(payload, "rb").read()
seg = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
open(out, "wb").write(data[:2] + seg + data[2:])
EOF
}

cat >"$T/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE x [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="&f;&f;&f;&f;"/>
</rdf:RDF></x:xmpmeta>
EOF
jpeg_with_app1 "$W/laughs.jpg" "http://ns.adobe.com/xap/1.0/" "$T/laughs.xml"
report "$W/laughs.jpg"
check "DOCTYPE packet gives no city" test -z "$(json_get "$T/laughs.jpg.json" findings.location.city)"
expect "$T/laughs.jpg.json" verdict other

# A whole extension in one ExtendedXMP chunk: GUID, full length, offset 0.
printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:City>Lima</photoshop:City></rdf:Description></rdf:RDF></x:xmpmeta>' >"$T/ext.xml"
"$PYTHON" - "$T/ext.xml" "$T/ext.bin" <<'EOF'
import struct, sys
xml = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"0123456789ABCDEF0123456789ABCDEF" + struct.pack(">II", len(xml), 0) + xml)
EOF
jpeg_with_app1 "$W/ext.jpg" "http://ns.adobe.com/xmp/extension/" "$T/ext.bin"
report "$W/ext.jpg"
expect "$T/ext.jpg.json" findings.location.city Lima

# A long value is cut at a UTF-8 boundary: the JSON has no replacement character.
"$PYTHON" - "$T/long.xml" <<'EOF'
import sys
city = "\u00e9" * 400
open(sys.argv[1], "w", encoding="utf-8").write(
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:City>a' + city +
    '</photoshop:City></rdf:Description></rdf:RDF></x:xmpmeta>')
EOF
jpeg_with_app1 "$W/long.jpg" "http://ns.adobe.com/xap/1.0/" "$T/long.xml"
report "$W/long.jpg"
check "long city is cut on a UTF-8 boundary" grep -qv 'ufffd' "$T/long.jpg.json"
check "long city is present" grep -qF '"city": "aé' "$T/long.jpg.json"

finish
