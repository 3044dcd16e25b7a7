# The one helper library of the CLI tests; sourced, never run.
#
# Provides a temp dir ($T) removed on exit, a failure counter, one
# vocabulary of checks (check, assert_*; a failing one prints what it
# expected and what it got), the oracles (the single copy of the SPEC.md
# 1.3 exiftool allowlist, Pillow pixel and frame comparison, jpeginfo,
# pngcheck and webpinfo), and the fixture makers the batch tests share. A
# test calls `finish` last: it prints "N passed, M failed" and exits
# non-zero when something failed.
#
# Environment (set by ctest): SCRUB, SCRUB_SRC, SCRUB_SHARED, PYTHON.

set -u

: "${SCRUB:?SCRUB must point at the scrub binary}"
: "${SCRUB_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SCRUB_SHARED:=$SCRUB_SRC/../shared}"
: "${PYTHON:=/usr/bin/python3}"
export LC_ALL=C PYTHON

T=$(mktemp -d "${TMPDIR:-/tmp}/scrub-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP

PASS=0
FAIL=0

fail()
{
	FAIL=$((FAIL + 1))
	printf 'FAIL: %s\n' "$*" >&2
	return 1
}

pass()
{
	PASS=$((PASS + 1))
	return 0
}

# skip REASON: the whole test is skipped (ctest SKIP_RETURN_CODE 77).
skip()
{
	printf 'SKIP: %s\n' "$*"
	exit 77
}

need()
{
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
	done
}

finish()
{
	printf '%d passed, %d failed\n' "$PASS" "$FAIL"
	[ "$FAIL" -eq 0 ]
	exit $?
}

# check DESC CMD...: runs CMD, which should succeed. A failure says what
# ran, its exit status and the start of what it printed.
check()
{
	local desc=$1 rc out
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass
	else
		fail "$desc: expected success of '$*', got exit $rc${out:+: $(printf '%s' "$out" | head -c 300)}"
	fi
}

assert_eq()
{
	# assert_eq WHAT EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then
		pass
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# run_scrub ARGS...: runs $SCRUB, leaving RC, $T/out and $T/err.
run_scrub()
{
	"$SCRUB" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

assert_rc()
{
	# assert_rc WHAT EXPECTED (uses RC of the last run_scrub)
	if [ "$RC" -eq "$2" ]; then
		pass
	else
		fail "$1: exit $RC, expected $2 (stderr: $(head -c 300 "$T/err"))"
	fi
}

# assert_one_line_error FILE-NAME: stderr of the last run is one line naming it.
assert_one_line_error()
{
	local lines
	lines=$(wc -l <"$T/err")
	if [ "$lines" -eq 1 ] && grep -qF -- "$1" "$T/err" && grep -q '^scrub: ' "$T/err"; then
		pass
	else
		fail "expected one 'scrub: ' line naming '$1' on stderr, got: $(cat "$T/err")"
	fi
}

# --- file state ---------------------------------------------------------

file_state()
{
	printf '%s %s\n' "$(sha256sum <"$1" | cut -d' ' -f1)" "$(stat -c '%i %y %a %h' -- "$1")"
}

# snap FILE: remembers content, inode, mtime, mode and link count.
snap()
{
	mkdir -p "$T/.snap"
	file_state "$1" >"$T/.snap/$(printf '%s' "$1" | sha256sum | cut -c1-16)"
}

# assert_untouched FILE: same bytes, inode, mtime, mode, links as at snap.
assert_untouched()
{
	local key want got
	key="$T/.snap/$(printf '%s' "$1" | sha256sum | cut -c1-16)"
	if [ ! -f "$key" ]; then
		fail "assert_untouched $1: no snapshot"
		return 1
	fi
	want=$(cat "$key")
	got=$(file_state "$1")
	if [ "$want" = "$got" ]; then
		pass
	else
		fail "$1 was touched: before '$want', after '$got'"
	fi
}

# assert_no_tempfiles DIR: scrub left no temporary files behind.
assert_no_tempfiles()
{
	local left
	left=$(find "$1" -name '*.scrub-tmp-*' | head -5)
	if [ -z "$left" ]; then
		pass
	else
		fail "temporary files left behind: $left"
	fi
}

# Each file a generator listed as broken (TSV of name and why, in dir FX) is
# copied into W, refused with status 2 and one line naming it, and left
# byte-identical; no temp stays behind.
assert_refuses_listed()
{
	local fx=$1 w=$2 name why
	while IFS=$'\t' read -r name why; do
		cp "$fx/$name" "$w/$name"
		snap "$w/$name"
		run_scrub "$w/$name"
		assert_rc "$name ($why)" 2
		assert_one_line_error "$name"
		assert_untouched "$w/$name"
	done <"$fx/bad.tsv"
	assert_no_tempfiles "$w"
}

assert_same_bytes()
{
	if cmp -s -- "$1" "$2"; then
		pass
	else
		fail "$1 and $2 differ"
	fi
}

# assert_no_text FILE STRING...: none of the planted strings remains.
assert_no_text()
{
	local f=$1 s n
	shift
	for s in "$@"; do
		n=$(grep -c -a -F -- "$s" "$f")
		if [ "$n" -eq 0 ]; then
			pass
		else
			fail "$f still contains '$s' ($n lines)"
		fi
	done
}

# assert_has_text FILE STRING...: the planted strings are really there (fixture check).
assert_has_text()
{
	local f=$1 s
	shift
	for s in "$@"; do
		if grep -q -a -F -- "$s" "$f"; then
			pass
		else
			fail "$f lacks '$s'"
		fi
	done
}

# --- oracles --------------------------------------------------------------

# exiftool with a memory cap: some malformed boxes make it allocate gigabytes.
xt()
{
	(
		ulimit -v 2000000
		exec exiftool "$@"
	)
}

# xt_set FILE TAG=VALUE...: exiftool writes the tags into FILE in place.
xt_set()
{
	local f=$1
	shift
	xt -q -q -overwrite_original "$@" -- "$f" || fail "exiftool cannot write $f"
}

# --- reports ---------------------------------------------------------------

# json_get FILE PATH: a member of the first JSON object of FILE, by a dotted
# path; prints "" when absent. No jq needed.
json_get()
{
	"$PYTHON" - "$@" <<'EOF'
import json, sys
rec = json.loads(open(sys.argv[1]).readline())
for k in sys.argv[2].split("."):
    rec = rec.get(k) if isinstance(rec, dict) else None
print("" if rec is None else rec)
EOF
}

# expect FILE PATH VALUE: the first JSON object of FILE has PATH = VALUE.
expect()
{
	assert_eq "$(basename "$1") .$2" "$3" "$(json_get "$1" "$2")"
}

# report FILE: --report --json of FILE into $T/NAME.json; it must hold something (exit 1).
report()
{
	"$SCRUB" --report --json -- "$1" >"$T/$(basename "$1").json" 2>"$T/err"
	RC=$?
	assert_rc "--report --json $(basename "$1")" 1
}

# Tags a clean file may show under `exiftool -a -G1 -s` (SPEC.md section 1.3).
# Reads exiftool output for one or many files; prints "FILE: offending line"
# (FILE empty for a single file).
clean_filter()
{
	awk '
	/^======== / { file = substr($0, 10); next }
	/^ +[0-9]+ (image files|files|directories) / { next }
	{
		if (!match($0, /^\[[^]]*\]/)) { print file ": unparsed: " $0; next }
		g = substr($0, 2, RLENGTH - 2)
		rest = substr($0, RLENGTH + 1)
		sub(/^[ \t]+/, "", rest)
		tag = rest
		sub(/[ \t].*$/, "", tag)
		if (g == "ExifTool" || g == "System" || g == "JFIF" || g == "Adobe" ||
		    g == "RIFF" || g == "PNG-pHYs" || g ~ /^ICC/)
			next
		if (g == "File" && tag != "Comment")
			next
		if (g == "Composite" && (tag == "ImageSize" || tag == "Megapixels"))
			next
		if (g == "IFD0" && (tag == "Orientation" || tag == "XResolution" ||
		    tag == "YResolution" || tag == "ResolutionUnit" || tag == "YCbCrPositioning"))
			next
		if (g == "PNG" && tag ~ /^(ImageWidth|ImageHeight|BitDepth|ColorType|Compression|Filter|Interlace|Gamma|WhitePoint[XY]|Red[XY]|Green[XY]|Blue[XY]|Palette|BackgroundColor|SRGBRendering|Transparency|SignificantBits|ProfileName|PaletteHistogram|AnimationFrames|AnimationPlays|PixelsPerUnit[XY]|PixelUnits)$/)
			next
		# GIF screen and animation structure; its Text (plain text) and comments are not.
		if (g == "GIF" && tag ~ /^(GIFVersion|ImageWidth|ImageHeight|HasColorMap|ColorResolutionDepth|BitsPerPixel|BackgroundColor|PixelAspectRatio|AnimationIterations|FrameCount|Duration|TransparentColor)$/)
			next
		# JPEG XL ftyp brands, which exiftool files under Jpeg2000.
		if (g == "Jpeg2000" && tag ~ /^(MajorBrand|MinorVersion|CompatibleBrands)$/)
			next
		# HEIF/AVIF structure: brands, handler, primary item, sizes, codec
		# configuration, colour and rotation (exiftool files them under
		# QuickTime and Meta); its Exif, XMP and item names are not.
		if (g == "Meta" && tag ~ /^(PrimaryItemReference|MetaImageSize)$/)
			next
		if (g == "Composite" && tag == "Rotation")
			next
		if (g == "QuickTime" && tag ~ /^(MajorBrand|MinorVersion|CompatibleBrands|HandlerType|HandlerDescription|PrimaryItemReference|ImageSpatialExtent|ImagePixelDepth|Rotation|ColorProfiles|ColorPrimaries|TransferCharacteristics|MatrixCoefficients|VideoFullRangeFlag|ChromaFormat|BitDepthLuma|BitDepthChroma|HEVCConfigurationVersion|GeneralProfileSpace|GeneralTierFlag|GeneralProfileIDC|GenProfileCompatibilityFlags|ConstraintIndicatorFlags|GeneralLevelIDC|MinSpatialSegmentationIDC|ParallelismType|AverageFrameRate|ConstantFrameRate|NumTemporalLayers|TemporalIDNested|AV1ConfigurationVersion|ChromaSamplePosition|MediaDataSize|MediaDataOffset|PixelAspectRatio|AuxiliaryImageType|ImageRotation|Mirroring)$/)
			next
		print file ": " $0
	}'
}

# assert_clean FILE: exiftool shows nothing outside the allowlist.
assert_clean()
{
	local extra
	extra=$(xt -a -G1 -s -- "$1" 2>&1 | clean_filter)
	if [ -z "$extra" ]; then
		pass
	else
		fail "$1 not clean: $(printf '%s' "$extra" | head -8 | tr '\n' ';')"
	fi
}

# assert_dirty FILE: the fixture really carries something to remove.
assert_dirty()
{
	local extra
	extra=$(xt -a -G1 -s -- "$1" 2>&1 | clean_filter)
	if [ -n "$extra" ]; then
		pass
	else
		fail "fixture $1 carries no metadata outside the allowlist"
	fi
}

# assert_clean_all FILE...: assert_clean for many files with one exiftool run.
assert_clean_all()
{
	if [ $# -eq 1 ]; then
		assert_clean "$1"
		return
	fi
	local report f bad
	report=$(xt -a -G1 -s -- "$@" 2>&1 | clean_filter)
	for f in "$@"; do
		bad=$(printf '%s\n' "$report" | grep -F -- "$f: " | head -6 | tr '\n' ';')
		if [ -z "$bad" ]; then
			pass
		else
			fail "$f not clean: $bad"
		fi
	done
	# Lines not attributed to a file (exiftool errors) fail too.
	bad=$(printf '%s\n' "$report" | grep '^: ' | head -3 | tr '\n' ';')
	[ -z "$bad" ] || fail "exiftool: $bad"
}

# tags_all TAG FILE...: "FILE<TAB>value" lines (numeric, "-" when absent), one exiftool run.
tags_all()
{
	local t=$1
	shift
	xt -q -q -T -n -FilePath -"$t" -- "$@"
}

# icc_sums_all FILE...: "FILE<TAB>sha256 of the ICC profile" ("-" when none), one exiftool run.
icc_sums_all()
{
	xt -q -q -j -b -FilePath -ICC_Profile -- "$@" | "$PYTHON" -c '
import base64, hashlib, json, sys
for rec in json.load(sys.stdin):
    icc = rec.get("ICC_Profile")
    if isinstance(icc, str) and icc.startswith("base64:"):
        icc = hashlib.sha256(base64.b64decode(icc[7:])).hexdigest()
    print("%s\t%s" % (rec["FilePath"], icc or "-"))'
}

# pixels FILE: "mode size sha256" of the decoded pixels (Pillow, no transpose).
pixels()
{
	"$PYTHON" - "$1" <<'EOF'
import hashlib, sys
from PIL import Image
with Image.open(sys.argv[1]) as im:
    im.load()
    print(im.mode, "%dx%d" % im.size, hashlib.sha256(im.tobytes()).hexdigest())
EOF
}

# assert_same_pixels_pairs A1 B1 A2 B2 ...: assert_same_pixels with one Python run.
assert_same_pixels_pairs()
{
	local out
	out=$("$PYTHON" - "$@" <<'EOF2'
import hashlib, sys
from PIL import Image
def px(path):
    try:
        with Image.open(path) as im:
            im.load()
            return "%s %dx%d %s" % (im.mode, im.size[0], im.size[1],
                                    hashlib.sha256(im.tobytes()).hexdigest())
    except Exception as e:
        return "error: %s" % e
a = sys.argv[1:]
for i in range(0, len(a) - 1, 2):
    x, y = px(a[i]), px(a[i + 1])
    ok = x == y and not x.startswith("error")
    print("%s\t%s\t%s" % ("same" if ok else "DIFF", a[i + 1], "" if ok else x + " vs " + y))
EOF2
)
	local line
	while IFS= read -r line; do
		case $line in
		same*) pass ;;
		*) fail "pixels differ: $line" ;;
		esac
	done <<<"$out"
	[ "$(printf '%s\n' "$out" | grep -c .)" -eq $(($# / 2)) ] || fail "pixel compare ran on too few files"
}

# assert_same_pixels A B: both decode to the same mode, size and bytes.
assert_same_pixels()
{
	local a b
	a=$(pixels "$1" 2>&1) || { fail "cannot decode $1: $a"; return 1; }
	b=$(pixels "$2" 2>&1) || { fail "cannot decode $2: $b"; return 1; }
	if [ "$a" = "$b" ]; then
		pass
	else
		fail "pixels differ: $1 ($a) vs $2 ($b)"
	fi
}

# assert_valid_jpeg FILE: jpeginfo -c finds no error. jpeginfo cannot convert
# CMYK/YCCK to RGB; for those, jpegtran -strict must entropy-decode every
# coefficient without a warning instead.
assert_valid_jpeg()
{
	local out
	out=$(jpeginfo -c -- "$1" 2>&1)
	if [ $? -eq 0 ] && printf '%s' "$out" | grep -qE '(^|[[:space:]])OK[[:space:]]*$'; then
		pass
	elif printf '%s' "$out" | grep -q 'Unsupported color conversion request' &&
		jpegtran -strict -copy none -outfile /dev/null "$1" 2>/dev/null; then
		pass
	else
		fail "jpeginfo rejects $1: $out"
	fi
}

# The lossless transform that undoes EXIF orientation o (jpegtran options).
undo_orientation()
{
	case $1 in
	2) echo "-flip horizontal" ;;
	3) echo "-rotate 180" ;;
	4) echo "-flip vertical" ;;
	5) echo "-transpose" ;;
	6) echo "-rotate 270" ;;
	7) echo "-transverse" ;;
	8) echo "-rotate 90" ;;
	esac
}

