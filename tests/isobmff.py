#!/usr/bin/env python3
"""ISOBMFF / HEIF reader, structural checker and re-serialiser for the tests.

Reads the boxes of a HEIF, HEIC or AVIF file (ISO/IEC 14496-12 box headers:
32-bit size, 64-bit largesize, size 0 = to the end, uuid; ISO/IEC 23008-12
items: meta, hdlr, pitm, iinf/infe v0-3, iloc v0-2, iref v0-1, iprp/ipco/ipma,
idat, grpl, dinf), checks a scrubbed file against SPEC.md 1.3, and rebuilds a
parsed file with changes (field sizes, versions, box order, extra items and
boxes) so the fixtures can hold what no encoder writes. Standard library only.

usage: isobmff.py dump FILE          box tree and item table
       isobmff.py check-clean FILE   exit 1, one line per problem, when FILE
                                     is not clean by SPEC 1.3 and scrub's
                                     default policy
       isobmff.py items FILE         "id type hidden bytes sha256" per item
       isobmff.py boxes FILE         "path offset header size" per box
"""
import hashlib
import struct
import sys
import zlib


class ParseError(Exception):
    """The file breaks the box grammar; the message says where."""


# Boxes whose payload is a list of boxes, and how many bytes of FullBox
# header or entry count come first.
CONTAINERS = {
    "meta": 4, "iinf": None, "iprp": 0, "ipco": 0, "dinf": 0, "dref": 8,
    "grpl": 0, "moov": 0, "trak": 0, "mdia": 0, "minf": 0, "stbl": 0,
    "edts": 0, "moof": 0, "traf": 0, "mvex": 0,
}

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


class Box:
    """One box: where it sits, how its header was written, what it holds."""

    def __init__(self, kind, offset, header, size, payload, usertype=None,
                 large=False, to_end=False):
        self.type = kind
        self.offset = offset
        self.header = header
        self.size = size
        self.payload = payload
        self.usertype = usertype
        self.large = large
        self.to_end = to_end
        self.children = []
        self.version = None
        self.flags = None

    @property
    def payload_offset(self):
        return self.offset + self.header

    def child(self, kind):
        for c in self.children:
            if c.type == kind:
                return c
        return None

    def raw(self, data):
        return data[self.offset:self.offset + self.size]


def fourcc(b):
    return b.decode("latin-1")


def parse_boxes(data, start, end, depth=0, path=""):
    """Boxes in data[start:end]; raises ParseError on any bad header."""
    boxes = []
    pos = start
    while pos < end:
        if end - pos < 8:
            raise ParseError("%s: %d stray bytes at %d" % (path or "top", end - pos, pos))
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        kind = fourcc(kind)
        header = 8
        large = to_end = False
        if size == 1:
            if end - pos < 16:
                raise ParseError("%s/%s: truncated largesize at %d" % (path, kind, pos))
            (size,) = struct.unpack(">Q", data[pos + 8:pos + 16])
            header = 16
            large = True
        elif size == 0:
            size = end - pos
            to_end = True
        usertype = None
        if kind == "uuid":
            if end - pos < header + 16:
                raise ParseError("%s/uuid: truncated usertype at %d" % (path, pos))
            usertype = data[pos + header:pos + header + 16]
            header += 16
        if size < header:
            raise ParseError("%s/%s at %d: size %d below its header" % (path, kind, pos, size))
        if size > end - pos:
            raise ParseError("%s/%s at %d: size %d runs %d bytes past its parent"
                             % (path, kind, pos, size, size - (end - pos)))
        box = Box(kind, pos, header, size, data[pos + header:pos + size], usertype, large, to_end)
        parse_children(box, data, depth, path + "/" + kind)
        boxes.append(box)
        pos += size
    return boxes


def parse_children(box, data, depth, path):
    skip = CONTAINERS.get(box.type, -1)
    if box.type == "iinf":
        if len(box.payload) < 4:
            raise ParseError("%s: truncated" % path)
        skip = 4 + (2 if box.payload[0] == 0 else 4)
    if skip == -1 or depth > 16:
        return
    if skip >= 4:
        if len(box.payload) < skip:
            raise ParseError("%s: truncated FullBox header" % path)
        box.version = box.payload[0]
        box.flags = int.from_bytes(box.payload[1:4], "big")
    box.children = parse_boxes(data, box.payload_offset + skip, box.offset + box.size, depth + 1, path)


def full_header(box):
    if len(box.payload) < 4:
        raise ParseError("%s: truncated FullBox header" % box.type)
    return box.payload[0], int.from_bytes(box.payload[1:4], "big"), 4


class Reader:
    """Sequential big-endian reads over one payload, raising ParseError."""

    def __init__(self, buf, what):
        self.buf = buf
        self.pos = 0
        self.what = what

    def take(self, n):
        if n > len(self.buf) - self.pos:
            raise ParseError("%s: truncated at byte %d" % (self.what, self.pos))
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b

    def uint(self, n):
        return int.from_bytes(self.take(n), "big") if n else 0

    def cstr(self):
        end = self.buf.find(b"\0", self.pos)
        if end < 0:
            raise ParseError("%s: unterminated string at byte %d" % (self.what, self.pos))
        s = self.buf[self.pos:end]
        self.pos = end + 1
        return s.decode("utf-8", "replace")

    def left(self):
        return len(self.buf) - self.pos


# --- meta contents --------------------------------------------------------


