#!/usr/bin/env python3
"""Scale benchmark: scrub over photo-library trees of 1,000 to 100,000 files (not a test).

Builds trees of small tagged images (JPEG, PNG, WebP and, when scrub reads
HEIF, HEIC; GPS, EXIF and XMP in each) in nested year/month/event folders,
once, from a handful of masters, under --work. Then times, in one run and
each on a fresh copy of the tree: scrub -r durable and --no-sync,
--check -r, --report --json -r, cp -r, the replace floor (cp -r + rm -r)
and, once at --exiftool-at files, exiftool -all= -r and exiftool -j -r.
Prints seconds (median and best), microseconds per file, files per second
and peak RSS by set size, then how each grows from the smallest set to the
largest and the SPEC section 5 ratios. It asserts nothing.

    tests/bench/scale.py --scrub build/scrub [--sizes 1000,10000,100000] [--rounds 3]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the peer benchmark's helpers)

FILES_PER_FOLDER = 100
# Sets this large take minutes a round (copies and deletes included): --large-rounds.
LARGE = 100000

# Twenty slots repeat through a tree: half JPEG, a quarter HEIC (JPEG when
# scrub cannot read HEIF, so every set keeps its size), the rest PNG and WebP.
SLOTS = ["jpeg-a"] * 7 + ["jpeg-b"] * 3 + ["heic"] * 5 + ["png"] * 2 + ["webp"] * 3
EXT = {"jpeg-a": "jpg", "jpeg-b": "jpg", "heic": "heic", "png": "png", "webp": "webp"}

TAGS = ["-Make=Apple", "-Model=iPhone 15 Pro", "-SerialNumber=F2LXK0ABCD12",
        "-Artist=Jane Example", "-DateTimeOriginal=2024:05:01 12:00:00",
        "-GPSLatitude=48.858370", "-GPSLatitudeRef=N", "-GPSLongitude=2.294481",
        "-GPSLongitudeRef=E", "-XMP:Creator=Jane Example", "-XMP:City=Paris"]


def heif_supported(scrub):
    """True when scrub --help lists HEIF among its formats."""
    out = subprocess.run([scrub, "--help"], capture_output=True, text=True).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("Formats:")), "")
    return "HEIF" in line


def make_masters(work):
    """One small tagged file per slot kind, made once; {kind: bytes}."""
    mdir = os.path.join(work, "masters")
    done = os.path.join(mdir, ".complete")
    paths = {k: os.path.join(mdir, f"{k}.{EXT[k]}") for k in EXT}
    if not os.path.exists(done):
        shutil.rmtree(mdir, ignore_errors=True)
        os.makedirs(mdir)
        icc = os.path.join(mdir, "profile.icc")
        with open(icc, "wb") as f:
            f.write(bench.minimal_icc())
        thumb = os.path.join(mdir, "thumb.jpg")
        bench.run(["convert", "-size", "160x120", "gradient:red-blue", thumb])
        bench.run(["convert", "-size", "480x360", "plasma:fractal", "-seed", "3", "-quality", "85",
                   paths["jpeg-a"]])
        bench.tag_like_a_phone(paths["jpeg-a"], thumb, icc)
        bench.run(["convert", "-size", "320x240", "plasma:fractal", "-seed", "4", "-quality", "80",
                   paths["jpeg-b"]])
        bench.run(["convert", "-size", "120x90", "plasma:fractal", "-seed", "5", paths["png"]])
        bench.run(["cwebp", "-quiet", "-q", "80", paths["jpeg-b"], "-o", paths["webp"]])
        if bench.have("heif-enc"):
            bench.run(["heif-enc", "-q", "60", paths["jpeg-b"], "-o", paths["heic"]])
        for k in ("jpeg-b", "png", "webp", "heic"):
            if os.path.exists(paths[k]):
                bench.run(["exiftool", "-q", "-overwrite_original"] + TAGS + [paths[k]])
        open(done, "w").close()
    return {k: open(p, "rb").read() for k, p in paths.items() if os.path.exists(p)}


def folder_of(leaf):
    """A photo library's year/month/event layout, FILES_PER_FOLDER files to an event."""
    return os.path.join(str(2000 + leaf // 48), f"{leaf // 4 % 12 + 1:02d}", f"event-{leaf % 4}")


def build_tree(work, n, with_heic, masters):
    """work/src/<mix>-<n>: n files copied from the masters, made once."""
    name = f"{'mixed' if with_heic else 'noheic'}-{n}"
    root = os.path.join(work, "src", name)
    done = root + ".complete"
    if os.path.exists(done):
        return root
    shutil.rmtree(root, ignore_errors=True)
    for i in range(n):
        kind = SLOTS[i % len(SLOTS)]
        if kind == "heic" and not with_heic:
            kind = "jpeg-a"
        d = os.path.join(root, folder_of(i // FILES_PER_FOLDER))
        if i % FILES_PER_FOLDER == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"IMG_{i:06d}.{EXT[kind]}"), "wb") as f:
            f.write(masters[kind])
    bench.run(["sync"])
    open(done, "w").close()
    return root


def build_heic_tree(work, n, masters):
    """work/src/heic-<n>: HEIC only, for the HEIF target against exiftool."""
    root = os.path.join(work, "src", f"heic-{n}")
    if not os.path.exists(root + ".complete"):
        shutil.rmtree(root, ignore_errors=True)
        for i in range(n):
            d = os.path.join(root, folder_of(i // FILES_PER_FOLDER))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"IMG_{i:06d}.heic"), "wb") as f:
                f.write(masters["heic"])
        bench.run(["sync"])
        open(root + ".complete", "w").close()
    return root


def scale_tools(scrub, jobs):
    """(label, command maker or None for the copy itself, once-only)."""
    j = ["-j", str(jobs)] if jobs else []
    return [
        ("scrub -r (durable)", lambda d: [scrub, "-q", "-r"] + j + [d], False),
        ("scrub -r --no-sync", lambda d: [scrub, "-q", "-r", "--no-sync"] + j + [d], False),
        ("scrub --check -r", lambda d: [scrub, "-q", "--check", "-r"] + j + [d], False),
        ("scrub --report --json -r", lambda d: [scrub, "--report", "--json", "-r"] + j + [d], False),
        ("cp -r (floor)", None, False),
        ("cp -r + rm -r (replace floor)", bench.replace_floor_cmd, False),
        ("exiftool -all= -r", bench.exiftool_strip_cmd, True),
        ("exiftool -j -r", lambda d: ["exiftool", "-j", "-r", d], True),
    ]


def time_one(src, run_dir, make_cmd):
    """(seconds, peak RSS KB, exit status) of one tool on a fresh copy of src."""
    if make_cmd is None:
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        return bench.timed_run(bench.copy_cmd(src, os.path.join(run_dir, "lib")))
    target = bench.fresh_copy(src, run_dir, "lib")
    return bench.timed_run(make_cmd(target))


def save(path, trees, results, context):
    """Everything the tables are printed from, rewritten after each timing (--replay)."""
    with open(path + ".tmp", "w") as f:
        json.dump({"trees": trees, "context": context,
                   "results": [[k[0], k[1], v] for k, v in results.items()]}, f)
    os.replace(path + ".tmp", path)


def load(path):
    d = json.load(open(path))
    trees = {k: tuple(v) for k, v in d["trees"].items()}
    return trees, {(s, label): [tuple(r) for r in runs] for s, label, runs in d["results"]}, d["context"]


def measure(trees, scrub, a, context):
    """{(set name, label): [(secs, rss, rc), ...]}, alternating tools within each round."""
    results = {}
    run_dir = os.path.join(a.work, "run")
    for r in range(a.rounds):
        for set_name, (src, files, exif_once, _) in trees.items():
            if files >= LARGE and r >= a.large_rounds:
                continue
            for label, make_cmd, once in scale_tools(scrub, a.jobs):
                if once and (r > 0 or not exif_once or not bench.have("exiftool")):
                    continue
                if set_name.startswith("heic") and label not in HEIC_TOOLS:
                    continue
                results.setdefault((set_name, label), []).append(time_one(src, run_dir, make_cmd))
                print(f"  {set_name} {label}: {results[(set_name, label)][-1][0]:.2f} s",
                      file=sys.stderr)
                save(a.save, trees, results, context)
            print(f"round {r + 1}/{a.rounds}: {set_name} done", file=sys.stderr)
    shutil.rmtree(run_dir, ignore_errors=True)
    return results


HEIC_TOOLS = ("scrub -r (durable)", "scrub -r --no-sync", "cp -r + rm -r (replace floor)",
              "exiftool -all= -r")

# Exit statuses that mean the tool did its job: audits say 1 when they find metadata.
OK_STATUS = {"scrub --check -r": (0, 1), "scrub --report --json -r": (0, 1), "exiftool -j -r": (0, 1)}


def median(runs):
    return statistics.median(s for s, _, _ in runs)


def mount_of(path):
    """(file system type, options) of the mount holding path, from /proc/mounts."""
    best = ("", "?", "?", "")
    for line in open("/proc/mounts"):
        dev, point, fstype, opts = line.split()[:4]
        point = point.replace("\\040", " ")
        if (path + "/").startswith(point.rstrip("/") + "/") and len(point) >= len(best[0]):
            best = (point, fstype, opts, dev)
    fstype, opts, dev = best[1], best[2], best[3]
    if fstype == "ext4":
        # Without a journal, ext4 discards inside unlink and skips recently freed inodes.
        journal = any(j.startswith(os.path.basename(dev) + "-") for j in os.listdir("/proc/fs/jbd2"))
        opts += "" if journal else ", no journal"
    return fstype, opts


def run_context(scrub, a):
    """What the figures depend on: the machine, the file system, the load."""
    version = subprocess.run([scrub, "--version"], capture_output=True, text=True).stdout.strip()
    fstype, opts = mount_of(a.work)
    return {"machine": f"{version}; {os.cpu_count()} CPUs; {os.uname().release}; "
                       f"{a.work} on {fstype} ({opts})",
            "command": " ".join(sys.argv), "jobs": a.jobs,
            "load_before": " ".join(open("/proc/loadavg").read().split()[:3])}


def print_context(context):
    print(context["machine"])
    print(f"load average before {context['load_before']}, after {context.get('load_after', '?')}; "
          f"command: {context['command']}")


def print_table(trees, results, scrub, a):
    print(f"{'files':>7} {'tool':30} {'seconds':>8} {'best':>7} {'us/file':>8} {'files/s':>8} {'peak RSS':>9}")
    for set_name, (src, files, _, size) in trees.items():
        for label, _, _ in scale_tools(scrub, a.jobs):
            runs = results.get((set_name, label))
            if not runs:
                continue
            secs, best = median(runs), min(s for s, _, _ in runs)
            rss = max(m for _, m, _ in runs)
            bad = sorted({rc for _, _, rc in runs if rc not in OK_STATUS.get(label, (0,))})
            flag = f"  exit {','.join(map(str, bad))}!" if bad else ""
            print(f"{files:7d} {label:30} {secs:8.3f} {best:7.3f} {secs / files * 1e6:8.0f} "
                  f"{files / secs:8.0f} {rss / 1024:7.1f}MB{flag}")
        print(f"{'':7} ({set_name}: {files} files, {size / 1e6:.0f} MB, "
              f"{len(results.get((set_name, 'scrub -r --no-sync'), []))} rounds, "
              f"year/month/event folders of {FILES_PER_FOLDER} files)")


def print_growth(trees, results, scrub, a):
    """us/file and peak RSS of each tool across the mixed sets, smallest to largest."""
    sets = [s for s in trees if not s.startswith("heic")]
    if len(sets) < 2:
        return
    print(f"\ngrowth, {' / '.join(str(trees[s][1]) for s in sets)} files:")
    for label, _, once in scale_tools(scrub, a.jobs):
        if once:
            continue
        per = [median(results[(s, label)]) / trees[s][1] * 1e6 for s in sets if (s, label) in results]
        rss = [max(m for _, m, _ in results[(s, label)]) / 1024 for s in sets if (s, label) in results]
        if len(per) < 2:
            continue
        print(f"  {label:30} us/file {' / '.join(f'{x:.0f}' for x in per):22} "
              f"(x{per[-1] / per[0]:.2f})  RSS {' / '.join(f'{x:.1f}' for x in rss)} MB")


def ratio_line(what, num, den, target):
    print(f"  {what:58} {num / den:7.2f}  (target {target})")


def print_targets(trees, results):
    print("\nSPEC section 5 (ratios of medians; nothing is asserted):")
    for set_name in trees:
        floor = results.get((set_name, "cp -r + rm -r (replace floor)"))
        nosync = results.get((set_name, "scrub -r --no-sync"))
        if floor and nosync:
            ratio_line(f"{set_name}: --no-sync / replace floor", median(nosync), median(floor), "<= 1.5")
        exif_j = results.get((set_name, "exiftool -j -r"))
        for label in ("scrub --report --json -r", "scrub --check -r"):
            if exif_j and (set_name, label) in results:
                ratio_line(f"{set_name}: exiftool -j -r / {label}", median(exif_j),
                           median(results[(set_name, label)]), ">= 50")
        exif_strip = results.get((set_name, "exiftool -all= -r"))
        if exif_strip and set_name.startswith("heic"):
            for label in ("scrub -r --no-sync", "scrub -r (durable)"):
                ratio_line(f"{set_name}: exiftool -all= / {label}", median(exif_strip),
                           median(results[(set_name, label)]), ">= 20")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scrub", default="build/scrub")
    ap.add_argument("--work", default="build/bench-scale", help="trees and run copies (cached)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="tree sizes, comma-separated")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--large-rounds", type=int, default=None,
                    help=f"rounds for sets of {LARGE} files or more (default: --rounds)")
    ap.add_argument("--exiftool-at", type=int, default=10000,
                    help="the one size exiftool runs at, once (0: never)")
    ap.add_argument("--heic", type=int, default=1000,
                    help="files in the HEIC-only set, when scrub reads HEIF (0: none)")
    ap.add_argument("-j", "--jobs", type=int, default=0, help="scrub -j (0: its default)")
    ap.add_argument("--save", help="where the raw timings go (default: WORK/last-run.json)")
    ap.add_argument("--replay", metavar="JSON", help="print the tables of a saved run, time nothing")
    a = ap.parse_args()
    if a.large_rounds is None:
        a.large_rounds = a.rounds
    scrub = os.path.abspath(a.scrub)
    a.work = os.path.abspath(a.work)
    a.save = a.save or os.path.join(a.work, "last-run.json")
    if a.replay:
        trees, results, context = load(a.replay)
        a.jobs = context["jobs"]
        print_all(trees, results, context, scrub, a)
        return
    os.makedirs(a.work, exist_ok=True)
    masters = make_masters(a.work)
    with_heic = heif_supported(scrub) and "heic" in masters
    trees = {}
    for n in sorted(int(x) for x in a.sizes.split(",") if x):
        root = build_tree(a.work, n, with_heic, masters)
        trees[os.path.basename(root)] = (root, n, n == a.exiftool_at, bench.tree_bytes(root)[0])
    if with_heic and a.heic:
        root = build_heic_tree(a.work, a.heic, masters)
        trees[os.path.basename(root)] = (root, a.heic, True, bench.tree_bytes(root)[0])
    if not with_heic:
        print("scrub does not list HEIF: HEIC slots hold JPEGs, no HEIC set", file=sys.stderr)
    context = run_context(scrub, a)
    results = measure(trees, scrub, a, context)
    context["load_after"] = " ".join(open("/proc/loadavg").read().split()[:3])
    save(a.save, trees, results, context)
    print_all(trees, results, context, scrub, a)


def print_all(trees, results, context, scrub, a):
    print_context(context)
    print_table(trees, results, scrub, a)
    print_growth(trees, results, scrub, a)
    print_targets(trees, results)


if __name__ == "__main__":
    main()