# assert_upright ORIG OUT O: OUT is ORIG with orientation O applied to the
# pixels losslessly: turning OUT back with jpegtran gives ORIG's exact pixels,
# and OUT is within rounding of Pillow's exif_transpose of ORIG.
assert_upright()
{
	local back="$T/.upright.$$.jpg" res
	# shellcheck disable=SC2046
	if ! jpegtran -perfect $(undo_orientation "$3") -outfile "$back" "$2" 2>/dev/null; then
		fail "$2: jpegtran cannot undo orientation $3"
		return 1
	fi
	assert_same_pixels "$1" "$back"
	rm -f "$back"
	res=$("$PYTHON" - "$1" "$2" <<'EOF2'
import sys
from PIL import Image, ImageOps
with Image.open(sys.argv[1]) as a, Image.open(sys.argv[2]) as b:
    a = ImageOps.exif_transpose(a)
    if a.size != b.size or a.mode != b.mode:
        print("size/mode %s %s vs %s %s" % (a.mode, a.size, b.mode, b.size))
    else:
        d = max(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes()))
        print("ok" if d <= 8 else "max difference %d" % d)
EOF2
)
	if [ "$res" = ok ]; then
		pass
	else
		fail "$2 is not $1 turned upright: $res"
	fi
}

# assert_ends_with_eoi FILE: nothing follows the final FF D9.
assert_ends_with_eoi()
{
	local tail
	tail=$(tail -c 2 -- "$1" | od -An -tx1 | tr -d ' \n')
	assert_eq "$1 ends with EOI" "ffd9" "$tail"
}

