#!/bin/bash
# The layers of src/ (STYLE.md section 1): each folder may include only
# itself and the folders below it, and only src/io (and the program's
# front end) may touch the file system. Every include of a project header
# is checked against the table; any other is a failure, named with its line.
set -u
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)/src}

# layer: the layers it may include ("scrub.h", the public header, is open to all).
declare -A allowed=(
	[core]="core"
	[io]="core io"
	[formats]="core formats"
	[describe]="core formats describe"
	[engine]="core formats describe engine"
	[report]="core formats describe engine report"
	[lib]="core io formats describe engine report lib"
	[cli]="core io formats describe engine report lib cli"
)
# Headers that open, stat or list files: only io (and the front end) may use them.
file_headers='<(fcntl|unistd|dirent|sys/stat)\.h>'

bad=0
for dir in "$src"/*/; do
	layer=$(basename "$dir")
	if [ -z "${allowed[$layer]+x}" ]; then
		echo "FAIL: src/$layer is not in the layer table"
		bad=$((bad + 1))
		continue
	fi
	while IFS=: read -r file line text; do
		inc=$(sed -E 's/^#include "([^"]*)".*/\1/' <<<"$text")
		[ "$inc" = scrub.h ] && continue
		target=${inc%%/*}
		if [ "$target" = "$inc" ] || ! grep -qw "$target" <<<"${allowed[$layer]}"; then
			echo "FAIL: ${file#"$src"/}:$line: $layer includes \"$inc\""
			bad=$((bad + 1))
		fi
	done < <(grep -nH '^#include "' "$dir"*.[ch])
	case $layer in io | cli) continue ;; esac
	while IFS=: read -r file line text; do
		echo "FAIL: ${file#"$src"/}:$line: $layer touches files ($text)"
		bad=$((bad + 1))
	done < <(grep -nHE "^#include $file_headers" "$dir"*.[ch])
done
echo "layers: $bad violations"
[ "$bad" -eq 0 ]
