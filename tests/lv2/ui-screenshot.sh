#!/bin/sh
# The custom UI in a real host, headless: a private X server (Xvfb), a private JACK server on
# the dummy backend, jalv.gtk3 running the built plugin with its UI, notes from jack_midiseq
# (auto fingering, low notes and high: both hands, whose maps are made once they are played).
# A screenshot of the screen (xwd, converted with ImageMagick) must show both hands' maps:
# in each map's square, most pixels in the finger colours of draw/map_picture.c (saturated,
# hue of red, orange, green, blue or violet), at least four of the five fingers present. Skipped (exit 0, with a message) where no X
# server can start. Usage: ui-screenshot.sh LV2_PATH_DIR URI [SHOT.png]
set -u
path_dir=$(cd "$1" && pwd) uri=$2 keep=${3:-}
for tool in Xvfb xwd convert jalv.gtk3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (Debian: apt-get install xvfb x11-apps imagemagick jalv)"; exit 1; }
done
work=$(mktemp -d)
. "$(dirname "$0")/../jack-server.sh"
# shellcheck source=tests/xvfb.sh
. "$(dirname "$0")/../xvfb.sh"
# shellcheck source=tests/map_colours.sh
. "$(dirname "$0")/../map_colours.sh"
jack_server_name ui
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null; done
    sleep 0.2
    jack_server_stop
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

if ! xvfb_start "$work" 1024x768; then
    echo "SKIP: no X server could start here (Xvfb: $(tail -1 "$work/xvfb.log")); the UI screenshot test did not run"
    exit 0
fi

jack_server_start "$work/jackd.log" || { cat "$work/jackd.log"; echo "FAIL: jackd (dummy) did not start"; exit 1; }
LV2_PATH="$path_dir:/usr/lib/lv2" jalv.gtk3 -n hmui -c fingering=0 -c hand=0 "$uri" >"$work/jalv.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do jack_lsp 2>/dev/null | grep -q '^hmui:midi_in$' && break; sleep 0.1; done
jack_lsp 2>/dev/null | grep -q '^hmui:midi_in$' || { cat "$work/jalv.log"; echo "FAIL: jalv.gtk3 did not start the plugin"; exit 1; }
jack_midiseq seq 9600 0 40 1000 2400 76 1000 4800 43 1000 7200 79 1000 >"$work/seq.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do jack_lsp 2>/dev/null | grep -q '^seq:out$' && break; sleep 0.1; done
jack_connect seq:out hmui:midi_in || { echo "FAIL: cannot connect the sequencer"; exit 1; }
sleep 4 # the UI opens, the plugin sends its frames ten times a second

xwd -root -silent >"$work/shot.xwd" && convert "xwd:$work/shot.xwd" "$work/shot.png" ||
    { echo "FAIL: no screenshot"; exit 1; }
[ -n "$keep" ] && cp "$work/shot.png" "$keep"

# Where the panel is: the UI's window is the one of the panel's size (760 x 520 at scale 1).
geometry=$(xwininfo -root -tree | awk '/ 760x520\+/ { print $0; exit }')
[ -n "$geometry" ] || { xwininfo -root -tree | head -30; tail "$work/jalv.log"; echo "FAIL: no 760x520 UI window"; exit 1; }
set -- $(echo "$geometry" | sed 's/.* 760x520+[-0-9]*+[-0-9]*  +\([-0-9]*\)+\([-0-9]*\).*/\1 \2/')
ui_x=$1 ui_y=$2

# Each map's square in the panel (draw/panel.c: left hand at x 12, right hand at x 254,
# y 52, side 200): the share of finger-coloured pixels and the fingers present.
fail=0
for hand in left:12 right:254; do
    name=${hand%%:*} x=$((ui_x + ${hand#*:} + 4)) y=$((ui_y + 56))
    map_colours "$work/shot.png" "$x" "$y" 192 "$name" || fail=1
done
[ $fail -eq 0 ] && echo "UI screenshot: jalv.gtk3 shows the custom UI with both hands' maps at +$ui_x+$ui_y"
exit $fail
