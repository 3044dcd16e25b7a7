"""JPEG XL container walker, checker and fixture builder for the tests.

usage:
  jxltool.py dump FILE                 one line per box (brob: what it wraps)
  jxltool.py check-clean FILE...       SPEC 1.3 for JPEG XL: exit 1 naming what is left
  jxltool.py unpack FILE               the file's bytes, then every brob and jbrd
                                       payload decompressed, so a test can grep them
  jxltool.py codestream FILE           the codestream (jxlc, or the jxlp parts joined)
  jxltool.py build IN OUT ITEM...      IN with boxes added (see build_items)
  jxltool.py cut IN OUT N              the first N bytes (N < 0: all but the last -N)
  jxltool.py setsize IN OUT K SIZE     the K-th box's 32-bit size field set to SIZE

Box layout (ISO/IEC 18181-2, ISOBMFF style): u32 size, 4-byte type; size 1
means a u64 size follows, size 0 means "to the end of the file". The walker
is strict: a box that runs past the end or a size below its header is an
error naming the offset, except after a complete codestream, where bytes
that do not make a box are a trailer (dump shows it; for check-clean it is
something left). Needs python3-brotli for brob and jbrd contents (the rest
is standard library).
"""
import signal
import struct
import sys

SIGNATURE = b"\0\0\0\x0cJXL \r\n\x87\n"
BARE = b"\xff\x0a"
CLEAN_TYPES = (b"JXL ", b"ftyp", b"jxll", b"jxlc", b"jxlp")
# Brotli output is capped so a test never inflates a bomb.
BROTLI_CAP = 64 << 20


class JxlError(Exception):
    def __init__(self, off, why):
        super().__init__("offset %d: %s" % (off, why))
        self.off = off


class Box:
    def __init__(self, off, size, header, typ, data):
        self.off, self.size, self.header, self.type = off, size, header, typ
        self.payload = data[off + header:off + size]
        self.form = "large" if header == 16 else ("to-end" if size and data[off:off + 4] == b"\0\0\0\0" else "")

    def __repr__(self):
        return "%-6r %8d %8d%s" % (self.type.decode("latin-1"), self.off, self.size,
                                   " " + self.form if self.form else "")


def box_header(data, pos):
    """(size, header length, type) of the box at pos, or a JxlError."""
    if len(data) - pos < 8:
        raise JxlError(pos, "%d bytes, too few for a box header" % (len(data) - pos))
    size, typ = struct.unpack(">I4s", data[pos:pos + 8])
    header = 8
    if size == 1:
        if len(data) - pos < 16:
            raise JxlError(pos, "truncated 64-bit box size")
        size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
        header = 16
    elif size == 0:
        size = len(data) - pos
    if size < header:
        raise JxlError(pos, "box size %d below its header" % size)
    if size > len(data) - pos:
        raise JxlError(pos, "box %r of %d bytes runs past the end" % (typ, size))
    return size, header, typ


def codestream_done(box):
    return box.type == b"jxlc" or (box.type == b"jxlp" and box.payload[:1] >= b"\x80")


def walk_all(data):
    """(boxes, trailer): trailer is None, or (offset, why) for bytes after a
    complete codestream that do not make a box. Before the codestream is
    complete such bytes are an error (JxlError): the file is truncated."""
    if not data.startswith(SIGNATURE):
        raise JxlError(0, "not a JPEG XL container")
    boxes, pos, done = [], 0, False
    while pos < len(data):
        try:
            size, header, typ = box_header(data, pos)
        except JxlError as e:
            if done:
                return boxes, (pos, str(e))
            raise
        boxes.append(Box(pos, size, header, typ, data))
        done = done or codestream_done(boxes[-1])
        pos += size
    return boxes, None


def walk(data):
    """Boxes of a container file; raises JxlError on anything else, trailers included."""
    boxes, trailer = walk_all(data)
    if trailer:
        raise JxlError(trailer[0], "bytes after the last box: " + trailer[1])
    return boxes


def brotli_unpack(payload):
    import brotli
    d = brotli.Decompressor()
    out = d.process(payload)
    if len(out) > BROTLI_CAP:
        raise ValueError("over the cap")
    return out


