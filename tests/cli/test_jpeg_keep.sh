#!/usr/bin/env bash
# --keep and --strip-all on JPEG: what survives beyond the image itself.
. "$(dirname "$0")/../lib.sh"
gen_fixtures

W=$T/work
mkdir -p "$W"
icc_all=$(icc_sum "$FX/all.jpg")
check "fixture all.jpg has ICC" test -n "$icc_all"
assert_eq "fixture all.jpg orientation" 6 "$(tag "$FX/all.jpg" Orientation)"

# scrub_copy NAME OUT ARGS...: copies fixture NAME to OUT and scrubs it with ARGS.
scrub_copy()
{
	local name=$1 out=$2
	shift 2
	cp "$FX/$name" "$out"
	run_scrub "$@" "$out"
	assert_rc "$name $*" 0
}

# --strip-all: neither orientation nor ICC; still clean; APP14 Adobe stays for CMYK.
for name in all.jpg icc.jpg orient3.jpg cmyk.jpg gps.jpg; do
	scrub_copy "$name" "$W/sa-$name" --strip-all
	assert_eq "$name --strip-all: no orientation" "" "$(tag "$W/sa-$name" Orientation)"
	assert_eq "$name --strip-all: no ICC" "" "$(icc_sum "$W/sa-$name")"
	check "$name --strip-all: no APP1 at all" test -z "$(xt -q -q -s3 -IFD0:all "$W/sa-$name")"
	assert_no_text "$W/sa-$name" ICC_PROFILE Exif
done
assert_clean_all "$W"/sa-*.jpg
# Unrotated files keep their pixels; for rotated ones the orientation goes
# into the pixels, losslessly (SPEC.md section 7).
assert_same_pixels_pairs "$FX/icc.jpg" "$W/sa-icc.jpg" "$FX/cmyk.jpg" "$W/sa-cmyk.jpg" \
	"$FX/gps.jpg" "$W/sa-gps.jpg"
assert_upright "$FX/all.jpg" "$W/sa-all.jpg" 6
assert_upright "$FX/orient3.jpg" "$W/sa-orient3.jpg" 3
assert_eq "cmyk --strip-all keeps Adobe APP14" YCCK "$(xt -s3 -Adobe:ColorTransform "$W/sa-cmyk.jpg")"

# --keep none is --strip-all.
scrub_copy all.jpg "$W/none.jpg" --keep none
assert_same_bytes "$W/sa-all.jpg" "$W/none.jpg"

# --keep icc: the profile, byte for byte, and no orientation.
scrub_copy all.jpg "$W/icc.jpg" --keep icc
assert_eq "--keep icc: ICC bytes" "$icc_all" "$(icc_sum "$W/icc.jpg")"
assert_eq "--keep icc: no orientation" "" "$(tag "$W/icc.jpg" Orientation)"
assert_clean "$W/icc.jpg"

# --keep orientation: Orientation 6, no profile.
scrub_copy all.jpg "$W/orient.jpg" --keep orientation
assert_eq "--keep orientation: orientation" 6 "$(tag "$W/orient.jpg" Orientation)"
assert_eq "--keep orientation: no ICC" "" "$(icc_sum "$W/orient.jpg")"
assert_clean "$W/orient.jpg"

# --keep orientation,icc and --keep all are the default.
scrub_copy all.jpg "$W/default.jpg"
scrub_copy all.jpg "$W/both.jpg" --keep orientation,icc
scrub_copy all.jpg "$W/kall.jpg" --keep all
assert_same_bytes "$W/default.jpg" "$W/both.jpg"
assert_same_bytes "$W/default.jpg" "$W/kall.jpg"
assert_eq "default: orientation" 6 "$(tag "$W/default.jpg" Orientation)"
assert_eq "default: ICC bytes" "$icc_all" "$(icc_sum "$W/default.jpg")"

