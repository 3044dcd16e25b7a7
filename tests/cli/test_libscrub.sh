#!/bin/bash
# libscrub as another program sees it: `cmake --install` into a temporary
# prefix, then C programs built outside the tree with pkg-config alone (the
# man page's EXAMPLE, and tests/lib/api_check.c) scrub a buffer and a file,
# with the shared library and again with the static one. A malformed
# buffer must come back as an error, never a crash.
. "$(dirname "$0")/../lib.sh"
need cc pkg-config cmake
: "${SCRUB_BUILD:?SCRUB_BUILD must point at the build tree}"

prefix=$T/prefix
cmake --install "$SCRUB_BUILD" --prefix "$prefix" >"$T/install.log" 2>&1
check "cmake --install succeeds" test $? -eq 0
libdir=$(find "$prefix" -name scrub.pc -printf '%h\n' | head -1)
libdir=${libdir%/pkgconfig}
for f in bin/scrub include/scrub.h share/man/man1/scrub.1 share/man/man3/libscrub.3 \
	share/scrub/scrub-report.schema.json; do
	check "installed $f" test -f "$prefix/$f"
done
for f in libscrub.a libscrub.so libscrub.so.0 pkgconfig/scrub.pc; do
	check "installed lib/$f" test -e "$libdir/$f"
done
check "installed header is the public one only" \
	test "$(find "$prefix/include" -type f | wc -l)" -eq 1
check "the shared library has a soname" \
	sh -c "readelf -d '$libdir/libscrub.so' | grep -q 'SONAME.*libscrub\.so\.0'"
hidden=$(nm -D --defined-only "$libdir/libscrub.so" | awk '{print $3}' | grep -v '^scrub_' || true)
assert_eq "the shared library exports only scrub_ symbols" "" "$hidden"
internal=$(nm -D --defined-only "$libdir/libscrub.so" | awk '{print $3}' |
	grep -vxE 'scrub_(ctx_new|ctx_free|buffer|file|report|ctx_error|strerror|free|version)' || true)
assert_eq "the shared library exports only the API of scrub.h" "" "$internal"

export PKG_CONFIG_PATH=$libdir/pkgconfig
# The sanitizer builds need the runtime in whatever links the library.
cflags="$(pkg-config --cflags scrub) ${SCRUB_CFLAGS:-}"
mkdir -p "$T/out-of-tree"
cd "$T/out-of-tree" || exit 2
sed -n '/^\.EX$/,/^\.EE$/p' "$SCRUB_SRC/man/libscrub.3" |
	awk '/^\.EE$/ { exit } !/^\.EX$/' | sed 's/\\e/\\/g; s/\\-/-/g' >example.c
check "the man page example has a main" grep -q 'int main' example.c
cc $cflags example.c -o example $(pkg-config --libs scrub) 2>"$T/cc1.log"
check "the man page example builds with pkg-config (shared)" test $? -eq 0
cc $cflags "$SCRUB_SRC/tests/lib/api_check.c" -o api_shared $(pkg-config --libs scrub) \
	-pthread 2>"$T/cc2.log"
check "api_check builds against the shared library" test $? -eq 0
static_libs=$(pkg-config --static --libs scrub | sed 's/-lscrub\b//')
cc $cflags "$SCRUB_SRC/tests/lib/api_check.c" -o api_static "$libdir/libscrub.a" $static_libs \
	-pthread 2>"$T/cc3.log"
check "api_check builds against the static library" test $? -eq 0
check "the static program does not load libscrub.so" \
	sh -c "! readelf -d api_static | grep -q 'NEEDED.*libscrub'"

# Inputs: a tagged JPEG, a copy to clean in place, a truncated one, a text file.
bash "$SCRUB_SRC/tests/gen-jpeg-fixtures.sh" "$T/fx" >/dev/null 2>&1
img=$T/fx/gps.jpg
check "fixture exists" test -f "$img"
head -c 700 "$img" >bad.jpg
echo "not an image" >junk.txt
"$SCRUB" -c "$img" >want.jpg

export LD_LIBRARY_PATH=$libdir
for prog in api_shared api_static; do
	cp "$img" copy.jpg
	./$prog "$img" copy.jpg bad.jpg junk.txt >"$T/$prog.out" 2>&1
	rc=$?
	grep '^FAIL' "$T/$prog.out" >&2
	assert_eq "$prog: failed checks" 0 "$rc"
	check "$prog: scrub_buffer gives what scrub -c gives" cmp -s buffer.out want.jpg
	check "$prog: scrub_file gives what scrub -c gives" cmp -s copy.jpg want.jpg
	check "$prog: the report is valid JSON naming the file" sh -c \
		"grep '^report ' '$T/$prog.out' | cut -c8- | $PYTHON -c 'import json,sys; o=json.load(sys.stdin); assert o[\"file\"]==\"photo.jpg\" and o[\"verdict\"]==\"location\"'"
	check "$prog: the malformed buffer's message says what is wrong" \
		grep -q '^malformed: .*cannot read .-.: ' "$T/$prog.out"
done
assert_no_tempfiles "$T/out-of-tree"

./example "$img" example.jpg >example.json 2>example.err
assert_eq "the man page example exits 0" 0 $?
check "the man page example writes what scrub -c writes" cmp -s example.jpg want.jpg
check "the man page example prints the report" grep -q '"verdict": "location"' example.json
./example bad.jpg nothing.jpg >/dev/null 2>example.err
assert_eq "the man page example fails on a truncated image" 1 $?
check "and says why in one line" sh -c "[ \$(wc -l <example.err) -eq 1 ] && grep -q 'truncated' example.err"
finish