# tag FILE TAG: numeric value of an exiftool tag, empty when absent.
tag()
{
	xt -s3 -n -"$2" -- "$1" 2>/dev/null
}

# icc_sum FILE: sha256 of the ICC profile, empty when there is none.
icc_sum()
{
	local tmp="$T/.icc.$$"
	xt -b -icc_profile -- "$1" >"$tmp" 2>/dev/null
	if [ -s "$tmp" ]; then
		sha256sum <"$tmp" | cut -d' ' -f1
	fi
	rm -f "$tmp"
}

# need_pillow: skips unless $PYTHON can import PIL.
need_pillow()
{
	"$PYTHON" -c 'import PIL' 2>/dev/null || skip "$PYTHON has no Pillow"
}

# gen_fixtures: generated JPEG fixtures in $FX, described by $FX/list.tsv.
gen_fixtures()
{
	need convert exiftool jpegtran cjpeg djpeg jpeginfo
	need_pillow
	FX=$T/fx
	if ! PYTHON=$PYTHON bash "$SCRUB_SRC/tests/gen-jpeg-fixtures.sh" "$FX" >"$T/gen.log" 2>&1; then
		cat "$T/gen.log" >&2
		printf 'cannot generate fixtures\n' >&2
		exit 1
	fi
}

# fixture_names: the fixture file names, one a line.
fixture_names()
{
	cut -f1 "$FX/list.tsv"
}

