"""Byte-level JPEG surgery for the test fixtures (tests/gen-jpeg-fixtures.sh).

Builds the segments exiftool and ImageMagick will not write: a JFIF APP0
with an RGB thumbnail, a JFXX thumbnail, an EXIF block with a maker note,
vendor APPn segments and fill bytes. Standard library only.

usage: jpegtool.py COMMAND FILE [ARG...]   (FILE is rewritten in place)
"""
import struct
import sys


def segments(data):
    """Splits a JPEG into (SOI, [segments before SOS], rest from SOS on)."""
    if data[:2] != b"\xff\xd8":
        raise SystemExit("not a JPEG")
    pos = 2
    segs = []
    while True:
        if data[pos] != 0xFF:
            raise SystemExit("lost sync at %d" % pos)
        marker = data[pos + 1]
        if marker == 0xDA:
            return data[:2], segs, data[pos:]
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segs.append(data[pos:pos + 2 + length])
        pos += 2 + length


def segment(marker, payload):
    if len(payload) + 2 > 0xFFFF:
        raise SystemExit("segment too long")
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def is_jfif(seg):
    return seg[1] == 0xE0 and seg[4:9] == b"JFIF\0"


def insert(segs, seg, after_jfif=True):
    """Puts seg first, or right after a leading JFIF APP0."""
    at = 1 if after_jfif and segs and is_jfif(segs[0]) else 0
    return segs[:at] + [seg] + segs[at:]


def ifd(entries, offset, big=True):
    """One IFD at TIFF offset: entries are (tag, type, count, bytes)."""
    e = ">" if big else "<"
    head = struct.pack(e + "H", len(entries))
    body = b""
    data_off = offset + 2 + 12 * len(entries) + 4
    extra = b""
    for tag, typ, count, value in sorted(entries):
        if len(value) <= 4:
            field = value.ljust(4, b"\0")
        else:
            field = struct.pack(e + "I", data_off + len(extra))
            extra += value + (b"\0" if len(value) % 2 else b"")
        body += struct.pack(e + "HHI", tag, typ, count) + field
    return head + body + struct.pack(e + "I", 0) + extra


def ascii_entry(tag, text):
    raw = text.encode() + b"\0"
    return (tag, 2, len(raw), raw)


def exif_makernote(args):
    """APP1 Exif: IFD0 Make/Model/Artist, ExifIFD with MakerNote and serials."""
    make, model, note, serial, owner = args
    note_raw = note.encode() * 4
    exif_entries = [
        (0x927C, 7, len(note_raw), note_raw),
        ascii_entry(0xA430, owner),
        ascii_entry(0xA431, serial),
    ]
    ifd0_entries = [ascii_entry(0x010F, make), ascii_entry(0x0110, model),
                    (0x8769, 4, 1, b"\0\0\0\0")]
    ifd0 = ifd(ifd0_entries, 8)
    exif_off = 8 + len(ifd0)
    ifd0 = ifd(ifd0_entries[:2] + [(0x8769, 4, 1, struct.pack(">I", exif_off))], 8)
    tiff = b"MM\0*" + struct.pack(">I", 8) + ifd0 + ifd(exif_entries, exif_off)
    return segment(0xE1, b"Exif\0\0" + tiff)


def jfif_thumbnail():
    """JFIF 1.02 APP0 with a 2x2 RGB thumbnail (12 bytes after the header)."""
    thumb = bytes([0xC8, 0x10, 0x10, 0x10, 0xC8, 0x10, 0x10, 0x10, 0xC8, 0x80, 0x80, 0x80])
    return segment(0xE0, b"JFIF\0" + bytes([1, 2, 1]) + struct.pack(">HH", 72, 72)
                   + bytes([2, 2]) + thumb)


def jfxx_thumbnail(path):
    with open(path, "rb") as f:
        thumb = f.read()
    return segment(0xE0, b"JFXX\0" + bytes([0x10]) + thumb)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    with open(path, "rb") as f:
        data = f.read()
    soi, segs, rest = segments(data)
    if cmd == "jfif-thumb":
        segs = [jfif_thumbnail()] + [s for s in segs if not is_jfif(s)]
    elif cmd == "jfxx":
        segs = insert(segs, jfxx_thumbnail(args[0]))
    elif cmd == "exif-makernote":
        segs = insert(segs, exif_makernote(args))
    elif cmd == "app":
        # app MARKER-HEX IDENT TEXT: a vendor APPn segment
        marker = int(args[0], 16)
        segs = insert(segs, segment(marker, args[1].encode() + b"\0" + args[2].encode() * 3))
    elif cmd == "jumbf":
        # jumbf TEXT: APP11 "JP", instance 1, sequence 1, one 'jumb' box holding TEXT
        body = args[0].encode() * 3
        box = struct.pack(">I", 8 + len(body)) + b"jumb" + body
        segs = insert(segs, segment(0xEB, b"JP" + struct.pack(">HI", 1, 1) + box))
    elif cmd == "fill":
        # FF fill bytes before every marker segment after SOI and before SOS
        segs = [b"\xff\xff\xff" + s for s in segs]
        rest = b"\xff\xff" + rest
    else:
        raise SystemExit("unknown command " + cmd)
    with open(path, "wb") as f:
        f.write(soi + b"".join(segs) + rest)


if __name__ == "__main__":
    main()
