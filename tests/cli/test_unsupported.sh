#!/bin/bash
# Images and videos scrub cannot clean are never passed over as clean
# (SPEC.md section 3): tiny files of each kind, built here byte by byte, are
# named on stderr with their format in every mode, left untouched, counted
# as unsupported, "unsupported" in --json, listed by --check, and make the
# exit status 2 when scrubbing and 1 when auditing. Other files that are
# not images stay quietly skipped in a walk.
. "$(dirname "$0")/../lib.sh"
need exiftool

U=$T/upload
mkdir -p "$U/sub"
"$PYTHON" - "$U" <<'EOF'
import struct, sys
d = sys.argv[1]

def tiff(order, entries, extra=b"", head=None):
    """A TIFF with one IFD of (tag, type, count, value-or-offset bytes)."""
    pack = "<" if order == b"II" else ">"
    out = head if head else order + struct.pack(pack + "H", 42)
    out += struct.pack(pack + "I", 8 if not head or len(head) <= 8 else len(head) + 4)
    if head and len(head) > 8:
        out += b"\0" * 4
    ifd = struct.pack(pack + "H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack(pack + "HHI", tag, typ, count) + value.ljust(4, b"\0")
    return out + ifd + b"\0\0\0\0" + extra

def make_entry(order, make, at):
    pack = "<" if order == b"II" else ">"
    return (0x010F, 2, len(make), struct.pack(pack + "I", at))

def write(name, data):
    with open(d + "/" + name, "wb") as f:
        f.write(data)

write("plain.tif", tiff(b"II", [(0x0100, 3, 1, b"\x10\0")]))
write("big-endian.tiff", tiff(b"MM", [(0x0100, 3, 1, b"\0\x10")]))
write("raw.dng", tiff(b"II", [(0xC612, 1, 4, b"\1\4\0\0")]))
nikon = b"NIKON CORPORATION\0"
write("nikon.NEF", tiff(b"MM", [make_entry(b"MM", nikon, 26)], nikon))
sony = b"SONY\0"
write("sony.arw", tiff(b"II", [make_entry(b"II", sony, 26)], sony))
pentax = b"PENTAX Corporation\0"
write("pentax.pef", tiff(b"MM", [make_entry(b"MM", pentax, 26)], pentax))
write("canon.cr2", b"II*\0\x10\0\0\0CR\2\0\0\0\0\0" + b"\0" * 16)
write("olympus.orf", b"IIRO\x08\0\0\0" + b"\0" * 16)
write("panasonic.rw2", b"IIU\0\x08\0\0\0" + b"\0" * 16)
write("canon.cr3", struct.pack(">I", 24) + b"ftypcrx \0\0\0\1crx isom" + b"\0" * 16)
write("layers.psd", b"8BPS\0\1" + b"\0" * 20)
write("bitmap.bmp", b"BM" + struct.pack("<IHHII", 70, 0, 0, 54, 40) + b"\0" * 52)
write("favicon.ico", b"\0\0\1\0\1\0\x10\x10\0\0\1\0\x20\0" + b"\0" * 16)
write("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><title>Jane</title></svg>\n')
write("declared.svg", b'<?xml version="1.0"?>\n<!-- by Jane -->\n<svg/>\n')
write("photo.jp2", b"\0\0\0\x0cjP  \r\n\x87\n" + struct.pack(">I", 20) + b"ftypjp2 \0\0\0\0jp2 ")
write("stream.j2k", b"\xff\x4f\xff\x51\0\x29" + b"\0" * 40)
write("clip.mp4", struct.pack(">I", 24) + b"ftypisom\0\0\2\0isommp41" + b"\0" * 16)
write("IMG_0001.MOV", struct.pack(">I", 20) + b"ftypqt  \0\0\0\0qt  " + b"\0" * 16)
write("old.mov", struct.pack(">I", 16) + b"moov" + b"\0" * 8 + b"\0\0\0\x08mdat")
write("phone.3gp", struct.pack(">I", 20) + b"ftyp3gp4\0\0\2\0" + b"3gp4" + b"\0" * 8)
write("home.avi", b"RIFF" + struct.pack("<I", 28) + b"AVI LIST" + struct.pack("<I", 4) + b"hdrl" + b"\0" * 8)
EOF
# name<TAB>JSON format<TAB>what messages call it
cat >"$T/kinds.tsv" <<'EOF'
plain.tif	tiff	TIFF image
big-endian.tiff	tiff	TIFF image
raw.dng	dng	DNG raw image
nikon.NEF	nef	NEF raw image
sony.arw	arw	ARW raw image
pentax.pef	pef	PEF raw image
canon.cr2	cr2	CR2 raw image
olympus.orf	orf	ORF raw image
panasonic.rw2	rw2	RW2 raw image
canon.cr3	cr3	CR3 raw image
layers.psd	psd	PSD image
bitmap.bmp	bmp	BMP image
favicon.ico	ico	ICO image
drawing.svg	svg	SVG image
declared.svg	svg	SVG image
photo.jp2	jp2	JPEG 2000 image
stream.j2k	jp2	JPEG 2000 image
clip.mp4	mp4	MP4 video
IMG_0001.MOV	mov	MOV video
old.mov	mov	MOV video
phone.3gp	3gp	3GP video
home.avi	avi	AVI video
EOF
nkinds=$(wc -l <"$T/kinds.tsv")
mv "$U/IMG_0001.MOV" "$U/sub/"
sed -i 's|^IMG_0001.MOV|sub/IMG_0001.MOV|' "$T/kinds.tsv"
printf 'shopping list\n' >"$U/notes.txt"
put_jpeg "$U/sub/photo.jpg"
for f in $(cut -f1 "$T/kinds.tsv") notes.txt; do
	snap "$U/$f"
done

# Each named on the command line, in every mode.
while IFS=$'\t' read -r name id what; do
	run_scrub "$U/$name"
	assert_rc "scrub $name" 2
	assert_eq "scrub $name: the message" \
		"scrub: cannot clean '$U/$name': $what is not supported; its metadata stays" "$(cat "$T/err")"
	run_scrub --check "$U/$name"
	assert_rc "--check $name" 1
	assert_eq "--check $name lists it" "$U/$name" "$(cat "$T/out")"
	assert_grep "$T/err" "$what is not supported" "--check $name says why on stderr"
	run_scrub --report --json "$U/$name"
	assert_rc "--report --json $name" 1
	assert_eq "--json $name" "unsupported $id" "$(json_of "$U/$name" 'o["status"], o["format"]' |
		tr -d "()',")"
	assert_untouched "$U/$name"
done <"$T/kinds.tsv"

# A walk: the JPEG is cleaned, every unsupported file named, the text file quiet.
run_scrub -r "$U"
assert_rc "scrub -r over a folder with unsupported files" 2
assert_eq "one stderr line per unsupported file" "$nkinds" "$(grep -c 'its metadata stays$' "$T/err")"
assert_eq "no other stderr line" "$nkinds" "$(wc -l <"$T/err")"
check "the text file is not named" sh -c "! grep -q notes.txt '$T/err'"
assert_no_meta "$U/sub/photo.jpg"
for f in $(cut -f1 "$T/kinds.tsv") notes.txt; do
	assert_untouched "$U/$f"
done
assert_no_tempfiles "$U"

# --check over the folder (now that the JPEG is clean): not clean, every one listed.
run_scrub -r --check "$U"
assert_rc "--check -r: a folder holding them is not clean" 1
assert_eq "--check -r lists exactly the unsupported files" \
	"$(cut -f1 "$T/kinds.tsv" | sed "s|^|$U/|" | sort)" "$(sort "$T/out")"
"$SCRUB" -r --check "$U" >/dev/null 2>&1 || echo "$U is not clean" >"$T/readme-idiom"
assert_grep "$T/readme-idiom" "is not clean" "the README's --check idiom"

# --report: each named on stdout too, and counted in the summary line.
run_scrub -r --report "$U"
assert_rc "--report -r" 1
assert_grep "$T/out" "IMG_0001.MOV: mov, cannot be cleaned: its metadata stays" "--report names the MOV"
assert_grep "$T/out" ", $nkinds unsupported, 0 failed" "--report summary counts them"

# --json over the walk: one object each, statuses as SPEC.md section 4 says.
"$SCRUB" -r --report --json "$U" >"$T/walk.json" 2>/dev/null
assert_jsonl "$T/walk.json" $((nkinds + 2))
counts=$("$PYTHON" -c '
import collections, json, sys
print(sorted(collections.Counter(json.loads(l)["status"] for l in open(sys.argv[1])).items()))' \
	"$T/walk.json")
assert_eq "--json statuses" "[('clean', 1), ('skipped', 1), ('unsupported', $nkinds)]" "$counts"

# -o: copies of what can be cleaned; nothing of the rest; still exit 2.
put_jpeg "$U/sub/photo.jpg"
run_scrub -r -o "$T/out-dir" "$U"
assert_rc "-o with unsupported files" 2
check "-o copies the JPEG" test -f "$T/out-dir/sub/photo.jpg"
assert_eq "-o writes nothing else" "1" "$(find "$T/out-dir" -type f | wc -l)"

# A clean JPEG beside one MOV: the audit is not clean.
mkdir "$T/pair"
"$SCRUB" -c "$U/sub/photo.jpg" >"$T/pair/clean.jpg"
cp "$U/sub/IMG_0001.MOV" "$T/pair/"
run_scrub --report -r "$T/pair"
assert_rc "--report: a clean JPEG and a MOV" 1
run_scrub -q -r "$T/pair"
assert_rc "scrub -q: still exit 2" 2
assert_grep "$T/err" "IMG_0001.MOV" "-q still names it"
finish