# fixture_field NAME COLUMN: a column of list.tsv (2 orientation, 3 icc, 4 strings).
fixture_field()
{
	awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$FX/list.tsv"
}

# planted_strings NAME: the planted strings, one a line.
planted_strings()
{
	fixture_field "$1" 4 | tr '|' '\n' | sed '/^$/d'
}

# --- every format -----------------------------------------------------

# is_clean FILE: exiftool shows nothing outside the allowlist (a predicate).
is_clean()
{
	[ -z "$(xt -a -G1 -s -- "$1" 2>&1 | clean_filter)" ]
}

# same_frames A B: every frame decodes (Pillow) to the same mode, size and bytes.
same_frames()
{
	"$PYTHON" - "$1" "$2" <<'EOF2'
import sys
from PIL import Image, ImageSequence
def frames(p):
    with Image.open(p) as im:
        return [(f.mode, f.size, f.tobytes()) for f in ImageSequence.Iterator(im)]
a, b = frames(sys.argv[1]), frames(sys.argv[2])
if not a or a != b:
    print("%d frames vs %d, first difference at %s" % (len(a), len(b),
          next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))))
    sys.exit(1)
EOF2
}

# valid_image FILE: the validator for the file's content (names may lie).
valid_image()
{
	case "$(head -c 4 "$1" | od -An -c | tr -d ' ')" in
	*PNG*) pngcheck -q "$1" >/dev/null 2>&1 ;;
	RIFF) webpinfo -quiet "$1" >/dev/null 2>&1 && ! webpinfo "$1" 2>&1 | grep -q 'Errors detected' ;;
	*377330*) jpeginfo -c "$1" >/dev/null 2>&1 ;;
	*) echo "no validator for $1"; return 1 ;;
	esac
}

