"""Functions in src/ stay short (STYLE.md: under about 60 lines).

Counts the lines of every function body (a top-level definition whose '{'
opens a line of its own and whose '}' closes one) and fails on any longer
than LIMIT, listing the longest few either way, like curl's top-length.

usage: function_length.py SRC_DIR [LIMIT]
"""
import glob
import os
import re
import sys

HEAD = re.compile(r"^[A-Za-z_].*\)\s*$")


def functions(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    start = name = None
    for i, line in enumerate(lines):
        if start is None and HEAD.match(line) and i + 1 < len(lines) and lines[i + 1] == "{":
            start, name = i, line.strip()
        elif start is not None and line == "}":
            yield i - start - 1, name
            start = None


def main():
    src = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 70
    found = []
    for path in sorted(glob.glob(os.path.join(src, "*", "*.c"))):
        for length, name in functions(path):
            found.append((length, os.path.relpath(path, src), name[:72]))
    found.sort(reverse=True)
    for length, path, name in found[:8]:
        print("%4d  %s  %s" % (length, path, name))
    long = [f for f in found if f[0] > limit]
    for length, path, name in long:
        print("FAIL: %s: %s has %d lines (limit %d)" % (path, name, length, limit))
    print("%d functions, longest %d lines" % (len(found), found[0][0] if found else 0))
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
