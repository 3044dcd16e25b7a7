"""GIF block walker, checker and fixture builder for the tests.

usage:
  giftool.py dump FILE                 one line per block
  giftool.py check-clean [--no-icc] FILE...
                                       SPEC 1.3 for GIF: exit 1 naming what is left
  giftool.py frames FILE...            per frame: RGBA hash, duration, disposal,
                                       transparency (Pillow) and the block view;
                                       with several files, each after "== FILE"
  giftool.py same-frames A B [A B]...  per pair: "same" or "DIFF" and the first difference
  giftool.py image-blocks FILE         per image: its GCE bytes and a hash of its block
  giftool.py build OUT ITEM...         write a GIF made of ITEMs (see build_items)
  giftool.py cut IN OUT N              the first N bytes of IN (N < 0: all but the last -N)
  giftool.py lie IN OUT K VALUE        set the length byte of IN's K-th sub-block
  giftool.py subblocks FILE            offsets of every sub-block length byte

The walker is strict: a length that runs past the end, a missing trailer or
an unknown block is an error naming its offset, so a test can tell a valid
output from one that only looks short. Standard library only, except
`frames`, which needs Pillow.
"""
import hashlib
import signal
import struct
import sys

# The 257-byte "magic trailer" after a GIF XMP packet (XMP spec part 3,
# GIF section): 0x01, then 0xFF down to 0x00, so that a reader walking the
# packet as sub-blocks always lands on the block terminator.
XMP_LANDING_ZONE = bytes([1]) + bytes(range(255, -1, -1))

LOOP_IDS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
ICC_ID = b"ICCRGBG1012"

EXT_NAMES = {0xF9: "gce", 0xFE: "comment", 0x01: "plaintext", 0xFF: "app"}


class GifError(Exception):
    def __init__(self, off, why):
        super().__init__("offset %d: %s" % (off, why))
        self.off = off


class Block:
    """One element of the file: kind, byte range and what the walker read."""

    def __init__(self, kind, off, end, **info):
        self.kind = kind
        self.off = off
        self.end = end
        self.info = info

    def __repr__(self):
        extra = " ".join("%s=%s" % (k, v) for k, v in self.info.items()
                         if k not in ("data", "subs"))
        return "%-10s %7d %6d %s" % (self.kind, self.off, self.end - self.off, extra)


def sub_blocks(data, pos):
    """Reads sub-blocks from pos: ([(offset of length byte, payload)], end after the 00)."""
    subs = []
    while True:
        if pos >= len(data):
            raise GifError(pos, "truncated: sub-block length missing")
        n = data[pos]
        if n == 0:
            return subs, pos + 1
        if n > len(data) - pos - 1:
            raise GifError(pos, "sub-block of %d bytes runs past the end" % n)
        subs.append((pos, data[pos + 1:pos + 1 + n]))
        pos += 1 + n


def colour_table(data, pos, packed, what):
    """Length of the colour table the packed byte announces (0 if none), checked."""
    if not packed & 0x80:
        return 0
    n = 3 << ((packed & 7) + 1)
    if n > len(data) - pos:
        raise GifError(pos, "truncated %s colour table" % what)
    return n


