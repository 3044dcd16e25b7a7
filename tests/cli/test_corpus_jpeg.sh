#!/usr/bin/env bash
# Every real JPEG in ../shared/corpus/real/jpeg, scrubbed by default in a
# temp copy: clean by exiftool's allowlist, same pixels (Pillow), valid
# (jpeginfo), orientation and ICC profile kept, idempotent without rewrite.
. "$(dirname "$0")/../lib.sh"

SRC=$SCRUB_SHARED/corpus/real/jpeg
[ -d "$SRC" ] || skip "no corpus at $SRC"
need exiftool jpeginfo jpegtran
need_pillow

# Files that legitimately cannot meet a check: "name check reason".
# Checks: refused (scrub exits 2), pixels, clean, valid.
ALLOW=(
)

allowed()
{
	local e
	for e in "${ALLOW[@]}"; do
		set -- "$1" "$2" $e
		[ "$3" = "$1" ] && [ "$4" = "$2" ] && return 0
		set -- "$1" "$2"
	done
	return 1
}

W=$T/work
mkdir -p "$W"
names=()
while IFS= read -r -d '' f; do
	names+=("$(basename "$f")")
done < <(find "$SRC" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -print0 | sort -z)
[ ${#names[@]} -gt 0 ] || skip "no JPEG in $SRC"
echo "${#names[@]} corpus JPEGs"

for name in "${names[@]}"; do
	cp "$SRC/$name" "$W/$name"
done

# Reports first (they change nothing): one valid JSON object per file, with
# the dimensions Pillow sees; the text report succeeds too.
run_scrub --report --json "${names[@]/#/$W/}"
check "--report --json over the corpus exits 0 or 1 (exit $RC)" test "$RC" -le 1
cp "$T/out" "$T/corpus.json"
run_scrub --report "${names[@]/#/$W/}"
check "--report over the corpus exits 0 or 1 (exit $RC)" test "$RC" -le 1
"$PYTHON" - "$T/corpus.json" "${names[@]/#/$W/}" <<'EOF2' >"$T/json.check"
import json, sys
from PIL import Image
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
files = sys.argv[2:]
if len(lines) != len(files):
    print("BAD %d JSON lines for %d files" % (len(lines), len(files)))
for line, path in zip(lines, files):
    try:
        j = json.loads(line)
    except ValueError as e:
        print("BAD %s: not JSON: %s" % (path, e))
        continue
    with Image.open(path) as im:
        size = im.size
    problems = []
    if j.get("file") != path:
        problems.append("file %r" % j.get("file"))
    if j.get("format") != "jpeg" or j.get("status") not in ("dirty", "clean"):
        problems.append("format/status %r/%r" % (j.get("format"), j.get("status")))
    if (j.get("width"), j.get("height")) != size:
        problems.append("size %r x %r, Pillow %r" % (j.get("width"), j.get("height"), size))
    if "gps" in j and not (-90 <= j["gps"]["lat"] <= 90 and -180 <= j["gps"]["lon"] <= 180):
        problems.append("gps out of range %r" % j["gps"])
    print(("BAD %s: %s" % (path, "; ".join(problems))) if problems else "OK " + path)
EOF2
while IFS= read -r line; do
	case $line in
	OK*) pass ;;
	*) fail "corpus --json: $line" ;;
	esac
done <"$T/json.check"
for name in "${names[@]}"; do
	assert_same_bytes "$SRC/$name" "$W/$name"
done

ok=()
for name in "${names[@]}"; do
	run_scrub "$W/$name"
	if [ "$RC" -eq 0 ]; then
		pass
		ok+=("$name")
	elif allowed "$name" refused; then
		pass
		assert_same_bytes "$SRC/$name" "$W/$name"
	else
		fail "$name: exit $RC: $(cat "$T/err")"
	fi
done
assert_no_tempfiles "$W"

outs=() pairs=()
for name in "${ok[@]}"; do
	outs+=("$W/$name")
	allowed "$name" pixels || pairs+=("$SRC/$name" "$W/$name")
done

# Clean: exiftool allowlist, one run for all.
report=$(xt -a -G1 -s -- "${outs[@]}" 2>&1 | clean_filter)
for name in "${ok[@]}"; do
	bad=$(printf '%s\n' "$report" | grep -F -- "$W/$name: " | head -5 | tr '\n' ';')
	if [ -z "$bad" ] || allowed "$name" clean; then
		pass
	else
		fail "$name not clean: $bad"
	fi
