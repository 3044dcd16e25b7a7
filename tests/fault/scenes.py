"""The file trees the fault sweep runs scrub on, one per mode, and their state.

Every run gets a fresh tree in a scratch directory: files with known bytes,
permission bits, owners (when run as root) and nanosecond times, so after a
fault each file can be compared with its original and with its clean output.
"""
import os
import shutil
import stat
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from typing import Optional

# Times given to every original: far in the past, with nanoseconds, so a
# scrubbed file's times show whether they were copied (-p) or are "now".
ORIG_ATIME_NS = 1_000_000_000_123_456_789
ORIG_MTIME_NS = 999_999_999_987_654_321
NOBODY = 65534
SECRET = b"PlantedFaultSecretQuux"


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def dirty_png():
    """A 2x2 grey PNG with a tEXt comment and a tIME chunk, both removable."""
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    rows = bytes([0, 10, 20, 0, 30, 40])
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
            png_chunk(b"tEXt", b"Comment\0" + SECRET) +
            png_chunk(b"tIME", bytes([7, 232, 5, 1, 12, 0, 0])) +
            png_chunk(b"IDAT", zlib.compress(rows)) + png_chunk(b"IEND", b""))


# A 24x16 lossless VP8L bitstream made by cwebp (the one tests/unit uses).
VP8L_24X16 = bytes.fromhex(
    "2f17c003000980486a7feb2522fa9f5a44880513adfc4986d1d9ffe801a50190"
    "308cffbf066d6431698a87971113002efb3755f6de637f")


def riff_chunk(kind, data):
    pad = b"\0" if len(data) % 2 else b""
    return kind + struct.pack("<I", len(data)) + data + pad


def dirty_webp():
    """VP8X + VP8L + an XMP chunk naming a creator."""
    vp8x = bytes([0x04, 0, 0, 0]) + (24 - 1).to_bytes(3, "little") + (16 - 1).to_bytes(3, "little")
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>" + SECRET + b"</dc:creator></x:xmpmeta>"
    body = b"WEBP" + riff_chunk(b"VP8X", vp8x) + riff_chunk(b"VP8L", VP8L_24X16) + riff_chunk(b"XMP ", xmp)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@dataclass
class Fixtures:
    orig: dict    # fixture name -> bytes
    clean: dict   # fixture name -> scrub's output, None for a non-image


def load_fixtures(src_dir, scrub):
    """Original bytes per fixture name, and their clean output (None: not an image)."""
    orig = {
        "jpeg": open(os.path.join(src_dir, "fixtures", "jpeg", "sample.jpg"), "rb").read(),
        "png": dirty_png(),
        "webp": dirty_webp(),
        "text": b"just some notes, not an image\n",
    }
    clean = {name: scrub_stdout(scrub, data) for name, data in orig.items() if name != "text"}
    orig["clean"] = clean["clean"] = clean["jpeg"]
    clean["text"] = None
    for name in ("jpeg", "png", "webp"):
        if clean[name] == orig[name] or SECRET in clean[name] or b"Jane Example" in clean[name]:
            raise SystemExit("fixture %s does not scrub as expected" % name)
    return Fixtures(orig, clean)


def preload_list(scrub, shim):
    """LD_PRELOAD for the shim: after the ASan runtime when scrub links one,
    since that runtime refuses to start unless it comes first."""
    ldd = subprocess.run(["ldd", scrub], capture_output=True, text=True).stdout
    runtimes = [line.split("=>")[1].split()[0] for line in ldd.splitlines()
                if "=>" in line and "libasan" in line]
    return runtimes[:1] + [os.path.abspath(shim)]


def scrub_stdout(scrub, data):
    res = subprocess.run([scrub, "-c", "-"], input=data, capture_output=True, timeout=60)
    if res.returncode != 0:
        raise SystemExit("scrub -c failed on a fixture: %s" % res.stderr.decode(errors="replace"))
    return res.stdout


@dataclass
class Entry:
    path: str                     # relative to the scene root
    fixture: str
    perm: int
    owner: Optional[tuple] = None  # (uid, gid); None: the sweep's own user
    name: Optional[str] = None     # how scrub names it, when not its path (a link)
    refused: bool = False          # scrub must refuse it and leave it untouched
    bystander: bool = False        # not an input at all: never touched, never copied

    @property
    def shown(self):
        return self.name or self.path


@dataclass
class Mode:
    name: str
    args: list
    entries: list
    links: dict = field(default_factory=dict)   # link path -> target
    output_dir: Optional[str] = None
    walk_root: Optional[str] = None  # -r -o: copies mirror paths below this argument
    to_stdout: bool = False
    preserve_times: bool = False
    baseline_code: int = 0         # the unfaulted run's exit status
    baseline_errors: list = field(default_factory=list)  # and its error messages
    protocol_problems: list = field(default_factory=list)  # from its call order

    @property
    def durable(self):
        """Replaces or writes files with the durability of a default run."""
        return not self.to_stdout and "--no-sync" not in self.args

    @property
    def in_place(self):
        return not self.output_dir and not self.to_stdout

    def output_path(self, entry):
        rel = os.path.relpath(entry.path, self.walk_root) if self.walk_root else os.path.basename(entry.path)
        return os.path.join(self.output_dir, rel)

    def copied(self, entry):
        """Whether scrub writes a copy of entry under -o."""
        return bool(self.output_dir) and not (entry.refused or entry.bystander or entry.fixture == "text")