# json_of FILE EXPR: EXPR (Python, over the report object o) of `--report --json FILE`.
json_of()
{
	"$SCRUB" --report --json "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(eval(sys.argv[1]))' "$2"
}

# scrub_checks SRC F [ORIENT]: scrubs F, a copy of fixture SRC, and checks it:
# allowlist, frames, validator, no SECRET byte, orientation ORIENT (empty =
# none); then a second scrub and --check change and find nothing.
scrub_checks()
{
	local src=$1 f=$2 orient=${3:-} name got before
	name=$(basename "$f")
	cp "$src" "$f"
	if ! "$SCRUB" "$f" 2>"$T/err"; then
		fail "$name: scrub failed: $(cat "$T/err")"
		return
	fi
	assert_clean "$f"
	check "$name: same pixels in every frame" same_frames "$src" "$f"
	check "$name: validator accepts the output" valid_image "$f"
	assert_no_text "$f" SECRET
	got=$(tag "$f" IFD0:Orientation)
	assert_eq "$name: orientation" "$orient" "$got"
	before=$(file_state "$f")
	"$SCRUB" "$f" 2>>"$T/err" || fail "$name: second scrub failed: $(cat "$T/err")"
	assert_eq "$name: second scrub leaves the file (bytes, inode, mtime)" "$before" "$(file_state "$f")"
	check "$name: --check after the scrub finds nothing" "$SCRUB" --check "$f"
}