class Item:
    def __init__(self, item_id, kind, infe_version, flags=0, protection=0, name="",
                 content_type=None, content_encoding=None, uri_type=None):
        self.id = item_id
        self.type = kind
        self.infe_version = infe_version
        self.flags = flags
        self.protection = protection
        self.name = name
        self.content_type = content_type
        self.content_encoding = content_encoding
        self.uri_type = uri_type

    @property
    def hidden(self):
        return bool(self.flags & 1)


def parse_infe(box):
    v, flags, _ = full_header(box)
    r = Reader(box.payload[4:], "infe")
    if v in (0, 1):
        item_id, prot = r.uint(2), r.uint(2)
        name, ctype = r.cstr(), r.cstr()
        enc = r.cstr() if r.left() else None
        return Item(item_id, None, v, flags, prot, name, ctype, enc)
    if v not in (2, 3):
        raise ParseError("infe version %d" % v)
    item_id = r.uint(2 if v == 2 else 4)
    prot = r.uint(2)
    kind = fourcc(r.take(4))
    name = r.cstr() if r.left() else ""
    item = Item(item_id, kind, v, flags, prot, name)
    if kind == "mime":
        item.content_type = r.cstr()
        item.content_encoding = r.cstr() if r.left() else None
    elif kind == "uri ":
        item.uri_type = r.cstr()
    return item


class Iloc:
    def __init__(self, version=1, offset_size=4, length_size=4, base_size=0, index_size=0):
        self.version = version
        self.offset_size = offset_size
        self.length_size = length_size
        self.base_size = base_size
        self.index_size = index_size
        self.entries = []          # Loc, in file order


class Loc:
    def __init__(self, item_id, cm=0, dref=0, base=0, extents=None):
        self.id = item_id
        self.cm = cm
        self.dref = dref
        self.base = base
        self.extents = extents or []   # (index, offset, length)


def parse_iloc(box):
    v, _, _ = full_header(box)
    if v > 2:
        raise ParseError("iloc version %d" % v)
    r = Reader(box.payload[4:], "iloc")
    a, b = r.uint(1), r.uint(1)
    il = Iloc(v, a >> 4, a & 15, b >> 4, (b & 15) if v else 0)
    for size in (il.offset_size, il.length_size, il.base_size, il.index_size):
        if size not in (0, 4, 8):
            raise ParseError("iloc field size %d" % size)
    count = r.uint(2 if v < 2 else 4)
    for _ in range(count):
        loc = Loc(r.uint(2 if v < 2 else 4))
        if v:
            loc.cm = r.uint(2) & 15
        loc.dref = r.uint(2)
        loc.base = r.uint(il.base_size)
        for _ in range(r.uint(2)):
            idx = r.uint(il.index_size) if v else 0
            loc.extents.append((idx, r.uint(il.offset_size), r.uint(il.length_size)))
        il.entries.append(loc)
    if r.left():
        raise ParseError("iloc: %d bytes after the last entry" % r.left())
    return il


def parse_iref(box):
    v, _, _ = full_header(box)
    width = 2 if v == 0 else 4
    refs = []
    for sub in parse_boxes(box.payload, 4, len(box.payload), path="iref"):
        r = Reader(sub.payload, "iref/" + sub.type)
        from_id = r.uint(width)
        to = [r.uint(width) for _ in range(r.uint(2))]
        if r.left():
            raise ParseError("iref/%s: %d bytes left over" % (sub.type, r.left()))
        refs.append((sub.type, from_id, to))
    return v, refs


def parse_ipma(box):
    v, flags, _ = full_header(box)
    r = Reader(box.payload[4:], "ipma")
    entries = []
    for _ in range(r.uint(4)):
        item_id = r.uint(2 if v == 0 else 4)
        assoc = []
        for _ in range(r.uint(1)):
            if flags & 1:
                x = r.uint(2)
                assoc.append((bool(x & 0x8000), x & 0x7FFF))
            else:
                x = r.uint(1)
                assoc.append((bool(x & 0x80), x & 0x7F))
        entries.append((item_id, assoc))
    if r.left():
        raise ParseError("ipma: %d bytes after the last entry" % r.left())
    return v, flags, entries


def parse_grpl(box):
    groups = []
    for g in box.children:
        v, flags, _ = full_header(g)
        r = Reader(g.payload[4:], "grpl/" + g.type)
        gid = r.uint(4)
        ents = [r.uint(4) for _ in range(r.uint(4))]
        groups.append((g.type, gid, ents, r.take(r.left())))
    return groups


