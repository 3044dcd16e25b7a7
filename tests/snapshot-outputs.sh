#!/bin/bash
# snapshot-outputs.sh SCRUB OUT: records what SCRUB prints and writes for
# every file of fixtures/, the generated fixtures and ../shared/corpus:
# --report (text, JSON, -v), --check with exit codes, and the SHA-256 of
# -c, --strip-all -c and --keep icc -c. Diff two snapshots (before and
# after a refactoring) to show that nothing a user sees has changed. The
# generated fixtures go to $GEN (default OUT/gen); give both runs the same
# GEN, since some fixtures are not byte-reproducible (ICC creation dates).
set -u
scrub=$(realpath "${1:?usage: snapshot-outputs.sh SCRUB OUT}")
out=${2:?usage: snapshot-outputs.sh SCRUB OUT}
src=$(cd "$(dirname "$0")/.." && pwd)
export PYTHON=${PYTHON:-/usr/bin/python3}
mkdir -p "$out"
gen=${GEN:-$out/gen}
if [ ! -d "$gen/jpeg" ]; then
	mkdir -p "$gen/jpeg" "$gen/png-webp"
	bash "$src/tests/gen-jpeg-fixtures.sh" "$gen/jpeg" >/dev/null 2>&1
	bash "$src/tests/gen-png-webp-fixtures.sh" "$gen/png-webp" >/dev/null 2>&1
fi
: >"$out/outputs.txt"
find "$src/fixtures" "$src/../shared/corpus" "$gen" -type f \
	! -name '*.tsv' ! -name '*.md' ! -name '*.txt' 2>/dev/null | sort | while read -r f; do
	name=${f#"$src/"}
	name=${name#"$gen/"}
	echo "=== $name"
	for mode in "--report" "--report --json" "--report -v" "--report -v --json" "--check"; do
		echo "--- $mode"
		# shellcheck disable=SC2086
		(cd "$(dirname "$f")" && "$scrub" $mode "$(basename "$f")" 2>&1)
		echo "rc=$?"
	done
	for mode in "-c" "--strip-all -c" "--keep icc -c"; do
		# shellcheck disable=SC2086
		sum=$("$scrub" $mode "$f" 2>/dev/null | sha256sum | cut -c1-16)
		echo "--- $mode $sum"
	done
done >>"$out/outputs.txt"
wc -l "$out/outputs.txt"