# assert_refused FILE: a scrub exits 2 with one message naming FILE, which
# stays byte-identical, and leaves no temp file.
assert_refused()
{
	local f=$1 before
	before=$(file_state "$f")
	run_scrub "$f"
	assert_rc "$(basename "$f") refused" 2
	assert_one_line_error "$(basename "$f")"
	assert_eq "$(basename "$f") untouched" "$before" "$(file_state "$f")"
	assert_no_tempfiles "$(dirname "$f")"
}

# --- batches: one dirty master per format, copied around ------------------
# Made with ImageMagick + exiftool (GPS, Artist, Comment) once per test, so
# a test pays for exiftool once, not once per file. Masters live in $T/.m
# and are never handed to scrub.

master()
{
	local ext=$1 m=$T/.m/dirty.$1
	if [ ! -f "$m" ]; then
		need convert exiftool
		mkdir -p "$T/.m"
		case $ext in
		jpg)
			convert -size 800x600 plasma:fractal -quality 95 "$m" &&
			exiftool -q -q -overwrite_original -Artist='Jane Secret' \
				-Comment='secret comment' -GPSLatitude=48.8583 -GPSLatitudeRef=N \
				-GPSLongitude=2.2944 -GPSLongitudeRef=E -- "$m" ;;
		*)
			convert -size 40x30 gradient:red-blue "$m" &&
			exiftool -q -q -overwrite_original -XMP:Artist='Jane Secret' \
				-GPSLatitude=48.8 -GPSLatitudeRef=N -- "$m" ;;
		esac || skip "cannot make a $ext fixture"
	fi
	printf '%s\n' "$m"
}

