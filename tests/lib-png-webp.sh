# Helpers for the PNG and WebP CLI tests; sourced, never run.
#
# Gives a temp dir ($T, removed on exit), pass/fail counters and the oracles:
# exiftool allowlist (SPEC.md section 1.3), Pillow pixel comparison over
# every frame, pngcheck/webpinfo, and the "second scrub is a no-op" check.
# Environment (set by ctest): SCRUB, SCRUB_SRC, SCRUB_SHARED, PYTHON.

set -u
: "${SCRUB:?SCRUB must point at the scrub binary}"
: "${SCRUB_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SCRUB_SHARED:=$SCRUB_SRC/../shared}"
: "${PYTHON:=/usr/bin/python3}"
export LC_ALL=C PYTHON

T=$(mktemp -d "${TMPDIR:-/tmp}/scrub-pw.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
PW_PASS=0
PW_FAIL=0

pw_fail() { PW_FAIL=$((PW_FAIL + 1)); printf 'FAIL: %s\n' "$*" >&2; }
pw_ok() { PW_PASS=$((PW_PASS + 1)); }
pw_check() { local d=$1; shift; if "$@"; then pw_ok; else pw_fail "$d"; fi; }
pw_skip() { printf 'SKIP: %s\n' "$*"; exit 77; }
pw_need() { local t; for t in "$@"; do command -v "$t" >/dev/null 2>&1 || pw_skip "$t not installed"; done; }
pw_finish() { printf '%d passed, %d failed\n' "$PW_PASS" "$PW_FAIL"; [ "$PW_FAIL" -eq 0 ]; }

pw_need exiftool pngcheck webpinfo
"$PYTHON" -c 'import PIL' 2>/dev/null || pw_skip "Pillow missing for $PYTHON"

# Tags exiftool may still show after a default scrub (SPEC.md section 1.3).
pw_disallowed()
{
	exiftool -a -G1 -s "$1" 2>/dev/null |
		grep -vE '^\[(ExifTool|System|JFIF|Adobe|RIFF|PNG-pHYs|ICC[^]]*)\] ' |
		grep -vE '^\[File\] ' |
		grep -vE '^\[Composite\] +(ImageSize|Megapixels) ' |
		grep -vE '^\[IFD0\] +(Orientation|XResolution|YResolution|ResolutionUnit|YCbCrPositioning) ' |
		grep -vE '^\[PNG\] +(ImageWidth|ImageHeight|BitDepth|ColorType|Compression|Filter|Interlace|Gamma|WhitePoint[XY]|Red[XY]|Green[XY]|Blue[XY]|Palette|BackgroundColor|SRGBRendering|Transparency|SignificantBits|ProfileName|PaletteHistogram|AnimationFrames|AnimationPlays|PixelsPer.*|PixelUnits) '
	exiftool -a -G1 -s "$1" 2>/dev/null | grep -E '^\[File\] +Comment ' || true
}

pw_clean() { [ -z "$(pw_disallowed "$1")" ]; }

# Same decoded pixels, mode and size in every frame.
pw_same_pixels()
{
	"$PYTHON" - "$1" "$2" <<'EOF'
import sys
from PIL import Image, ImageSequence
def frames(p):
    with Image.open(p) as im:
        return [(f.mode, f.size, f.tobytes()) for f in ImageSequence.Iterator(im)]
a, b = frames(sys.argv[1]), frames(sys.argv[2])
sys.exit(0 if a == b and a else 1)
EOF
}

# The validator for the file's content (names may lie: a PNG called .jpg).
pw_valid()
{
	case "$(head -c 4 "$1" | od -An -c | tr -d ' ')" in
	*PNG*) pngcheck -q "$1" >/dev/null 2>&1 ;;
	RIFF) webpinfo -quiet "$1" >/dev/null 2>&1 && ! webpinfo "$1" 2>&1 | grep -q 'Errors detected' ;;
	*) return 1 ;;
	esac
}

pw_state() { stat -c '%i %Y %s' "$1" && sha256sum < "$1"; }

# Scrubs copy $2 of fixture $1 and runs every generic check; $3 = expected orientation.
pw_scrub_checks()
{
	local src=$1 f=$2 orient=${3:-}
	local name
	name=$(basename "$f")
	cp "$src" "$f"
	"$SCRUB" "$f" 2>"$T/err" || { pw_fail "$name: scrub failed: $(cat "$T/err")"; return; }
	pw_check "$name: exiftool shows only allowlisted tags: $(pw_disallowed "$f" | head -3)" pw_clean "$f"
	pw_check "$name: same pixels in every frame" pw_same_pixels "$src" "$f"
	pw_check "$name: validator accepts output" pw_valid "$f"
	pw_check "$name: no SECRET byte left" eval '! grep -q SECRET "$f"'
	local got
	got=$(exiftool -s3 -n -IFD0:Orientation "$f" 2>/dev/null)
	[ "$got" = "$orient" ] && pw_ok || pw_fail "$name: orientation '$got', expected '$orient'"
	local before after
	before=$(pw_state "$f")
	sleep 1.1 2>/dev/null || sleep 2
	"$SCRUB" "$f" 2>>"$T/err" || pw_fail "$name: second scrub failed"
	after=$(pw_state "$f")
	[ "$before" = "$after" ] && pw_ok || pw_fail "$name: second scrub rewrote the file"
	"$SCRUB" --check "$f" >/dev/null 2>&1 && pw_ok || pw_fail "$name: --check after scrub not clean"
}

# A malformed file: exit 2, one message naming it, file byte-identical.
pw_refused()
{
	local f=$1 name before
	name=$(basename "$f")
	before=$(pw_state "$f")
	"$SCRUB" "$f" 2>"$T/err"
	local rc=$?
	[ "$rc" = 2 ] && pw_ok || pw_fail "$name: exit $rc, expected 2"
	grep -qF "$name" "$T/err" && pw_ok || pw_fail "$name: message does not name the file: $(cat "$T/err")"
	[ "$(wc -l < "$T/err")" = 1 ] && pw_ok || pw_fail "$name: expected one line on stderr"
	[ "$before" = "$(pw_state "$f")" ] && pw_ok || pw_fail "$name: file changed"
	[ -z "$(find "$(dirname "$f")" -name '*scrub-tmp*' | head -1)" ] && pw_ok ||
		pw_fail "$name: temp file left"
}

# JSON report field via Python: pw_json FILE EXPR (EXPR over the object o).
pw_json()
{
	"$SCRUB" --report --json "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(eval(sys.argv[1]))' "$2"
}
