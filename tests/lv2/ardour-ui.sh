#!/bin/sh
# The custom UI in Ardour 7's own window, headless: a private X server (Xvfb), a private JACK
# server on the dummy backend, a session made by ardour7-lua with Homunculus on a MIDI track,
# then Ardour's GUI opening that session. Ardour reopens the plugin windows a session lists as
# visible (its <Extra><UI><Window name="P-ROUTE-PROCESSOR" visible="1" custom-ui="1"/>, what
# it saves when a session is closed with the window open), so the session is given one for the
# plugin; a throwaway configuration lets the engine start on JACK without the Audio/MIDI setup
# dialog. Notes of both hands are played into the track; a screenshot (xwd, ImageMagick) must
# show both maps in the UI's window (found by its size, 760 x 520), as tests/lv2/ui-screenshot.sh
# checks in jalv.gtk3. The JACK server now and then drops Ardour ("JACK HALTED", see
# ardour-session.sh) while it makes the session or while its GUI opens it: only that is
# retried, with a fresh server. Skipped (exit 0, with a message) where no X server can start.
# Usage: ardour-ui.sh LV2_PATH_DIR [SHOT.png]   (needs: ardour, jackd2, xvfb, x11-apps, imagemagick)
set -u
path_dir=$(cd "$1" && pwd) keep=${2:-}
for tool in ardour ardour7-lua Xvfb xwd xwininfo convert jack_midiseq; do
    command -v "$tool" >/dev/null ||
        { echo "FAIL: $tool missing (Debian: apt-get install ardour jackd2 xvfb x11-apps x11-utils imagemagick)"; exit 1; }
