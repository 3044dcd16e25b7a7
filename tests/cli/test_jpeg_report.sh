#!/usr/bin/env bash
# --report, --check and --json on JPEG: facts match what was planted, exit
# status says dirty (1) or clean (0), trouble (2) wins, and nothing changes.
. "$(dirname "$0")/../lib.sh"
gen_fixtures

W=$T/work
mkdir -p "$W"
for name in gps.jpg all.jpg clean.jpg makernote.jpg jfif-thumb.jpg jfxx.jpg trailer-mp4.jpg \
	trailer-jpeg.jpg xmp.jpg iptc.jpg comment.jpg icc.jpg exifthumb.jpg vendor.jpg; do
	cp "$FX/$name" "$W/$name"
	snap "$W/$name"
done
printf 'not an image at all\n' >"$W/bad.jpg"
snap "$W/bad.jpg"

untouched_all()
{
	local f
	for f in "$W"/*.jpg; do
		assert_untouched "$f"
	done
	assert_no_tempfiles "$W"
}

# json FILE EXPR: evaluates a Python expression over the single JSON object in FILE (as j).
json()
{
	"$PYTHON" -c '
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
if len(lines) != 1:
    sys.exit("expected one JSON line, got %d" % len(lines))
j = json.loads(lines[0])
kinds = [(f["kind"], f["action"]) for f in j.get("found", [])]
r = eval(sys.argv[2])
print(r if not isinstance(r, bool) else ("yes" if r else "no"))' "$1" "$2" 2>&1
}

# --- text report ------------------------------------------------------------
run_scrub --report "$W/gps.jpg"
assert_rc "--report dirty" 1
for want in gps 48.858370 -2.294481 PlantedMakeQuux PlantedModelFrob PlantedArtistZorblax \
	exif 64x48 remove; do
	check "--report names '$want'" grep -qF -- "$want" "$T/out"
done
check "--report prints nothing on stderr" test ! -s "$T/err"
run_scrub -n "$W/clean.jpg"
assert_rc "-n clean" 0
check "-n clean says clean" grep -q clean "$T/out"
check "-n clean lists nothing to remove" sh -c "! grep -q remove '$T/out'"

run_scrub --report "$W/all.jpg"
assert_rc "--report all.jpg" 1
for want in gps exif thumbnail xmp comment trailer icc keep; do
	check "--report all.jpg names '$want'" grep -qiF -- "$want" "$T/out"
done
check "--report all.jpg: icc is kept" grep -qE 'keep +icc' "$T/out"
run_scrub --report "$W/makernote.jpg"
for want in makernote PlantedSerial0042 PlantedOwnerQuib; do
	check "--report makernote.jpg names '$want'" grep -qF -- "$want" "$T/out"
done
untouched_all

# --- --check ----------------------------------------------------------------
run_scrub --check "$W/gps.jpg" "$W/clean.jpg" "$W/xmp.jpg"
assert_rc "--check mixed" 1
assert_eq "--check lists the dirty files" "$W/gps.jpg
$W/xmp.jpg" "$(cat "$T/out")"
run_scrub --check "$W/clean.jpg"
assert_rc "--check clean" 0
check "--check clean prints nothing" test ! -s "$T/out" -a ! -s "$T/err"
for name in jfif-thumb.jpg jfxx.jpg trailer-mp4.jpg trailer-jpeg.jpg iptc.jpg comment.jpg \
	exifthumb.jpg vendor.jpg icc.jpg; do
	run_scrub --check "$W/$name"
	assert_rc "--check $name" 1
done

# Trouble wins over "found": one unreadable file among dirty ones.
run_scrub --check "$W/gps.jpg" "$W/bad.jpg" "$W/xmp.jpg"
assert_rc "--check with a bad file" 2
check "--check still lists the others" grep -qF "$W/xmp.jpg" "$T/out"
assert_one_line_error "$W/bad.jpg"
run_scrub --report "$W/gps.jpg" "$W/bad.jpg"
assert_rc "--report with a bad file" 2
check "--report still reports the good file" grep -qF 48.858370 "$T/out"
untouched_all

# --- --json -------------------------------------------------------------------
run_scrub --report --json "$W/gps.jpg"
assert_rc "--json --report dirty" 1
cp "$T/out" "$T/gps.json"
assert_eq "json file" "$W/gps.jpg" "$(json "$T/gps.json" 'j["file"]')"
assert_eq "json format" jpeg "$(json "$T/gps.json" 'j["format"]')"
assert_eq "json status" dirty "$(json "$T/gps.json" 'j["status"]')"
assert_eq "json width x height" "64x48" "$(json "$T/gps.json" '"%dx%d" % (j["width"], j["height"])')"
assert_eq "json gps lat" yes "$(json "$T/gps.json" 'abs(j["gps"]["lat"] - 48.858370) < 2e-6')"
assert_eq "json gps lon is west, negative" yes \
	"$(json "$T/gps.json" 'abs(j["gps"]["lon"] - (-2.294481)) < 2e-6')"
assert_eq "json gps alt" yes "$(json "$T/gps.json" 'abs(j["gps"]["alt"] - 35.2) < 0.05')"
assert_eq "json camera make" PlantedMakeQuux "$(json "$T/gps.json" 'j["camera"]["make"]')"
assert_eq "json camera model" PlantedModelFrob "$(json "$T/gps.json" 'j["camera"]["model"]')"
assert_eq "json found exif removed" yes "$(json "$T/gps.json" '("exif", "remove") in kinds')"
assert_eq "json found gps removed" yes "$(json "$T/gps.json" '("gps", "remove") in kinds')"
assert_eq "json bytes are sizes" yes \
	"$(json "$T/gps.json" 'all(isinstance(f["bytes"], int) and f["bytes"] >= 0 for f in j["found"])')"

cp "$FX/gps-south.jpg" "$W/south.jpg"
snap "$W/south.jpg"
run_scrub --report --json "$W/south.jpg"
assert_rc "--json south" 1
cp "$T/out" "$T/south.json"
assert_eq "south json lat is negative" yes "$(json "$T/south.json" 'abs(j["gps"]["lat"] + 33.856159) < 2e-6')"
assert_eq "south json lon is positive" yes "$(json "$T/south.json" 'abs(j["gps"]["lon"] - 151.215256) < 2e-6')"
assert_eq "south json alt below sea level" yes "$(json "$T/south.json" 'abs(j["gps"]["alt"] + 12.5) < 0.05')"
assert_eq "south json orientation" 8 "$(json "$T/south.json" 'j.get("orientation")')"
assert_eq "south json model" PlantedModelFrob "$(json "$T/south.json" 'j["camera"]["model"]')"
assert_eq "south json has no make" no "$(json "$T/south.json" '"make" in j["camera"]')"
run_scrub --report "$W/south.jpg"
check "south report shows -33.856159, 151.215256" grep -qF -- "-33.856159, 151.215256" "$T/out"

# EXIF of a secondary image after EOI is decoded too (SPEC.md section 4).
cp "$FX/trailer-exif.jpg" "$W/trailer-exif.jpg"
snap "$W/trailer-exif.jpg"
run_scrub --report --json "$W/trailer-exif.jpg"
assert_rc "--json trailer-exif" 1
cp "$T/out" "$T/te.json"
assert_eq "trailer image gps lat" yes "$(json "$T/te.json" 'abs(j["gps"]["lat"] + 33.856159) < 2e-6')"
assert_eq "trailer image gps lon" yes "$(json "$T/te.json" 'abs(j["gps"]["lon"] - 151.215256) < 2e-6')"
assert_eq "trailer image model" PlantedModelFrob "$(json "$T/te.json" 'j["camera"]["model"]')"
assert_eq "trailer gps finding" yes \
	"$(json "$T/te.json" 'any(f["kind"] == "gps" and "trailer" in f["label"] for f in j["found"])')"
run_scrub --report "$W/trailer-exif.jpg"
check "text report shows the trailer image's GPS" grep -qF -- "-33.856159, 151.215256" "$T/out"
# The main image's own EXIF wins over the secondary image's.
cat "$FX/gps.jpg" "$FX/gps-south.jpg" >"$W/both-gps.jpg"
snap "$W/both-gps.jpg"
run_scrub --report --json "$W/both-gps.jpg"
cp "$T/out" "$T/both.json"
assert_eq "main image gps wins" yes "$(json "$T/both.json" 'abs(j["gps"]["lat"] - 48.858370) < 2e-6')"

run_scrub --report --json "$W/all.jpg"
cp "$T/out" "$T/all.json"
for k in exif:remove gps:remove thumbnail:remove xmp:remove photoshop:remove comment:remove \
	trailer:remove icc:keep unknown:remove; do
	assert_eq "all.jpg json has $k" yes "$(json "$T/all.json" "('${k%:*}', '${k#*:}') in kinds")"
done
assert_eq "all.jpg json orientation" 6 "$(json "$T/all.json" 'j.get("orientation")')"
assert_eq "all.jpg json gps lon" yes "$(json "$T/all.json" 'abs(j["gps"]["lon"] + 2.294481) < 2e-6')"

kind_of()
{
	run_scrub --report --json "$W/$1"
	cp "$T/out" "$T/k.json"
	assert_eq "$1 json has $2 removed" yes "$(json "$T/k.json" "('$2', 'remove') in kinds")"
}
kind_of makernote.jpg makernote
kind_of jfif-thumb.jpg thumbnail
kind_of jfxx.jpg thumbnail
kind_of exifthumb.jpg thumbnail
kind_of trailer-mp4.jpg trailer
kind_of trailer-jpeg.jpg trailer
kind_of iptc.jpg iptc
kind_of comment.jpg comment
kind_of xmp.jpg xmp
kind_of vendor.jpg jumbf

run_scrub --report --json "$W/clean.jpg"
assert_rc "--json clean" 0
cp "$T/out" "$T/clean.json"
assert_eq "clean json status" clean "$(json "$T/clean.json" 'j["status"]')"
assert_eq "clean json has no gps" no "$(json "$T/clean.json" '"gps" in j')"
assert_eq "clean json removes nothing" no "$(json "$T/clean.json" 'any(a == "remove" for k, a in kinds)')"

run_scrub --check --json "$W/gps.jpg" "$W/bad.jpg" "$W/clean.jpg"
assert_rc "--check --json with a bad file" 2
assert_eq "--check --json: one line per file" 3 "$(grep -c . "$T/out")"
assert_eq "--check --json statuses" "dirty error clean" \
	"$("$PYTHON" -c 'import json,sys; print(" ".join(json.loads(l)["status"] for l in open(sys.argv[1])))' "$T/out")"
check "--check --json error names the file" grep -qF '"error"' "$T/out"
untouched_all

# --- --json while scrubbing: scrubbed, then clean --------------------------
cp "$FX/gps.jpg" "$W/s.jpg"
run_scrub --json "$W/s.jpg"
assert_rc "--json scrub" 0
cp "$T/out" "$T/s.json"
assert_eq "scrub json status" scrubbed "$(json "$T/s.json" 'j["status"]')"
assert_eq "scrub json still reports the gps it removed" yes \
	"$(json "$T/s.json" 'abs(j["gps"]["lat"] - 48.858370) < 2e-6')"
assert_eq "scrub json bytes_out is the new size" "$(stat -c %s "$W/s.jpg")" \
	"$(json "$T/s.json" 'j["bytes_out"]')"
run_scrub --json "$W/s.jpg"
cp "$T/out" "$T/s2.json"
assert_eq "second scrub json status" clean "$(json "$T/s2.json" 'j["status"]')"
assert_clean "$W/s.jpg"

finish