# Orientation kept: same pixels; orientation dropped: turned upright.
assert_same_pixels_pairs "$FX/all.jpg" "$W/orient.jpg" "$FX/all.jpg" "$W/default.jpg"
assert_upright "$FX/all.jpg" "$W/icc.jpg" 6
# Every orientation, with the tag dropped, comes out upright.
for o in 2 3 4 5 6 7 8; do
	scrub_copy "orient$o.jpg" "$W/up$o.jpg" --strip-all
	assert_eq "orient$o --strip-all: no orientation" "" "$(tag "$W/up$o.jpg" Orientation)"
	assert_upright "$FX/orient$o.jpg" "$W/up$o.jpg" "$o"
done
for f in "$W"/*.jpg; do
	assert_valid_jpeg "$f"
done

# CMYK (Adobe APP14 YCCK) turned upright keeps its colour transform.
cp "$FX/cmyk.jpg" "$W/cmyk6.jpg"
xt -q -q -overwrite_original -Orientation#=6 "$W/cmyk6.jpg"
cp "$W/cmyk6.jpg" "$T/cmyk6-orig.jpg"
run_scrub --strip-all "$W/cmyk6.jpg"
assert_rc "cmyk orientation 6 --strip-all" 0
assert_upright "$T/cmyk6-orig.jpg" "$W/cmyk6.jpg" 6
assert_eq "cmyk turned keeps YCCK" YCCK "$(xt -s3 -Adobe:ColorTransform "$W/cmyk6.jpg")"

# A size that is not a whole number of MCUs cannot be turned losslessly: the
# tag stays (with a warning naming the file), everything else goes.
convert -size 65x49 gradient:'#c03030-#3030c0' -sampling-factor 2x2 "$T/odd.jpg"
xt -q -q -overwrite_original -Orientation#=6 -Artist=PlantedArtistZorblax "$T/odd.jpg"
cp "$T/odd.jpg" "$W/odd.jpg"
run_scrub --strip-all "$W/odd.jpg"
assert_rc "partial-MCU --strip-all" 0
assert_eq "partial-MCU keeps orientation" 6 "$(tag "$W/odd.jpg" Orientation)"
check "partial-MCU warns, naming the file" grep -qF "$W/odd.jpg" "$T/err"
assert_eq "partial-MCU warning is one line" 1 "$(wc -l <"$T/err")"
assert_no_text "$W/odd.jpg" PlantedArtistZorblax
assert_clean "$W/odd.jpg"
assert_same_pixels "$T/odd.jpg" "$W/odd.jpg"
snap "$W/odd.jpg"
run_scrub --strip-all "$W/odd.jpg"
assert_untouched "$W/odd.jpg"

# A default-scrubbed file still loses orientation and ICC under --strip-all...
cp "$W/default.jpg" "$W/again.jpg"
run_scrub --strip-all "$W/again.jpg"
assert_rc "--strip-all after default" 0
assert_same_bytes "$W/sa-all.jpg" "$W/again.jpg"
# ...and a --strip-all result is left alone by a second --strip-all and by the default.
snap "$W/again.jpg"
run_scrub --strip-all "$W/again.jpg"
assert_untouched "$W/again.jpg"
run_scrub "$W/again.jpg"
assert_rc "default after --strip-all" 0
assert_untouched "$W/again.jpg"
# --check agrees: a default-scrubbed file is dirty under --strip-all, clean by default.
run_scrub --check "$W/default.jpg"
assert_rc "--check default output" 0
run_scrub --check --strip-all "$W/default.jpg"
assert_rc "--check --strip-all on default output" 1

# A bad --keep word is a usage error and touches nothing.
cp "$FX/gps.jpg" "$W/bad.jpg"
snap "$W/bad.jpg"
run_scrub --keep gps "$W/bad.jpg"
assert_rc "--keep gps" 2
assert_untouched "$W/bad.jpg"
check "--keep gps explains itself" grep -q "keep" "$T/err"
assert_no_tempfiles "$W"

finish