class Heif:
    """A parsed file: top-level boxes plus the one meta box interpreted."""

    def __init__(self, data):
        self.data = data
        self.top = parse_boxes(data, 0, len(data))
        metas = [b for b in self.top if b.type == "meta"]
        self.meta = metas[0] if metas else None
        self.meta_count = len(metas)
        self.items = {}
        self.item_order = []
        self.iloc = None
        self.refs = []
        self.iref_version = 0
        self.props = []
        self.ipma = []
        self.ipma_version = self.ipma_flags = 0
        self.pitm = None
        self.idat = None
        self.groups = []
        self.iinf = None
        if self.meta:
            self._read_meta()

    def _read_meta(self):
        m = self.meta
        for c in m.children:
            if c.type == "pitm":
                v, _, _ = full_header(c)
                self.pitm = Reader(c.payload[4:], "pitm").uint(2 if v == 0 else 4)
            elif c.type == "iinf":
                self.iinf = c
                for e in c.children:
                    if e.type == "infe":
                        it = parse_infe(e)
                        self.items[it.id] = it
                        self.item_order.append(it.id)
            elif c.type == "iloc":
                self.iloc = parse_iloc(c)
            elif c.type == "iref":
                self.iref_version, self.refs = parse_iref(c)
            elif c.type == "iprp":
                ipco = c.child("ipco")
                self.props = ipco.children if ipco else []
                ipma = c.child("ipma")
                if ipma:
                    self.ipma_version, self.ipma_flags, self.ipma = parse_ipma(ipma)
            elif c.type == "idat":
                self.idat = c
            elif c.type == "grpl":
                self.groups = parse_grpl(c)

    def loc(self, item_id):
        for loc in self.iloc.entries if self.iloc else []:
            if loc.id == item_id:
                return loc
        return None

    def extents_abs(self, item_id):
        """[(cm, start, length)]: file offsets for cm 0, idat offsets for cm 1."""
        loc = self.loc(item_id)
        if loc is None:
            return []
        return [(loc.cm, loc.base + off, length) for _, off, length in loc.extents]

    def item_data(self, item_id):
        out = b""
        for cm, start, length in self.extents_abs(item_id):
            if cm == 0:
                out += self.data[start:start + length]
            elif cm == 1 and self.idat is not None:
                out += self.idat.payload[start:start + length]
            else:
                raise ParseError("item %d: construction method %d" % (item_id, cm))
        return out

    def props_of(self, item_id):
        for iid, assoc in self.ipma:
            if iid == item_id:
                return assoc
        return []

    def refs_from(self, item_id, kind=None):
        return [x for t, f, to in self.refs if f == item_id and (kind is None or t == kind) for x in to]

    def aux_type(self, item_id):
        """The auxC URN of an item, or None."""
        for _, idx in self.props_of(item_id):
            if 1 <= idx <= len(self.props) and self.props[idx - 1].type == "auxC":
                p = self.props[idx - 1].payload[4:]
                return p.split(b"\0", 1)[0].decode("utf-8", "replace")
        return None


# --- dump -----------------------------------------------------------------


def describe_box(b):
    bits = ["%s @%d size=%d" % (b.type, b.offset, b.size)]
    if b.large:
        bits.append("largesize")
    if b.to_end:
        bits.append("size0")
    if b.usertype:
        bits.append("usertype=" + b.usertype.hex())
    if b.type == "ftyp" and len(b.payload) >= 8:
        comp = [fourcc(b.payload[i:i + 4]) for i in range(8, len(b.payload) - 3, 4)]
        bits.append("major=%s compat=[%s]" % (fourcc(b.payload[:4]), " ".join(comp)))
    if b.type == "hdlr" and len(b.payload) >= 12:
        bits.append("handler=%s name=%r" % (fourcc(b.payload[8:12]), b.payload[24:].split(b"\0")[0]))
    if b.type == "colr" and len(b.payload) >= 4:
        bits.append("%s %d bytes" % (fourcc(b.payload[:4]), len(b.payload) - 4))
    if b.type == "auxC":
        bits.append(repr(b.payload[4:].split(b"\0")[0]))
    if b.type == "ispe" and len(b.payload) >= 12:
        bits.append("%dx%d" % struct.unpack(">II", b.payload[4:12]))
    if b.type == "irot" and b.payload:
        bits.append("angle=%d" % (b.payload[0] & 3))
    return " ".join(bits)


def dump_tree(boxes, out, indent=0):
    for b in boxes:
        out.append("  " * indent + describe_box(b))
        if b.type == "iinf":     # the item table below lists the entries
            out.append("  " * (indent + 1) + "(%d infe)" % len(b.children))
        else:
            dump_tree(b.children, out, indent + 1)


def dump(h):
    out = []
    dump_tree(h.top, out)
    if h.meta is None:
        return out
    out.append("pitm %s" % h.pitm)
    if h.iloc:
        il = h.iloc
        out.append("iloc v%d sizes %d/%d/%d/%d" % (il.version, il.offset_size, il.length_size,
                                                   il.base_size, il.index_size))
    for iid in h.item_order:
        it = h.items[iid]
        loc = h.loc(iid)
        where = ""
        if loc:
            where = "cm=%d dref=%d base=%d ext=%s" % (loc.cm, loc.dref, loc.base,
                                                      ",".join("%d+%d" % (o, n) for _, o, n in loc.extents))
        extra = ""
        if it.content_type is not None:
            extra = " ct=%r enc=%r" % (it.content_type, it.content_encoding)
        if it.uri_type is not None:
            extra = " uri=%r" % it.uri_type
        aux = h.aux_type(iid)
        if aux:
            extra += " aux=%r" % aux
        props = " ".join(("!" if e else "") + str(i) for e, i in h.props_of(iid))
        out.append("item %d %s%s%s [%s] %s" % (iid, it.type, " hidden" if it.hidden else "",
                                              extra, props, where))
    for t, f, to in h.refs:
        out.append("iref %s %d -> %s" % (t, f, " ".join(map(str, to))))
    for t, gid, ents, _ in h.groups:
        out.append("group %s %d: %s" % (t, gid, " ".join(map(str, ents))))
    return out


def all_boxes(boxes, path=""):
    for b in boxes:
        p = path + "/" + b.type
        yield p, b
        yield from all_boxes(b.children, p)


# --- check-clean ----------------------------------------------------------

KEPT_TOP = {"ftyp", "meta", "mdat"}
IMAGE_TYPES = {"hvc1", "av01", "grid", "iovl", "iden", "jpeg", "hvt1", "unci", "j2k1", "vvc1"}
ALPHA_URNS = {"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha", "urn:mpeg:hevc:2015:auxid:1"}


