"""Builds one seed folder per fuzz target from the fixtures and, when present,
../shared/corpus (real and hostile).

Format targets get whole files of their format. The describe target gets the
metadata payloads the tool hands to its decoders (EXIF, Photoshop IRB, XMP,
MPF, JUMBF, comments, vendor segments, PNG text values),
cut out of every JPEG, PNG and WebP; the orientation target gets the EXIF
payloads only. Standard library only.

usage: seeds.py OUT_DIR SOURCE_DIR...
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import giftool  # noqa: E402
import isobmff  # noqa: E402
import jpegtool  # noqa: E402
import jxltool  # noqa: E402

TARGETS = ("jpeg", "png", "webp", "gif", "jxl", "heif", "describe", "orientation")


def sniff(data):
    if data[:2] == b"\xff\xd8":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"GIF8":
        return "gif"
    if data[:2] == b"\xff\x0a" or data.startswith(jxltool.SIGNATURE):
        return "jxl"
    if data[4:8] == b"ftyp":
        return "heif"
    return None


def jpeg_payloads(data):
    """(kind, payload) for each APP1 Exif/XMP and APP13 before SOS."""
    try:
        _, segs, _ = jpegtool.segments(data)
    except (SystemExit, IndexError, struct.error):
        return
    for seg in segs:
        marker, body = seg[1], seg[4:]
        if marker == 0xE1 and body.startswith(b"Exif\0"):
            yield "exif", body
        elif marker == 0xE1 and body.startswith(b"http://ns.adobe.com/"):
            yield "xmp", body[body.find(b"\0") + 1:]
        elif marker == 0xED:
            yield "irb", body
        elif marker == 0xE2 and body.startswith(b"MPF\0"):
            yield "mpf", body
        elif marker == 0xEB:
            yield "jumbf", body
        elif marker == 0xFE or (0xE1 <= marker <= 0xEF and body[:5] in (b"FLIR\0", b"Ducky")):
            yield "text", body


def png_payloads(data):
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"eXIf":
            yield "exif", body
        elif kind == b"iTXt" and body.startswith(b"XML:com.adobe.xmp\0"):
            yield "xmp", body
        elif kind == b"caBX":
            yield "jumbf", body
        elif kind == b"tEXt" and b"\0" in body:
            yield "text", body.split(b"\0", 1)[1]  # a generator's JSON or A1111 text
        pos += 12 + length


def webp_payloads(data):
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos:pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"EXIF":
            yield "exif", body
        elif kind == b"XMP ":
            yield "xmp", body
        elif kind == b"C2PA":
            yield "jumbf", body
        pos += 8 + length + (length & 1)


def gif_payloads(data):
    """XMP packets as they are; sub-blocked payloads as the describers see them."""
    try:
        blocks = giftool.walk(data)
    except (giftool.GifError, IndexError, struct.error):
        return
    for b in blocks:
        if b.kind == "app" and b.info["ident"] == "XMP DataXMP":
            yield "xmp", b.info["data"]
        elif b.kind in ("app", "comment", "plaintext"):
            yield "gif", data[b.off + 2:b.end]


def jxl_payloads(data):
    try:
        boxes = jxltool.walk_all(data)[0] if data.startswith(jxltool.SIGNATURE) else []
    except jxltool.JxlError:
        return
    for b in boxes:
        if b.type == b"Exif" and len(b.payload) > 4:
            yield "exif", b.payload[4:]
        elif b.type in (b"xml ", b"brob", b"jumb"):
            yield "xmp" if b.type == b"xml " else "box", b.payload


def heif_payloads(data):
    """Exif items (after their TIFF header offset) and XMP mime items."""
    try:
        h = isobmff.Heif(data)
        for iid in h.item_order:
            it = h.items[iid]
            if it.type == "Exif":
                body = h.item_data(iid)
                skip = struct.unpack(">I", body[:4])[0] if len(body) >= 4 else 0
                yield "exif", body[4 + skip:]
            elif it.type == "mime" and it.content_type == "application/rdf+xml":
                yield "xmp", h.item_data(iid)
    except (isobmff.ParseError, struct.error, IndexError, KeyError):
        return


PAYLOADS = {"jpeg": jpeg_payloads, "png": png_payloads, "webp": webp_payloads,
            "gif": gif_payloads, "jxl": jxl_payloads, "heif": heif_payloads}


def save(out, target, data):
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    for target in TARGETS:
        os.makedirs(os.path.join(out, target), exist_ok=True)
    for source in sys.argv[2:]:
        for root, _, files in os.walk(source):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                fmt = sniff(data)
                if fmt is None:
                    continue
                save(out, fmt, data)
                for kind, payload in PAYLOADS[fmt](data):
                    save(out, "describe", payload)
                    if kind == "exif":
                        save(out, "orientation", payload)
    for target in TARGETS:
        print(target, len(os.listdir(os.path.join(out, target))))


if __name__ == "__main__":
    main()
