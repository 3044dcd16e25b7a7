#!/usr/bin/env bash
# The grouped report: findings in sensitivity order in text and JSON with
# typed values, UTF-8 shown and control characters not, colour only on a
# terminal and never with NO_COLOR, the batch summary line, and -v listing
# every tag. Fixtures are tagged by exiftool; C2PA and MPF come from the
# shared corpus when it is present.
. "$(dirname "$0")/../lib.sh"
need exiftool convert
W=$T/w
mkdir -p "$W"

ESC=$(printf '\033')
convert -size 64x48 gradient:red-blue "$W/plain.jpg" || fail "convert failed"
convert -size 32x24 gradient:blue-red "$W/thumb.jpg" || fail "convert failed"
cp "$W/plain.jpg" "$W/clean.jpg"
cp "$W/plain.jpg" "$W/tagged.jpg"
xt -q -q -overwrite_original -Make=Canon -Model="EOS R5" -Artist="Zoë Ångström" \
	-Copyright="${ESC}[31mRED${ESC}[0m" -SerialNumber=BODY123 \
	-DateTimeOriginal="2024:05:01 12:00:00" -CreateDate="2024:05:01 12:00:01" \
	-ModifyDate="2024:06:02 08:30:00" -GPSLatitude=48.858370 -GPSLatitudeRef=N \
	-GPSLongitude=2.294481 -GPSLongitudeRef=E -GPSDateStamp=2024:05:01 \
	-GPSTimeStamp=10:00:00 "-ThumbnailImage<=$W/thumb.jpg" -XMP:City=Paris \
	-IPTC:Keywords=one -IPTC:Keywords=two -- "$W/tagged.jpg" || fail "exiftool cannot tag"

# --- JSON: groups and typed values -------------------------------------------
run_scrub --report --json -- "$W/tagged.jpg"
assert_rc "--report --json tagged.jpg" 1
"$PYTHON" - "$T/out" >"$T/json-checks" <<'EOF'
import json, re, sys
j = json.loads(open(sys.argv[1], encoding="utf-8").readline())
f = j.get("findings", {})
def check(what, ok):
    print(("ok\t" if ok else "FAIL\t") + what)
check("groups in sensitivity order", list(f) == [g for g in
      ("location", "identity", "prompt", "time", "device", "hidden", "other")
      if g in f])
loc = f.get("location", {})
check("lat is a number", isinstance(loc.get("lat"), float) and abs(loc["lat"] - 48.85837) < 1e-5)
check("lon is a number", isinstance(loc.get("lon"), float) and abs(loc["lon"] - 2.294481) < 1e-5)
check("city from XMP", loc.get("city") == "Paris")
ident = f.get("identity", {})
check("artist in UTF-8", ident.get("artist") == "Zoë Ångström")
check("copyright keeps its bytes, escaped", ident.get("copyright") == "\x1b[31mRED\x1b[0m")
check("body serial", ident.get("body_serial") == "BODY123")
t = f.get("time", {})
check("captured", t.get("captured") == "2024-05-01T12:00:00")
check("digitized", t.get("digitized") == "2024-05-01T12:00:01")
check("edited", t.get("edited") == "2024-06-02T08:30:00")
check("gps time", t.get("gps_time") == "2024-05-01T10:00:00Z")
iso = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d)?")
check("every time is ISO 8601", all(iso.match(v) for v in t.values()))
dev = f.get("device", {})
check("make and model", dev.get("make") == "Canon" and dev.get("model") == "EOS R5")
hid = f.get("hidden", {})
check("thumbnail size is an integer", isinstance(hid.get("exif_thumbnail_bytes"), int)
      and hid["exif_thumbnail_bytes"] > 100)
check("keywords counted", f.get("other", {}).get("keywords") == 2)
check("no tags without -v", "tags" not in j)
check("top-level fields stay", j["gps"]["lat"] == loc.get("lat") and j["camera"]["serial"] == "BODY123")
check("the verdict is the first group", j["verdict"] == next(iter(f)))
EOF
while IFS=$'\t' read -r verdict what; do
	if [ "$verdict" = ok ]; then pass; else fail "json: $what"; fi
done <"$T/json-checks"

