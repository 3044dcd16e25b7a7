# Helpers for the batch-engine CLI tests (tests/cli/test_batch_*.sh);
# sourced after tests/lib.sh, never run.
#
# Inputs are generated at test time: one dirty master per format is made
# with ImageMagick + exiftool (GPS, Artist, Comment) and copied around, so a
# test pays for exiftool once, not once per file.

need convert exiftool

# Masters live in $T/.m; they are never handed to scrub.
BATCH_M="$T/.m"
mkdir -p "$BATCH_M"

# master_jpeg: a dirty ~330 kB JPEG (GPS, IFD0 Artist, COM comment).
master_jpeg()
{
	if [ ! -f "$BATCH_M/dirty.jpg" ]; then
		convert -size 800x600 plasma:fractal -quality 95 "$BATCH_M/dirty.jpg" &&
		exiftool -q -q -overwrite_original -Artist='Jane Secret' \
			-Comment='secret comment' -GPSLatitude=48.8583 -GPSLatitudeRef=N \
			-GPSLongitude=2.2944 -GPSLongitudeRef=E -- "$BATCH_M/dirty.jpg" ||
			skip "cannot make a JPEG fixture"
	fi
	printf '%s\n' "$BATCH_M/dirty.jpg"
}

master_png()
{
	if [ ! -f "$BATCH_M/dirty.png" ]; then
		convert -size 40x30 gradient:red-blue "$BATCH_M/dirty.png" &&
		exiftool -q -q -overwrite_original -XMP:Artist='Jane Secret' \
			-GPSLatitude=48.8 -GPSLatitudeRef=N -- "$BATCH_M/dirty.png" ||
			skip "cannot make a PNG fixture"
	fi
	printf '%s\n' "$BATCH_M/dirty.png"
}

master_webp()
{
	if [ ! -f "$BATCH_M/dirty.webp" ]; then
		convert -size 40x30 gradient:red-blue "$BATCH_M/dirty.webp" &&
		exiftool -q -q -overwrite_original -XMP:Artist='Jane Secret' \
			-GPSLatitude=48.8 -GPSLatitudeRef=N -- "$BATCH_M/dirty.webp" ||
			skip "cannot make a WebP fixture"
	fi
	printf '%s\n' "$BATCH_M/dirty.webp"
}

# put_jpeg DEST...: copies of the dirty JPEG master.
put_jpeg()
{
	local m d
	m=$(master_jpeg)
	for d in "$@"; do
		mkdir -p -- "$(dirname -- "$d")" && cp -- "$m" "$d"
	done
}

put_png()
{
	local m d
	m=$(master_png)
	for d in "$@"; do
		mkdir -p -- "$(dirname -- "$d")" && cp -- "$m" "$d"
	done
}

put_webp()
{
	local m d
	m=$(master_webp)
	for d in "$@"; do
		mkdir -p -- "$(dirname -- "$d")" && cp -- "$m" "$d"
	done
}

# supports EXT: scrub recognises this format (the PNG and WebP backends
# may not have landed yet; until then such files are "not an image").
supports()
{
	local f rc
	case $1 in
	png) f=$(master_png) ;;
	webp) f=$(master_webp) ;;
	*) f=$(master_jpeg) ;;
	esac
	"$SCRUB" --check -- "$f" >/dev/null 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
}

# with_meta FILE...: prints the files exiftool still finds GPS, Artist or a
# comment in (empty output = all clean).
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
	if [ -z "$left" ]; then
		pass
	else
		fail "still carries GPS/Artist/Comment: $(printf '%s' "$left" | tr '\n' ' ' | head -c 400)"
	fi
}

# assert_meta FILE...: every one of them still carries the planted metadata.
assert_meta()
{
	local f
	for f in "$@"; do
		if [ -n "$(with_meta "$f")" ]; then
			pass
		else
			fail "$f lost its metadata (it should have been left alone)"
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

# assert_file_has FILE STRING DESC: grep -F STRING in FILE.
assert_grep()
{
	if grep -qF -- "$2" "$1"; then
		pass
	else
		fail "$3: '$2' not in $(basename "$1"): $(head -c 300 "$1")"
	fi
}

assert_empty()
{
	if [ ! -s "$1" ]; then
		pass
	else
		fail "$2: expected empty, got: $(head -c 300 "$1")"
	fi
}

# assert_jsonl FILE [N]: every line parses as a JSON object (and N lines).
assert_jsonl()
{
	local out
	out=$("$PYTHON" - "$1" "${2:-}" <<'EOF'
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
EOF
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
	"$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
for l in open(sys.argv[1], "rb").read().splitlines():
    o = json.loads(l)
    print("%s\t%s" % (ascii(o.get("file")), o.get(sys.argv[2])))
EOF
}
