#!/usr/bin/env bash
# Agreement with exiftool, measured (issue 15, item 6). Over every file of
# $SCRUB_SHARED/corpus (real and hostile) that scrub reads, --report --json
# is compared with exiftool -n -j:
#   gps        Composite:GPSLatitude/GPSLongitude, within 1e-4 degrees
#   make, model, serial, lens serial, city, country   exiftool's preferred value
#   artist     IFD0:Artist, else PNG Author (exiftool -G1)
#   creator    XMP-dc:Creator, else IPTC By-line
#   captured   the first of SPEC.md section 4's order, read from exiftool's
#              group-qualified tags: ExifIFD:DateTimeOriginal,
#              XMP-exif:DateTimeOriginal, XMP-photoshop:DateCreated,
#              XMP-xmp:CreateDate, IPTC DateCreated (+TimeCreated),
#              ExifIFD:CreateDate, then a maker's own DateTimeOriginal;
#              equal to the second (a date alone: the day)
#   digitized, edited   ExifIFD:CreateDate, IFD0:ModifyDate
#   thumbnails IFD1:ThumbnailLength and Photoshop:PhotoshopThumbnail, in bytes
# and the text report must name every string that agreed. ALLOW lists each
# known disagreement as "file<TAB>field<TAB>reason"; an unexplained one
# fails, and so does an entry no longer needed. The counts per format are
# printed at the end.
. "$(dirname "$0")/../lib.sh"
need exiftool
CORPUS=$SCRUB_SHARED/corpus
[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"

ALLOW=$(cat <<'EOF'
exiftool_ExifTool.jpg	make	exiftool prefers the Canon CIFF block in APP0 (not decoded by scrub); scrub gives IFD0 Make, which exiftool -a lists too
exiftool_ExifTool.jpg	model	same: CIFF Model preferred by exiftool over IFD0 Model
exiftool_AFCP.jpg	city	its IPTC sits in an AFCP trailer, which scrub names and removes whole without decoding (AFCP offsets count from the start of the file)
exiftool_Motorola.jpg	serial	in a Motorola maker note, which libexif does not decode (the maker note is removed whole)
exiftool_Sigma.jpg	serial	in a Sigma maker note, which libexif does not decode (the maker note is removed whole)
exiv2_exiv2-sigma-d10.jpg	serial	in a Sigma maker note, which libexif does not decode (the maker note is removed whole)
EOF
)

mapfile -t files < <(find "$CORPUS/real" "$CORPUS/hostile" -type f ! -name '*.tsv' ! -name '*.md' 2>/dev/null | sort)
[ "${#files[@]}" -gt 0 ] || skip "corpus has no files"
"$SCRUB" --report --json -- "${files[@]}" >"$T/scrub.json" 2>/dev/null
RC=$?
[ "$RC" -le 2 ] || fail "scrub exited $RC"
NO_COLOR=1 "$SCRUB" --report -- "${files[@]}" >"$T/scrub.txt" 2>/dev/null
# Only what scrub read: errors and unsupported files have no report to compare.
"$PYTHON" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["status"] in ("dirty", "clean"):
        print(r["file"])' "$T/scrub.json" >"$T/read.txt"
mapfile -t read_ok <"$T/read.txt"
[ "${#read_ok[@]}" -gt 0 ] || fail "scrub read no corpus file"
xt -q -q -j -n -Composite:GPSLatitude -Composite:GPSLongitude -Make -Model -SerialNumber \
	-LensSerialNumber -City -Country -- "${read_ok[@]}" >"$T/xt.json" 2>/dev/null
xt -q -q -j -n -G1 -a -DateTimeOriginal -DateCreated -TimeCreated -CreateDate -ModifyDate \
	-TimeStamp -Artist -Author -Creator -By-line -ThumbnailLength -PhotoshopThumbnail \
	-- "${read_ok[@]}" >"$T/xt-groups.json" 2>/dev/null
[ -s "$T/xt.json" ] && [ -s "$T/xt-groups.json" ] || fail "exiftool gave no output"

printf '%s\n' "$ALLOW" >"$T/allow.tsv"
"$PYTHON" - "$T/xt.json" "$T/xt-groups.json" "$T/scrub.json" "$T/allow.tsv" "$T/scrub.txt" \
	>"$T/diff.txt" <<'EOF'
import json, os, re, sys
xt = {r["SourceFile"]: r for r in json.load(open(sys.argv[1]))}
xg = {r["SourceFile"]: r for r in json.load(open(sys.argv[2]))}
sc = {}
for line in open(sys.argv[3], encoding="utf-8"):
    r = json.loads(line)
    sc[r["file"]] = r
allow = {}
for line in open(sys.argv[4]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3:
        allow[(parts[0], parts[1])] = parts[2]
used = set()
# The text report of each file: its header line starts with the name.
text, current = {}, None
for line in open(sys.argv[5], encoding="utf-8", errors="replace"):
    if not line.startswith(" "):
        name = line.split(": ", 1)[0]
        current = name if name in sc else None
        if current:
            text[current] = ""
    elif current:
        text[current] += line

def trim(v):
    return str(v).strip().rstrip("\0").strip()

def iso(v):
    """exiftool's "2024:05:01 12:00:00[.sss][+hh:mm]" (or a day alone) to ISO 8601."""
    m = re.match(r"(\d{4})[:-](\d\d)[:-](\d\d)(?:[ T](\d\d:\d\d:\d\d))?", str(v))
    if not m or m.group(1) == "0000":
        return None
    return "%s-%s-%s" % m.groups()[:3] + ("T" + m.group(4) if m.group(4) else "")

def first(rec, keys):
    for k in keys:
        if k in rec and trim(rec[k]) != "":
            return rec[k]
    return None

def iptc_created(g):
    d = g.get("IPTC:DateCreated")
    if d is None:
        return None
    t = g.get("IPTC:TimeCreated")
    return "%s %s" % (d, t) if t else d

MAKERS = ("FLIR:DateTimeOriginal", "Casio:DateTimeOriginal", "PictureInfo:DateTimeOriginal",
          "Samsung:TimeStamp")

def captured(g):
    for k in ("ExifIFD:DateTimeOriginal", "XMP-exif:DateTimeOriginal", "XMP-photoshop:DateCreated",
              "XMP-xmp:CreateDate"):
        if iso(g.get(k)):
            return g[k]
    if iso(iptc_created(g)):
        return iptc_created(g)
    return first({k: g[k] for k in ("ExifIFD:CreateDate",) + MAKERS if iso(g.get(k))},
                 ("ExifIFD:CreateDate",) + MAKERS)

def same_date(want, got):
    w, s = iso(want), iso(got)
    return w is not None and s is not None and (s == w or (len(w) == 10 and s.startswith(w)))

counts = {}
for path in sorted(xt):
    s, x, g = sc.get(path), xt[path], xg.get(path, {})
    if s is None:
        continue
    base = os.path.basename(path)
    f = s.get("findings") or {}
    checks = []  # (field, exiftool's value, scrub's, kind)
    if all(isinstance(x.get(k), (int, float)) for k in ("GPSLatitude", "GPSLongitude")):
        gps = s.get("gps") or {}
        checks.append(("gps", (x["GPSLatitude"], x["GPSLongitude"]), (gps.get("lat"), gps.get("lon")), "gps"))
    cam = s.get("camera") or {}
    for k, xk in (("make", "Make"), ("model", "Model"), ("serial", "SerialNumber"),
                  ("lens_serial", "LensSerialNumber")):
        if xk in x and trim(x[xk]):
            checks.append((k, x[xk], cam.get(k), "text"))
    loc, ident, when = f.get("location", {}), f.get("identity", {}), f.get("time", {})
    for k, xk in (("city", "City"), ("country", "Country")):
        if xk in x and trim(x[xk]):
            checks.append((k, x[xk], loc.get(k), "text"))
    artist = first(g, ("IFD0:Artist", "PNG:Author"))
    if artist is not None:
        checks.append(("artist", artist, ident.get("artist"), "text"))
    creator = first(g, ("XMP-dc:Creator", "IPTC:By-line"))
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if creator is not None:
        checks.append(("creator", creator, ident.get("creator"), "text"))
    c = captured(g)
    if c is not None:
        checks.append(("captured", c, when.get("captured"), "date"))
    if iso(g.get("ExifIFD:CreateDate")) and g.get("ExifIFD:DateTimeOriginal"):
        checks.append(("digitized", g["ExifIFD:CreateDate"], when.get("digitized"), "date"))
    if iso(g.get("IFD0:ModifyDate")):
        checks.append(("edited", g["IFD0:ModifyDate"], when.get("edited"), "date"))
    if iso(g.get("Samsung:TimeStamp")):
        checks.append(("camera time", g["Samsung:TimeStamp"], when.get("camera_time"), "date"))
    hid = f.get("hidden", {})
    if isinstance(g.get("IFD1:ThumbnailLength"), int) and g["IFD1:ThumbnailLength"] > 0:
        checks.append(("thumbnail", g["IFD1:ThumbnailLength"], hid.get("exif_thumbnail_bytes"), "int"))
    m = re.match(r"\(Binary data (\d+) bytes", str(g.get("Photoshop:PhotoshopThumbnail", "")))
    if m:
        checks.append(("photoshop thumbnail", int(m.group(1)), hid.get("photoshop_thumbnail_bytes"), "int"))
    fmt = s.get("format", "?")
    cnt = counts.setdefault(fmt, [0, 0, 0, 0])  # files, values, agree, explained
    cnt[0] += bool(checks)
    for field, want, got, kind in checks:
        cnt[1] += 1
        if kind == "gps":
            ok = all(isinstance(v, (int, float)) for v in got) and \
                 all(abs(a - b) <= 1e-4 for a, b in zip(want, got))
        elif kind == "date":
            ok = same_date(want, got)
        elif kind == "int":
            ok = got == want
        else:
            ok = got is not None and trim(got) == trim(want)
        # The text report prints tabs and line breaks as spaces, and cuts at 100 characters.
        shown = re.sub(r"[\t\r\n]", " ", str(got))[:100]
        if ok and kind == "text" and shown not in text.get(path, ""):
            print("DIFF\t%s\t%s\tthe text report does not name %r" % (base, field, got))
        elif ok:
            cnt[2] += 1
        elif (base, field) in allow:
            used.add((base, field))
            cnt[3] += 1
            print("ALLOWED\t%s\t%s\texiftool %r, scrub %r: %s" % (base, field, want, got, allow[(base, field)]))
        else:
            print("DIFF\t%s\t%s\texiftool %r, scrub %r" % (base, field, want, got))
for key in sorted(set(allow) - used):
    print("STALE\t%s\t%s\tallowlist entry no longer needed" % key)
for fmt, (files, values, agree, explained) in sorted(counts.items()):
    print("COUNT\t%s\t%d files, %d values: %d agree, %d explained" % (fmt, files, values, agree, explained))
EOF
[ $? -eq 0 ] || fail "comparison script failed"

while IFS=$'\t' read -r what name field detail; do
	case $what in
	DIFF | STALE) fail "$name $field: $detail" ;;
	COUNT) pass; printf '%s: %s\n' "$name" "$field" ;;
	esac
done <"$T/diff.txt"
grep '^ALLOWED' "$T/diff.txt" | cut -f2- || true

finish