def walk_extension(data, pos):
    if pos + 2 > len(data):
        raise GifError(pos, "truncated extension")
    label = data[pos + 1]
    subs, end = sub_blocks(data, pos + 2)
    kind = EXT_NAMES.get(label, "ext")
    info = {"label": "0x%02x" % label, "subs": subs}
    if label == 0xF9:
        if not subs or len(subs[0][1]) < 4:
            raise GifError(pos, "graphic control extension shorter than 4 bytes")
        b = subs[0][1]
        info.update(disposal=(b[0] >> 2) & 7, delay=struct.unpack("<H", b[1:3])[0],
                    transparent=b[3] if b[0] & 1 else None,
                    canonical=len(subs) == 1 and len(b) == 4)
    elif label == 0xFF:
        ident = subs[0][1] if subs else b""
        info["ident"] = ident.decode("latin-1")
        if ident in LOOP_IDS:
            loops = [s for _, s in subs[1:] if len(s) >= 3 and s[0] == 1]
            info["loop"] = struct.unpack("<H", loops[0][1:3])[0] if loops else None
        if ident == b"XMP DataXMP":
            raw = data[pos + 2 + 1 + len(ident):end - 1]
            info["landing_zone"] = raw.endswith(XMP_LANDING_ZONE)
            info["data"] = raw[:-len(XMP_LANDING_ZONE)] if info["landing_zone"] else raw
        else:
            info["data"] = b"".join(s for _, s in subs[1:])
    elif label == 0x01:
        if not subs or len(subs[0][1]) != 12:
            info["grid"] = "bad"
        info["data"] = b"".join(s for _, s in subs[1:])
    else:
        info["data"] = b"".join(s for _, s in subs)
    return Block(kind, pos, end, **info)


def walk_image(data, pos):
    if len(data) - pos < 11:
        raise GifError(pos, "truncated image descriptor")
    x, y, w, h, packed = struct.unpack("<HHHHB", data[pos + 1:pos + 10])
    at = pos + 10
    lct = colour_table(data, at, packed, "local")
    at += lct
    if at >= len(data):
        raise GifError(at, "truncated: LZW minimum code size missing")
    code_size = data[at]
    if not 1 <= code_size <= 11:
        raise GifError(at, "LZW minimum code size %d" % code_size)
    subs, end = sub_blocks(data, at + 1)
    return Block("image", pos, end, x=x, y=y, w=w, h=h, lct=lct // 3,
                 interlace=bool(packed & 0x40), code_size=code_size,
                 lzw=sum(len(s) for _, s in subs), subs=subs)


