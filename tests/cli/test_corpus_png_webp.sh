#!/bin/bash
# Every real PNG and WebP of the shared corpus: after a scrub exiftool shows
# only allowlisted tags, pixels (every frame) are identical, pngcheck or
# webpinfo accept the output, and a second scrub changes nothing.
. "$(dirname "$0")/../lib-png-webp.sh"

real=$SCRUB_SHARED/corpus/real
[ -d "$real/png" ] || [ -d "$real/webp" ] || pw_skip "no corpus at $real"

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
		pw_fail "$name: scrub failed: $(cat "$T/err")"
		continue
	fi
	pw_check "$name: exiftool allowlist: $(pw_disallowed "$f" | head -2)" pw_clean "$f"
	pw_check "$name: same pixels in every frame" pw_same_pixels "$src" "$f"
	if pw_valid "$src"; then
		pw_check "$name: validator accepts output" pw_valid "$f"
	elif [ -n "${ALLOW[$name]:-}" ]; then
		pw_ok
	else
		pw_check "$name: validator rejects original; output must not be worse" pw_valid "$f"
	fi
	before=$(pw_state "$f")
	"$SCRUB" "$f" 2>/dev/null || pw_fail "$name: second scrub failed"
	[ "$before" = "$(pw_state "$f")" ] && pw_ok || pw_fail "$name: second scrub rewrote"
	# Orientation survives when the original had one other than 1.
	o=$(exiftool -s3 -n -IFD0:Orientation "$src" 2>/dev/null | head -1)
	if [ -n "$o" ] && [ "$o" != 1 ]; then
		pw_check "$name: orientation $o kept" [ "$(exiftool -s3 -n -IFD0:Orientation "$f")" = "$o" ]
	fi
done

pw_finish
