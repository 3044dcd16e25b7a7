#!/usr/bin/env python3
"""Durable batch speed of several scrub binaries, interleaved (not a test).

Each round copies every set afresh (cp -r, then sync), then times
`BIN -q [ARGS] -r SET` for every binary and set in a shuffled order, so load
from other work falls on all of them alike; prints the median and best.
The sets are bench.py's corpora (run bench.py once to make them).

    tests/bench/compare.py before=/tmp/old/scrub after=build/scrub \
        [--sets small,camera] [--rounds 15] [--work /tmp/scrub-bench] [--args "-j 1"]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import time


def one_run(binary, extra, src, run_dir):
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(run_dir)
    target = os.path.join(run_dir, os.path.basename(src))
    subprocess.run(["cp", "-r", "--reflink=never", src, target], check=True)
    subprocess.run(["sync"], check=True)
    start = time.monotonic()
    subprocess.run([binary, "-q"] + extra + ["-r", target], check=True)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binaries", nargs="+", help="NAME=PATH")
    ap.add_argument("--sets", default="small,camera")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--work", default="/tmp/scrub-bench")
    ap.add_argument("--args", default="", help="more arguments for every run (space-separated)")
    a = ap.parse_args()
    bins = dict(b.split("=", 1) for b in a.binaries)
    extra = a.args.split()
    sets = a.sets.split(",")
    times = {}
    for r in range(a.rounds):
        order = [(s, name) for s in sets for name in bins]
        random.Random(r).shuffle(order)
        for s, name in order:
            secs = one_run(bins[name], extra, os.path.join(a.work, "src", s), os.path.join(a.work, "run"))
            times.setdefault((s, name), []).append(secs)
    shutil.rmtree(os.path.join(a.work, "run"), ignore_errors=True)
    print("load average: %.2f %.2f %.2f" % os.getloadavg())
    for (s, name), v in sorted(times.items()):
        print(f"{s:8} {name:12} median {statistics.median(v):.3f} s  best {min(v):.3f} s  ({len(v)} rounds)")


if __name__ == "__main__":
    main()