def jbrd_unpack(payload):
    """The Brotli stream inside a jbrd box (comments, APPn, tail of the JPEG).

    The box starts with bit-packed JPEG structure whose length this tool
    does not parse; the compressed part is the longest suffix that inflates.
    """
    import brotli
    for start in range(len(payload)):
        try:
            return start, brotli.decompress(payload[start:])
        except brotli.error:
            continue
    return None, b""


def describe(box):
    p = box.payload
    if box.type == b"jxlp" and len(p) >= 4:
        idx = struct.unpack(">I", p[:4])[0]
        return "index=%d%s" % (idx & 0x7FFFFFFF, " last" if idx >> 31 else "")
    if box.type == b"Exif" and len(p) >= 4:
        return "tiff-offset=%d tiff=%r" % (struct.unpack(">I", p[:4])[0], p[4:12])
    if box.type == b"brob" and len(p) >= 4:
        try:
            inner = brotli_unpack(p[4:])
            return "wraps=%r unpacked=%d text=%r" % (p[:4].decode("latin-1"), len(inner), inner[:50])
        except Exception as e:  # noqa: BLE001 - a test tool reports, never dies
            return "wraps=%r brotli error: %s" % (p[:4].decode("latin-1"), e)
    if box.type == b"jbrd":
        start, inner = jbrd_unpack(p)
        return "brotli-at=%s unpacked=%d" % (start, len(inner))
    if box.type in (b"xml ", b"jumb"):
        return "text=%r" % p[:50]
    if box.type == b"ftyp":
        return "brand=%r" % p[:4]
    return ""


def read(path):
    with open(path, "rb") as f:
        return f.read()


def cmd_dump(path):
    data = read(path)
    if data.startswith(BARE):
        print("bare codestream, %d bytes" % len(data))
        return 0
    try:
        boxes, trailer = walk_all(data)
    except JxlError as e:
        print("error: %s" % e)
        return 1
    for box in boxes:
        print("%r %s" % (box, describe(box)))
    if trailer:
        print("trailer %d %d (%s) text=%r" % (trailer[0], len(data) - trailer[0], trailer[1],
                                              data[trailer[0]:trailer[0] + 40]))
    return 0


def codestream_problems(boxes):
    """Exactly one jxlc, or jxlp parts numbered 0.. in order with only the last flagged."""
    jxlc = [b for b in boxes if b.type == b"jxlc"]
    parts = [b for b in boxes if b.type == b"jxlp"]
    if jxlc and parts:
        return ["both jxlc and jxlp"]
    if len(jxlc) > 1:
        return ["%d jxlc boxes" % len(jxlc)]
    if not jxlc and not parts:
        return ["no codestream box"]
    if parts:
        bad = []
        for i, b in enumerate(parts):
            if len(b.payload) < 4:
                return ["jxlp at %d without an index" % b.off]
            idx = struct.unpack(">I", b.payload[:4])[0]
            if idx & 0x7FFFFFFF != i or bool(idx >> 31) != (i == len(parts) - 1):
                bad.append("jxlp at %d has index %#x, expected part %d" % (b.off, idx, i))
        first = parts[0].payload[4:6]
    else:
        bad, first = [], jxlc[0].payload[:2]
    if first != BARE:
        bad.append("codestream does not start with FF 0A")
    return bad


def leftovers(data):
    if data.startswith(BARE):
        return []
    try:
        boxes = walk(data)
    except JxlError as e:
        return ["malformed: %s" % e]
    bad = []
    if len(boxes) < 2 or boxes[0].type != b"JXL " or boxes[1].type != b"ftyp":
        bad.append("JXL  and ftyp are not the first two boxes")
    for t in (b"JXL ", b"ftyp", b"jxll"):
        if sum(b.type == t for b in boxes) > 1:
            bad.append("more than one %r box" % t.decode())
    for b in boxes:
        if b.type not in CLEAN_TYPES:
            bad.append("box %r at %d" % (b.type.decode("latin-1"), b.off))
    return bad + codestream_problems(boxes)


def cmd_check_clean(paths):
    status = 0
    for path in paths:
        for why in leftovers(read(path)):
            print("%s: %s" % (path, why))
            status = 1
    return status


