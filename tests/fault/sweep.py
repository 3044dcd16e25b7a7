#!/usr/bin/python3
"""Fault sweep: fail every file-system call scrub makes, one at a time.

For each mode (tests/fault/scenes.py) it counts the calls of an unfaulted
run through libscrub_fault.so, then replays the run once per fault: each call
position failed with each errno that call can meet, and each read/write
shortened. After every run it checks SPEC section 1: every file is its
original (untouched) or its clean output (with the original's mode and owner,
and its times under -p); no temporary file is left; the exit status is 2 and
stderr names the file and the injected error whenever something failed, 0
only when everything ended clean; no sanitizer report.

    sweep.py --scrub BIN --shim LIB [--sample N] [--modes a,b] [--seed S]

Without --sample every fault runs (the full sweep); with it, a deterministic
sample of about N. Exit status 1 when any run broke a promise.
"""
import argparse
import errno
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402
from checks import Outcome, check_durable, check_run  # noqa: E402

# The errors each family of calls can meet on a real system.
ERRNOS = {
    "@open": ["EACCES", "EMFILE", "ENOSPC"],
    "@read": ["EIO"],
    "@write": ["ENOSPC", "EIO"],
    "@stat": ["EIO", "EACCES"],
    "@sync": ["EIO", "ENOSPC"],
    "@attr": ["EPERM", "EIO"],
    "@rename": ["EIO", "ENOSPC"],
    "@unlink": ["EIO", "EBUSY"],
    "@close": ["EIO"],
    "@mkdir": ["ENOSPC", "EACCES"],
    "@dir": ["EIO", "EACCES"],
}
FAMILY = {}  # symbol -> family, filled from the shim's header


def load_families(src_dir):
    import re
    text = open(os.path.join(src_dir, "tests", "fault", "fault_syms.h")).read()
    for name, family in re.findall(r'SYM\(\w+, "([^"]+)", "([^"]+)"', text):
        FAMILY[name] = family


