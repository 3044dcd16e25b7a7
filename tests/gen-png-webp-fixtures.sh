#!/bin/bash
# Builds the PNG and WebP test fixtures into DIR.
#
# PNGs are put together byte by byte (Python zlib) so chunk order, unknown
# chunks, text after IDAT, eXIf, raw profiles, APNG and broken files are
# exactly what the test wants. WebPs come from cwebp/img2webp/webpmux, then
# are edited at RIFF level for what those tools refuse to write (EXIF with
# an "Exif\0\0" prefix, RIFF LIST INFO, EXIF in a simple file, junk inside
# ANMF, trailers, broken sizes). Secrets are spelled SECRET-... so a test can
# grep the output for any byte of removed text.
#
# Usage: gen-png-webp-fixtures.sh DIR     (needs PYTHON with Pillow, cwebp,
# img2webp, webpmux)
set -eu
dir=${1:?usage: gen-png-webp-fixtures.sh DIR}
mkdir -p "$dir"
: "${PYTHON:=/usr/bin/python3}"

"$PYTHON" - "$dir" <<'EOF'
import struct, sys, zlib, os
from PIL import Image, ImageCms

d = sys.argv[1]

def chunk(t, data):
    t = t.encode()
    return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))

SIG = b"\x89PNG\r\n\x1a\n"

def ihdr(w, h, depth=8, ctype=2):
    return chunk("IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0))

def rgb_rows(w, h, seed=0):
    raw = b""
    for y in range(h):
        raw += b"\0" + bytes(((x * 7 + y * 13 + seed) % 256, (x * 3 + seed) % 256, (y * 5) % 256)[c]
                             for x in range(w) for c in range(3))
    return raw

def idat(w, h, seed=0):
    return chunk("IDAT", zlib.compress(rgb_rows(w, h, seed)))

def tiff(orientation=None, gps=True, make=b"SECRET-Make\0", model=b"SECRET-Model\0"):
    """Big-endian TIFF: IFD0 (Make, Model, Orientation, GPS pointer), GPS IFD."""
    entries = []
    extra = b""
    n0 = 2 + (1 if orientation else 0) + (1 if gps else 0)
    ifd0_len = 2 + 12 * n0 + 4
    data_off = 8 + ifd0_len
    def ascii_entry(tag, s):
        nonlocal extra
        off = data_off + len(extra)
        extra += s + (b"\0" if len(s) % 2 else b"")
        return struct.pack(">HHII", tag, 2, len(s), off)
    entries.append(ascii_entry(0x010F, make))
    entries.append(ascii_entry(0x0110, model))
    if orientation:
        entries.append(struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0))
    gps_ifd = b""
    if gps:
        gps_off = data_off + len(extra)
        # GPS IFD: LatRef, Lat, LonRef, Lon; rationals follow the IFD.
        rat_off = gps_off + 2 + 12 * 4 + 4
        lat = struct.pack(">IIIIII", 48, 1, 51, 1, 3012, 100)
        lon = struct.pack(">IIIIII", 2, 1, 17, 1, 4130, 100)
        gps_ifd = struct.pack(">H", 4)
        gps_ifd += struct.pack(">HHI4s", 1, 2, 2, b"N\0\0\0")
        gps_ifd += struct.pack(">HHII", 2, 5, 3, rat_off)
        gps_ifd += struct.pack(">HHI4s", 3, 2, 2, b"W\0\0\0")
        gps_ifd += struct.pack(">HHII", 4, 5, 3, rat_off + 24)
        gps_ifd += struct.pack(">I", 0) + lat + lon
        entries.append(struct.pack(">HHII", 0x8825, 4, 1, gps_off))
    entries.sort(key=lambda e: struct.unpack(">H", e[:2])[0])
    ifd0 = struct.pack(">H", len(entries)) + b"".join(entries) + struct.pack(">I", 0)
    assert len(ifd0) == ifd0_len
    return b"MM\0*" + struct.pack(">I", 8) + ifd0 + extra + gps_ifd

