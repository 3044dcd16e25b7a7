#!/bin/bash
# Codec backend over the shared corpus of real files: every supported file
# gets probe facts in the JSON report, and scrubs with --verify, with the
# default policy and with --strip-all (orientation baked into the pixels or
# the tag kept with a note). Baked outputs must look like Pillow's
# exif_transpose of the original. Skipped when ../shared is absent.
. "$(dirname "$0")/../lib.sh"
R=$SCRUB_SHARED/corpus/real
[ -d "$R" ] || skip "no shared corpus at $R"
need_pillow
# The folders of the formats this suite verifies through Pillow, copied so
# one walk covers them; the newer formats have corpus tests of their own.
mkdir "$T/corpus"
for d in jpeg png webp; do
	[ -d "$R/$d" ] && cp -r "$R/$d" "$T/corpus/"
done
chmod -R u+w "$T/corpus"
R=$T/corpus

run_scrub -n --json -r "$R"
n_files=$(grep -c '"status": "\(clean\|dirty\)"' "$T/out")
n_facts=$(grep '"status": "\(clean\|dirty\)"' "$T/out" | grep -c '"components": [1-4], "bit_depth": [0-9]*, .*"frames": [1-9]')
assert_eq "every image has probe facts" "$n_files" "$n_facts"
check "corpus has images" [ "$n_files" -gt 50 ]

for policy in default strip-all; do
	args=(--verify --no-sync -r -o "$T/$policy")
	[ "$policy" = strip-all ] && args+=(--strip-all)
	run_scrub "${args[@]}" --json "$R"
	assert_rc "--verify $policy over the corpus" 0
	check "$policy: no errors" [ "$(grep -c '"status": "error"' "$T/out")" -eq 0 ]
	check "$policy: stderr only has scrub's own lines" [ "$(grep -vc '^scrub: ' "$T/err")" -eq 0 ]
	cp "$T/out" "$T/$policy.json"
done

# Baked files: upright like Pillow's exif_transpose (JPEG within IDCT rounding).
"$PYTHON" - "$R" "$T/strip-all" "$T/strip-all.json" <<'PY' >"$T/upright.log" 2>&1
import json, os, sys
from PIL import Image, ImageOps
src, out, log = sys.argv[1:]
bad = 0
n = 0
for line in open(log):
    r = json.loads(line)
    if "orientation_applied" not in r:
        continue
    rel = os.path.relpath(r["file"], src)
    want = ImageOps.exif_transpose(Image.open(r["file"])).convert("RGB")
    got = Image.open(os.path.join(out, rel)).convert("RGB")
    n += 1
    if want.size != got.size:
        print("size", rel, want.size, got.size); bad += 1; continue
    a, b = want.tobytes(), got.tobytes()
    diff = sum(abs(x - y) for x, y in zip(a, b)) / len(a)
    if diff > 2:
        print("pixels", rel, diff); bad += 1
print("checked", n)
sys.exit(1 if bad or n == 0 else 0)
PY
rc=$?
check "baked outputs are upright: $(tail -1 "$T/upright.log")" [ "$rc" -eq 0 ]
[ -s "$T/upright.log" ] && grep -v '^checked' "$T/upright.log" >&2

finish
