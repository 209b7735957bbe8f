#!/bin/sh
# The plugin in a real DAW, headless: Ardour 7 (ardour7-lua) on a private JACK server with the
# dummy backend creates a session with a MIDI track, puts Homunculus on it, plays notes into
# the track's input from jack_midiseq, and saves the session; the engine state Ardour saved in
# the project must hold those notes (read back with `homunculus state show`). Ardour then
# reopens the session, the plugin restores its state, and saving again keeps the notes.
# Ardour 7.3 with jackd2 1.9.21 (non-realtime, a loaded 2-core machine) now and then garbles
# its requests to the server while it creates the session ("CheckSize error", "Unknown request"
# in jackd's log) and the server drops it ("JACK HALTED"): only that is retried, with a fresh
# server (up to five times while it creates the session, three while it reopens it); any
# other failure fails at once.
# Usage: ardour-session.sh LV2_PATH_DIR PROGRAM   (needs: ardour, jackd2)
set -u
path_dir=$(cd "$1" && pwd) program=$2
work=$(mktemp -d)
. "$(dirname "$0")/../jack-server.sh"
. "$(dirname "$0")/ardour-lua.sh"
jack_server_name ardour
export LV2_PATH="$path_dir:/usr/lib/lv2"
ardour_pid="" seq_pid=""
cleanup() {
    for pid in $seq_pid $ardour_pid; do kill "$pid" 2>/dev/null; done
    sleep 0.2
    jack_server_stop
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
fail() {
    echo "FAIL: $*"
    for log in ardour jackd; do [ -f "$work/$log.log" ] && { echo "--- $log.log"; grep -v "Unknown request 0" "$work/$log.log" | head -30; }; done
    exit 1
}

command -v ardour7-lua >/dev/null || fail "ardour7-lua is missing (Debian: apt-get install ardour)"
start_jack() { jack_server_start "$work/jackd.log" || fail "jackd (dummy) did not start"; }
stop_jack() { jack_server_stop; }

{ ardour_new_session_lua "$work/session"; cat <<LUA
print("READY")
io.stdout:flush()
ARDOUR.LuaAPI.usleep(6000000)
Session:save_state("", false, false, false, false, false)
print("SAVED")
close_session()
LUA
} >"$work/create.lua"
cat >"$work/reopen.lua" <<LUA
AudioEngine:set_backend("JACK", "", "")
load_session("$work/session", "practice")
for r in Session:get_routes():iter() do
  if not r:nth_plugin(0):isnil() then print("PLUGIN", r:name(), r:nth_plugin(0):display_name()) end
end
ARDOUR.LuaAPI.usleep(1000000)
Session:save_state("", false, false, false, false, false)
print("SAVED")
close_session()
LUA

# the newest engine state Ardour saved for the plugin, decoded from its state.ttl
saved_state() {
    # shellcheck disable=SC2012 # our own temporary folder: newest first is what is wanted
    ttl=$(ls -t "$work"/session/plugins/*/state*/state.ttl 2>/dev/null | head -1)
    [ -n "$ttl" ] || fail "Ardour saved no plugin state"
    sed -n '/#engineState> """/,/"""/p' "$ttl" | sed -e '/#engineState> """/s/.*"""//' -e 's/""".*//' | base64 -d >"$1" ||
        fail "the saved engine state is not base64"
}
notes_in() { "$program" state show "$1" | sed -n 's/.*: \([0-9]*\) notes practised/\1/p'; }

# Creates the session and plays the notes into it; returns 0, or 3 when the server dropped
# Ardour (retried by the caller).
create_and_play() {
    rm -rf "$work/session"
    start_jack
    ardour7-lua "$work/create.lua" >"$work/ardour.log" 2>&1 &
    ardour_pid=$!
    for _ in $(seq 100); do grep -q READY "$work/ardour.log" && break; sleep 0.2; done
    grep -q READY "$work/ardour.log" || fail "Ardour did not set up the session"
    if grep -q "JACK HALTED" "$work/ardour.log"; then
        wait "$ardour_pid" 2>/dev/null
        ardour_pid=""
        stop_jack
        return 3
    fi
    input=$(jack_lsp | grep 'Practice/midi_in' | head -1)
    [ -n "$input" ] || fail "the MIDI track has no JACK input"
    # four notes every 0.1 s for five seconds: 200 notes
    timeout -k 2 5 jack_midiseq hm_seq 4800 0 60 2000 1200 62 2000 2400 64 2000 3600 65 2000 >/dev/null 2>&1 &
    seq_pid=$!
    for _ in $(seq 50); do jack_lsp | grep -q '^hm_seq:out$' && break; sleep 0.1; done
    jack_connect hm_seq:out "$input" || fail "cannot connect the notes to the track"
    wait "$ardour_pid"
    ardour_pid=""
    grep -q SAVED "$work/ardour.log" || fail "Ardour did not save the session"
    return 0
}

attempt=1
while ! create_and_play; do
    echo "ardour session test: the JACK server dropped Ardour while it set up the session (attempt $attempt)"
    [ $attempt -lt 5 ] || fail "the JACK server dropped Ardour five times"
    attempt=$((attempt + 1))
done
saved_state "$work/first.state"
first=$(notes_in "$work/first.state")
[ "${first:-0}" -gt 50 ] || fail "the state Ardour saved holds ${first:-no} notes"

# reopening is retried the same way when the server drops Ardour
for attempt in 1 2 3; do
    ardour7-lua "$work/reopen.lua" >"$work/ardour.log" 2>&1 && ! grep -q "JACK HALTED" "$work/ardour.log" && break
    grep -q "JACK HALTED" "$work/ardour.log" || fail "Ardour could not reopen the session"
    [ "$attempt" -lt 3 ] || fail "the JACK server dropped Ardour three times while it reopened the session"
    echo "ardour session test: the JACK server dropped Ardour while it reopened the session (attempt $attempt)"
    stop_jack
    start_jack
done
grep -q 'PLUGIN.*Homunculus' "$work/ardour.log" || fail "the reopened session lost the plugin"
saved_state "$work/second.state"
second=$(notes_in "$work/second.state")
[ "${second:-0}" -eq "$first" ] || fail "after reopening, the state holds ${second:-no} notes instead of $first"
echo "ardour session test: $first notes reached the plugin on a MIDI track; the project kept its state across reopening"