def check_clean(data):
    """Problems (strings) that make a HEIF output unclean or inconsistent."""
    try:
        h = Heif(data)
    except ParseError as e:
        return ["parse: %s" % e]
    problems = []
    problems += check_top(h)
    if h.meta is None:
        return problems
    try:
        problems += check_meta(h)
    except ParseError as e:
        problems.append("parse: %s" % e)
    return problems


def check_top(h):
    p = []
    if not h.top or h.top[0].type != "ftyp":
        p.append("first box is not ftyp")
    for b in h.top:
        if b.type not in KEPT_TOP:
            p.append("top-level box %s at %d (%d bytes)" % (b.type, b.offset, b.size))
    if h.meta_count != 1:
        p.append("%d meta boxes" % h.meta_count)
    for path, b in all_boxes(h.top):
        if b.type in ("free", "skip") and b.payload.strip(b"\0"):
            p.append("%s at %d holds non-zero bytes" % (path, b.offset))
        if b.type == "colr" and b.payload[:4] in (b"prof", b"rICC") and len(b.payload) < 4 + 128:
            p.append("%s at %d: ICC profile of %d bytes" % (path, b.offset, len(b.payload) - 4))
    return p


def check_meta(h):
    p = []
    hdlr = h.meta.child("hdlr")
    if hdlr is None or hdlr.payload[8:12] != b"pict":
        p.append("meta has no hdlr pict")
    p += check_items(h)
    p += check_iloc(h)
    p += check_refs(h)
    return p


def check_items(h):
    p = []
    count = h.iinf.payload[4:6] if h.iinf and h.iinf.payload[0] == 0 else h.iinf.payload[4:8] if h.iinf else b""
    if h.iinf is not None:
        n = int.from_bytes(count, "big")
        if n != len(h.iinf.children):
            p.append("iinf entry_count %d but %d infe boxes" % (n, len(h.iinf.children)))
    if len(set(h.item_order)) != len(h.item_order):
        p.append("duplicate item IDs in iinf")
    if h.pitm is None or h.pitm not in h.items:
        p.append("pitm %s names no item" % h.pitm)
    for iid in h.item_order:
        it = h.items[iid]
        if it.type in ("Exif", "mime", "uri "):
            p.append("item %d is %s" % (iid, it.type.strip()))
        elif it.type not in IMAGE_TYPES:
            p.append("item %d has unknown type %r" % (iid, it.type))
        if it.protection:
            p.append("item %d is protected" % iid)
    for t, f, to in h.refs:
        if t == "thmb":
            p.append("thumbnail item %d" % f)
        if t == "auxl" and h.aux_type(f) not in ALPHA_URNS:
            p.append("auxiliary item %d (%s)" % (f, h.aux_type(f)))
        if t == "cdsc":
            p.append("metadata reference cdsc from item %d" % f)
    p += check_reachable(h)
    return p


def check_reachable(h):
    """Every item is the primary, one of its derivation inputs or its alpha."""
    seen = set()
    todo = [h.pitm]
    while todo:
        iid = todo.pop()
        if iid in seen or iid not in h.items:
            continue
        seen.add(iid)
        todo += h.refs_from(iid, "dimg")
        todo += [f for t, f, to in h.refs if t == "auxl" and iid in to]
    return ["item %d is not reachable from the primary" % i for i in h.item_order if i not in seen]


def check_iloc(h):
    p = []
    if h.iloc is None:
        return ["meta has no iloc"]
    mdats = [(b.payload_offset, b.offset + b.size) for b in h.top if b.type == "mdat"]
    idat_len = len(h.idat.payload) if h.idat else 0
    ids = [loc.id for loc in h.iloc.entries]
    if len(set(ids)) != len(ids):
        p.append("duplicate item IDs in iloc")
    for loc in h.iloc.entries:
        if loc.id not in h.items:
            p.append("iloc entry for missing item %d" % loc.id)
        if loc.cm not in (0, 1) or loc.dref != 0:
            p.append("item %d: construction method %d, data reference %d" % (loc.id, loc.cm, loc.dref))
            continue
        if not loc.extents:
            p.append("item %d: no extents" % loc.id)
        for _, off, length in loc.extents:
            start = loc.base + off
            if length == 0:
                p.append("item %d: zero-length extent (means the whole container)" % loc.id)
            elif loc.cm == 1 and start + length > idat_len:
                p.append("item %d: idat extent %d+%d outside idat (%d)" % (loc.id, start, length, idat_len))
            elif loc.cm == 0 and not any(a <= start and start + length <= b for a, b in mdats):
                p.append("item %d: extent %d+%d not inside an mdat" % (loc.id, start, length))
    for iid in h.item_order:
        if h.loc(iid) is None and h.items[iid].type != "iden":
            p.append("item %d has no iloc entry" % iid)
    return p


def check_refs(h):
    p = []
    for t, f, to in h.refs:
        for x in [f] + to:
            if x not in h.items:
                p.append("iref %s %d -> %s names missing item %d" % (t, f, to, x))
        if not to:
            p.append("iref %s from %d has no targets" % (t, f))
    last = -1
    for iid, assoc in h.ipma:
        if iid not in h.items:
            p.append("ipma entry for missing item %d" % iid)
        if iid <= last:
            p.append("ipma entries not sorted at item %d" % iid)
        last = iid
        for _, idx in assoc:
            if idx > len(h.props):
                p.append("item %d: property index %d past ipco (%d)" % (iid, idx, len(h.props)))
    for t, gid, ents, _ in h.groups:
        for e in ents:
            if e not in h.items:
                p.append("group %s %d names missing entity %d" % (t, gid, e))
    return p


