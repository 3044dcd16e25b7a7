#!/usr/bin/python3
"""SIGKILL harness: a 200-file batch killed at random points.

The points are call positions: libscrub_fault.so sends SIGKILL to scrub just
before its Nth file-system call (SCRUB_FAULT_SIGNAL=9), so every state the
file system can be left in between two calls is reachable, and a point
replays the same way under -j 1. For a durable batch and a --no-sync one it
checks, after each kill: every file is its original or its clean output, and
what the temporary files left behind hold, and that there are no more of
them than man/scrub.1 promises; then that a later `scrub -r` run removes and
names every one of them and leaves every file clean.

    kill.py --scrub BIN --shim LIB [--points N] [--files N] [--seed S]

Exit status 1 when a promise was broken.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402

FIXTURES = ("jpeg", "png", "webp", "clean")
MODES = {"durable": [], "no-sync": ["--no-sync"]}


def build_batch(root, count, fx):
    """count files over four folders, named so the walk order is known."""
    scenes_root = os.path.join(root, "batch")
    if os.path.exists(scenes_root):
        subprocess.run(["rm", "-rf", scenes_root], check=True)
    files = {}
    for i in range(count):
        kind = FIXTURES[i % len(FIXTURES)]
        rel = os.path.join("batch", "d%d" % (i % 4), "f%03d.%s" % (i, "jpg" if kind in ("jpeg", "clean") else kind))
        os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(fx.orig[kind])
        files[rel] = kind
    return files


def run(args, root, extra, env_extra):
    env = dict(os.environ, LC_ALL="C", LD_PRELOAD=":".join(args.preload),
               SCRUB_FAULT_LOG=os.path.join(root, "fault.log"))
    env.update(env_extra)
    log = env["SCRUB_FAULT_LOG"]
    if os.path.exists(log):
        os.unlink(log)
    res = subprocess.run([args.scrub] + extra + ["-r", "batch"], cwd=root, env=env,
                         capture_output=True, timeout=600)
    lines = open(log).read().splitlines() if os.path.exists(log) else []
    return res, lines


def count_calls(args, root, extra):
    build_batch(root, args.files, args.fx)
    res, lines = run(args, root, extra, {})
    if res.returncode != 0:
        raise SystemExit("unfaulted batch failed: %s" % res.stderr.decode(errors="replace"))
    totals = [int(l.split()[1]) for l in lines if l.startswith("total ")]
    return totals[0]


def classify(root, files, fx):
    """Problems with the files, and what each temporary file left holds."""
    problems = []
    for rel, kind in files.items():
        data = open(os.path.join(root, rel), "rb").read()
        if data not in (fx.orig[kind], fx.clean[kind]):
            problems.append("'%s' is neither its original nor its clean output" % rel)
    held = {"clean": 0, "original": 0, "other": 0}
    dirty = {fx.orig[k] for k in ("jpeg", "png", "webp")}
    cleans = {fx.clean[k] for k in FIXTURES}
    for t in scenes.temps_left(os.path.join(root, "batch")):
        data = open(os.path.join(root, "batch", t), "rb").read()
        held["original" if data in dirty else "clean" if data in cleans else "other"] += 1
    return problems, held


def crash_bounds(src):
    """What the man page's SAFETY section promises a crash leaves at most:
    temps of a durable batch, and per job with --no-sync."""
    text = open(os.path.join(src, "man", "scrub.1")).read().replace("\n", " ")
    durable = re.search(r"in a durable batch at most (\d+) temporary files", text)
    per_job = re.search(r"at most one per job", text)
    if not durable or not per_job:
        raise SystemExit("man/scrub.1 does not say how many temporary files a crash leaves")
    return {"durable": int(durable.group(1)), "no-sync": os.cpu_count()}


def later_run(args, root, files, fx, temps):
    """A plain `scrub -r batch` after the crash: every temp removed and named,
    every file clean."""
    res = subprocess.run([args.scrub, "-r", "batch"], cwd=root, capture_output=True, timeout=600,
                         env=dict(os.environ, LC_ALL="C"))
    stderr = res.stderr.decode(errors="replace")
    problems = ["the later run does not say it removed '%s'" % t for t in temps
                if "removed '%s'" % os.path.join("batch", t) not in stderr]
    if res.returncode != 0:
        problems.append("the later run exits %d: %s" % (res.returncode, stderr[:300]))
    left = scenes.temps_left(os.path.join(root, "batch"))
    if left:
        problems.append("the later run leaves %d temporary files (%s ...)" % (len(left), left[0]))
    unclean = [rel for rel, kind in files.items()
               if open(os.path.join(root, rel), "rb").read() != fx.clean[kind]]
    if unclean:
        problems.append("after the later run %d files are not clean (%s ...)" % (len(unclean), unclean[0]))
    return problems, stderr


def kill_at(args, root, name, extra, point):
    files = build_batch(root, args.files, args.fx)
    res, lines = run(args, root, extra, {"SCRUB_FAULT_SIGNAL": "9", "SCRUB_FAULT_NTH": str(point)})
    sent = [l for l in lines if l.startswith("signal ")]
    problems, held = classify(root, files, args.fx)
    if sent and res.returncode != -9:
        problems.append("exit %s after SIGKILL" % res.returncode)
    temps = scenes.temps_left(os.path.join(root, "batch"))
    if len(temps) > args.bounds[name]:
        problems.append("%d temporary files left, more than the %d the man page promises" % (
            len(temps), args.bounds[name]))
    p, stderr = later_run(args, root, files, args.fx, temps)
    told = stderr.count("scrub-tmp-")
    return problems + p, held, bool(sent), told


def sweep(args, root, name, extra):
    total = count_calls(args, root, extra)
    rng = random.Random("%d %s" % (args.seed, name))
    points = sorted(rng.sample(range(1, total + 1), min(args.points, total)))
    worst = {"clean": 0, "original": 0, "other": 0}
    bad = killed = 0
    for point in points:
        problems, held, sent, told = kill_at(args, root, name, extra, point)
        killed += sent
        for k in worst:
            worst[k] = max(worst[k], held[k])
        line = "%-8s kill before call %5d/%d: temps left %3d clean, %d original, %d other; later run named %d" % (
            name, point, total, held["clean"], held["original"], held["other"], told)
        print(line)
        for p in problems:
            print("    VIOLATION " + p)
        bad += bool(problems)
    print("%s: %d kills, at most %d complete temps, %d holding an original, %d partial; %d broke a promise" % (
        name, killed, worst["clean"], worst["original"], worst["other"], bad))
    return bad


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scrub", required=True)
    p.add_argument("--shim", required=True)
    p.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    p.add_argument("--points", type=int, default=20, help="kills per mode")
    p.add_argument("--files", type=int, default=200)
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--modes", default=",".join(MODES))
    args = p.parse_args()
    args.scrub = os.path.abspath(args.scrub)
    args.preload = scenes.preload_list(args.scrub, args.shim)
    args.fx = scenes.load_fixtures(args.src, args.scrub)
    args.bounds = crash_bounds(args.src)
    bad = 0
    with tempfile.TemporaryDirectory(prefix="scrub-kill.") as root:
        for name in args.modes.split(","):
            bad += sweep(args, root, name, MODES[name])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
