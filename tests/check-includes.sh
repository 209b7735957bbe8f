#!/bin/sh
# check-includes.sh: the include rules of docs/architecture.md, checked on every #include of the
# sources: core/ includes only core/; draw/ core/ and draw/; plugin/ core/, draw/ and itself;
# standalone/ core/, draw/ and itself. A quoted include is found where the compiler finds it
# (next to the including file, else in the one project folder holding a header of that name);
# an angle include of a library is checked against the libraries each folder may use. Prints
# FILE:LINE and the rule for each break and exits 1; exit 0 when every include keeps the rules.
# Usage: tests/check-includes.sh [ROOT]   (ROOT: the checkout, default: this script's ../)
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
find core draw plugin standalone -name '*.h' | sort >"$headers"
# shellcheck disable=SC2046 # the file names have no blanks
awk -v headers="$headers" '
function folder(path) { return path ~ /^(core|draw|plugin|standalone)\// ? substr(path, 1, index(path, "/") - 1) : "other" }
function normalise(path,    parts, n, i, out, k) { # a/b/../c -> a/c
    n = split(path, parts, "/"); k = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "." || parts[i] == "") continue
        if (parts[i] == ".." && k > 0 && out[k] != "..") { k--; continue }
        out[++k] = parts[i]
    }
    path = out[1]; for (i = 2; i <= k; i++) path = path "/" out[i]
    return path
}
function report(message) { print FILENAME ":" FNR ": " message " (docs/architecture.md)"; broken[FILENAME] = 1 }
BEGIN {
    while ((getline h < headers) > 0) { known[h] = 1; base = h; sub(/.*\//, "", base); count[base]++; at[base] = h }
    may["core"] = " core "; may["draw"] = " core draw "; may["plugin"] = " core draw plugin "
    may["standalone"] = " core draw standalone "
    # the libraries a folder may not include: core libc and libm only, draw cairo besides,
    # plugin the LV2 SDK besides, standalone anything but the LV2 SDK
    libs = "cairo/|lv2/|portaudio|jack/|alsa/|sndfile|ini[.]h|fontconfig/"
    banned["core"] = libs; banned["draw"] = "lv2/|portaudio|jack/|alsa/|sndfile|ini[.]h"
    banned["plugin"] = "portaudio|jack/|alsa/|sndfile|ini[.]h"; banned["standalone"] = "lv2/"
}
FNR == 1 { from = folder(FILENAME); dir = FILENAME; sub(/\/[^\/]*$/, "", dir) }
/^[ \t]*#[ \t]*include[ \t]*"/ {
    name = $0; sub(/^[^"]*"/, "", name); sub(/".*/, "", name)
    found = normalise(dir "/" name)
    if (!(found in known)) {
        base = name; sub(/.*\//, "", base)
        if (name ~ /\.\./ || count[base] == 0) { report("#include \"" name "\": no such header in core/, draw/, plugin/ or standalone/"); next }
        if (count[base] > 1) { report("#include \"" name "\": " count[base] " headers of that name (one header per name)"); next }
        found = at[base]
        if (substr(found, length(found) - length(name)) != "/" name) { report("#include \"" name "\": no such header"); next }
    }
    to = folder(found)
    if (index(may[from], " " to " ") == 0) report("#include \"" name "\" (" found "): " from "/ may not include " to "/")
    next
}
/^[ \t]*#[ \t]*include[ \t]*</ {
    name = $0; sub(/^[^<]*</, "", name); sub(/>.*/, "", name)
    if (name ~ ("^(" banned[from] ")")) report("#include <" name ">: " from "/ may not use that library")
}
END {
    n = 0; for (f in broken) n++
    if (n) { print "FAIL: " n " file(s) break the include rules (docs/architecture.md)"; exit 1 }
    print "include rules: every #include of core/, draw/, plugin/ and standalone/ keeps them"
}' $(find core draw plugin standalone -name '*.[ch]' | sort)