done

assert_same_pixels_pairs "${pairs[@]}"

# Valid: jpeginfo accepts the output, or fails it exactly as it failed the original.
for name in "${ok[@]}"; do
	if jpeginfo -c "$SRC/$name" >/dev/null 2>&1; then
		assert_valid_jpeg "$W/$name"
	else
		want=$(jpeginfo -c "$SRC/$name" 2>&1 | sed 's/.*\(ERROR\|WARNING\)/\1/')
		got=$(jpeginfo -c "$W/$name" 2>&1 | sed 's/.*\(ERROR\|WARNING\)/\1/')
		if jpeginfo -c "$W/$name" >/dev/null 2>&1 || [ "$want" = "$got" ]; then
			pass
		else
			fail "$name: jpeginfo '$got', original '$want'"
		fi
	fi
done

# Orientation and ICC profile survive the default scrub.
# (exiftool prints resolved paths: key the lines by base name)
base() { sed 's|^[^	]*/||'; }
tags_all Orientation "${ok[@]/#/$SRC/}" | base >"$T/o.before"
tags_all Orientation "${outs[@]}" | base >"$T/o.after"
icc_sums_all "${ok[@]/#/$SRC/}" | base >"$T/i.before"
icc_sums_all "${outs[@]}" | base >"$T/i.after"
for name in "${ok[@]}"; do
	o=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$T/o.before")
	case $o in 2 | 3 | 4 | 5 | 6 | 7 | 8) ;; *) o=- ;; esac
	assert_eq "$name: orientation" "$o" "$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$T/o.after")"
	assert_eq "$name: ICC profile" "$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$T/i.before")" \
		"$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$T/i.after")"
done

# No byte of removed text remains: identifying strings exiftool finds in the
# original (6+ characters) must not occur in the output, unless they also
# occur in what is kept on purpose (the ICC profile).
xt -q -q -j -FilePath -IFD0:Artist -IFD0:Copyright -IFD0:Make -IFD0:Model -IFD0:Software \
	-ExifIFD:SerialNumber -ExifIFD:OwnerName -ExifIFD:LensSerialNumber -ExifIFD:LensModel \
	-ExifIFD:UserComment -ExifIFD:ImageUniqueID -XMP-dc:Creator -XMP-dc:Rights \
	-XMP-photoshop:City -IPTC:By-line -IPTC:City -IPTC:CopyrightNotice -File:Comment \
	-- "${ok[@]/#/$SRC/}" >"$T/texts.json"
"$PYTHON" - "$T/texts.json" "$W" <<'EOF2' >"$T/texts.out"
import json, os, subprocess, sys
recs = json.load(open(sys.argv[1]))
for rec in recs:
    name = os.path.basename(rec.pop("FilePath"))
    out = open(os.path.join(sys.argv[2], name), "rb").read()
    values = []
    for key, v in rec.items():
        if key == "SourceFile":
            continue
        for one in v if isinstance(v, list) else [v]:
            one = str(one).strip()
            if len(one) >= 6 and not one.startswith("(Binary"):
                values.append((key, one))
    left = [(k, v) for k, v in values if v.encode() in out]
    if left:
        icc = subprocess.run(["exiftool", "-b", "-icc_profile", os.path.join(sys.argv[2], name)],
                             capture_output=True).stdout
        left = [k + "=" + v for k, v in left if v.encode() not in icc]
    print("%s\t%d\t%s" % (name, len(values), "; ".join(left)))
EOF2
checked=0
while IFS=$'\t' read -r name n left; do
	checked=$((checked + n))
	if [ -z "$left" ]; then
		pass
	else
		fail "$name: removed text still in the output: $left"
	fi
done <"$T/texts.out"
echo "$checked identifying strings checked"
check "some identifying strings were checked" test "$checked" -gt 50

# Idempotent: the second run rewrites nothing.
for name in "${ok[@]}"; do
	snap "$W/$name"
done
run_scrub "${outs[@]}"
assert_rc "second scrub of the corpus" 0
for name in "${ok[@]}"; do
	assert_untouched "$W/$name"
done
run_scrub --check "${outs[@]}"
assert_rc "--check after scrub" 0
assert_no_tempfiles "$W"

finish
