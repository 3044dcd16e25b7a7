#!/bin/bash -eu
# Builds the fuzz targets the way OSS-Fuzz's build.sh is expected to: with
# the compiler and flags it gives ($CC, $CFLAGS: sanitizers and coverage),
# linked with its engine ($LIB_FUZZING_ENGINE), into $OUT with a seed corpus
# (TARGET_seed_corpus.zip, from fixtures/ and the shared corpus when it is
# beside the tree) and a dictionary (TARGET.dict) for each target.
#
# The image needs the Debian packages of .ci/packages (the -dev libraries)
# and python3. Run locally with, for example:
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out tests/fuzz/oss-fuzz-build.sh
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$(mktemp -d)}
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DSCRUB_FUZZ=ON \
	-DSCRUB_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DCMAKE_C_COMPILER="$CC" \
	-DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$CFLAGS"
cmake --build "$work/build" -j"$(nproc)"
seeds=("$src/fixtures")
for d in "$src/../shared/corpus/real" "$src/../shared/corpus/hostile"; do
	[ -d "$d" ] && seeds+=("$d")
done
python3 "$src/tests/fuzz/seeds.py" "$work/seeds" "${seeds[@]}"
mkdir -p "$OUT"
for fuzzer in "$work"/build/tests/fuzz_*; do
	target=${fuzzer##*/fuzz_}
	cp "$fuzzer" "$OUT/"
	if [ -d "$work/seeds/$target" ]; then
		(cd "$work/seeds/$target" && zip -q -r "$OUT/fuzz_${target}_seed_corpus.zip" .)
	fi
	[ -f "$src/tests/fuzz/dict/$target.dict" ] &&
		cp "$src/tests/fuzz/dict/$target.dict" "$OUT/fuzz_$target.dict"
done
ls "$OUT"