# --- builder --------------------------------------------------------------


def box(kind, payload, large=False, usertype=None, to_end=False):
    """Serialises one box; large uses the 64-bit largesize form."""
    k = kind.encode("latin-1")
    assert len(k) == 4
    ut = usertype or b""
    if large:
        return struct.pack(">I4sQ", 1, k, 16 + len(ut) + len(payload)) + ut + payload
    if to_end:
        return struct.pack(">I4s", 0, k) + ut + payload
    size = 8 + len(ut) + len(payload)
    if size > 0xFFFFFFFF:
        return box(kind, payload, True, usertype)
    return struct.pack(">I4s", size, k) + ut + payload


def fullbox(kind, version, flags, payload, large=False):
    return box(kind, struct.pack(">B", version) + flags.to_bytes(3, "big") + payload, large)


def uint(n, size):
    if size == 0:
        if n:
            raise ValueError("value %d in a 0-byte field" % n)
        return b""
    if n >= 1 << (8 * size):
        raise ValueError("value %d does not fit %d bytes" % (n, size))
    return n.to_bytes(size, "big")


class BItem:
    """An item to write: its infe fields, data, properties and placement."""

    def __init__(self, item_id, kind, data=b"", flags=0, name="", content_type=None,
                 content_encoding=None, uri_type=None, protection=0, infe_version=None):
        self.id = item_id
        self.type = kind
        self.data = data
        self.flags = flags
        self.name = name
        self.content_type = content_type
        self.content_encoding = content_encoding
        self.uri_type = uri_type
        self.protection = protection
        self.infe_version = infe_version
        self.props = []          # (essential, 1-based ipco index)
        self.storage = "mdat"    # "mdat", "idat" or "none" (no iloc entry)
        self.mdat = 0            # which mdat holds it
        self.extents = 1         # split the data into this many extents
        self.share = None        # item ID whose extents this item reuses
        self.cm = None           # construction method override
        self.dref = 0