def cmd_unpack(path):
    data = read(path)
    out = sys.stdout.buffer
    out.write(data)
    if data.startswith(BARE):
        return 0
    try:
        boxes = walk_all(data)[0]
    except JxlError:
        return 0
    for box in boxes:
        if box.type == b"brob":
            try:
                out.write(b"\n" + brotli_unpack(box.payload[4:]))
            except Exception:  # noqa: BLE001
                pass
        elif box.type == b"jbrd":
            out.write(b"\n" + jbrd_unpack(box.payload)[1])
    return 0


def cmd_codestream(path):
    data = read(path)
    if data.startswith(BARE):
        sys.stdout.buffer.write(data)
        return 0
    parts = []
    for box in walk_all(data)[0]:
        if box.type == b"jxlc":
            parts.append(box.payload)
        elif box.type == b"jxlp":
            parts.append(box.payload[4:])
    sys.stdout.buffer.write(b"".join(parts))
    return 0


# --- building ------------------------------------------------------------


def box(typ, payload, form=""):
    if form == "large":
        return struct.pack(">I4sQ", 1, typ, 16 + len(payload)) + payload
    if form == "to-end":
        return struct.pack(">I4s", 0, typ) + payload
    return struct.pack(">I4s", 8 + len(payload), typ) + payload


def tiff(text, orientation=None):
    """Big-endian TIFF: IFD0 Make, Artist (+ Orientation), a GPS IFD (48.8584 N, 2.2945 E)."""
    make, artist = (text + "-make\0").encode(), (text + "\0").encode()
    n0 = 3 + (1 if orientation else 0)
    data_off = 8 + 2 + 12 * n0 + 4
    gps_off = data_off + len(make) + len(artist)
    entries = [struct.pack(">HHII", 0x010F, 2, len(make), data_off)]
    if orientation:
        entries.append(struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0))
    entries.append(struct.pack(">HHII", 0x013B, 2, len(artist), data_off + len(make)))
    entries.append(struct.pack(">HHII", 0x8825, 4, 1, gps_off))
    ifd0 = struct.pack(">H", n0) + b"".join(entries) + b"\0\0\0\0"
    rat = gps_off + 2 + 4 * 12 + 4
    gps = (struct.pack(">H", 4) + struct.pack(">HHI4s", 1, 2, 2, b"N\0\0\0")
           + struct.pack(">HHII", 2, 5, 3, rat) + struct.pack(">HHI4s", 3, 2, 2, b"E\0\0\0")
           + struct.pack(">HHII", 4, 5, 3, rat + 24) + b"\0\0\0\0"
           + struct.pack(">6I", 48, 1, 51, 1, 3012, 100) + struct.pack(">6I", 2, 1, 17, 1, 4130, 100))
    return b"MM\0*" + struct.pack(">I", 8) + ifd0 + make + artist + gps


def xmp(text):
    return ("<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF"
            " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
            "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'"
            " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'>"
            "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>"
            "<photoshop:City>%s-city</photoshop:City>"
            "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>" % (text, text)).encode()


def brob(inner_type, payload):
    import brotli
    return box(b"brob", inner_type + brotli.compress(payload))