def write(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

W, H = 24, 16
END = chunk("IEND", b"")
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

# --- PNG ---------------------------------------------------------------
write("png-plain.png", SIG + ihdr(W, H) + chunk("pHYs", struct.pack(">IIB", 2835, 2835, 1)) + idat(W, H) + END)
write("png-text.png", SIG + ihdr(W, H) + chunk("gAMA", struct.pack(">I", 45455))
      + chunk("tEXt", b"Comment\0SECRET-tEXt comment")
      + chunk("zTXt", b"Author\0\0" + zlib.compress(b"SECRET-zTXt author"))
      + chunk("iTXt", b"Title\0\0\0en\0Titel\0SECRET-iTXt title")
      + chunk("iTXt", b"parameters\0\1\0\0\0" + zlib.compress(b"SECRET-prompt: a cat in a hat"))
      + chunk("tIME", struct.pack(">HBBBBB", 2024, 5, 1, 12, 34, 56))
      + chunk("prVt", b"SECRET-private unknown chunk")
      + chunk("sPLT", b"SECRET-palette\0\x08" + b"\1\2\3\0\0")
      + chunk("caBX", b"SECRET-c2pa manifest")
      + idat(W, H)
      + chunk("tEXt", b"Software\0SECRET-text after IDAT")
      + chunk("iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>SECRET-xmp</x:xmpmeta>")
      + chunk("dSIG", b"SECRET-signature") + END)
write("png-exif6.png", SIG + ihdr(W, H) + idat(W, H) + chunk("eXIf", tiff(6)) + END)
write("png-exif6-prefixed.png", SIG + ihdr(W, H) + chunk("eXIf", b"Exif\0\0" + tiff(6)) + idat(W, H) + END)
write("png-exif1.png", SIG + ihdr(W, H) + chunk("eXIf", tiff(1)) + idat(W, H) + END)
hexd = (b"Exif\0\0" + tiff(3)).hex()
lines = "\n".join(hexd[i:i + 72] for i in range(0, len(hexd), 72))
raw = ("\nexif\n%8d\n%s\n" % (len(hexd) // 2, lines)).encode()
write("png-rawprofile.png", SIG + ihdr(W, H)
      + chunk("zTXt", b"Raw profile type exif\0\0" + zlib.compress(raw)) + idat(W, H) + END)
write("png-icc.png", SIG + ihdr(W, H) + chunk("iCCP", b"sRGB name\0\0" + zlib.compress(icc))
      + chunk("tEXt", b"Comment\0SECRET-with icc") + idat(W, H) + END)
write("png-trailer.png", SIG + ihdr(W, H) + idat(W, H) + END + b"SECRET-trailer after IEND" * 4)
# APNG: two frames, the first is the default image; text between frames.
def fctl(seq, w, h):
    return chunk("fcTL", struct.pack(">IIIIIHHBB", seq, w, h, 0, 0, 1, 10, 0, 0))
fd = zlib.compress(rgb_rows(W, H, 99))
write("png-apng.png", SIG + ihdr(W, H) + chunk("acTL", struct.pack(">II", 2, 0)) + fctl(0, W, H)
      + idat(W, H) + chunk("tEXt", b"Comment\0SECRET-between frames") + fctl(1, W, H)
      + chunk("fdAT", struct.pack(">I", 2) + fd) + END)
# acTL announcing no frames: an invalid APNG, shown as its still image.
write("png-apng-zero.png", SIG + ihdr(W, H) + chunk("acTL", struct.pack(">II", 0, 0)) + fctl(0, W, H)
      + idat(W, H) + chunk("tEXt", b"Comment\0SECRET-zero frames") + fctl(1, W, H)
      + chunk("fdAT", struct.pack(">I", 2) + fd) + END)
# Orientation where browsers do not look: a canonical eXIf after IDAT (no
# orientation; the file is not clean), XMP tiff:Orientation as the only copy,
# and XMP beside an eXIf before IDAT (the eXIf wins).
canonical6 = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0"
write("png-exif-late-canonical.png", SIG + ihdr(W, H) + idat(W, H) + chunk("eXIf", canonical6) + END)
xmp8 = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<tiff:Orientation>8</tiff:Orientation><dc:creator>SECRET-xmp creator</dc:creator>'
        b'</rdf:Description></rdf:RDF></x:xmpmeta>')
write("png-xmp-orient.png", SIG + ihdr(W, H) + idat(W, H)
      + chunk("iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + xmp8) + END)
write("png-xmp-and-exif.png", SIG + ihdr(W, H) + chunk("eXIf", tiff(3)) + idat(W, H)
      + chunk("iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + xmp8) + END)
# Malformed PNGs: bad CRC, a length past the end, no IEND.
good = SIG + ihdr(W, H) + idat(W, H) + END
bad = bytearray(good); bad[-13] ^= 0xFF  # last byte of the IDAT CRC
write("bad-crc.png", bytes(bad))
write("bad-length.png", good[:33] + struct.pack(">I", 1 << 20) + b"IDAT" + good[41:])
write("bad-noiend.png", SIG + ihdr(W, H) + idat(W, H))

# --- sources for WebP --------------------------------------------------
Image.frombytes("RGB", (W, H), bytes(b for r in range(H) for b in rgb_rows(W, 1, r)[1:])).save(os.path.join(d, "src.png"))
rgba = Image.new("RGBA", (W, H))
rgba.putdata([(x * 10 % 256, y * 15 % 256, 80, (x * 11) % 256) for y in range(H) for x in range(W)])
rgba.save(os.path.join(d, "src-alpha.png"))
Image.new("RGB", (W, H), (200, 30, 30)).save(os.path.join(d, "src-f2.png"))
open(os.path.join(d, "icc.icc"), "wb").write(icc)
open(os.path.join(d, "exif6.tiff"), "wb").write(tiff(6))
open(os.path.join(d, "exif8-prefixed.bin"), "wb").write(b"Exif\0\0" + tiff(8))
open(os.path.join(d, "xmp.xml"), "wb").write(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>SECRET-webp xmp</x:xmpmeta>")
EOF

q() { "$@" >/dev/null 2>&1; }
cd "$dir"
q cwebp -q 80 src.png -o webp-lossy.webp
q cwebp -lossless src.png -o webp-lossless.webp
q cwebp -q 80 src-alpha.png -o webp-alpha.webp
q img2webp -loop 0 -d 100 -lossless src.png -lossy src-f2.png -d 50 src-alpha.png -o webp-anim.webp
q webpmux -set icc icc.icc webp-lossy.webp -o webp-icc.webp
q webpmux -set exif exif6.tiff webp-lossy.webp -o webp-exif6.webp
q webpmux -set exif exif8-prefixed.bin webp-alpha.webp -o webp-exif8-prefixed.webp
q webpmux -set xmp xmp.xml webp-icc.webp -o webp-icc-xmp.webp
q webpmux -set exif exif6.tiff webp-anim.webp -o webp-anim-exif.webp
rm -f src.png src-alpha.png src-f2.png icc.icc exif6.tiff exif8-prefixed.bin xmp.xml

"$PYTHON" - "$dir" <<'EOF'
import struct, sys, os
d = sys.argv[1]
def rd(n): return open(os.path.join(d, n), "rb").read()
def wr(n, b): open(os.path.join(d, n), "wb").write(b)
def ck(cc, data):
    return cc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
def chunks(b):
    out, pos = [], 12
    while pos < len(b):
        cc, n = b[pos:pos + 4], struct.unpack("<I", b[pos + 4:pos + 8])[0]
        out.append((cc, b[pos + 8:pos + 8 + n]))
        pos += 8 + n + (n & 1)
    return out
def riff(cs):
    body = b"WEBP" + b"".join(ck(c, p) for c, p in cs)
    return b"RIFF" + struct.pack("<I", len(body)) + body
info = b"INFO" + ck(b"IART", b"SECRET-artist\0") + ck(b"ICOP", b"SECRET-copyright\0")
lossless = chunks(rd("webp-lossless.webp"))
tiff6 = rd(os.path.join(d, "webp-exif6.webp")) and [p for c, p in chunks(rd("webp-exif6.webp")) if c == b"EXIF"][0]
# Simple file with a LIST INFO and an unknown chunk (no VP8X): both must go.
wr("webp-list.webp", riff(lossless + [(b"LIST", info), (b"JUNK", b"SECRET-junk")]))
# Simple file with an EXIF chunk but no VP8X: orientation needs a synthesised VP8X.
wr("webp-simple-exif.webp", riff(lossless + [(b"EXIF", b"Exif\0\0" + tiff6)]))
# Trailer past the RIFF size.
wr("webp-trailer.webp", rd("webp-lossy.webp") + b"SECRET-trailer" * 3)
# Animation with junk inside one ANMF frame.
anim = chunks(rd("webp-anim.webp"))
out = []
for c, p in anim:
    if c == b"ANMF" and not any(x == b"ANMF" for x, _ in out):
        p = p + ck(b"JUNK", b"SECRET-frame junk")
    out.append((c, p))
wr("webp-anim-junk.webp", riff(out))
# Malformed: RIFF size larger than the file; a chunk size past its parent.
b = rd("webp-lossy.webp")
wr("bad-riffsize.webp", b[:4] + struct.pack("<I", len(b) + 100) + b[8:])
wr("bad-chunksize.webp", b[:16] + struct.pack("<I", len(b)) + b[20:])
EOF
