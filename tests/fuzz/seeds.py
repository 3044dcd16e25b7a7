"""Builds one seed folder per fuzz target from the fixtures and, when present,
../shared/corpus (real and hostile).

Format targets get whole files of their format. The describe target gets the
metadata payloads the tool hands to its decoders (EXIF, Photoshop IRB, XMP,
MPF, JUMBF, comments, vendor segments, PNG text values, ICC profiles, FLIR
FFF records joined from their APP1 parts, Samsung SEFT trailers), cut out of
every JPEG, PNG and WebP, plus a few built byte by byte (built_seeds): the
records whose every field the describers check, which the mutator would
otherwise have to assemble one byte at a time. The orientation target gets
the EXIF payloads only. Each payload whose type the describer table knows
is also saved framed for fuzz_describe's table pass (table_seed), so the
table gets it as a scan would hand it. Standard library only.

usage: seeds.py OUT_DIR SOURCE_DIR...
"""
import hashlib
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import giftool  # noqa: E402
import isobmff  # noqa: E402
import jpegtool  # noqa: E402
import jxltool  # noqa: E402

TARGETS = ("jpeg", "png", "webp", "gif", "jxl", "heif", "describe", "orientation")
FORMAT_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "formats",
                        "format.h")


def payload_types():
    """enum scrub_payload as {name: value}, read from format.h so the two cannot drift."""
    with open(FORMAT_H) as f:
        body = f.read().split("enum scrub_payload {", 1)[1].split("SCRUB_PAYLOAD_COUNT", 1)[0]
    names = re.findall(r"^\s*SCRUB_PAYLOAD_(\w+),", body, re.M)
    return {name: i for i, name in enumerate(names)}


PAYLOAD_TYPES = payload_types()


def table_seed(kind, payload):
    """fuzz_describe's table pass: byte 0 the type, byte 1 zero (one part), two bytes unused."""
    return bytes([PAYLOAD_TYPES[kind], 0, 0, 0]) + payload


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


# APPn identifiers and where the data a scan hands the describers starts (src/formats/jpeg.c).
JPEG_APPS = ((0xE1, b"Exif\0", 6, "EXIF"), (0xE1, b"http://ns.adobe.com/xap/1.0/\0", 29, "XMP"),
             (0xE1, b"http://ns.adobe.com/xmp/extension/\0", 35, "XMP_EXTENDED"),
             (0xE1, b"FLIR\0", 0, "FLIR"), (0xE1, b"QVCI\0", 0, "QVCI"),
             (0xE1, b"PARROT\0", 7, "EXIF"), (0xE2, b"ICC_PROFILE\0", 12, "ICC_PART"),
             (0xE2, b"MPF\0", 4, "MPF"), (0xEA, b"UNICODE\0", 8, "UCS2_COMMENT"),
             (0xEB, b"JP", 2, "JUMBF"), (0xEC, b"Ducky", 0, "DUCKY"), (0xEC, b"", 0, "PICTURE_INFO"),
             (0xED, b"Photoshop 3.0\0", 14, "IRB"))


def jpeg_payloads(data):
    """(type, payload) for each APPn segment and COM before SOS, the ICC
    profile and FLIR record set joined from their parts (raw only: None),
    and a SEFT trailer."""
    trailer = seft_trailer(data)
    if trailer:
        yield "SEFT", trailer
    try:
        _, segs, _ = jpegtool.segments(data)
    except (SystemExit, IndexError, struct.error):
        return
    icc = b"".join(seg[18:] for seg in segs if seg[1] == 0xE2 and seg[4:16] == b"ICC_PROFILE\0")
    if icc:
        yield "ICC", icc
    fff = b"".join(seg[12:] for seg in segs if seg[1] == 0xE1 and seg[4:9] == b"FLIR\0")
    if fff.startswith(b"FFF\0"):
        yield None, fff
    for seg in segs:
        marker, body = seg[1], seg[4:]
        if marker == 0xFE:
            yield "COMMENT", body
            continue
        for app, ident, start, kind in JPEG_APPS:
            if marker == app and body.startswith(ident):
                yield kind, body[start:]
                break


PNG_CHUNKS = {b"eXIf": "EXIF", b"tEXt": "PNG_TEXT", b"zTXt": "PNG_ZTXT", b"iTXt": "PNG_ITXT",
              b"tIME": "PNG_TIME", b"iCCP": "PNG_ICCP", b"caBX": "JUMBF"}


def png_payloads(data):
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind in PNG_CHUNKS:
            yield PNG_CHUNKS[kind], body
        if kind == b"iCCP" and b"\0" in body:
            try:
                yield "ICC", zlib.decompress(body[body.index(b"\0") + 2:])
            except zlib.error:
                pass
        elif kind == b"tEXt" and b"\0" in body:
            yield None, body.split(b"\0", 1)[1]  # a generator's JSON or A1111 text
        pos += 12 + length


WEBP_CHUNKS = {b"EXIF": "EXIF", b"XMP ": "XMP", b"C2PA": "JUMBF", b"ICCP": "ICC"}


def webp_payloads(data):
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos:pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind in WEBP_CHUNKS:
            yield WEBP_CHUNKS[kind], body
        elif kind == b"LIST" and body.startswith(b"INFO"):
            yield "RIFF_INFO", body[4:]
        pos += 8 + length + (length & 1)


