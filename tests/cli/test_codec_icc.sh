#!/bin/bash
# --keep icc (orientation not kept) bakes orientation into the pixels and
# carries the ICC profile over, in JPEG, PNG and lossless WebP; --strip-all
# removes both tag and profile.
. "$(dirname "$0")/../lib.sh"
need convert exiftool cwebp
need_pillow
"$PYTHON" -c 'from PIL import ImageCms' 2>/dev/null || skip "Pillow without ImageCms"

"$PYTHON" - "$T" <<'PY'
import sys
from PIL import Image, ImageCms
d = sys.argv[1]
open(d + "/p.icc", "wb").write(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
im = Image.new("RGB", (32, 16), (200, 30, 30))
im.paste((20, 200, 20), (0, 0, 8, 8))
im.save(d + "/a.png")
PY
convert "$T/a.png" -sampling-factor 2x2 "$T/a.jpg"
cwebp -quiet -lossless "$T/a.png" -o "$T/a.webp"

for ext in jpg png webp; do
	for mode in keep-icc strip-all; do
		f=$T/$mode.$ext
		cp "$T/a.$ext" "$f"
		exiftool -q -m -overwrite_original "-icc_profile<=$T/p.icc" -Orientation#=6 "$f"
		want=$(icc_sum "$f")
		check "$mode.$ext fixture has a profile" [ -n "$want" ]
		if [ "$mode" = keep-icc ]; then
			run_scrub --keep icc --verify "$f"
			assert_eq "$mode.$ext profile kept" "$want" "$(icc_sum "$f")"
		else
			run_scrub --strip-all --verify "$f"
			assert_eq "$mode.$ext profile removed" "" "$(icc_sum "$f")"
		fi
		assert_rc "$mode.$ext" 0
		assert_eq "$mode.$ext tag removed" "" "$(tag "$f" Orientation)"
		assert_eq "$mode.$ext turned" "16x32" "$(exiftool -s3 -ImageSize "$f")"
	done
done

finish
