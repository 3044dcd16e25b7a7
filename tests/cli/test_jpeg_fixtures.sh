#!/usr/bin/env bash
# Default scrub of every generated JPEG fixture, in place: clean by exiftool's
# allowlist, planted text gone, pixels identical, valid, orientation and ICC
# kept, mode kept, idempotent, and a second run does not rewrite the file.
# exiftool and Pillow run once per phase over all files, not once per file.
. "$(dirname "$0")/../lib.sh"
gen_fixtures

W=$T/work
mkdir -p "$W"
mapfile -t names < <(fixture_names)
orig=() out=()
for name in "${names[@]}"; do
	cp "$FX/$name" "$W/$name"
	chmod 640 "$W/$name"
	orig+=("$FX/$name")
	out+=("$W/$name")
done

# Before: orientation and ICC as exiftool sees them in the originals.
tags_all Orientation "${orig[@]}" | sed "s|^$FX/||" >"$T/orient.before"
icc_sums_all "${orig[@]}" | sed "s|^$FX/||" >"$T/icc.before"
lookup() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$2"; }

for name in "${names[@]}"; do
	f=$W/$name
	orient=$(fixture_field "$name" 2)
	mapfile -t strings < <(planted_strings "$name")
	# The fixture really carries what it claims (else the test proves nothing).
	if [ "${name#clean}" = "$name" ]; then
		[ ${#strings[@]} -eq 0 ] || assert_has_text "$f" "${strings[@]}"
		check "$name: fixture larger than the clean base" \
			test "$(wc -c <"$f")" -gt "$(wc -c <"$FX/clean.jpg")"
	fi
	[ "$orient" = 0 ] || assert_eq "$name: fixture orientation" "$orient" "$(lookup "$name" "$T/orient.before")"
	if [ "$(fixture_field "$name" 3)" = 1 ]; then
		check "$name: fixture has ICC" test "$(lookup "$name" "$T/icc.before")" != -
	fi

	sum_before=$(sha256sum <"$f")
	snap "$f"
	run_scrub "$f"
	assert_rc "$name: scrub" 0
	check "$name: nothing printed" test ! -s "$T/out" -a ! -s "$T/err"
	if [ "${name#clean}" != "$name" ]; then
		assert_untouched "$f"
	else
		check "$name: file was rewritten" test "$(sha256sum <"$f")" != "$sum_before"
	fi
	[ ${#strings[@]} -eq 0 ] || assert_no_text "$f" "${strings[@]}"
	case $name in
	cmyk.jpg) # jpeginfo cannot convert CMYK; have jpegtran decode every coefficient instead
		check "$name: scan data decodes" jpegtran -strict -copy none -outfile /dev/null "$f" ;;
	*) assert_valid_jpeg "$f" ;;
	esac
	assert_ends_with_eoi "$f"
	assert_eq "$name: mode kept" 640 "$(stat -c %a "$f")"
done
assert_no_tempfiles "$W"

# After: one exiftool / Pillow run each over all outputs.
assert_clean_all "${out[@]}"
pairs=()
for name in "${names[@]}"; do
	pairs+=("$FX/$name" "$W/$name")
done
assert_same_pixels_pairs "${pairs[@]}"
tags_all Orientation "${out[@]}" | sed "s|^$W/||" >"$T/orient.after"
icc_sums_all "${out[@]}" | sed "s|^$W/||" >"$T/icc.after"
xt -q -q -T -FilePath -JFIF:ThumbnailTIFF -JFIF:ThumbnailWidth -JFXX:ThumbnailImage \
	-- "${out[@]}" | sed "s|^$W/||" >"$T/thumbs.after"
for name in "${names[@]}"; do
	orient=$(fixture_field "$name" 2)
	if [ "$orient" != 0 ]; then
		assert_eq "$name: orientation kept" "$orient" "$(lookup "$name" "$T/orient.after")"
	else
		assert_eq "$name: no orientation" - "$(lookup "$name" "$T/orient.after")"
	fi
	assert_eq "$name: ICC profile bytes" "$(lookup "$name" "$T/icc.before")" \
		"$(lookup "$name" "$T/icc.after")"
	# The JFIF group is allowed as a whole: check its thumbnail separately.
	assert_eq "$name: no JFIF or JFXX thumbnail" "$name	-	-	-" \
		"$(grep "^$name	" "$T/thumbs.after")"
done

# Fixtures that only added metadata (or a trailer) to the clean base come
# back as exactly the clean base: nothing of the image is lost or added.
for name in gps.jpg makernote.jpg exifthumb.jpg xmp.jpg iptc.jpg comment.jpg trailer-jpeg.jpg trailer-exif.jpg \
	trailer-mp4.jpg orient1.jpg jfxx.jpg vendor.jpg; do
	assert_same_bytes "$FX/clean.jpg" "$W/$name"
done

# The big profile really is split, and every part survives in order.
assert_eq "multi-icc.jpg: three ICC_PROFILE parts in, three out" "3 3" \
	"$(grep -o -a ICC_PROFILE "$FX/multi-icc.jpg" | wc -l) $(grep -o -a ICC_PROFILE "$W/multi-icc.jpg" | wc -l)"

# Idempotent: a second run keeps bytes, inode, mtime and mode.
for name in "${names[@]}"; do
	snap "$W/$name"
	cp "$W/$name" "$T/once-$name"
done
sleep 0.02
for name in "${names[@]}"; do
	run_scrub "$W/$name"
	assert_rc "$name: second scrub" 0
	assert_untouched "$W/$name"
	assert_same_bytes "$T/once-$name" "$W/$name"
done

# --verify (decode and compare before replacing) gives the same bytes.
mkdir -p "$T/verify"
for name in "${names[@]}"; do
	cp "$FX/$name" "$T/verify/$name"
done
run_scrub --verify "$T/verify"/*.jpg
assert_rc "--verify on all fixtures" 0
for name in "${names[@]}"; do
	assert_same_bytes "$W/$name" "$T/verify/$name"
done

# A dirty file is replaced through a new inode (atomic rename).
cp "$FX/gps.jpg" "$W/ino.jpg"
ino=$(stat -c %i "$W/ino.jpg")
run_scrub "$W/ino.jpg"
check "a dirty file is replaced by a new inode" test "$(stat -c %i "$W/ino.jpg")" != "$ino"
assert_no_tempfiles "$W"

finish
