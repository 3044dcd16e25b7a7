#!/usr/bin/env bash
# Progress line: under a pseudo-terminal, a batch that runs over a second
# shows "N/M files, done/total MB, rate MB/s, h:mm:ss left" on one line of
# at most 79 columns, redrawn at most ten times a second (redraws counted in
# the captured bytes against the run's duration) and erased at the end. It
# never appears when stderr is a file or a pipe.
. "$(dirname "$0")/../lib.sh"

need script

# Files that take a while each: --verify decodes a 2048x1536 PNG twice, so
# a batch of a few dozen runs for seconds without thousands of files to make
# and delete. After them in walk order, a thousand tiny files done in a
# moment: a line redrawn per file instead of ten times a second shows there.
IN=$T/in
mkdir -p "$IN/a" "$IN/z"
"$PYTHON" - "$IN/a/p0.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
w, h = 2048, 1536
ramp = bytes(range(256)) * (w * 3 // 256 + 2)
rows = b"".join(b"\0" + ramp[y % 256:y % 256 + w * 3] for y in range(h))
open(sys.argv[1], "wb").write(
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    + chunk(b"tEXt", b"Comment\0secret") + chunk(b"IDAT", zlib.compress(rows, 1))
    + chunk(b"IEND", b""))
PY
for i in $(seq 1 9); do
	cp "$IN/a/p0.png" "$IN/a/p$i.png"
done
cp "$SCRUB_SRC/fixtures/jpeg/sample.jpg" "$SCRUB_SRC/fixtures/webp/sample.webp" "$IN/a/"
"$PYTHON" - "$SCRUB_SRC/fixtures/jpeg/sample.jpg" "$IN/z" <<'PY'
import os, sys
data = open(sys.argv[1], "rb").read()
for i in range(1000):
    open(os.path.join(sys.argv[2], f"tiny{i:04d}.jpg"), "wb").write(data)
PY
slow=12

# tty_run CMD: runs the shell command CMD on a pseudo-terminal, the
# terminal's bytes in $T/tty; SECS is how long it took.
tty_run()
{
	local start end
	rm -rf "$T/out"
	start=$EPOCHREALTIME
	script -qfec "$1" /dev/null </dev/null >"$T/tty" 2>&1
	RC=$?
	end=$EPOCHREALTIME
	SECS=$("$PYTHON" -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$start" "$end")
}

# The batch: checked, cleaned copies of the whole tree (which stays as it is).
batch=$(printf '%q ' "$SCRUB" -r --verify --no-sync -o "$T/out" "$IN")

# Double the tree until a batch runs for more than two seconds here, so the
# line has a second to appear and then many files to be redrawn over (no
# timed assertion: the size adapts to the machine and the build).
while :; do
	tty_run "$batch"
	long=$("$PYTHON" -c 'import sys; print(int(float(sys.argv[1]) > 2.0))' "$SECS")
	[ "$long" = 1 ] && break
	[ "$slow" -ge 20000 ] && skip "no batch of $slow slow files runs over two seconds here"
	cp -r "$IN/a" "$IN/a.copy" && mv "$IN/a.copy" "$IN/a/copy$slow" || exit 2
	slow=$((slow * 2))
done
files=$((slow + 1000))
assert_rc "batch on a terminal" 0
echo "batch of $files files took $SECS s on a terminal"

# The captured bytes: every draw is "\rscrub: ...\e[K".
"$PYTHON" - "$T/tty" "$SECS" "$files" <<'PY' && pass || fail "progress line on a terminal (see above)"
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
secs, files = float(sys.argv[2]), int(sys.argv[3])
draws = list(re.finditer(r"\rscrub: ([^\r\n\x1b]*)\x1b\[K", data))
shape = re.compile(r"(\d+)/(\d+) files, [\d.]+/[\d.]+ (B|kB|MB|GB|TB), [\d.]+ MB/s, "
                   r"\d+:\d\d:\d\d left")
bad = []
if not draws:
    bad.append("no progress line in a batch of %.1f s" % secs)
for m in draws:
    text = m.group(1)
    s = shape.fullmatch(text)
    if not s:
        bad.append("line lacks files, bytes, rate or time left: %r" % text)
    elif int(s.group(2)) != files:
        bad.append("line counts %s files, the batch has %d: %r" % (s.group(2), files, text))
    if len("scrub: " + text) > 79:
        bad.append("line wider than 79 columns: %r" % text)
# This batch prints nothing per file, so the line stays up from one draw to
# the next: no erase in between (a line erased as soon as drawn is not seen).
for m, n in zip(draws, draws[1:]):
    if data[m.end():n.start()]:
        bad.append("between two draws: %r" % data[m.end():n.start()][:40])
        break
# Ten a second at most: the first draw after one second, then 0.1 s apart.
if len(draws) > 10 * secs + 1:
    bad.append("%d redraws in %.2f s: more than ten a second" % (len(draws), secs))
if draws:
    after = data[draws[-1].end():]
    if not after.startswith("\r\x1b[K"):
        bad.append("the last line is not erased: %r follows it" % after[:60])
    if "files, " in after:
        bad.append("progress text after the final erase: %r" % after[:80])
    if "scrubbed" not in after:
        bad.append("no summary after the progress line: %r" % after[:80])
for b in bad[:5]:
    print(b, file=sys.stderr)
print(f"{len(draws)} redraws in {secs:.2f} s")
sys.exit(1 if bad else 0)
PY

# stderr a file, or a pipe, with stdout still the terminal: no progress.
tty_run "$batch 2>$(printf '%q' "$T/err.file")"
assert_rc "batch with stderr to a file" 0
if grep -aq 'files, ' "$T/err.file" "$T/tty"; then
	fail "progress written with stderr a file: $(head -c 200 "$T/err.file" | od -c | head -3)"
else
	pass
fi
assert_empty "$T/err.file" "stderr of a batch when it is a file"
tty_run "$batch 2>&1 >/dev/null | cat >$(printf '%q' "$T/err.pipe")"
if grep -aq 'files, ' "$T/err.pipe" "$T/tty"; then
	fail "progress written with stderr a pipe: $(head -c 200 "$T/err.pipe" | od -c | head -3)"
else
	pass
fi
assert_empty "$T/err.pipe" "stderr of a batch when it is a pipe"

# -q: nothing at all, even on a terminal.
tty_run "$(printf '%q ' "$SCRUB" -q -r --verify --no-sync -o "$T/out" "$IN")"
assert_empty "$T/tty" "terminal output of a -q batch"

finish