# put_jpeg / put_png / put_webp DEST...: copies of the dirty master.
put_master()
{
	local m d
	m=$(master "$1")
	shift
	for d in "$@"; do
		mkdir -p -- "$(dirname -- "$d")" && cp -- "$m" "$d"
	done
}
put_jpeg() { put_master jpg "$@"; }
put_png() { put_master png "$@"; }
put_webp() { put_master webp "$@"; }

# with_meta FILE...: the files exiftool still finds GPS, Artist or a comment
# in (empty output = all clean).
with_meta()
{
	[ $# -gt 0 ] || return 0
	exiftool -q -q -m -if '$GPSLatitude or $GPSLongitude or $Artist or $Comment' \
		-p '$Directory/$FileName' -- "$@" 2>&1
}

# assert_no_meta FILE...: exiftool finds no GPS/Artist/Comment in any of them.
assert_no_meta()
{
	local left
	left=$(with_meta "$@")
	assert_eq "files still carrying GPS/Artist/Comment" "" "$(printf '%s' "$left" | tr '\n' ' ' | head -c 400)"
}

# assert_meta FILE...: every one of them still carries the planted metadata.
assert_meta()
{
	local f
	for f in "$@"; do
		if [ -n "$(with_meta "$f")" ]; then
			pass
		else
			fail "$f: expected its metadata left alone, got none"
		fi
	done
}

# sha FILE: sha256 of the content.
sha()
{
	sha256sum <"$1" | cut -d' ' -f1
}

# tree_sums DIR: "sha256  relative-path" for every regular file, sorted.
tree_sums()
{
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
}

# assert_grep FILE STRING DESC: FILE contains STRING.
assert_grep()
{
	if grep -qF -- "$2" "$1"; then
		pass
	else
		fail "$3: expected '$2' in $(basename "$1"), got: $(head -c 300 "$1")"
	fi
}

# assert_empty FILE DESC
assert_empty()
{
	if [ ! -s "$1" ]; then
		pass
	else
		fail "$2: expected nothing, got: $(head -c 300 "$1")"
	fi
}

# assert_jsonl FILE [N]: every line parses as a JSON object (and N lines).
assert_jsonl()
{
	local out
	out=$("$PYTHON" - "$1" "${2:-}" <<'EOF2'
import json, sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
else:
    print("output does not end with a newline"); sys.exit(1)
for i, l in enumerate(lines):
    try:
        o = json.loads(l)
    except Exception as e:
        print("line %d is not JSON (%s): %r" % (i + 1, e, l[:200])); sys.exit(1)
    if not isinstance(o, dict):
        print("line %d is not an object" % (i + 1)); sys.exit(1)
if sys.argv[2] and len(lines) != int(sys.argv[2]):
    print("%d lines, expected %s" % (len(lines), sys.argv[2])); sys.exit(1)
EOF2
)
	if [ $? -eq 0 ]; then
		pass
	else
		fail "JSON Lines check of $(basename "$1"): $out"
	fi
}

# json_field FILE FIELD: "file<TAB>value" per line (file with non-UTF-8
# bytes escaped as Python sees them).
json_field()
{
	"$PYTHON" - "$1" "$2" <<'EOF2'
import json, sys
for l in open(sys.argv[1], "rb").read().splitlines():
    o = json.loads(l)
    print("%s\t%s" % (ascii(o.get("file")), o.get(sys.argv[2])))
EOF2
}

# --- GIF and JPEG XL (tests/giftool.py, tests/jxltool.py) -------------------

giftool() { "$PYTHON" "$SCRUB_SRC/tests/giftool.py" "$@"; }
jxltool() { "$PYTHON" "$SCRUB_SRC/tests/jxltool.py" "$@"; }

# gen_format_fixtures gif|jxl: fixtures of tests/gen-FORMAT-fixtures.sh in $FX,
# listed in $FX/list.tsv (name, contents, planted strings) and $FX/bad.tsv.
gen_format_fixtures()
{
	FX=$T/fx-$1
	if ! PYTHON=$PYTHON bash "$SCRUB_SRC/tests/gen-$1-fixtures.sh" "$FX" >"$T/gen-$1.log" 2>&1; then
		cat "$T/gen-$1.log" >&2
		printf 'cannot generate %s fixtures\n' "$1" >&2
		exit 1
	fi
}

# list_field NAME COLUMN: a column of $FX/list.tsv (2 contents, 3 planted strings).
list_field()
{
	awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$FX/list.tsv"
}

# has_content NAME WORD: the fixture's contents column names WORD.
has_content()
{
	case ",$(list_field "$1" 2)," in
	*",$2,"*) return 0 ;;
	*) return 1 ;;
	esac
}