def owners():
    """Foreign owners to give originals, when the sweep may chown."""
    if os.geteuid() != 0:
        return None, None
    return (NOBODY, NOBODY), (0, NOBODY)


def batch_entries():
    other, group_only = owners()
    return [
        Entry("a.jpg", "jpeg", 0o644, other),
        Entry("b.png", "png", 0o600),
        Entry("c.webp", "webp", 0o444, group_only),
        Entry("d.jpg", "clean", 0o644),
        Entry("sub/t.jpg", "jpeg", 0o640, other, name="link.jpg"),
    ]


BATCH_ARGS = ["a.jpg", "b.png", "c.webp", "d.jpg", "link.jpg"]
BATCH_LINKS = {"link.jpg": "sub/t.jpg"}


def tree_entries():
    other, _ = owners()
    return [
        Entry("tree/a.jpg", "jpeg", 0o644, other),
        Entry("tree/b.png", "png", 0o640),
        Entry("tree/notes.txt", "text", 0o644),
        Entry("tree/sub/c.webp", "webp", 0o600, other),
        Entry("tree/sub/d.jpg", "clean", 0o644),
        Entry("tree/sub/e.jpg", "jpeg", 0o444),
    ]


def all_modes():
    other, _ = owners()
    return [
        Mode("single", ["a.jpg"], [Entry("a.jpg", "jpeg", 0o640, other)]),
        Mode("batch", BATCH_ARGS, batch_entries(), BATCH_LINKS),
        Mode("no-sync", ["--no-sync"] + BATCH_ARGS, batch_entries(), BATCH_LINKS),
        Mode("output", ["-o", "out", "a.jpg", "b.png", "c.webp", "d.jpg"], batch_entries()[:4],
             output_dir="out"),
        # sub/b.jpg's copy would be sub/b.jpg itself: refused, never touched.
        Mode("output-self", ["-o", "sub", "a.jpg", "sub/b.jpg"],
             [Entry("a.jpg", "jpeg", 0o644, other), Entry("sub/b.jpg", "jpeg", 0o644, refused=True)],
             output_dir="sub"),
        # The -o folder inside the walked one: never walked, its old copy never copied again.
        Mode("output-walk", ["-r", "-o", "tree/out", "tree"],
             [Entry("tree/a.jpg", "jpeg", 0o644, other), Entry("tree/sub/c.webp", "webp", 0o600),
              Entry("tree/out/old.jpg", "clean", 0o644, bystander=True)],
             output_dir="tree/out", walk_root="tree"),
        Mode("stdout", ["-c", "a.jpg"], [Entry("a.jpg", "jpeg", 0o640, other)], to_stdout=True),
        Mode("j1-p", ["-j", "1", "-p"] + BATCH_ARGS, batch_entries(), BATCH_LINKS,
             preserve_times=True),
        Mode("j2", ["-j", "2"] + BATCH_ARGS, batch_entries(), BATCH_LINKS),
        Mode("recursive", ["-r", "tree"], tree_entries(), {"tree/sub/up.jpg": "../a.jpg"}),
    ]


def build(root, mode, orig):
    """Writes mode's tree under root (emptied first)."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for e in mode.entries:
        path = os.path.join(root, e.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(orig[e.fixture])
        os.chmod(path, e.perm)
        if e.owner:
            os.chown(path, *e.owner)
        os.utime(path, ns=(ORIG_ATIME_NS, ORIG_MTIME_NS))
    for link, target in mode.links.items():
        os.symlink(target, os.path.join(root, link))


def snapshot(root, mode):
    """lstat of every entry, before the run."""
    return {e.path: os.lstat(os.path.join(root, e.path)) for e in mode.entries}


def files_under(root):
    """Every non-directory below root, relative to it."""
    return [os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files]


def temps_left(root):
    found = []
    for dirpath, dirs, files in os.walk(root):
        found += [os.path.relpath(os.path.join(dirpath, f), root)
                  for f in files + dirs if ".scrub-tmp-" in f]
    return found


def same_file(a, b):
    """Untouched: same inode, bytes' times, mode and owner."""
    return (a.st_ino == b.st_ino and a.st_mtime_ns == b.st_mtime_ns and
            stat.S_IMODE(a.st_mode) == stat.S_IMODE(b.st_mode) and
            a.st_uid == b.st_uid and a.st_gid == b.st_gid)