def gif_payloads(data):
    """XMP packets as they are; sub-blocked payloads as the describers see them."""
    try:
        blocks = giftool.walk(data)
    except (giftool.GifError, IndexError, struct.error):
        return
    for b in blocks:
        if b.kind == "app" and b.info["ident"] == "XMP DataXMP":
            yield "XMP", b.info["data"]
        elif b.kind in ("app", "comment", "plaintext"):
            yield None, data[b.off + 2:b.end]


JXL_BOXES = {b"xml ": "XMP", b"brob": "BROTLI_BOX", b"jumb": "JUMBF"}


def jxl_payloads(data):
    try:
        boxes = jxltool.walk_all(data)[0] if data.startswith(jxltool.SIGNATURE) else []
    except jxltool.JxlError:
        return
    for b in boxes:
        if b.type == b"Exif" and len(b.payload) > 4:
            yield "EXIF", b.payload[4:]
        elif b.type in JXL_BOXES:
            yield JXL_BOXES[b.type], b.payload


def heif_payloads(data):
    """Exif items (after their TIFF header offset) and XMP mime items."""
    try:
        h = isobmff.Heif(data)
        for iid in h.item_order:
            it = h.items[iid]
            if it.type == "Exif":
                body = h.item_data(iid)
                skip = struct.unpack(">I", body[:4])[0] if len(body) >= 4 else 0
                yield "EXIF", body[4 + skip:]
            elif it.type == "mime" and it.content_type == "application/rdf+xml":
                yield "XMP", h.item_data(iid)
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


def tiff_make(make):
    """A big-endian TIFF whose IFD0 holds only Make."""
    value = make + b"\0"
    return (b"MM\0*" + struct.pack(">IHHHII", 8, 1, 0x010F, 2, len(value), 26) + b"\0\0\0\0"
            + value)


def raw_profile(name, data):
    """A profile as ImageMagick writes it into PNG text: name, length, hex lines."""
    hexed = data.hex()
    lines = "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72))
    return ("\n%s\n%8d\n%s\n" % (name, len(data), lines)).encode()


def png_text_seeds():
    """PNG text chunks as the table gets them: the dated keywords in each
    writer's form, ImageMagick's raw profiles, compressed zTXt and iTXt."""
    iim = giftool.iim(2, 80, b"J. Doe") + giftool.iim(2, 55, b"20261201")
    icc = giftool.icc_profile("Display of J. Doe")
    for keyword, value in ((b"Creation Time", b"Tue, 01 Dec 2026 10:11:12 GMT"),
                           (b"Creation Time", b"1 Dec 2026 10:11:12 +0100"),
                           (b"date:create", b"2026-12-01T10:11:12+00:00"),
                           (b"exif:DateTimeOriginal", b"2026:12:01 10:11:12"),
                           (b"Author", b"J. Doe"), (b"File Name", b"/home/jdoe/IMG_0001.png"),
                           (b"Comment", "Aufnahme von J. D\xf6e".encode("latin-1"))):
        yield table_seed("PNG_TEXT", keyword + b"\0" + value)
    for name, data in (("exif", b"Exif\0\0" + tiff_make(b"Canon")), ("APP1", tiff_make(b"NIKON")),
                       ("iptc", iim), ("8bim", giftool.irb_iptc(iim)),
                       ("xmp", giftool.xmp_packet("J. Doe")), ("icc", icc)):
        text = raw_profile(name, data)
        keyword = b"Raw profile type " + name.encode()
        yield table_seed("PNG_TEXT", keyword + b"\0" + text)
        yield table_seed("PNG_ZTXT", keyword + b"\0\0" + zlib.compress(text))
    words = "Beschreibung von J. Doe".encode()
    yield table_seed("PNG_ITXT", b"Description\0\1\0de\0Beschreibung\0" + zlib.compress(words))
    yield table_seed("PNG_ITXT", b"Author\0\0\0en\0Author\0J. Doe")
    yield table_seed("PNG_TIME", struct.pack(">HBBBBB", 2026, 12, 1, 10, 11, 12))
    yield table_seed("PNG_ICCP", b"Display of J. Doe\0\0" + zlib.compress(icc))


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
                                    (b"dmdd", giftool.icc_desc_tag("CG277W 1234"))],
                              maker=b"EIZO", model=b"CG27")
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
    yield b'{"prompt": "a cat \\ud83d\\ude00 \\u00e9", "seed": 42}'  # a surrogate pair
    yield (b'{"model_weights": "sd-1.5", "app_version": "2.3.5", "image": {"prompt":'
           b' [{"prompt": "a cat", "weight": 1}], "seed": 42, "sampler": "k_euler", "steps": 30}}')
    qvci = bytearray(0x80)
    qvci[0:5] = b"QVCI\0"
    qvci[0x4d:0x4d + 19] = b"2012.02.11.14.17.08"
    qvci[0x62:0x69] = b"EX-Z750"
    yield bytes(qvci)
    yield from png_text_seeds()


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
                    if kind:
                        save(out, "describe", table_seed(kind, payload))
                    if kind == "EXIF":
                        save(out, "orientation", payload)
    for payload in built_seeds():
        save(out, "describe", payload)
    for target in TARGETS:
        print(target, len(os.listdir(os.path.join(out, target))))


if __name__ == "__main__":
    main()
