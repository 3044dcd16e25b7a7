#!/usr/bin/env bash
# Differential test of --report --json against exiftool over the real corpus
# ($SCRUB_SHARED/corpus/real): wherever exiftool finds a GPS position, a
# camera make, a model, a serial number, a lens serial, a city, a country, an
# XMP dc:creator or a capture/digitised/modified date, scrub's JSON reports the
# same (lat/lon within 1e-5, strings equal after trimming, dates equal to the
# second), and scrub's text report names every such string. One exiftool run
# and one scrub run per output form in all.
#
# ALLOW lists known, explained differences as "file-name<TAB>field<TAB>reason".
. "$(dirname "$0")/../lib.sh"
need exiftool
CORPUS=$SCRUB_SHARED/corpus/real
[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"

ALLOW=$(cat <<'EOF'
exiftool_ExifTool.jpg	camera.make	exiftool prefers the Canon CIFF block in APP0 (not decoded by scrub); scrub gives IFD0 Make, which exiftool -a lists too
exiftool_ExifTool.jpg	camera.model	same: CIFF Model preferred by exiftool over IFD0 Model
exiftool_AFCP.jpg	location.city	its IPTC sits in an AFCP trailer, which scrub removes whole without decoding
exiftool_ExifTool.jpg	time.captured	exiftool prefers the CIFF DateTimeOriginal (1998); scrub gives the ExifIFD one (2001), which exiftool -a lists too
exiftool_ExifTool.jpg	camera.serial	exiftool's serial comes from the APP segment PictureInfo, which scrub removes without decoding
exiftool_CasioQVCI.jpg	time.captured	the date sits in Casio's APP1 QVCI segment, which scrub removes without decoding
exiftool_Motorola.jpg	camera.serial	in a Motorola maker note, which libexif does not decode (the maker note is removed whole)
exiftool_Sigma.jpg	camera.serial	in a Sigma maker note, which libexif does not decode (the maker note is removed whole)
exiv2_exiv2-sigma-d10.jpg	camera.serial	in a Sigma maker note, which libexif does not decode (the maker note is removed whole)
EOF
)

mapfile -t files < <(find "$CORPUS/jpeg" "$CORPUS/png" "$CORPUS/webp" -type f 2>/dev/null | sort)
[ "${#files[@]}" -gt 0 ] || skip "corpus has no JPEG, PNG or WebP files"

xt -q -q -j -n -Composite:GPSLatitude -Composite:GPSLongitude -Make -Model \
	-SerialNumber -LensSerialNumber -DateTimeOriginal -CreateDate -ModifyDate \
	-City -Country -XMP-dc:Creator \
	-- "${files[@]}" >"$T/xt.json" 2>/dev/null
[ -s "$T/xt.json" ] || fail "exiftool gave no output"
"$SCRUB" --report --json -- "${files[@]}" >"$T/scrub.json" 2>"$T/err"
RC=$?
[ "$RC" -le 2 ] || fail "scrub exited $RC"
NO_COLOR=1 "$SCRUB" --report -- "${files[@]}" >"$T/scrub.txt" 2>/dev/null

printf '%s\n' "$ALLOW" >"$T/allow.tsv"
"$PYTHON" - "$T/xt.json" "$T/scrub.json" "$T/allow.tsv" "$T/scrub.txt" >"$T/diff.txt" <<'EOF'
import json, os, re, sys
xt = {r["SourceFile"]: r for r in json.load(open(sys.argv[1]))}
sc = {}
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    sc[r["file"]] = r
allow = {}
for line in open(sys.argv[3]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3:
        allow[(parts[0], parts[1])] = parts[2]
compared = files = 0
used = set()
def trim(v):
    return str(v).strip().rstrip("\0").strip()
# The text report of each file: its header line starts with the name.
text = {}
current = None
for line in open(sys.argv[4], encoding="utf-8", errors="replace"):
    if not line.startswith(" "):
        name = line.split(": ", 1)[0]
        current = name if name in sc else None
        if current:
            text[current] = ""
    elif current:
        text[current] += line
def iso(v):
    """exiftool's "2024:05:01 12:00:00[.sss][+hh:mm]" to the second, ISO 8601."""
    m = re.match(r"(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d:\d\d:\d\d)", str(v))
    return "%s-%s-%sT%s" % m.groups() if m else None
for path, x in sorted(xt.items()):
    s = sc.get(path)
    if s is None or s.get("status") == "error":
        continue
    base = os.path.basename(path)
    checks = []
    # An empty GPS IFD (exiftool prints "") holds no position to compare.
    if all(isinstance(x.get(k), (int, float)) for k in ("GPSLatitude", "GPSLongitude")):
        gps = s.get("gps") or {}
        for k, xk in (("lat", "GPSLatitude"), ("lon", "GPSLongitude")):
            checks.append(("gps." + k, x[xk], gps.get(k), True))
    cam = s.get("camera") or {}
    for k, xk in (("make", "Make"), ("model", "Model")):
        if xk in x and trim(x[xk]):
            checks.append(("camera." + k, x[xk], cam.get(k), False))
    for k, xk in (("serial", "SerialNumber"), ("lens_serial", "LensSerialNumber")):
        if xk in x and trim(x[xk]):
            checks.append(("camera." + k, x[xk], cam.get(k), False))
    when = (s.get("findings") or {}).get("time") or {}
    for k, xk in (("captured", "DateTimeOriginal"), ("digitized", "CreateDate"),
                  ("edited", "ModifyDate")):
        if iso(x.get(xk)):
            got = when.get(k)
            # exiftool's ModifyDate of a PNG may be its tIME chunk, which scrub reports apart.
            if k == "edited" and iso(when.get("png_time")) == iso(x[xk]):
                got = when.get("png_time")
            checks.append(("time." + k, iso(x[xk]), iso(got) if got else got, False))
    found = s.get("findings") or {}
    loc = found.get("location") or {}
    people = found.get("identity") or {}
    for k, xk, obj in (("location.city", "City", loc), ("location.country", "Country", loc),
                       ("people.creator", "Creator", people)):
        want = x.get(xk)
        if isinstance(want, list):
            want = want[0] if want else ""
        if want is not None and trim(want):
            checks.append((k, want, obj.get(k.split(".")[1]), False))
    if checks:
        files += 1
    for field, want, got, num in checks:
        compared += 1
        if num:
            ok = isinstance(got, (int, float)) and isinstance(want, (int, float)) and abs(got - want) <= 1e-5
        else:
            ok = got is not None and trim(got) == trim(want)
        if ok and not num and str(got) not in text.get(path, ""):
            print("DIFF\t%s\t%s\tthe text report does not name %r" % (base, field, got))
        elif ok:
            print("OK\t%s\t%s" % (base, field))
        elif (base, field) in allow:
            used.add((base, field))
            print("ALLOWED\t%s\t%s\texiftool %r, scrub %r" % (base, field, want, got))
        else:
            print("DIFF\t%s\t%s\texiftool %r, scrub %r" % (base, field, want, got))
for key in sorted(set(allow) - used):
    print("STALE\t%s\t%s\tallowlist entry no longer needed" % key)
print("SUMMARY\t%d files, %d values compared, %d allowlist entries" % (files, compared, len(allow)))
EOF
[ $? -eq 0 ] || fail "comparison script failed"

while IFS=$'\t' read -r what name field detail; do
	case $what in
	OK | ALLOWED) pass ;;
	DIFF) fail "$name $field: $detail" ;;
	STALE) fail "$name $field: $detail" ;;
	SUMMARY) printf '%s\n' "$name" ;;
	esac
done <"$T/diff.txt"
grep '^ALLOWED' "$T/diff.txt" | cut -f2- || true

finish