# assert_structure_clean gif|jxl FILE [ARG]: the walker finds nothing SPEC 1.3
# forbids (for gif, ARG --no-icc forbids the ICC extension too).
assert_structure_clean()
{
	local out
	if out=$("${1}tool" check-clean ${3:+"$3"} "$2" 2>&1); then
		pass
	else
		fail "$2 not structurally clean: $(printf '%s' "$out" | head -5 | tr '\n' ';')"
	fi
}

# assert_same_gif_frames A1 B1 A2 B2 ...: every frame of each pair decodes
# (Pillow, RGBA) to the same pixels with the same duration, disposal,
# transparency and loop count, and the blocks say the same timing.
assert_same_gif_frames()
{
	local out line
	out=$(giftool same-frames "$@")
	while IFS= read -r line; do
		case $line in
		same*) pass ;;
		*) fail "frames differ: $line" ;;
		esac
	done <<<"$out"
	[ "$(printf '%s\n' "$out" | grep -c .)" -eq $(($# / 2)) ] || fail "frame compare ran on too few files"
}

# assert_valid_gif FILE: gifsicle and giftext read it without a word of complaint.
assert_valid_gif()
{
	local err
	if err=$(gifsicle --info "$1" 2>&1 >/dev/null) && [ -z "$err" ] && giftext "$1" >/dev/null 2>&1; then
		pass
	else
		fail "gifsicle/giftext reject $1: $err"
	fi
}

# assert_valid_jxl FILE: jxlinfo reads it and djxl decodes it.
assert_valid_jxl()
{
	if jxlinfo "$1" >/dev/null 2>&1 && djxl "$1" "$T/.valid.png" >/dev/null 2>&1; then
		pass
	else
		fail "jxlinfo/djxl reject $1"
	fi
	rm -f "$T/.valid.png"
}

# assert_same_jxl_pixels ORIG OUT: OUT decodes (djxl) to the pixels of ORIG's
# codestream on its own (libjxl 0.7 misreads some containers, not
# codestreams): every frame, with its duration (djxl writes animations as APNG).
assert_same_jxl_pixels()
{
	jxltool codestream "$1" >"$T/.orig.jxl"
	if ! djxl "$T/.orig.jxl" "$T/.orig.png" >/dev/null 2>&1; then
		fail "djxl cannot decode the codestream of $1"
	elif ! djxl "$2" "$T/.out.png" >/dev/null 2>&1; then
		fail "djxl cannot decode $2"
	else
		local res
		res=$("$PYTHON" - "$T/.orig.png" "$T/.out.png" <<'EOF2'
import hashlib, sys
from PIL import Image, ImageSequence
def frames(p):
    with Image.open(p) as im:
        return [(f.mode, f.size, f.info.get("duration"), hashlib.sha256(f.tobytes()).hexdigest())
                for f in ImageSequence.Iterator(im)]
a, b = frames(sys.argv[1]), frames(sys.argv[2])
print("same" if a == b and a else "%d frames %s vs %d frames %s" % (len(a), a[:1], len(b), b[:1]))
EOF2
)
		if [ "$res" = same ]; then
			pass
		else
			fail "pixels of $2 differ from those of $1: $res"
		fi
	fi
	rm -f "$T/.orig.jxl" "$T/.orig.png" "$T/.out.png"
}