def walk(data):
    """All blocks of a GIF, in order; raises GifError where it is malformed."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise GifError(0, "not a GIF87a/GIF89a header")
    if len(data) < 13:
        raise GifError(6, "truncated logical screen descriptor")
    w, h, packed, bg, aspect = struct.unpack("<HHBBB", data[6:13])
    blocks = [Block("header", 0, 6, version=data[3:6].decode()),
              Block("screen", 6, 13, w=w, h=h, gct=bool(packed & 0x80), bg=bg, aspect=aspect)]
    pos = 13
    gct = colour_table(data, pos, packed, "global")
    if gct:
        blocks.append(Block("gct", pos, pos + gct, colours=gct // 3))
        pos += gct
    while True:
        if pos >= len(data):
            raise GifError(pos, "truncated: no trailer")
        intro = data[pos]
        if intro == 0x3B:
            blocks.append(Block("trailer", pos, pos + 1))
            if pos + 1 < len(data):
                blocks.append(Block("after", pos + 1, len(data), data=data[pos + 1:]))
            return blocks
        if intro == 0x21:
            blocks.append(walk_extension(data, pos))
        elif intro == 0x2C:
            blocks.append(walk_image(data, pos))
        else:
            raise GifError(pos, "unknown block introducer 0x%02x" % intro)
        pos = blocks[-1].end


def read(path):
    with open(path, "rb") as f:
        return f.read()


def cmd_dump(path):
    data = read(path)
    try:
        blocks = walk(data)
    except GifError as e:
        print("error: %s" % e)
        return 1
    for b in blocks:
        line = repr(b)
        payload = b.info.get("data")
        if payload:
            line += " bytes=%d text=%r" % (len(payload), payload[:60])
        print(line)
    return 0


def leftovers(blocks, keep_icc):
    """What a clean GIF may not hold (SPEC 1.3): one description per offender."""
    bad = []
    for b in blocks:
        if b.kind in ("comment", "plaintext", "ext", "after"):
            bad.append("%s at %d" % (b.kind, b.off))
        elif b.kind == "gce" and not b.info["canonical"]:
            bad.append("graphic control extension with extra bytes at %d" % b.off)
        elif b.kind == "app":
            ident = b.info["ident"].encode("latin-1")
            if ident in LOOP_IDS:
                # a loop extension is one sub-block 01 + count; more can hide data
                if [len(s) for _, s in b.info["subs"][1:]] != [3]:
                    bad.append("loop extension %s with extra sub-blocks at %d"
                               % (b.info["ident"], b.off))
            elif not (ident == ICC_ID and keep_icc):
                bad.append("application extension %r at %d" % (b.info["ident"], b.off))
    return bad


def cmd_check_clean(args):
    keep_icc = True
    if args and args[0] == "--no-icc":
        keep_icc = False
        args = args[1:]
    status = 0
    for path in args:
        try:
            bad = leftovers(walk(read(path)), keep_icc)
        except GifError as e:
            bad = ["malformed: %s" % e]
        for why in bad:
            print("%s: %s" % (path, why))
            status = 1
    return status


def block_view(blocks):
    """Timing as the blocks say it: one (delay, disposal, transparent) per image."""
    frames, gce, loop = [], None, None
    for b in blocks:
        if b.kind == "gce":
            gce = (b.info["delay"], b.info["disposal"], b.info["transparent"])
        elif b.kind == "app" and "loop" in b.info and loop is None:
            loop = b.info["loop"]
        elif b.kind == "image":
            frames.append(gce or (0, 0, None))
            gce = None
    return frames, loop


def frame_lines(path):
    """What the frames command prints for path, as a list of lines."""
    from PIL import Image, ImageSequence
    data = read(path)
    try:
        blocks = walk(data)
    except GifError as e:
        return ["error: %s" % e]
    out = []
    with Image.open(path) as im:
        out.append("loop %s" % im.info.get("loop", "none"))
        n = 0
        for n, frame in enumerate(ImageSequence.Iterator(im), 1):
            rgba = frame.convert("RGBA")
            out.append("frame %d size=%dx%d rgba=%s duration=%s disposal=%s transparency=%s"
                       % (n, rgba.size[0], rgba.size[1],
                          hashlib.sha256(rgba.tobytes()).hexdigest()[:16],
                          frame.info.get("duration"), getattr(frame, "disposal_method", None),
                          getattr(frame, "_frame_transparency", None)))
        out.append("frames %d" % n)
    frames, loop = block_view(blocks)
    out.append("blocks loop %s" % ("none" if loop is None else loop))
    for i, (delay, disposal, transparent) in enumerate(frames, 1):
        out.append("blocks frame %d delay=%d disposal=%d transparent=%s"
                   % (i, delay, disposal, transparent))
    return out


def image_block_lines(path):
    """One line per image: the last GCE's 4 bytes before it and a hash of the image block
    (descriptor, local colour table, LZW data): what draws the picture, decoder aside."""
    data = read(path)
    out, gce = [], "none"
    for b in walk(data):
        if b.kind == "gce":
            gce = b.info["subs"][0][1].hex()
        elif b.kind == "image":
            out.append("gce=%s image=%s" % (gce, hashlib.sha256(data[b.off:b.end]).hexdigest()[:16]))
            gce = "none"
    return out


def safe_frame_lines(path):
    try:
        return frame_lines(path)
    except Exception as e:  # noqa: BLE001 - one unreadable file must not hide the rest
        return ["error: %s" % e]


def cmd_frames(paths):
    status = 0
    for path in paths:
        if len(paths) > 1:
            print("== %s" % path)
        lines = safe_frame_lines(path)
        print("\n".join(lines))
        status |= any(line.startswith("error") for line in lines)
    return status


def cmd_same_frames(args):
    """Pairs A B: "same<TAB>B" when their frames agree, else "DIFF<TAB>B<TAB>first difference"."""
    for a, b in zip(args[0::2], args[1::2]):
        la, lb = safe_frame_lines(a), safe_frame_lines(b)
        if la == lb and not any(x.startswith("error") for x in la):
            print("same\t%s" % b)
            continue
        diff = next((x + " vs " + y for x, y in zip(la, lb) if x != y),
                    "%d vs %d lines" % (len(la), len(lb)))
        print("DIFF\t%s\t%s" % (b, diff))
    return 0


# --- building ------------------------------------------------------------


def blocked(payload):
    """payload as sub-blocks of at most 255 bytes, with the terminator."""
    out = b""
    for i in range(0, len(payload), 255):
        chunk = payload[i:i + 255]
        out += bytes([len(chunk)]) + chunk
    return out + b"\0"


def lzw_encode(indices, min_code_size):
    """GIF-flavoured LZW: codes LSB first, width grows to 12, clear when full."""
    clear, eoi = 1 << min_code_size, (1 << min_code_size) + 1
    bits = acc = 0
    out = bytearray()
    width = min_code_size + 1

    def emit(code):
        nonlocal acc, bits
        acc |= code << bits
        bits += width
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8

    def reset():
        return {bytes([i]): i for i in range(clear)}, eoi + 1

    table, next_code = reset()
    emit(clear)
    w = b""
    for k in indices:
        wk = w + bytes([k])
        if wk in table:
            w = wk
            continue
        emit(table[w])
        # The decoder widens once the code it will assign next no longer fits.
        if next_code >= (1 << width) and width < 12:
            width += 1
        if next_code < 4095:
            table[wk] = next_code
            next_code += 1
        else:
            emit(clear)
            width = min_code_size + 1
            table, next_code = reset()
        w = bytes([k])
    if w:
        emit(table[w])
        if next_code >= (1 << width) and width < 12:
            width += 1
    emit(eoi)
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


def palette(bits, seed):
    n = 1 << bits
    return b"".join(bytes(((i * 37 + seed * 11) % 256, (i * 91 + 40) % 256, (i * 17 + seed) % 256))
                    for i in range(n))


def image_block(w, h, x, y, bits, seed, lct=False, interlace=False):
    """An image descriptor with a pattern of 2^bits colours, LZW coded."""
    packed = (0x80 | (bits - 1) if lct else 0) | (0x40 if interlace else 0)
    out = b"," + struct.pack("<HHHHB", x, y, w, h, packed)
    if lct:
        out += palette(bits, seed + 5)
    n = 1 << bits
    pixels = [(px * 3 + py * 5 + seed + (px // 4) * (py // 3)) % n
              for py in range(h) for px in range(w)]
    min_code = max(2, bits)
    return out + bytes([min_code]) + blocked(lzw_encode(pixels, min_code))


def gce(delay, disposal=0, transparent=None):
    flags = (disposal & 7) << 2 | (1 if transparent is not None else 0)
    return b"!\xf9\x04" + struct.pack("<BHB", flags, delay, transparent or 0) + b"\0"


def app_ext(ident, payload_blocked):
    assert len(ident) == 11
    return b"!\xff\x0b" + ident + payload_blocked


def xmp_packet(text):
    return ("<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF"
            " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
            "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
            "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>"
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
            "<?xpacket end='w'?>" % text).encode()


def iim(record, dataset, value):
    return b"\x1c" + bytes([record, dataset]) + struct.pack(">H", len(value)) + value


def iptc_record(text):
    v = text.encode()
    return iim(1, 90, b"\x1b%G") + iim(2, 0, b"\0\x04") + iim(2, 80, v) + iim(2, 90, v + b"-city")


def irb_iptc(data):
    """A Photoshop IRB resource 0x0404 (IPTC-IIM) holding data."""
    pad = b"\0" if len(data) % 2 else b""
    return b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(data)) + data + pad


def photoshop_irb(text):
    return irb_iptc(iptc_record(text))


def icc_desc_tag(text):
    """An ICC v2 'desc' tag: the ASCII text, empty Unicode and ScriptCode parts."""
    desc = text.encode() + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(desc)) + desc + b"\0" * 12 + b"\0" * 67


def icc_profile(text, more=(), maker=b"\0" * 4, model=b"\0" * 4):
    """A small valid ICC v2 display profile whose description is text; more
    adds (signature, tag) pairs, maker and model fill the header's device
    fields."""
    xyz = b"XYZ \0\0\0\0" + struct.pack(">iii", 63190, 65536, 54061)
    tags = [(b"desc", icc_desc_tag(text)), (b"wtpt", xyz)] + list(more)
    table_len = 4 + 12 * len(tags)
    body, entries, off = b"", b"", 128 + table_len
    for sig, content in tags:
        content += b"\0" * (-len(content) % 4)
        entries += sig + struct.pack(">II", off + len(body), len(content))
        body += content
    size = 128 + table_len + len(body)
    header = (struct.pack(">I", size) + b"none" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 8 + maker + model
              + b"\0" * 8 + struct.pack(">I", 0) + struct.pack(">iii", 63190, 65536, 54061)
              + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + entries + body


def build_items(items):
    """Items, in file order (defaults: GIF89a, 16x12, an 8-colour global table):

    version=87a            header version
    screen=W,H,BITS        logical screen; BITS 0 = no global colour table
    image[=W,H,X,Y,FLAGS]  an image; FLAGS: l local colour table, i interlaced
    gce=DELAY[,DISP[,TI]]  graphic control extension (TI: transparent index)
    anim=N[,DELAY]         N frames, each a GCE and an image, every odd one with
                           a local colour table, disposals cycling 0..3
    comment=TEXT           comment extension
    xmp=TEXT               XMP DataXMP with the 257-byte landing zone
    iptc=TEXT              ImageMagick MGKIPTC0000 (IIM By-line and City)
    8bim=TEXT              ImageMagick MGK8BIM0000 (Photoshop IRB with IPTC)
    c2pa=TEXT              C2PA_GIF application extension holding a jumb box
    plaintext=TEXT         plain text extension (grid header + text)
    app=IDENT11:TEXT       any application extension, e.g. ACMEAPP11.0:secret
    ext=HEX:TEXT           an extension with any label
    loop=N | animexts=N    NETSCAPE2.0 / ANIMEXTS1.0 loop count
    loop-extra=N:TEXT      NETSCAPE2.0 with a loop and a sub-block more holding TEXT
    gce-extra=TEXT         a graphic control extension with TEXT in an extra sub-block
    icc[=TEXT]             ICCRGBG1012 holding a valid profile described TEXT
    tail=TEXT              bytes after the trailer
    notrailer              leave the trailer out
    raw=HEX                bytes as they are
    """
    version, screen, body, tail, trailer, seed = b"89a", (16, 12, 3), b"", b"", True, 0
    for item in items:
        name, _, value = item.partition("=")
        nums = [int(v) for v in value.split(",")] if value and name in (
            "screen", "gce", "anim") else []
        if name == "version":
            version = value.encode()
        elif name == "screen":
            screen = tuple(nums)
        elif name == "image":
            parts = value.split(",") if value else []
            w, h = (int(parts[0]), int(parts[1])) if parts else screen[:2]
            x, y = (int(parts[2]), int(parts[3])) if len(parts) > 3 else (0, 0)
            flags = parts[4] if len(parts) > 4 else ""
            bits = screen[2] if screen[2] and "l" not in flags else 4
            seed += 1
            body += image_block(w, h, x, y, bits, seed, "l" in flags, "i" in flags)
        elif name == "gce":
            body += gce(*nums)
        elif name == "anim":
            delay = nums[1] if len(nums) > 1 else 10
            for i in range(nums[0]):
                seed += 1
                bits = 4 if i % 2 else (screen[2] or 4)
                body += gce(delay + i % 3, i % 4, 0 if i % 3 == 2 else None)
                body += image_block(screen[0], screen[1], 0, 0, bits, seed, lct=bool(i % 2))
        elif name == "comment":
            body += b"!\xfe" + blocked(value.encode())
        elif name == "xmp":
            body += app_ext(b"XMP DataXMP", xmp_packet(value) + XMP_LANDING_ZONE + b"\0")
        elif name == "iptc":
            body += app_ext(b"MGKIPTC0000", blocked(iptc_record(value)))
        elif name == "8bim":
            body += app_ext(b"MGK8BIM0000", blocked(photoshop_irb(value)))
        elif name == "c2pa":
            box = value.encode() * 2
            body += app_ext(b"C2PA_GIF\x01\x00\x00",
                            blocked(struct.pack(">I", 8 + len(box)) + b"jumb" + box))
        elif name == "plaintext":
            grid = struct.pack("<HHHHBBBB", 0, 0, screen[0], screen[1], 8, 8, 1, 0)
            body += b"!\x01\x0c" + grid + blocked(value.encode())
        elif name == "app":
            ident, _, text = value.partition(":")
            body += app_ext(ident.encode(), blocked(text.encode()))
        elif name == "ext":
            label, _, text = value.partition(":")
            body += b"!" + bytes([int(label, 16)]) + blocked(text.encode())
        elif name in ("loop", "animexts"):
            ident = b"NETSCAPE2.0" if name == "loop" else b"ANIMEXTS1.0"
            body += app_ext(ident, b"\x03\x01" + struct.pack("<H", int(value)) + b"\0")
        elif name == "loop-extra":
            count, _, text = value.partition(":")
            body += app_ext(b"NETSCAPE2.0", b"\x03\x01" + struct.pack("<H", int(count))
                            + blocked(text.encode()))
        elif name == "gce-extra":
            body += gce(7)[:-1] + blocked(value.encode())
        elif name == "icc":
            if value.startswith("@"):
                profile = read(value[1:])
            else:
                profile = icc_profile(value or "scrub test profile")
            body += app_ext(ICC_ID, blocked(profile))
        elif name == "tail":
            tail += value.encode()
        elif name == "notrailer":
            trailer = False
        elif name == "raw":
            body += bytes.fromhex(value)
        else:
            raise SystemExit("unknown item " + item)
    w, h, bits = screen
    lsd = struct.pack("<HHBBB", w, h, (0x80 | 0x70 | (bits - 1)) if bits else 0x70, 0, 0)
    gct = palette(bits, 0) if bits else b""
    return b"GIF" + version + lsd + gct + body + (b";" if trailer else b"") + tail


def cmd_build(out, items):
    with open(out, "wb") as f:
        f.write(build_items(items))
    return 0


def cmd_cut(src, dst, n):
    data = read(src)
    n = int(n)
    with open(dst, "wb") as f:
        f.write(data[:n] if n >= 0 else data[:len(data) + n])
    return 0


def length_bytes(data):
    """Offsets of every sub-block length byte (terminators included), in file order."""
    offs = []
    for b in walk(data):
        for off, payload in b.info.get("subs", []):
            offs.append(off)
        if "subs" in b.info:
            offs.append(b.end - 1)
    return offs


def cmd_lie(src, dst, k, value):
    data = bytearray(read(src))
    data[length_bytes(bytes(data))[int(k)]] = int(value)
    with open(dst, "wb") as f:
        f.write(bytes(data))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "dump" and len(args) == 1:
        return cmd_dump(args[0])
    if cmd == "check-clean" and args:
        return cmd_check_clean(args)
    if cmd == "frames" and args:
        return cmd_frames(args)
    if cmd == "image-blocks" and len(args) == 1:
        print("\n".join(image_block_lines(args[0])))
        return 0
    if cmd == "same-frames" and args and len(args) % 2 == 0:
        return cmd_same_frames(args)
    if cmd == "build" and args:
        return cmd_build(args[0], args[1:])
    if cmd == "cut" and len(args) == 3:
        return cmd_cut(*args)
    if cmd == "lie" and len(args) == 4:
        return cmd_lie(*args)
    if cmd == "subblocks" and len(args) == 1:
        print("\n".join(str(o) for o in length_bytes(read(args[0]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| grep -q` may stop reading early
    sys.exit(main(sys.argv))