def split_codestream(boxes, n):
    """Replaces a jxlc with n jxlp parts (indices 0..n-1, the last flagged)."""
    out = []
    for b in boxes:
        if not b.startswith(b"jxlc", 4):
            out.append(b)
            continue
        cs = b[8:]
        step = max(1, len(cs) // n)
        cuts = [cs[i * step:(i + 1) * step] for i in range(n - 1)] + [cs[(n - 1) * step:]]
        for i, part in enumerate(cuts):
            idx = i | (0x80000000 if i == n - 1 else 0)
            out.append(box(b"jxlp", struct.pack(">I", idx) + part))
    return out


def build_items(data, items):
    """IN's boxes with ITEMs inserted after ftyp, in order; `after` moves the
    insertion point past the codestream (jxlc/jxlp), `front` back after ftyp,
    `at=N` before the N-th box (counting from 0) of what is built so far.

    exif=TEXT          Exif box (4-byte TIFF offset, TIFF with Make, Artist, GPS)
    exif-orient=N:TEXT Exif box whose IFD0 also says Orientation N
    xml=TEXT           xml  box (XMP with dc:creator and photoshop:City)
    jumb=TEXT          jumb box (JUMBF superbox holding TEXT)
    brob-exif=TEXT     brob box wrapping an Exif box's payload, Brotli-compressed
    brob-xml=TEXT      brob box wrapping XMP
    box=TYPE:TEXT      any box (TYPE four characters)
    large=TYPE:TEXT    a box written with size 1 and a 64-bit size
    jxli               a frame index box (one frame, offset 0)
    jxll=N             a level box
    split=N            the jxlc codestream cut into N jxlp parts
    last=TYPE:TEXT     a box with size 0 (to the end), appended last
    tail=TEXT          bytes after the last box
    """
    if not data.startswith(SIGNATURE):
        raise SystemExit("input is not a JPEG XL container (convert a bare one with cjxl --container=1)")
    boxes = [data[b.off:b.off + b.size] if b.form != "to-end"
             else box(b.type, b.payload) for b in walk_all(data)[0]]
    at, tail = 2, b""
    for item in items:
        name, _, value = item.partition("=")
        typ, _, text = value.partition(":")
        new = None
        if name == "exif":
            new = box(b"Exif", b"\0\0\0\0" + tiff(value))
        elif name == "exif-orient":
            new = box(b"Exif", b"\0\0\0\0" + tiff(text, int(typ)))
        elif name == "xml":
            new = box(b"xml ", xmp(value))
        elif name == "jumb":
            new = box(b"jumb", box(b"jumd", b"c2pa" + b"\0" * 12 + b"\x03c2pa\0") + box(b"json", value.encode()))
        elif name == "brob-exif":
            new = brob(b"Exif", b"\0\0\0\0" + tiff(value))
        elif name == "brob-xml":
            new = brob(b"xml ", xmp(value))
        elif name == "box":
            new = box(typ.encode(), text.encode())
        elif name == "large":
            new = box(typ.encode(), text.encode(), "large")
        elif name == "jxli":
            new = box(b"jxli", bytes([1]) + struct.pack(">II", 1, 1000) + bytes([0, 0, 1]))
        elif name == "jxll":
            new = box(b"jxll", bytes([int(value)]))
        elif name == "split":
            boxes = split_codestream(boxes, int(value))
        elif name == "after":
            at = max(i for i, b in enumerate(boxes) if b[4:8] in (b"jxlc", b"jxlp")) + 1
        elif name == "front":
            at = 2
        elif name == "at":
            at = int(value)
        elif name == "last":
            tail = box(typ.encode(), text.encode(), "to-end")
        elif name == "tail":
            tail = value.encode()
        else:
            raise SystemExit("unknown item " + item)
        if new is not None:
            boxes.insert(at, new)
            at += 1
    return b"".join(boxes) + tail


def cmd_build(src, dst, items):
    out = build_items(read(src), items)
    with open(dst, "wb") as f:
        f.write(out)
    return 0


def cmd_cut(src, dst, n):
    data = read(src)
    n = int(n)
    with open(dst, "wb") as f:
        f.write(data[:n] if n >= 0 else data[:len(data) + n])
    return 0


def cmd_setsize(src, dst, k, size):
    data = bytearray(read(src))
    off = walk(bytes(data))[int(k)].off
    data[off:off + 4] = struct.pack(">I", int(size))
    with open(dst, "wb") as f:
        f.write(bytes(data))
    return 0


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    table = {
        ("dump", 1): lambda: cmd_dump(args[0]),
        ("unpack", 1): lambda: cmd_unpack(args[0]),
        ("codestream", 1): lambda: cmd_codestream(args[0]),
        ("cut", 3): lambda: cmd_cut(*args),
        ("setsize", 4): lambda: cmd_setsize(*args),
    }
    if (cmd, len(args)) in table:
        return table[(cmd, len(args))]()
    if cmd == "check-clean" and args:
        return cmd_check_clean(args)
    if cmd == "build" and len(args) >= 2:
        return cmd_build(args[0], args[1], args[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| grep -q` may stop reading early
    sys.exit(main(sys.argv))
