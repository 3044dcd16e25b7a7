"""Builds one seed folder per fuzz target from the fixtures and, when present,
../shared/corpus (real and hostile).

Format targets get whole files of their format. The describe target gets the
metadata payloads the tool hands to its decoders (EXIF, Photoshop IRB, XMP,
MPF, JUMBF, comments, vendor segments, PNG text values, ICC profiles, FLIR
FFF records joined from their APP1 parts, Samsung SEFT trailers), cut out of
every JPEG, PNG and WebP, plus a few built byte by byte (built_seeds): the
records whose every field the describers check, which the mutator would
otherwise have to assemble one byte at a time. The orientation target gets
the EXIF payloads only. Standard library only.

usage: seeds.py OUT_DIR SOURCE_DIR...
"""
import hashlib
import os
import struct
import sys
import zlib

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


def seft_trailer(data):
    """The Samsung trailer from its first block to its "SEFT" end, or None."""
    if len(data) < 8 or not data.endswith(b"SEFT"):
        return None
    (length,) = struct.unpack("<I", data[-8:-4])
    d = len(data) - 8 - length
    if length < 12 or d < 0 or data[d:d + 4] != b"SEFH":
        return None
    (count,) = struct.unpack("<I", data[d + 8:d + 12])
    first = d
    for i in range(min(count, 1024)):
        e = data[d + 12 + 12 * i:d + 24 + 12 * i]
        if len(e) < 12:
            break
        back = struct.unpack("<I", e[4:8])[0]
        if back <= d:
            first = min(first, d - back)
    return data[first:]


def jpeg_payloads(data):
    """(kind, payload) for each APP1 Exif/XMP, APP13, ICC profile, FLIR
    record set and the like before SOS, and a SEFT trailer."""
    trailer = seft_trailer(data)
    if trailer:
        yield "seft", trailer
    try:
        _, segs, _ = jpegtool.segments(data)
    except (SystemExit, IndexError, struct.error):
        return
    icc = b"".join(seg[18:] for seg in segs if seg[1] == 0xE2 and seg[4:16] == b"ICC_PROFILE\0")
    if icc:
        yield "icc", icc
    fff = b"".join(seg[12:] for seg in segs if seg[1] == 0xE1 and seg[4:9] == b"FLIR\0")
    if fff.startswith(b"FFF\0"):
        yield "flir", fff
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
        elif kind == b"iCCP" and b"\0" in body:
            try:
                yield "icc", zlib.decompress(body[body.index(b"\0") + 2:])
            except zlib.error:
                pass
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
        elif kind == b"ICCP":
            yield "icc", body
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


def flir_fff(order):
    """An FFF record set in byte order order ("<" or ">"): thermal image,
    visible image, audio, CameraInfo with names and a time, GPSInfo."""
    camera = bytearray(0x400)
    struct.pack_into(order + "H", camera, 0, 2)
    for off, text in ((0xd4, b"FLIR E8"), (0x104, b"63901234"), (0x170, b"FOL7"),
                      (0x1a0, b"55012345")):
        camera[off:off + len(text)] = text
    struct.pack_into(order + "IIh", camera, 0x384, 1329000000, 253, -60)
    gps = (struct.pack(order + "II", 1, 0) + b"N\0E\0".ljust(8, b"\0")
           + struct.pack(order + "dd", 48.8583, 2.2945))
    records = [(0x01, b"\0" * 64), (0x0e, b"\xff\xd8\xff\xd9"), (0x24, b"RIFF\0\0\0\0"),
               (0x20, bytes(camera)), (0x2b, gps)]
    head = 0x40
    table, body = b"", b""
    for kind, data in records:
        off = head + 0x20 * len(records) + len(body)
        table += struct.pack(order + "HHIIII", kind, 0, 100, 1, off, len(data)) + b"\0" * 12
        body += data
    header = (b"FFF\0" + b"scrub seeds\0".ljust(16, b"\0")
              + struct.pack(order + "III", 100, head, len(records)))
    return header.ljust(head, b"\0") + table + body


