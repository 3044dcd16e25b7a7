"""Runs one libFuzzer target until its coverage stops growing.

The run ends when no new edge has been covered for PLATEAU seconds, when
MAX seconds have passed, or at the first finding (crash, leak, timeout,
out-of-memory, broken invariant). Prints one summary line:

  target=jpeg seconds=612 runs=2841133 cov=671 ft=2630 corpus=1204
  last_new_cov=401s findings=0

and exits 1 when there was a finding (its input is kept as ARTIFACTS/crash-*).

A target's dictionary, tests/fuzz/dict/TARGET.dict, is passed when it
exists (or --dict FILE).

usage: run.py FUZZER CORPUS_DIR SEED_DIR [--max S] [--plateau S]
              [--artifacts DIR] [--log FILE] [--dict FILE]
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

STATUS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)")


def follow(stream, log, state):
    for line in stream:
        if log:
            log.write(line)
            log.flush()
        m = STATUS.match(line)
        if m:
            runs, cov, ft, corp = (int(g) for g in m.groups())
            if cov > state["cov"]:
                state["last_new"] = time.monotonic()
            state.update(runs=runs, cov=cov, ft=ft, corp=corp)
        elif ("ERROR: " in line and line.startswith("==")) or "Test unit written" in line:
            state["finding"] = state["finding"] or line.strip()
        elif line.startswith("stat::number_of_executed_units:"):
            state["runs"] = int(line.split()[-1])


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("fuzzer")
    ap.add_argument("corpus")
    ap.add_argument("seeds")
    ap.add_argument("--max", type=int, default=1800)
    ap.add_argument("--plateau", type=int, default=600)
    ap.add_argument("--artifacts", default=".")
    ap.add_argument("--log")
    ap.add_argument("--dict")
    args = ap.parse_args()

    os.makedirs(args.corpus, exist_ok=True)
    os.makedirs(args.artifacts, exist_ok=True)
    target = os.path.basename(args.fuzzer).removeprefix("fuzz_")
    cmd = [args.fuzzer, args.corpus, args.seeds,
           "-max_total_time=%d" % args.max, "-timeout=10", "-rss_limit_mb=2048",
           "-max_len=1048576", "-print_final_stats=1",
           "-artifact_prefix=" + os.path.join(args.artifacts, "")]
    default_dict = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dict",
                                target + ".dict")
    dictionary = args.dict or (default_dict if os.path.exists(default_dict) else None)
    if dictionary:
        cmd.append("-dict=" + dictionary)
    log = open(args.log, "w") if args.log else None
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, errors="replace")
    state = {"runs": 0, "cov": 0, "ft": 0, "corp": 0, "last_new": start, "finding": None}
    reader = threading.Thread(target=follow, args=(proc.stderr, log, state))
    reader.start()
    # Status lines thin out to powers of two once nothing new turns up, so
    # the plateau is judged on a clock, not on the arrival of lines.
    while proc.poll() is None:
        time.sleep(2)
        if time.monotonic() - state["last_new"] >= args.plateau:
            proc.terminate()
    reader.join()
    elapsed = time.monotonic() - start
    finding = state["finding"]
    print("target=%s seconds=%d runs=%d cov=%d ft=%d corpus=%d last_new_cov=%ds findings=%d"
          % (target, elapsed, state["runs"], state["cov"], state["ft"], state["corp"],
             state["last_new"] - start, 1 if finding else 0))
    if finding:
        print("finding:", finding)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
