#!/usr/bin/env python3
"""Side-by-side benchmark of scrub against its peers (not part of the test suite).

Generates benchmark corpora once (camera-sized JPEGs tagged like phone photos,
many small JPEGs, camera-sized PNG and WebP, phone-sized HEICs with Exif, GPS,
XMP, ICC and a thumbnail), then times each tool on a fresh
copy of each set, in alternating rounds, and prints the median and best
seconds, MB/s, files/s (from the median), the ratio of medians to
`scrub --no-sync` and the peak RSS (/usr/bin/time).

    tests/bench/bench.py --scrub build/scrub [--rounds 3] [--work /tmp/scrub-bench]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def have(tool):
    return shutil.which(tool) is not None


def tag_like_a_phone(path, thumb, icc):
    """GPS, camera, owner, thumbnail, XMP, IPTC and ICC, as a phone photo carries."""
    run(["exiftool", "-q", "-overwrite_original",
         "-Make=Apple", "-Model=iPhone 15 Pro", "-SerialNumber=F2LXK0ABCD12",
         "-LensSerialNumber=LX99", "-OwnerName=Jane Example", "-Artist=Jane Example",
         "-DateTimeOriginal=2024:05:01 12:00:00", "-Software=17.4.1",
         "-GPSLatitude=48.858370", "-GPSLatitudeRef=N", "-GPSLongitude=2.294481",
         "-GPSLongitudeRef=E", "-GPSAltitude=35.2", "-Orientation#=6",
         "-XMP:Creator=Jane Example", "-XMP:City=Paris", "-IPTC:By-line=Jane Example",
         "-IPTC:City=Paris", f"-ThumbnailImage<={thumb}", f"-ICC_Profile<={icc}", path])


def build_sets(work, counts):
    src = os.path.join(work, "src")
    done = os.path.join(src, ".complete")
    if os.path.exists(done):
        return src
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    # A tiny valid ICC profile, so files carry one as phone photos do.
    icc = os.path.join(work, "profile.icc")
    with open(icc, "wb") as f:
        f.write(minimal_icc())
    thumb = os.path.join(work, "thumb.jpg")
    run(["convert", "-size", "160x120", "gradient:red-blue", thumb])

    base = os.path.join(work, "camera-base.jpg")
    run(["convert", "-size", "4000x3000", "plasma:fractal", "-seed", "7", "-quality", "92", base])
    tag_like_a_phone(base, thumb, icc)
    small = os.path.join(work, "small-base.jpg")
    run(["convert", "-size", "640x480", "plasma:fractal", "-seed", "9", "-quality", "85", small])
    tag_like_a_phone(small, thumb, icc)
    png = os.path.join(work, "camera-base.png")
    run(["convert", base, "-quality", "90", png])
    run(["exiftool", "-q", "-overwrite_original", "-Make=Apple", "-Model=iPhone 15 Pro",
         "-XMP:Creator=Jane Example", "-PNG:Comment=holiday", png])
    webp = os.path.join(work, "camera-base.webp")
    run(["cwebp", "-quiet", "-q", "85", base, "-o", webp])
    run(["exiftool", "-q", "-overwrite_original", "-Make=Apple", "-Model=iPhone 15 Pro",
         "-XMP:Creator=Jane Example", webp])

    for name, base_file, count, ext in (("camera", base, counts["camera"], "jpg"),
                                         ("small", small, counts["small"], "jpg"),
                                         ("png", png, counts["png"], "png"),
                                         ("webp", webp, counts["webp"], "webp")):
        d = os.path.join(src, name)
        os.makedirs(d)
        for i in range(count):
            # Spread over folders like a photo library.
            sub = os.path.join(d, f"{i // 100:03d}")
            os.makedirs(sub, exist_ok=True)
            shutil.copyfile(base_file, os.path.join(sub, f"IMG_{i:05d}.{ext}"))
    open(done, "w").close()
    return src


def iphone_like_heic(work, out):
    """A 4032x3024 HEIC laid out as an iPhone writes one: a grid of 48
    512x512 HEVC tiles, a thumbnail, an ICC profile, Exif (GPS, camera,
    owner) and XMP. heif-enc makes the tiles and the thumbnail (it cannot
    make grids), tests/isobmff.py puts them together, exiftool tags it."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import isobmff
    big = os.path.join(work, "heic-big.png")
    run(["convert", "-size", "4096x3072", "plasma:fractal", "-seed", "11", "-depth", "8", big])
    b = isobmff.Builder()
    b.compat = ["mif1", "MiHE", "MiPr", "miaf", "MiHB", "heic"]
    tiles = []
    for i in range(48):
        png, heic = (os.path.join(work, "heic-tile.%s" % e) for e in ("png", "heic"))
        run(["convert", big, "-crop", "512x512+%d+%d" % (i % 8 * 512, i // 8 * 512), "+repage",
             "-depth", "8", png])
        run(["heif-enc", "-q", "50", png, "-o", heic])
        h = isobmff.Heif(open(heic, "rb").read())
        tiles.append(b.import_item(h, h.pitm).id)
    grid = b.add_item("grid", isobmff.grid_descriptor(6, 8, 4032, 3024), hidden=False)
    grid.storage = "idat"
    grid.props = [(False, b.add_prop(isobmff.prop_ispe(4032, 3024)))]
    b.refs.append(("dimg", grid.id, tiles))
    b.pitm = grid.id
    b.iloc_version = 1
    run(["convert", big, "-resize", "320x240!", "-depth", "8", png])
    run(["heif-enc", "-q", "50", png, "-o", heic])
    h = isobmff.Heif(open(heic, "rb").read())
    thumb = b.import_item(h, h.pitm)
    b.refs.append(("thmb", thumb.id, [grid.id]))
    with open(out, "wb") as f:
        f.write(b.build())


def build_heic_set(work, src, count):
    """Phone-sized HEICs; kept apart from the other sets so an existing cache gains them."""
    d = os.path.join(src, "heic")
    done = os.path.join(src, ".heic-complete")
    if os.path.exists(done):
        return
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    icc = os.path.join(work, "profile.icc")
    thumb = os.path.join(work, "thumb.jpg")
    base = os.path.join(work, "heic-base.heic")
    iphone_like_heic(work, base)
    tag_like_a_phone(base, thumb, icc)
    for i in range(count):
        sub = os.path.join(d, f"{i // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        shutil.copyfile(base, os.path.join(sub, f"IMG_{i:05d}.HEIC"))
    open(done, "w").close()


def minimal_icc():
    """A valid, tiny ICC v2 profile header with an empty tag table (128 + 4 bytes)."""
    import struct
    body = bytearray(132)
    struct.pack_into(">I", body, 0, 132)
    body[4:8] = b"none"
    struct.pack_into(">I", body, 8, 0x02100000)
    body[12:16] = b"mntr"
    body[16:20] = b"RGB "
    body[20:24] = b"XYZ "
    struct.pack_into(">HHHHHH", body, 24, 2024, 1, 1, 0, 0, 0)
    body[36:40] = b"acsp"
    struct.pack_into(">iii", body, 68, 63190, 65536, 54061)  # D50
    return bytes(body)


def tree_bytes(path):
    total = files = 0
    for root, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(root, n))
            files += 1
    return total, files


def copy_cmd(src, dst):
    """A plain copy of a tree, never a reflink (that would copy no data)."""
    return ["cp", "-r", "--reflink=never", src, dst]


def replace_floor_cmd(d):
    """What replacing every file costs at least: new copies, then the old ones freed."""
    return ["sh", "-c", 'cp -r --reflink=never "$1" "$1.new" && rm -rf "$1"', "-", d]


def exiftool_strip_cmd(d):
    """exiftool's scrub, keeping what scrub keeps (orientation, ICC), over a tree."""
    return ["exiftool", "-q", "-q", "-overwrite_original", "-all=",
            "-tagsfromfile", "@", "-Orientation", "-ICC_Profile", "-r", d]


def tools(scrub):
    t = [
        ("scrub --no-sync", lambda d: [scrub, "-q", "--no-sync", "-r", d], "all"),
        ("scrub (durable)", lambda d: [scrub, "-q", "-r", d], "all"),
        ("cp -r (floor)", None, "all"),
        ("cp -r + rm -r (replace floor)", replace_floor_cmd, "all"),
        # Audits read and describe every file but write nothing (SPEC 5: within 2x of scrubbing).
        ("scrub --report", lambda d: [scrub, "-r", "--report", d], "all"),
        ("scrub --report --json", lambda d: [scrub, "-r", "--report", "--json", d], "all"),
    ]
    if have("jhead"):
        t.append(("jhead -purejpg", lambda d: ["sh", "-c", 'find "$1" -name "*.jpg" -exec jhead -q -purejpg {} +', "-", d], "jpeg"))
    if have("exiftool"):
        t.append(("exiftool -all=", exiftool_strip_cmd, "all"))
    if have("mat2"):
        t.append(("mat2 --inplace --lightweight", lambda d: ["sh", "-c", 'find "$1" -type f -exec mat2 --inplace --lightweight {} +', "-", d], "all"))
    return t


def timed_run(cmd, cwd=None):
    """Seconds, peak RSS (KB, GNU time's "Maximum resident set size") and exit status.

    The wall clock is read here, to the microsecond, rather than from time's
    %e (hundredths): it adds the start of /usr/bin/time, well under 1 ms.
    """
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M %x"] + cmd, cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - start
    last = out.stderr.strip().splitlines()[-1].split()
    return secs, int(last[0]), out.returncode


def timed(cmd, cwd=None):
    """Seconds and peak RSS (KB) of one command."""
    secs, rss, _ = timed_run(cmd, cwd)
    return secs, rss


def fresh_copy(src, run_dir, name):
    """run_dir/name, a new copy of src written out to disk, so no tool pays for the last one's writes."""
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    target = os.path.join(run_dir, name)
    run(copy_cmd(src, target))
    run(["sync"])
    return target


def measure(src, sets, scrub, rounds, work):
    results = {}
    run_dir = os.path.join(work, "run")
    for r in range(rounds):
        for name in sets:
            for label, make_cmd, applies in tools(scrub):
                if applies == "jpeg" and name in ("png", "webp", "heic"):
                    continue
                if make_cmd is None:
                    shutil.rmtree(run_dir, ignore_errors=True)
                    os.makedirs(run_dir)
                    secs, rss = timed(copy_cmd(os.path.join(src, name), os.path.join(run_dir, name)))
                else:
                    target = fresh_copy(os.path.join(src, name), run_dir, name)
                    secs, rss = timed(make_cmd(target))
                results.setdefault((name, label), []).append((secs, rss))
        print(f"round {r + 1}/{rounds} done", file=sys.stderr)
    shutil.rmtree(run_dir, ignore_errors=True)
    return results


def report(src, sets, results, scrub):
    print(f"{'set':8} {'tool':30} {'seconds':>8} {'best':>6} {'MB/s':>8} {'files/s':>9} {'x scrub':>8} {'peak RSS':>9}")
    for name in sets:
        size, files = tree_bytes(os.path.join(src, name))
        base = statistics.median(s for s, _ in results[(name, "scrub --no-sync")])
        for label, _, _ in tools(scrub):
            if (name, label) not in results:
                continue
            runs = results[(name, label)]
            secs = statistics.median(s for s, _ in runs)
            best = min(s for s, _ in runs)
            rss = max(m for _, m in runs)
            secs_shown = max(secs, 0.005)
            print(f"{name:8} {label:30} {secs:8.2f} {best:6.2f} {size / 1e6 / secs_shown:8.0f} "
                  f"{files / secs_shown:9.0f} {secs / max(base, 0.005):8.2f} {rss / 1024:7.1f}MB")
        print(f"{'':8} ({files} files, {size / 1e6:.0f} MB)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scrub", default="build/scrub")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default="/tmp/scrub-bench")
    ap.add_argument("--camera", type=int, default=60)
    ap.add_argument("--small", type=int, default=600)
    ap.add_argument("--png", type=int, default=10)
    ap.add_argument("--webp", type=int, default=30)
    ap.add_argument("--heic", type=int, default=60)
    ap.add_argument("--sets", default="camera,small,png,webp,heic")
    a = ap.parse_args()
    scrub = os.path.abspath(a.scrub)
    os.makedirs(a.work, exist_ok=True)
    src = build_sets(a.work, {"camera": a.camera, "small": a.small, "png": a.png, "webp": a.webp})
    sets = a.sets.split(",")
    if "heic" in sets:
        build_heic_set(a.work, src, a.heic)
    results = measure(src, sets, scrub, a.rounds, a.work)
    report(src, sets, results, scrub)


if __name__ == "__main__":
    main()
