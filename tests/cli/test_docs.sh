#!/usr/bin/env bash
# Keeps the option table (--help), man/scrub.1 and README.md in sync, checks
# that the man page renders without warnings, and that the README's test
# command is the one .ci/run runs.
#
# Environment (set by ctest): SCRUB = the binary, SCRUB_SRC = the source tree.
set -u

SCRUB=${SCRUB:?set SCRUB to the scrub binary}
SRC=${SCRUB_SRC:?set SCRUB_SRC to the source directory}
MAN="$SRC/man/scrub.1"
README="$SRC/README.md"
CI="$SRC/.ci/run"

failures=0
fail() {
	printf 'test_docs: FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}

for f in "$MAN" "$README" "$CI"; do
	[ -f "$f" ] || { echo "test_docs: FAIL: missing $f" >&2; exit 1; }
done

help=$("$SCRUB" --help) || { echo "test_docs: FAIL: '$SCRUB --help' failed" >&2; exit 1; }

# Both man pages carry the version scrub --version prints.
version=$("$SCRUB" --version | sed -n '1s/^scrub //p')
for page in "$MAN" "$SRC/man/libscrub.3"; do
	grep -q "^\.TH .* \"scrub $version\"" "$page" ||
		fail "$(basename "$page"): .TH does not say \"scrub $version\""
done

# Rows of --help: "  -x, --long ARG   text" or "      --long ARG   text".
# Printed as "long|x|ARG" (empty fields when absent).
help_rows=$(printf '%s\n' "$help" | sed -n -E \
	's/^  (-([A-Za-z0-9]), )?[ ]*--([a-z0-9][a-z0-9-]*)( ([A-Z][A-Z]*))?  .*/\3|\2|\5/p')
[ -n "$help_rows" ] || { echo "test_docs: FAIL: no options found in --help output" >&2; exit 1; }
help_longs=$(printf '%s\n' "$help_rows" | cut -d'|' -f1 | sort -u)

# roff spelling of an option: every '-' becomes '\-'.
roff() { printf '%s' "$1" | sed 's/-/\\-/g'; }

# The OPTIONS section of the man page, up to the next .SH.
man_options=$(awk '/^\.SH /{ on = ($2 == "OPTIONS") ; next } on' "$MAN")
[ -n "$man_options" ] || fail "man page has no OPTIONS section"
# Tag lines: the line after each .TP in OPTIONS.
man_tags=$(printf '%s\n' "$man_options" | awk 'prev == ".TP" { print } { prev = $0 }')

# 1. Every option in --help is in the man page OPTIONS section (short name and
#    argument name included) and in the README.
while IFS='|' read -r long short arg; do
	rl=$(roff "--$long")
	tag=$(printf '%s\n' "$man_tags" | grep -F -e "$rl" | grep -v -F -e "${rl}\\-" | head -n 1)
	if [ -z "$tag" ]; then
		fail "--$long (in --help) has no .TP entry in the OPTIONS section of man/scrub.1"
	else
		if [ -n "$short" ] && ! printf '%s' "$tag" | grep -q -E -e "\\\\-$short([^A-Za-z0-9]|\$)"; then
			fail "man/scrub.1 entry for --$long lacks its short form -$short"
		fi
		if [ -n "$arg" ] && ! printf '%s' "$tag" | grep -q -E "(^|[^A-Za-z]|\\\\fI)$arg([^A-Za-z]|$)"; then
			fail "man/scrub.1 entry for --$long lacks its argument name $arg"
		fi
	fi
	grep -q -E -e "--$long([^a-z0-9-]|$)" "$README" ||
		fail "--$long (in --help) is not mentioned in README.md"
done <<EOF
$help_rows
EOF

# 2. Every long option the man page mentions (OPTIONS section and everywhere
#    else) exists in --help. "\-\-" alone (end of options) is not an option.
man_longs=$(grep -o -E '\\-\\-[a-z0-9]+(\\-[a-z0-9]+)*' "$MAN" | sed 's/\\-/-/g; s/^--//' | sort -u)
for long in $man_longs; do
	printf '%s\n' "$help_longs" | grep -q -x -F -e "$long" ||
		fail "man/scrub.1 documents --$long, which scrub --help does not list"
done
# ... and every .TP entry of OPTIONS names a real option (or "--" itself).
while IFS= read -r tag; do
	[ -n "$tag" ] || continue
	names=$(printf '%s\n' "$tag" | grep -o -E '\\-\\-[a-z0-9]+(\\-[a-z0-9]+)*')
	if [ -z "$names" ]; then
		printf '%s' "$tag" | grep -q -E '^\.B \\-\\-$' ||
			fail "OPTIONS entry without a long option: $tag"
	fi
done <<EOF
$man_tags
EOF

# 3. Required sections.
for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -q -E "^\\.SH \"?$section\"?\$" "$MAN" || fail "man/scrub.1 has no $section section"
done

# 4. The README's quick-start test command is the ctest line of .ci/run.
ci_line=$(grep -E '^[[:space:]]*ctest --test-dir build ' "$CI" | head -n 1 | sed -E 's/^[[:space:]]+//')
[ -n "$ci_line" ] || fail ".ci/run has no 'ctest --test-dir build' line"
quick=$(awk '/^## /{ on = ($0 ~ /^## Quick start/); next } on' "$README")
[ -n "$quick" ] || fail "README.md has no '## Quick start' section"
readme_line=$(printf '%s\n' "$quick" | sed -E 's/^[[:space:]]+//' | grep -E '^ctest ' | head -n 1)
if [ -z "$readme_line" ]; then
	fail "README.md quick start has no line starting with 'ctest '"
elif [ "$readme_line" != "$ci_line" ]; then
	fail "README.md quick-start test command differs from .ci/run:
  README:  $readme_line
  .ci/run: $ci_line"
fi

# 5. The man page renders without warnings.
rendered=0
if command -v man >/dev/null 2>&1; then
	# A locale missing on the machine would make man itself complain.
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
	[ -z "$warnings" ] || fail "man --warnings -l man/scrub.1 reports:
$warnings"
	rendered=1
fi
if command -v groff >/dev/null 2>&1; then
	warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z "$MAN" 2>&1)
	[ -z "$warnings" ] || fail "groff -man -ww -z man/scrub.1 reports:
$warnings"
	rendered=1
fi

if [ "$failures" -ne 0 ]; then
	echo "test_docs: $failures check(s) failed" >&2
	exit 1
fi
if [ "$rendered" -eq 0 ]; then
	echo "test_docs: neither man nor groff is installed; rendering not checked (skip)" >&2
	exit 77
fi
echo "test_docs: ok ($(printf '%s\n' "$help_longs" | wc -l) options in sync)"
exit 0
