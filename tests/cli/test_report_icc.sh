#!/usr/bin/env bash
# What a kept colour profile still tells, and profiles that are not valid
# (issue 15, item 4). A real profile (littleCMS sRGB through Pillow) and
# two copies of it made invalid (size field past the data, no "acsp") and
# one renamed for a person's display are embedded by exiftool in JPEG, PNG
# and WebP. A valid profile stays byte for byte (exiftool's ICC_Profile
# is the oracle) and is described in the report; an invalid one is gone
# after a scrub, and a WebP's VP8X loses its ICC flag with it.
. "$(dirname "$0")/../lib.sh"
need exiftool convert
W=$T/w
mkdir -p "$W"

"$PYTHON" - "$W" <<'EOF'
import struct, sys
from PIL import ImageCms
w = sys.argv[1]
good = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
open(w + "/good.icc", "wb").write(good)
bad = bytearray(good)
bad[0:4] = struct.pack(">I", len(good) + 4)
open(w + "/badsize.icc", "wb").write(bad)
bad = bytearray(good)
bad[36:40] = b"xxxx"
open(w + "/nosig.icc", "wb").write(bad)
# The same profile with its 'desc' tag replaced by a v4 mluc naming someone's display.
name = "Jane's MacBook Pro".encode("utf-16-be")
mluc = b"mluc" + b"\0" * 4 + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(name), 28) + name
p = bytearray(good)
count, = struct.unpack(">I", p[128:132])
for i in range(count):
    e = 132 + 12 * i
    if p[e:e + 4] == b"desc":
        p[e + 4:e + 12] = struct.pack(">II", len(p), len(mluc))
p += mluc + b"\0" * ((4 - len(mluc) % 4) % 4)
p[0:4] = struct.pack(">I", len(p))
open(w + "/jane.icc", "wb").write(bytes(p))
EOF
[ -f "$W/jane.icc" ] || fail "profile builder failed"

icc_of()
{
	xt -q -q -b -ICC_Profile -- "$1" 2>/dev/null | sha256sum | cut -c1-16
}

# webp_icc_flag FILE: the VP8X ICC bit (0 or 1), or "none" without VP8X.
webp_icc_flag()
{
	"$PYTHON" -c '
import sys
d = open(sys.argv[1], "rb").read()
print((d[20] >> 5) & 1 if d[12:16] == b"VP8X" else "none")' "$1"
}

for ext in jpg png webp; do
	convert -size 16x12 gradient:red-blue "$W/plain.$ext" || fail "convert $ext failed"
	"$SCRUB" --strip-all "$W/plain.$ext" # no ImageMagick dates: the profile and Software alone
	for p in good badsize nosig jane; do
		cp "$W/plain.$ext" "$W/$p.$ext"
		xt_set "$W/$p.$ext" "-icc_profile<=$W/$p.icc" -Software=tagged
	done
	want=$(icc_of "$W/good.$ext")

	# A standard profile: kept, described as standard, not part of the verdict.
	report "$W/good.$ext"
	expect "$T/good.$ext.json" findings.other.icc_profile \
		"$(xt -s -s -s -ICC_Profile:ProfileDescription -- "$W/good.$ext")"
	expect "$T/good.$ext.json" findings.other.icc_standard True
	expect "$T/good.$ext.json" verdict device
	run_scrub "$W/good.$ext"
	assert_eq "good.$ext: valid profile kept byte for byte" "$want" "$(icc_of "$W/good.$ext")"

	# Someone's display: shown under device, kept, and still no verdict of its own.
	report "$W/jane.$ext"
	expect "$T/jane.$ext.json" findings.device.icc_profile "Jane's MacBook Pro"
	expect "$T/jane.$ext.json" findings.device.icc_standard False
	NO_COLOR=1 "$SCRUB" --report -- "$W/jane.$ext" >"$T/jane.txt" 2>&1
	check "jane.$ext: text says it can point at a device" \
		grep -qE "^ +icc profile +Jane's MacBook Pro \(not a standard profile: it can point at a device; kept\)" "$T/jane.txt"
	run_scrub "$W/jane.$ext"
	run_scrub --report --json -- "$W/jane.$ext"
	expect "$T/out" verdict clean
	expect "$T/out" findings.device.icc_profile "Jane's MacBook Pro"
	run_scrub --report --json --keep none -- "$W/jane.$ext"
	expect "$T/out" verdict device

	# Not a profile: removed even though profiles are kept, and named so in the report.
	for p in badsize nosig; do
		run_scrub --report --json -- "$W/$p.$ext"
		check "$p.$ext: the profile is to be removed" "$PYTHON" -c '
import json, sys
j = json.loads(open(sys.argv[1]).readline())
icc = [f for f in j["found"] if f["kind"] == "icc"]
sys.exit(0 if icc and all(f["action"] == "remove" and f["label"].endswith("invalid") for f in icc) else 1)' "$T/out"
		run_scrub "$W/$p.$ext"
		assert_rc "scrub $p.$ext" 0
		assert_eq "$p.$ext: no profile after scrub" "" "$(xt -q -q -b -ICC_Profile -- "$W/$p.$ext" 2>/dev/null | head -c 4)"
		if [ "$ext" = webp ]; then
			assert_eq "$p.webp: VP8X ICC flag cleared" 0 "$(webp_icc_flag "$W/$p.$ext")"
		fi
	done
done
[ "$(webp_icc_flag "$W/good.webp")" = 1 ] && pass || fail "good.webp: VP8X ICC flag kept"

# JPEG: a profile in two APP2 parts is valid; a missing part makes it invalid.
"$PYTHON" - "$SCRUB_SRC/tests" "$W" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
import jpegtool
w = sys.argv[2]
icc = open(w + "/good.icc", "rb").read()
half = len(icc) // 2
soi, segs, rest = jpegtool.segments(open(w + "/plain.jpg", "rb").read())
seg = lambda n, c, part: jpegtool.segment(0xE2, b"ICC_PROFILE\0" + bytes([n, c]) + part)
two = [seg(2, 2, icc[half:]), seg(1, 2, icc[:half])]  # out of order, as the sequence numbers allow
open(w + "/parts.jpg", "wb").write(soi + b"".join(segs[:1] + two + segs[1:]) + rest)
open(w + "/missing.jpg", "wb").write(soi + b"".join(segs[:1] + two[1:] + segs[1:]) + rest)
EOF
run_scrub --report --json -- "$W/parts.jpg"
check "parts.jpg: both parts kept" "$PYTHON" -c '
import json, sys
j = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if [f["action"] for f in j["found"] if f["kind"] == "icc"] == ["keep", "keep"] else 1)' "$T/out"
expect "$T/out" findings.other.icc_profile "$(xt -s -s -s -ICC_Profile:ProfileDescription -- "$W/parts.jpg")"
run_scrub --report --json -- "$W/missing.jpg"
check "missing.jpg: a part missing, the profile goes" grep -q '"label": "APP2 ICC_PROFILE invalid"' "$T/out"

finish