def seft(entries):
    """A Samsung trailer of (type, name, value) blocks and its directory."""
    blocks, dir_entries = b"", []
    for kind, name, value in entries:
        dir_entries.append((kind, len(blocks), 8 + len(name) + len(value)))
        blocks += b"\0\0" + struct.pack("<HI", kind, len(name)) + name + value
    d = b"SEFH" + struct.pack("<II", 101, len(entries))
    for kind, at, size in dir_entries:
        d += b"\0\0" + struct.pack("<HII", kind, len(blocks) - at, size)
    return blocks + d + struct.pack("<I", len(d)) + b"SEFT"


def mluc(text):
    """A one-record 'mluc' tag (ICC v4 text: UTF-16BE)."""
    u = text.encode("utf-16-be")
    return (b"mluc\0\0\0\0" + struct.pack(">II", 1, 12) + b"enUS"
            + struct.pack(">II", len(u), 28) + u)


def built_seeds():
    """Describer inputs built byte by byte: every field the checks look at."""
    yield flir_fff("<")
    yield flir_fff(">")
    yield seft([(0x0a01, b"Image_UTC_Data", b"1577836800123"), (0x0aa1, b"MCC_Data", b"208"),
                (0x0a30, b"MotionPhoto_Data", b"\0\0\0\x18ftypmp42"),
                (0x0001, b"DualShot_1", b"\xff\xd8\xff\xd9"),
                (0x0100, b"SoundShot_Meta_Info", b"audio"),
                (0x0a20, b"DualCamera_Image", b"\xff\xd8"), (0x0201, b"Surround_Shot", b"v")])
    text = b"text\0\0\0\0Copyright 2026 J. Doe\0"
    yield giftool.icc_profile("Calibrated for J. Doe's EIZO",
                              more=[(b"cprt", text), (b"dmnd", mluc("EIZO Nanao")),
                                    (b"dmdd", giftool.icc_desc_tag("CG277W 1234"))], maker=b"EIZO", model=b"CG27")
    yield giftool.icc_profile("sRGB IEC61966-2.1", maker=b"APPL", model=b"none")
    yield giftool.icc_profile("x", more=[(b"desc", mluc("Display of the studio"))], maker=b"ACME")
    ucs = "Shot by J. Doe".encode("utf-16-be")
    ucs_block = struct.pack(">HI", 4 + len(ucs), len(ucs) // 2) + ucs
    yield (b"Ducky" + struct.pack(">HHI", 1, 4, 80) + b"\0\2" + ucs_block + b"\0\3" + ucs_block
           + b"\0\0")
    yield b"[picture info]\r\nTimeDate=1329000000\r\nSerial#=12345678\r\nType=SR745\r\n"
    yield (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
           b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
           b' xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.498N"'
           b' exif:GPSLongitude="2,17,40.2E"/></rdf:RDF></x:xmpmeta>')
    iim = (giftool.iim(1, 90, b"\x1b%G") + giftool.iim(2, 55, b"20061029")
           + giftool.iim(2, 60, b"062751-0500") + giftool.iim(2, 80, b"J. Doe"))
    yield giftool.irb_iptc(iim)
    # The generators' JSON forms the coverage build saw no corpus input take.
    yield (b'{"sui_image_params": {"prompt": "a cat", "negativeprompt": "a dog", "model": "sdxl",'
           b' "seed": 42, "sampler": "euler", "steps": 20, "swarm_version": "0.9.5"}}')
    yield (b'{"version": "Fooocus v2.5.5", "prompt": "a cat", "negative_prompt": "a dog",'
           b' "base_model": "juggernautXL", "seed": "42", "sampler": "dpmpp_2m", "steps": 30}')
    yield b'{"c": "a cat", "uc": "a dog", "model": "sd_xl", "seed": 42, "steps": 20}'
    yield (b'{"model_weights": "sd-1.5", "app_version": "2.3.5", "image": {"prompt":'
           b' [{"prompt": "a cat", "weight": 1}], "seed": 42, "sampler": "k_euler", "steps": 30}}')
    qvci = bytearray(0x80)
    qvci[0:5] = b"QVCI\0"
    qvci[0x4d:0x4d + 19] = b"2012.02.11.14.17.08"
    qvci[0x62:0x69] = b"EX-Z750"
    yield bytes(qvci)


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
    for payload in built_seeds():
        save(out, "describe", payload)
    for target in TARGETS:
        print(target, len(os.listdir(os.path.join(out, target))))


if __name__ == "__main__":
    main()