# --- text: order, UTF-8, no control characters, no colour in a pipe ------------
run_scrub --report -- "$W/tagged.jpg"
assert_rc "--report tagged.jpg" 1
cp "$T/out" "$T/tagged.txt"
groups=$(grep -oE '^  (location|identity|prompt|time|device|hidden|other) ' "$T/tagged.txt" | tr -d ' ' | tr '\n' ' ')
assert_eq "text groups in sensitivity order" "location identity time device hidden other " "$groups"
check "text names the artist in UTF-8" grep -qE '^ +(identity)? +artist +Zoë Ångström$' "$T/tagged.txt"
check "text shows the escape character as ?" grep -qE '^ +copyright +\?\[31mRED\?\[0m$' "$T/tagged.txt"
check "text holds no escape byte in a pipe" sh -c "! grep -q \"$ESC\" '$T/tagged.txt'"
check "text gives the gps row" grep -qE '^  location +gps +48\.858370, 2\.294481$' "$T/tagged.txt"
check "text gives the thumbnail" grep -qE '^  hidden +thumbnail +[0-9]+ B, in EXIF$' "$T/tagged.txt"
check "text keeps the segment rows" grep -qE '^  remove exif +[0-9.]+ k?B  APP1 Exif$' "$T/tagged.txt"

# --- colour: a terminal gets it, NO_COLOR and TERM=dumb do not ------------------
if command -v script >/dev/null 2>&1; then
	script -qc "TERM=xterm '$SCRUB' --report '$W/tagged.jpg'" /dev/null >"$T/tty.txt" 2>&1
	check "colour on a terminal" grep -q "$ESC\[1;31mlocation" "$T/tty.txt"
	check "crafted escape still shown as ? on a terminal" grep -q '?\[31mRED' "$T/tty.txt"
	script -qc "NO_COLOR=1 TERM=xterm '$SCRUB' --report '$W/tagged.jpg'" /dev/null >"$T/tty.txt" 2>&1
	check "NO_COLOR: no escape byte" sh -c "! grep -q \"$ESC\" '$T/tty.txt'"
	script -qc "TERM=dumb '$SCRUB' --report '$W/tagged.jpg'" /dev/null >"$T/tty.txt" 2>&1
	check "TERM=dumb: no escape byte" sh -c "! grep -q \"$ESC\" '$T/tty.txt'"
fi

# --- batch summary -----------------------------------------------------------
run_scrub --report -- "$W/tagged.jpg" "$W/clean.jpg"
assert_rc "--report two files" 1
assert_eq "summary line" "2 files: 1 location, 1 clean, 0 failed" "$(tail -n 1 "$T/out")"
run_scrub --report --json -- "$W/tagged.jpg" "$W/clean.jpg"
check "no summary in JSON Lines" sh -c "! grep -q 'files:' '$T/out'"
assert_eq "two JSON lines" 2 "$(wc -l <"$T/out")"
run_scrub --report -- "$W/tagged.jpg"
check "no summary for one file" sh -c "! grep -q 'files:' '$T/out'"

# --- -v: every tag ------------------------------------------------------------
run_scrub --report -v -- "$W/tagged.jpg"
check "-v lists IFD0 Artist" grep -qE '^  tag +EXIF 0 +Artist +Zoë Ångström$' "$T/out"
check "-v lists a GPS tag" grep -qE '^  tag +EXIF GPS +GPSLatitudeRef +N$' "$T/out"
check "-v lists IPTC keywords" grep -qE '^  tag +IPTC +Keywords +one$' "$T/out"
check "-v lists the XMP city" grep -qE '^  tag +XMP +photoshop:City +Paris$' "$T/out"
assert_eq "-v lists each XMP value once" 1 "$(grep -cE '^  tag +XMP +photoshop:City ' "$T/out")"
want_tags=$(xt -q -q -s -s -EXIF:all -- "$W/tagged.jpg" | grep -vc ThumbnailImage)
got_tags=$(grep -cE '^  tag +EXIF ' "$T/out")
check "-v lists at least as many EXIF tags as exiftool ($want_tags)" [ "$got_tags" -ge "$want_tags" ]
run_scrub --report -v --json -- "$W/tagged.jpg"
check "-v --json has a tags list" "$PYTHON" -c '
import json, sys
j = json.loads(open(sys.argv[1], encoding="utf-8").readline())
sys.exit(0 if {"source": "EXIF 0", "name": "Artist", "value": "Zoë Ångström"} in j["tags"] else 1)' "$T/out"

# --- C2PA and hidden images from the shared corpus -----------------------------
C=$SCRUB_SHARED/corpus/real/jpeg
if [ -f "$C/c2pa_C.jpg" ] && [ -f "$C/ente_pixel_8.jpg" ]; then
	run_scrub --report -- "$C/c2pa_C.jpg"
	check "c2pa manifest row" grep -qE '^  other +c2pa manifest +[0-9.]+ k?B$' "$T/out"
	check "c2pa tool row" grep -qE '^  device +c2pa tool +make_test_images/0.33.1 c2pa-rs/0.33.1$' "$T/out"
	run_scrub --report -- "$C/ente_pixel_8.jpg"
	check "pixel 8: gain map row" grep -qE '^ +gain map +yes$' "$T/out"
	check "pixel 8: mpf images row" grep -qE '^ +mpf images +1, ' "$T/out"
fi

finish
