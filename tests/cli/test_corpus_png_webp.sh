#!/bin/bash
# Every real PNG and WebP of the shared corpus: after a scrub exiftool shows
# only allowlisted tags, pixels (every frame) are identical, pngcheck or
# webpinfo accept the output, and a second scrub changes nothing.
. "$(dirname "$0")/../lib.sh"
need exiftool pngcheck webpinfo
need_pillow

real=$SCRUB_SHARED/corpus/real
[ -d "$real/png" ] || [ -d "$real/webp" ] || skip "no corpus at $real"

# Files that legitimately cannot pass the validator check, with the reason.
# None at present: all 47 real PNG/WebP files pass every check.
declare -A ALLOW=(
)

mkdir "$T/w"
for src in "$real"/png/* "$real"/webp/*; do
	[ -f "$src" ] || continue
	name=$(basename "$src")
	f=$T/w/$name
	cp "$src" "$f"
	chmod u+w "$f"
	if ! "$SCRUB" "$f" 2>"$T/err"; then
		fail "$name: scrub failed: $(cat "$T/err")"
		continue
	fi
	assert_clean "$f"
	check "$name: same pixels in every frame" same_frames "$src" "$f"
	if valid_image "$src"; then
		check "$name: validator accepts output" valid_image "$f"
	elif [ -n "${ALLOW[$name]:-}" ]; then
		pass
	else
		check "$name: validator rejects original; output must not be worse" valid_image "$f"
	fi
	before=$(file_state "$f")
	"$SCRUB" "$f" 2>/dev/null || fail "$name: second scrub failed"
	assert_eq "$name: a second scrub leaves the file" "$before" "$(file_state "$f")"
	# Orientation survives when the original had one other than 1.
	o=$(exiftool -s3 -n -IFD0:Orientation "$src" 2>/dev/null | head -1)
	if [ -n "$o" ] && [ "$o" != 1 ]; then
		assert_eq "$name: orientation kept" "$o" "$(tag "$f" IFD0:Orientation)"
	fi
done

finish