class Builder:
    """Writes a HEIF file from items, properties and layout options.

    Offsets are found in two passes: the meta box is written with the final
    field sizes and zero offsets, the data is placed, then meta is written
    again with the real offsets (same size, since the field sizes are fixed).
    """

    def __init__(self):
        self.major = "heic"
        self.minor = 0
        self.compat = ["mif1", "heic"]
        self.hdlr_name = ""
        self.items = []
        self.props = []          # complete property boxes (bytes)
        self.refs = []           # (type, from, [to])
        self.groups = []         # (type, group_id, [entities], extra bytes)
        self.pitm = None
        # Layout and encoding options.
        self.layout = ["ftyp", "meta", "mdat0"]   # or raw bytes for extra boxes
        self.iloc_version = 1
        self.offset_size, self.length_size, self.base_size, self.index_size = 4, 4, 0, 0
        self.use_base = False    # absolute position in base_offset, extents relative
        self.infe_version = 2
        self.iref_version = 0    # raised to 1 when an ID needs 32 bits
        self.ipma_version = 0    # likewise
        self.ipma_flags = 0      # bit 0 set when a property index needs 15 bits
        self.large = set()       # box types written with largesize
        self.last_mdat_to_end = False
        self.interleave = False  # round-robin the extents of items in one mdat
        self.filler = b""        # unreferenced bytes between the pieces of an mdat
        self.meta_order = ["hdlr", "dinf", "pitm", "iinf", "iref", "iprp", "idat", "iloc", "grpl"]
        self.meta_extra = []     # raw boxes appended inside meta
        self.dinf = fullbox("dref", 0, 0, struct.pack(">I", 1) + fullbox("url ", 0, 1, b""))
        self.ftyp_raw = None

    # -- construction -----------------------------------------------------

    @classmethod
    def from_heif(cls, h):
        b = cls()
        ftyp = h.top[0].payload
        b.major = fourcc(ftyp[:4])
        b.minor = struct.unpack(">I", ftyp[4:8])[0]
        b.compat = [fourcc(ftyp[i:i + 4]) for i in range(8, len(ftyp) - 3, 4)]
        hdlr = h.meta.child("hdlr")
        b.hdlr_name = hdlr.payload[24:].split(b"\0")[0].decode("utf-8", "replace")
        dinf = h.meta.child("dinf")
        if dinf is not None:
            b.dinf = dinf.payload
        b.props = [p.raw(h.data) for p in h.props]
        b.refs = [(t, f, list(to)) for t, f, to in h.refs]
        b.groups = [(t, g, list(e), x) for t, g, e, x in h.groups]
        b.pitm = h.pitm
        b.copy_layout(h)
        mdat_starts = [x.payload_offset for x in h.top if x.type == "mdat"]
        for iid in h.item_order:
            it = h.items[iid]
            bi = BItem(iid, it.type, h.item_data(iid), it.flags, it.name, it.content_type,
                       it.content_encoding, it.uri_type, it.protection)
            bi.props = list(h.props_of(iid))
            loc = h.loc(iid)
            if loc is None:
                bi.storage = "none"
            elif loc.cm == 1:
                bi.storage = "idat"
            else:
                first = loc.base + (loc.extents[0][1] if loc.extents else 0)
                bi.mdat = max([0] + [n for n, s in enumerate(mdat_starts) if s <= first])
            b.items.append(bi)
        b.find_shared(h)
        return b

    def find_shared(self, h):
        """Items whose extents are exactly another item's (tiles sharing bytes)."""
        seen = {}
        for it in self.items:
            loc = h.loc(it.id)
            if loc is None or it.storage != "mdat":
                continue
            key = tuple(h.extents_abs(it.id))
            if key in seen:
                it.share = seen[key]
            else:
                seen[key] = it.id

    def import_item(self, h, item_id, kind=None):
        """Copies an item of another parsed file, with its properties, under a new ID."""
        src = h.items[item_id]
        it = self.add_item(kind or src.type, h.item_data(item_id), hidden=src.hidden)
        for ess, idx in h.props_of(item_id):
            if idx == 0:
                continue
            raw = h.props[idx - 1].raw(h.data)
            if raw in self.props:
                it.props.append((ess, self.props.index(raw) + 1))
            else:
                it.props.append((ess, self.add_prop(raw)))
        return it

    def copy_layout(self, h):
        """Box order, iloc form and box header forms as the parsed file has them."""
        self.layout = []
        n = 0
        for x in h.top:
            if x.type == "mdat":
                self.layout.append("mdat%d" % n)
                n += 1
                self.last_mdat_to_end = x.to_end
            elif x.type in ("ftyp", "meta"):
                self.layout.append(x.type)
            else:
                self.layout.append(x.raw(h.data))
            if x.large:
                self.large.add(x.type)
        self.ftyp_raw = h.top[0].raw(h.data)
        present = [c.type for c in h.meta.children if c.type in self.meta_order]
        self.meta_order = present + [k for k in self.meta_order if k not in present]
        self.meta_extra = [c.raw(h.data) for c in h.meta.children if c.type not in self.meta_order]
        if h.iloc:
            il = h.iloc
            self.iloc_version = il.version
            self.offset_size, self.length_size = il.offset_size, il.length_size
            self.base_size, self.index_size = il.base_size, il.index_size
            self.use_base = il.base_size > 0 and any(loc.base for loc in il.entries)
        self.iref_version = h.iref_version
        self.ipma_version, self.ipma_flags = h.ipma_version, h.ipma_flags

    def item(self, item_id):
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def next_id(self):
        return max([it.id for it in self.items] + [0]) + 1

    def add_prop(self, prop):
        self.props.append(prop)
        return len(self.props)

    def add_item(self, kind, data=b"", props=(), hidden=True, **kw):
        it = BItem(self.next_id(), kind, data, 1 if hidden else 0, **kw)
        it.props = list(props)
        self.items.append(it)
        return it

    def drop_item(self, item_id):
        self.items = [it for it in self.items if it.id != item_id]
        self.refs = [(t, f, [x for x in to if x != item_id]) for t, f, to in self.refs if f != item_id]
        self.refs = [r for r in self.refs if r[2]]

    def renumber(self, mapping):
        """Gives items new IDs (e.g. above 65535 for the 32-bit forms)."""
        m = lambda i: mapping.get(i, i)
        for it in self.items:
            it.id = m(it.id)
            if it.share is not None:
                it.share = m(it.share)
        self.refs = [(t, m(f), [m(x) for x in to]) for t, f, to in self.refs]
        self.groups = [(t, g, [m(x) for x in e], x) for t, g, e, x in self.groups]
        self.pitm = m(self.pitm)

    # -- serialisation ------------------------------------------------------

    def ftyp(self):
        if self.ftyp_raw is not None:
            return self.ftyp_raw
        body = self.major.encode() + struct.pack(">I", self.minor) + b"".join(c.encode() for c in self.compat)
        return box("ftyp", body)

    def wide(self):
        return any(it.id > 0xFFFF for it in self.items) or (self.pitm or 0) > 0xFFFF

    def hdlr(self):
        return fullbox("hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 12 + self.hdlr_name.encode() + b"\0")

    def pitm_box(self):
        if self.pitm is None:
            return b""
        v = 1 if self.pitm > 0xFFFF else 0
        return fullbox("pitm", v, 0, uint(self.pitm, 2 if v == 0 else 4))

    def infe(self, it):
        v = it.infe_version or (3 if it.id > 0xFFFF or self.infe_version == 3 else self.infe_version)
        if v < 2:   # legacy form: no item_type, name and content type strings
            body = uint(it.id, 2) + struct.pack(">H", it.protection) + it.name.encode() + b"\0"
            body += (it.content_type or "").encode() + b"\0"
            return fullbox("infe", v, it.flags, body, "infe" in self.large)
        body = uint(it.id, 2 if v == 2 else 4) + struct.pack(">H", it.protection)
        body += it.type.encode("latin-1") + it.name.encode() + b"\0"
        if it.type == "mime":
            body += (it.content_type or "").encode() + b"\0"
            if it.content_encoding is not None:
                body += it.content_encoding.encode() + b"\0"
        elif it.type == "uri ":
            body += (it.uri_type or "").encode() + b"\0"
        return fullbox("infe", v, it.flags, body, "infe" in self.large)

    def iinf(self):
        n = len(self.items)
        v = 0 if n <= 0xFFFF else 1
        body = uint(n, 2 if v == 0 else 4) + b"".join(self.infe(it) for it in self.items)
        return fullbox("iinf", v, 0, body, "iinf" in self.large)

    def iref(self):
        if not self.refs:
            return b""
        v = max(self.iref_version or 0, 1 if self.wide() else 0)
        w = 2 if v == 0 else 4
        body = b"".join(box(t, uint(f, w) + struct.pack(">H", len(to)) + b"".join(uint(x, w) for x in to))
                        for t, f, to in self.refs)
        return fullbox("iref", v, 0, body, "iref" in self.large)

    def iprp(self):
        with_props = [it for it in self.items if it.props]
        big_index = any(i > 127 for it in with_props for _, i in it.props)
        flags = (self.ipma_flags or 0) | (1 if big_index else 0)
        v = max(self.ipma_version or 0, 1 if self.wide() else 0)
        body = struct.pack(">I", len(with_props))
        for it in sorted(with_props, key=lambda i: i.id):
            body += uint(it.id, 2 if v == 0 else 4) + struct.pack(">B", len(it.props))
            for ess, idx in it.props:
                if flags & 1:
                    body += struct.pack(">H", (0x8000 if ess else 0) | idx)
                else:
                    body += struct.pack(">B", (0x80 if ess else 0) | idx)
        ipco = box("ipco", b"".join(self.props), "ipco" in self.large)
        return box("iprp", ipco + fullbox("ipma", v, flags, body), "iprp" in self.large)

    def idat_box(self, idat):
        return box("idat", idat, "idat" in self.large) if idat or any(
            it.storage == "idat" for it in self.items) else b""

    def grpl(self):
        if not self.groups:
            return b""
        body = b"".join(fullbox(t, 0, 0, struct.pack(">II", g, len(e)) + b"".join(
            struct.pack(">I", x) for x in e) + extra) for t, g, e, extra in self.groups)
        return box("grpl", body)

    def iloc(self, places):
        v = self.iloc_version
        if v < 2 and self.wide():
            raise ValueError("iloc v%d cannot hold 32-bit item IDs" % v)
        w = 2 if v < 2 else 4
        located = [it for it in self.items if it.storage != "none"]
        body = struct.pack(">BB", self.offset_size << 4 | self.length_size,
                           self.base_size << 4 | (self.index_size if v else 0))
        body += uint(len(located), w)
        for it in located:
            extents, cm = places.get(it.id, ([], 0))
            body += uint(it.id, w)
            if v:
                body += struct.pack(">H", it.cm if it.cm is not None else cm)
            elif (it.cm or cm) != 0:
                raise ValueError("iloc v0 cannot say construction method %d" % (it.cm or cm))
            base = extents[0][0] if (self.use_base and extents) else 0
            body += struct.pack(">H", it.dref) + uint(base, self.base_size)
            body += struct.pack(">H", len(extents))
            for start, length in extents:
                if v:
                    body += uint(0, self.index_size)
                body += uint(start - base, self.offset_size) + uint(length, self.length_size)
        return fullbox("iloc", v, 0, body, "iloc" in self.large)

    def meta(self, places, idat):
        parts = {
            "hdlr": self.hdlr(), "dinf": box("dinf", self.dinf) if self.dinf else b"",
            "pitm": self.pitm_box(), "iinf": self.iinf(), "iref": self.iref(),
            "iprp": self.iprp(), "idat": self.idat_box(idat), "iloc": self.iloc(places),
            "grpl": self.grpl(),
        }
        body = b"".join(parts[k] for k in self.meta_order) + b"".join(self.meta_extra)
        return fullbox("meta", 0, 0, body, "meta" in self.large)

    def pieces(self, n):
        """The (item, part, bytes) pieces of mdat n in the order they are written."""
        split = []
        for it in self.items:
            if it.storage != "mdat" or it.mdat != n or it.share is not None:
                continue
            k = max(1, min(it.extents, len(it.data) or 1))
            step = -(-len(it.data) // k) if it.data else 0
            split.append([(it, j, it.data[j * step:(j + 1) * step]) for j in range(k)])
        if not self.interleave:
            return [p for parts in split for p in parts]
        out = []
        while any(split):
            for parts in split:
                if parts:
                    out.append(parts.pop(0))
        return out

    def mdat_payload(self, n, base, places):
        payload = b""
        for it, _, chunk in self.pieces(n):
            payload += self.filler
            places.setdefault(it.id, ([], 0))[0].append((base + len(payload), len(chunk)))
            payload += chunk
        return payload + self.filler

    def idat_places(self, places):
        idat = b""
        for it in self.items:
            if it.storage == "idat" and it.share is None:
                places[it.id] = ([(len(idat), len(it.data))], 1)
                idat += it.data
        return idat

    def build(self):
        places = {}
        idat = self.idat_places(places)
        for it in self.items:       # placeholders so meta has its final size
            if it.storage == "mdat" and it.share is None:
                places.setdefault(it.id, ([(0, 0)] * max(1, min(it.extents, len(it.data) or 1)), 0))
        self.share_places(places)
        meta_len = len(self.meta(places, idat))
        for k in list(places):
            if places[k][1] == 0:
                del places[k]
        out = b""
        mdats = [tok for tok in self.layout if isinstance(tok, str) and tok.startswith("mdat")]
        for tok in self.layout:
            if tok == "ftyp":
                out += self.ftyp()
            elif tok == "meta":
                out += b"\0" * meta_len   # written below, once offsets are known
                meta_at = len(out) - meta_len
            elif isinstance(tok, str) and tok.startswith("mdat"):
                n = int(tok[4:])
                large = "mdat" in self.large
                head = 16 if large else 8
                payload = self.mdat_payload(n, len(out) + head, places)
                last = self.last_mdat_to_end and tok == mdats[-1]
                out += box("mdat", payload, large, to_end=last)
            else:
                out += tok
        self.share_places(places)
        meta = self.meta(places, idat)
        assert len(meta) == meta_len, "meta changed size between passes"
        return out[:meta_at] + meta + out[meta_at + meta_len:]

    def share_places(self, places):
        for it in self.items:
            if it.share is not None and it.share in places:
                places[it.id] = places[it.share]


# --- fixture helpers --------------------------------------------------------


def prop_ispe(w, h):
    return fullbox("ispe", 0, 0, struct.pack(">II", w, h))


def prop_irot(angle):
    return box("irot", bytes([angle & 3]))


def prop_imir(axis):
    return box("imir", bytes([axis & 1]))


def prop_auxc(urn, subtype=b""):
    return fullbox("auxC", 0, 0, urn.encode() + b"\0" + subtype)


def prop_colr_nclx(primaries=1, transfer=13, matrix=6, full=True):
    return box("colr", b"nclx" + struct.pack(">HHHB", primaries, transfer, matrix, 0x80 if full else 0))


def grid_descriptor(rows, cols, width, height):
    """ImageGrid payload (ISO/IEC 23008-12 6.6.2.3), 16-bit output size."""
    return struct.pack(">BBBBHH", 0, 0, rows - 1, cols - 1, width, height)


def tiff_exif(strings, gps=True, little=False):
    """A TIFF block: IFD0 Make/Model/Artist/Copyright, Exif IFD with serial
    numbers and a user comment, GPS IFD. strings maps tag names to text."""
    e = "<" if little else ">"
    tags0 = [(0x010F, "Make"), (0x0110, "Model"), (0x013B, "Artist"), (0x8298, "Copyright")]
    tagsx = [(0x9003, "DateTimeOriginal"), (0xA430, "OwnerName"), (0xA431, "BodySerialNumber"),
             (0xA435, "LensSerialNumber")]

    def ifd(entries, at):
        """entries: (tag, type, count, value bytes); returns bytes placed at 'at'."""
        head = struct.pack(e + "H", len(entries))
        extra = b""
        data_at = at + 2 + 12 * len(entries) + 4
        body = b""
        for tag, typ, count, value in sorted(entries):
            if len(value) <= 4:
                field = value.ljust(4, b"\0")
            else:
                field = struct.pack(e + "I", data_at + len(extra))
                extra += value + (b"\0" if len(value) % 2 else b"")
            body += struct.pack(e + "HHI", tag, typ, count) + field
        return head + body + struct.pack(e + "I", 0) + extra

    def ascii_entries(table):
        out = []
        for tag, name in table:
            if name in strings:
                v = strings[name].encode() + b"\0"
                out.append((tag, 2, len(v), v))
        return out

    def rationals(*vals):
        return b"".join(struct.pack(e + "II", int(v * 100), 100) for v in vals)

    exif_entries = ascii_entries(tagsx)
    gps_entries = [(1, 2, 2, b"N\0"), (2, 5, 3, rationals(48, 51, 30.12)),
                   (3, 2, 2, b"E\0"), (4, 5, 3, rationals(2, 17, 41.3))] if gps else []
    # Lay out IFD0 with placeholder pointers, then the sub-IFDs after it.
    ifd0_entries = ascii_entries(tags0) + [(0x8769, 4, 1, b"\0" * 4)]
    if gps:
        ifd0_entries.append((0x8825, 4, 1, b"\0" * 4))
    ifd0 = ifd(ifd0_entries, 8)
    exif_at = 8 + len(ifd0)
    exif_ifd = ifd(exif_entries, exif_at)
    gps_at = exif_at + len(exif_ifd)
    ifd0_entries = [(t, ty, c, struct.pack(e + "I", exif_at) if t == 0x8769 else
                     struct.pack(e + "I", gps_at) if t == 0x8825 else v) for t, ty, c, v in ifd0_entries]
    ifd0 = ifd(ifd0_entries, 8)
    gps_ifd = ifd(gps_entries, gps_at) if gps else b""
    head = (b"II*\0" if little else b"MM\0*") + struct.pack(e + "I", 8)
    return head + ifd0 + exif_ifd + gps_ifd


def exif_item(tiff, apple=True):
    """Exif item data: the 4-byte TIFF header offset, then the payload."""
    if apple:
        return struct.pack(">I", 6) + b"Exif\0\0" + tiff
    return struct.pack(">I", 0) + tiff


def xmp_packet(fields):
    """A small XMP packet; fields maps qualified names (dc:creator) to text."""
    props = "".join("<%s>%s</%s>" % (k, v, k) for k, v in fields.items())
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
            'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            'xmlns:exif="http://ns.adobe.com/exif/1.0/">%s</rdf:Description>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>' % props).encode()


def deflate(data):
    return zlib.compress(data, 9)


def find_boxes(data):
    """[(path, offset, header, size)] of every box, for lying-length fixtures."""
    return [(p, b.offset, b.header, b.size) for p, b in all_boxes(parse_boxes(data, 0, len(data)))]


# --- command line ------------------------------------------------------------


def main(argv):
    if len(argv) != 3 or argv[1] not in ("dump", "check-clean", "items", "boxes"):
        sys.stderr.write(__doc__)
        return 2
    cmd, path = argv[1], argv[2]
    with open(path, "rb") as f:
        data = f.read()
    if cmd == "check-clean":
        problems = check_clean(data)
        for p in problems:
            print("%s: %s" % (path, p))
        return 1 if problems else 0
    try:
        h = Heif(data) if cmd != "boxes" else None
    except ParseError as e:
        print("%s: parse: %s" % (path, e))
        return 1
    if cmd == "dump":
        print("\n".join(dump(h)))
    elif cmd == "items":
        for iid in h.item_order:
            d = h.item_data(iid)
            print("%d %s %d %d %s" % (iid, h.items[iid].type, h.items[iid].hidden, len(d),
                                      hashlib.sha256(d).hexdigest()))
    else:
        for p, off, head, size in find_boxes(data):
            print("%s %d %d %d" % (p, off, head, size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
