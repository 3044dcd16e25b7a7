#!/usr/bin/env bash
# Every --json line scrub prints holds to man/scrub-report.schema.json
# (python3-jsonschema, draft 2020-12): over fixtures/, the generated JPEG,
# PNG and WebP fixtures and ../shared/corpus (real and hostile), in the
# audit modes (--report, with -v), in scrub mode (-o) and in a walk that
# meets files that are not images. Each line's verdict must also be the
# first group of its findings that holds something removable (only a
# trailer, thumbnail or MPF segment, or an unexplained element, can make
# it hidden or other without a fact there), so the verdict in
# engine/result.c and the groups of report/findings.c cannot drift apart.
. "$(dirname "$0")/../lib.sh"
SCHEMA=$SCRUB_SRC/man/scrub-report.schema.json
"$PYTHON" -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"

mkdir -p "$T/gen/jpeg" "$T/gen/png-webp" "$T/out" "$T/walk"
bash "$SCRUB_SRC/tests/gen-jpeg-fixtures.sh" "$T/gen/jpeg" >/dev/null 2>&1
bash "$SCRUB_SRC/tests/gen-png-webp-fixtures.sh" "$T/gen/png-webp" >/dev/null 2>&1
dirs=("$SCRUB_SRC/fixtures" "$T/gen")
[ -d "$SCRUB_SHARED/corpus" ] && dirs+=("$SCRUB_SHARED/corpus")
cp "$SCRUB_SRC/fixtures/jpeg/sample.jpg" "$T/walk/a.jpg"
echo "not an image" >"$T/walk/notes.txt"

{
	"$SCRUB" -r --report --json -- "${dirs[@]}"
	"$SCRUB" -r --report -v --json -- "${dirs[@]}"
	"$SCRUB" -r --json -o "$T/out" -- "${dirs[@]}"
	"$SCRUB" -r --report --json --keep none -- "${dirs[@]}"
	"$SCRUB" -r --report --json -- "$T/walk"
	"$SCRUB" --report --json -- "$T/walk/notes.txt"
	"$SCRUB" --report --json - <"$T/walk/a.jpg"
} >"$T/lines.jsonl" 2>/dev/null

"$PYTHON" - "$SCHEMA" "$T/lines.jsonl" >"$T/results" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
ORDER = ["location", "identity", "prompt", "time", "device", "hidden", "other"]
# What stays after a scrub is shown in its group but makes no verdict:
# the file name, what a JPEG XL codestream itself carries, and a colour
# profile that is kept.
NAME = {"name_time", "name_device", "codestream_icc_bytes", "codestream_orientation"}
ICC = {"icc_profile", "icc_manufacturer", "icc_model", "icc_copyright", "icc_standard"}

def first_removable(rec):
    icc_kept = any(f["kind"] == "icc" and f["action"] == "keep" for f in rec["found"])
    for g in ORDER:
        members = set(rec["findings"].get(g, {})) - NAME
        # A profile counts once it goes, if it was read (icc_standard says so).
        if icc_kept or "icc_standard" not in members:
            members -= ICC
        if members:
            return g
    return None

n = bad = 0
statuses = set()
for line in open(sys.argv[2], encoding="utf-8"):
    n += 1
    rec = json.loads(line)
    statuses.add(rec["status"])
    errors = sorted(v.iter_errors(rec), key=lambda e: list(e.path))
    for e in errors[:3]:
        bad += 1
        print("BAD\t%s\t%s: %s" % (rec.get("file"), "/".join(map(str, e.path)), e.message[:200]))
    if rec["status"] not in ("dirty", "clean", "scrubbed") or errors:
        continue
    got, first = rec["verdict"], first_removable(rec)
    if rec["status"] == "clean":
        ok = got == "clean"
    elif first in ORDER[:5]:
        ok = got == first
    else:
        ok = got in ("hidden", "other") and ORDER.index(got) <= ORDER.index(first or "other")
    if not ok:
        bad += 1
        print("BAD\t%s\tverdict %s, first removable group %s" % (rec["file"], got, first))
print("LINES\t%d" % n)
print("STATUSES\t%s" % " ".join(sorted(statuses)))
print("BADCOUNT\t%d" % bad)
EOF
[ $? -eq 0 ] || fail "schema check script failed (an invalid schema?)"
grep '^BAD	' "$T/results" | head -20 >&2
lines=$(awk -F'\t' '$1 == "LINES" { print $2 }' "$T/results")
check "lines were checked ($lines)" [ "${lines:-0}" -gt 50 ]
assert_eq "lines that break the schema or the verdict rule" 0 \
	"$(awk -F'\t' '$1 == "BADCOUNT" { print $2 }' "$T/results")"
statuses=$(awk -F'\t' '$1 == "STATUSES" { print $2 }' "$T/results")
for s in clean dirty scrubbed error; do
	check "status $s was seen" grep -qw "$s" <<<"$statuses"
done
if [ -d "$SCRUB_SHARED/corpus" ]; then
	check "status unsupported was seen" grep -qw unsupported <<<"$statuses"
fi
printf '%s lines against the schema\n' "$lines"

# The schema is not a rubber stamp: a line it must refuse is refused.
printf '%s\n' '{"file": "x", "status": "dirty", "verdict": "low"}' \
	'{"file": "x", "status": "error"}' \
	'{"file": "x", "status": "clean", "format": "jpeg", "verdict": "clean", "width": 1, "height": 1, "bytes": 1, "found": [], "findings": {"history": {}}}' \
	>"$T/wrong.jsonl"
check "the schema refuses what it must" "$PYTHON" -c '
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
sys.exit(0 if all(not v.is_valid(json.loads(l)) for l in open(sys.argv[2])) else 1)' "$SCHEMA" "$T/wrong.jsonl"

finish