done
work=$(mktemp -d)
. "$(dirname "$0")/../jack-server.sh"
. "$(dirname "$0")/ardour-lua.sh"
# shellcheck source=tests/xvfb.sh
. "$(dirname "$0")/../xvfb.sh"
# shellcheck source=tests/map_colours.sh
. "$(dirname "$0")/../map_colours.sh"
jack_server_name ardour-ui
export LV2_PATH="$path_dir:/usr/lib/lv2"
pids="" ardour_pid=""
cleanup() {
    for pid in $pids $ardour_pid; do kill "$pid" 2>/dev/null; done
    sleep 1
    [ -n "$ardour_pid" ] && kill -9 "$ardour_pid" 2>/dev/null # it may wait on a dialog
    jack_server_stop
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() {
    echo "FAIL: $*"
    for log in ardour-gui create jackd; do [ -f "$work/$log.log" ] && { echo "--- $log.log"; tail -15 "$work/$log.log"; }; done
    exit 1
}
scale=${HM_TIME_SCALE:-1}

if ! xvfb_start "$work" 1280x800; then
    echo "SKIP: no X server could start here (Xvfb: $(tail -1 "$work/xvfb.log")); the Ardour UI test did not run"
    exit 0
fi

# Ardour's configuration, private to this run: not a new user (no first-run wizard), the
# engine on JACK and started without asking
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config"
mkdir -p "$XDG_CONFIG_HOME/ardour7"
: >"$XDG_CONFIG_HOME/ardour7/.a7"
cat >"$XDG_CONFIG_HOME/ardour7/config" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Ardour>
  <Config>
    <Option name="try-autostart-engine" value="1"/>
  </Config>
  <Extra>
    <AudioMIDISetup>
      <EngineStates>
        <State backend="JACK" driver="" device="" input-device="" output-device="" sample-rate="48000"
               buffer-size="256" n-periods="2" input-latency="0" output-latency="0" lm-input="" lm-output=""
               active="1" use-buffered-io="0" midi-option="" lru="1"><MIDIDevices/></State>
      </EngineStates>
    </AudioMIDISetup>
  </Extra>
</Ardour>
XML

{ ardour_new_session_lua "$work/session"; cat <<LUA
Session:save_state("", false, false, false, false, false)
print("SAVED")
close_session()
LUA
} >"$work/create.lua"

# the session (the JACK server now and then drops Ardour while it sets one up: see
# ardour-session.sh; only that is retried)
for attempt in 1 2 3; do
    rm -rf "$work/session"
    jack_server_start "$work/jackd.log" || fail "jackd (dummy) did not start"
    ardour7-lua "$work/create.lua" >"$work/create.log" 2>&1
    jack_server_stop
    grep -q SAVED "$work/create.log" && break
    grep -q "JACK HALTED" "$work/create.log" || fail "ardour7-lua did not make the session"
    [ "$attempt" -lt 3 ] || fail "the JACK server dropped Ardour three times"
done
session="$work/session/practice.ardour"
route=$(sed -n 's/.*<Route [^>]*id="\([0-9]*\)" name="Practice".*/\1/p' "$session")
processor=$(sed -n 's/.*<Processor id="\([0-9]*\)" name="Homunculus".*/\1/p' "$session")
[ -n "$route" ] && [ -n "$processor" ] || fail "no Practice track with Homunculus in the session"
grep -q '<Extra>' "$session" && fail "the session has an <Extra> already: the window entry would need merging"
sed -i "s|</Session>|  <Extra><UI><Window name=\"P-$route-$processor\" visible=\"1\" custom-ui=\"1\" x-off=\"0\" y-off=\"0\"/></UI></Extra>\n</Session>|" "$session"

# Ardour's GUI on the session, until the plugin's window shows and the track's MIDI input is
# registered; returns 0, or 3 when the server dropped Ardour (retried by the caller, as above)
open_in_ardour() {
    jack_server_start "$work/jackd.log" || fail "jackd (dummy) did not start"
    ARDOUR_TRY_AUTOSTART_ENGINE=1 ardour -n -a "$session" >"$work/ardour-gui.log" 2>&1 &
    ardour_pid=$!
    geometry=""
    for _ in $(seq $((120 * scale))); do # Ardour's start takes 10 to 30 s on a loaded machine
        geometry=$(xwininfo -root -tree 2>/dev/null | awk '/ 760x520\+/ { print $0; exit }')
        [ -n "$geometry" ] && break
        grep -q "JACK HALTED" "$work/ardour-gui.log" && { close_ardour; return 3; }
        kill -0 "$ardour_pid" 2>/dev/null || fail "Ardour ended before it showed the plugin's window"
        sleep 0.5
    done
    [ -n "$geometry" ] || { xwininfo -root -tree | head -30; fail "Ardour showed no 760x520 plugin window in $((60 * scale)) s"; }
    # the plugin's window can show before Ardour has registered the track's ports with JACK
    input=""
    for _ in $(seq $((40 * scale))); do
        input=$(jack_lsp 2>/dev/null | grep 'Practice/midi_in' | head -1)
        [ -n "$input" ] && return 0
        grep -q "JACK HALTED" "$work/ardour-gui.log" && { close_ardour; return 3; }
        sleep 0.5
    done
    jack_lsp
    tail -20 "$work/ardour-gui.log"
    fail "the MIDI track has no JACK input after $((20 * scale)) s"
}
close_ardour() {
    kill "$ardour_pid" 2>/dev/null
    sleep 1
    kill -9 "$ardour_pid" 2>/dev/null # it may wait on a dialog
    wait "$ardour_pid" 2>/dev/null
    ardour_pid=""
    jack_server_stop
}
attempt=1
while ! open_in_ardour; do
    echo "Ardour UI test: the JACK server dropped Ardour while it opened the session (attempt $attempt)"
    [ $attempt -lt 3 ] || fail "the JACK server dropped Ardour's GUI three times"
    attempt=$((attempt + 1))
done
jack_midiseq hm_seq 9600 0 40 2000 2400 76 2000 4800 43 2000 7200 79 2000 >/dev/null 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do jack_lsp | grep -q '^hm_seq:out$' && break; sleep 0.1; done
jack_connect hm_seq:out "$input" || fail "cannot connect the notes to the track"
sleep $((5 * scale)) # both hands' maps made (the host's worker), frames sent ten times a second

xwd -root -silent >"$work/shot.xwd" && convert "xwd:$work/shot.xwd" "$work/shot.png" || fail "no screenshot"
[ -n "$keep" ] && cp "$work/shot.png" "$keep"
geometry=$(xwininfo -root -tree | awk '/ 760x520\+/ { print $0; exit }')
# shellcheck disable=SC2046 # two numbers, split on purpose
set -- $(echo "$geometry" | sed 's/.* 760x520+[-0-9]*+[-0-9]*  +\([-0-9]*\)+\([-0-9]*\).*/\1 \2/')
ui_x=$1 ui_y=$2
# each map's square in the panel (draw/panel.c: left hand at x 12, right at x 254, y 52, side 200)
result=0
for hand in left:12 right:254; do
    map_colours "$work/shot.png" $((ui_x + ${hand#*:} + 4)) $((ui_y + 56)) 192 "${hand%%:*}" || result=1
done
[ $result -eq 0 ] || fail "the plugin's window in Ardour does not show both maps (screenshot: ${keep:-not kept})"
echo "Ardour UI: Ardour 7 opens the custom UI (at +$ui_x+$ui_y) and it shows both hands' maps"