def base_env(args, log):
    env = dict(os.environ, LC_ALL="C", SCRUB_FAULT_LOG=log)
    env["LD_PRELOAD"] = ":".join(args.preload)
    env["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=99:abort_on_error=0"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=98"
    for k in ("SCRUB_FAULT_NTH", "SCRUB_FAULT_ERRNO", "SCRUB_FAULT_SHORT",
              "SCRUB_FAULT_FUNCS", "SCRUB_FAULT_TRACE", "SCRUB_FAULT_SIGNAL"):
        env.pop(k, None)
    return env


def run_scrub(args, mode, root, fault):
    """Builds a fresh tree, runs scrub with fault (a dict of SCRUB_FAULT_* values)."""
    scenes.build(root, mode, args.fx.orig)
    before = scenes.snapshot(root, mode)
    log = os.path.join(os.path.dirname(root), "fault.log")
    if os.path.exists(log):
        os.unlink(log)
    env = base_env(args, log)
    env.update(fault)
    start = time.time_ns()
    try:
        res = subprocess.run([args.scrub] + mode.args, cwd=root, env=env,
                             capture_output=True, timeout=300)
        code, out, err = res.returncode, res.stdout, res.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        code, out, err = None, b"", "(timed out after 300 s)"
    lines = open(log).read().splitlines() if os.path.exists(log) else []
    return Outcome(code, out, err, lines, before, start)


def trace(args, mode, root, short):
    """The counted calls of an unfaulted run (seq, symbol, fd, access, subject),
    after checking that run, and the order of its calls when it is durable."""
    fault = {"SCRUB_FAULT_TRACE": "1"}
    if short:
        fault["SCRUB_FAULT_SHORT"] = "1"
    out = run_scrub(args, mode, root, fault)
    mode.baseline_code, mode.baseline_errors = out.code, out.error_lines()
    refused = [e for e in mode.entries if e.refused]
    problems = check_run(mode, root, out, args.fx)
    if out.code != (2 if refused else 0) or not all(out.names(e.shown) for e in refused):
        problems.append("exit %s" % out.code)
    if problems:
        raise SystemExit("unfaulted run of mode %s is wrong: %s\n%s" % (mode.name, problems, out.stderr))
    calls = [line.split(" ", 5)[1:] for line in out.log if line.startswith("call ")]
    if not short and mode.durable:
        mode.protocol_problems = check_durable(mode, root, calls)
    return calls


def faults_of(args, mode, root):
    """Every fault for mode: (env dict, description). A fault names its call as
    the Kth call to that symbol, which stays the same call under -j 1 and at
    least the same kind of call when workers interleave."""
    faults = []
    seen = {}
    for _, sym, _, _, _ in trace(args, mode, root, short=False):
        k = seen[sym] = seen.get(sym, 0) + 1
        for e in ERRNOS.get(FAMILY.get(sym, ""), ["EIO"]):
            faults.append(({"SCRUB_FAULT_FUNCS": sym, "SCRUB_FAULT_NTH": str(k),
                            "SCRUB_FAULT_ERRNO": e}, "%s #%d %s" % (sym, k, e)))
    seen = {}
    for _, sym, _, _, _ in trace(args, mode, root, short=True):
        k = seen[sym] = seen.get(sym, 0) + 1
        faults.append(({"SCRUB_FAULT_FUNCS": sym, "SCRUB_FAULT_NTH": str(k),
                        "SCRUB_FAULT_SHORT": "1"}, "%s #%d short" % (sym, k)))
    return faults


def choose(per_mode, sample, seed):
    """All faults, or a deterministic sample of about `sample` spread over the modes."""
    total = sum(len(f) for f in per_mode.values())
    if not sample or not total:
        return per_mode
    rng = random.Random(seed)
    chosen = {}
    for name, faults in per_mode.items():
        k = min(len(faults), max(1, round(sample * len(faults) / total)))
        picked = sorted(rng.sample(range(len(faults)), k))
        chosen[name] = [faults[i] for i in picked]
    return chosen


def sweep_mode(args, mode, root, faults, stats):
    for fault, desc in faults:
        out = run_scrub(args, mode, root, fault)
        problems = check_run(mode, root, out, args.fx)
        stats["runs"] += 1
        stats["injected"] += out.fault is not None
        if not problems:
            continue
        stats["violations"] += 1
        what = " ".join(out.fault[1:]) if out.fault else "no fault injected"
        print("VIOLATION %s, %s [%s]:" % (mode.name, desc, what))
        for p in problems:
            print("    " + p)
        err = out.stderr.strip().splitlines()
        for line in err[:6]:
            print("    | " + line)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scrub", required=True)
    p.add_argument("--shim", required=True)
    p.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    p.add_argument("--sample", type=int, default=0, help="about this many faults (0: all)")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--modes", default="", help="comma-separated subset of the modes")
    p.add_argument("--symbols", default="", help="only faults of these comma-separated calls")
    p.add_argument("--list", action="store_true", help="print the fault counts and stop")
    return p.parse_args()


def main():
    args = parse_args()
    args.scrub = os.path.abspath(args.scrub)
    args.preload = scenes.preload_list(args.scrub, args.shim)
    load_families(args.src)
    args.fx = scenes.load_fixtures(args.src, args.scrub)
    modes = [m for m in scenes.all_modes() if not args.modes or m.name in args.modes.split(",")]
    with tempfile.TemporaryDirectory(prefix="scrub-fault.") as tmp:
        root = os.path.join(os.path.realpath(tmp), "scene")
        per_mode = {m.name: faults_of(args, m, root) for m in modes}
        if args.symbols:
            keep = args.symbols.split(",")
            per_mode = {n: [f for f in fs if f[0]["SCRUB_FAULT_FUNCS"] in keep] for n, fs in per_mode.items()}
        chosen = choose(per_mode, args.sample, args.seed)
        print("%-12s %6s %9s %7s %7s" % ("mode", "calls", "transfers", "faults", "chosen"))
        for m in modes:
            faults = per_mode[m.name]
            calls = {(f["SCRUB_FAULT_FUNCS"], f["SCRUB_FAULT_NTH"]) for f, _ in faults
                     if "SCRUB_FAULT_SHORT" not in f}
            short = sum("SCRUB_FAULT_SHORT" in f for f, _ in faults)
            print("%-12s %6d %9d %7d %7d" % (m.name, len(calls), short, len(faults), len(chosen[m.name])))
        if args.list:
            return 0
        total = {"runs": 0, "injected": 0, "violations": 0}
        for m in modes:
            for p in m.protocol_problems:
                print("VIOLATION %s, unfaulted run: %s" % (m.name, p))
                total["violations"] += 1
            sweep_mode(args, m, root, chosen[m.name], total)
    print("%d runs, %d faults injected, %d broke a promise%s" % (
        total["runs"], total["injected"], total["violations"],
        " (ASan build)" if len(args.preload) > 1 else ""))
    return 1 if total["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
