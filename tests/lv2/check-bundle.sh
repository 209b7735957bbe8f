#!/bin/sh
# Checks the built LV2 bundle with the stock tools: lv2_validate must find 0 errors in its
# TTL, and lv2info (lilv) must list every port of plugin/ports.h with the expected class.
# Usage: check-bundle.sh BUNDLE LV2_PATH_DIR URI
set -eu
bundle=$1 path_dir=$2 uri=$3
here=$(dirname "$0")
ports=$(mktemp)
trap 'rm -f "$ports"' EXIT

out=$(lv2_validate "$bundle"/*.ttl 2>&1) || { echo "$out"; echo "FAIL: lv2_validate exit status"; exit 1; }
echo "$out" | grep -v 'lv2core.doap.ttl' || true
echo "$out" | grep -q 'Found 0 errors' || { echo "FAIL: lv2_validate found errors"; exit 1; }
if echo "$out" | grep -v 'lv2core.doap.ttl' | grep -qi 'warn'; then echo "FAIL: lv2_validate warnings"; exit 1; fi

info=$(LV2_PATH="$(cd "$path_dir" && pwd):/usr/lib/lv2" lv2info "$uri" 2>&1) || { echo "$info"; echo "FAIL: lv2info"; exit 1; }
fail=0
# "index symbol class class" per port, from the port enum's symbol table
sed -n '/port_symbols\[PORT_COUNT\] = {/,/};/p' "$here/../../plugin/ports.h" | grep -o '"[a-z0-9_]*"' | tr -d '"' |
    awk '{ i = NR - 1; cls = (i <= 1 || $1 == "notify") ? "AtomPort" : (i <= 3) ? "AudioPort" : "ControlPort";
           dir = (i == 0 || (i >= 4 && i <= 13)) ? "InputPort" : "OutputPort"; print i, $1, cls, dir }' >"$ports"
while read -r index symbol class direction; do
    block=$(echo "$info" | awk -v p="Port $index:" '$0 ~ "^\t" p "$" {on = 1; next} /^\tPort [0-9]+:$/ {on = 0} on')
    echo "$block" | grep -q "Symbol: *$symbol\$" || { echo "FAIL: lv2info port $index is not \"$symbol\""; fail=1; }
    echo "$block" | grep -q "#$class" || { echo "FAIL: lv2info port $index ($symbol) is not an lv2 $class"; fail=1; }
    echo "$block" | grep -q "#$direction" || { echo "FAIL: lv2info port $index ($symbol) is not an $direction"; fail=1; }
done <"$ports"
count=$(wc -l <"$ports")
listed=$(echo "$info" | grep -c '^	Port [0-9]*:$')
[ "$listed" -eq "$count" ] || { echo "FAIL: lv2info lists $listed ports, ports.h $count"; fail=1; }
[ $fail -eq 0 ] && echo "lv2info: $listed ports with the expected symbols and classes"
exit $fail
