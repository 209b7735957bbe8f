#!/bin/sh
# A live test in a real host, headless: a private JACK server on the dummy backend, jalv
# running the built plugin, notes from jack_midiseq. Checks that the plugin's MIDI output
# carries the notes (jack_midi_dump) and that its control outputs react (jalv -p prints
# them on the `monitors` command: notes per minute rises above 0) and that jalv lists the
# five presets. Timing is not asserted (the dummy backend logs
# xruns on small machines). Usage: jalv-smoke.sh LV2_PATH_DIR URI
set -u
path_dir=$(cd "$1" && pwd) uri=$2
work=$(mktemp -d)
. "$(dirname "$0")/../jack-server.sh"
jack_server_name smoke
pids=""
cleanup() {
    exec 3>&- 2>/dev/null
    for pid in $pids; do [ "$pid" = "$jackd_pid" ] || kill "$pid" 2>/dev/null; done
    sleep 0.2
    jack_server_stop # the server last, after its clients
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

jack_server_start "$work/jackd.log" || { cat "$work/jackd.log"; echo "FAIL: jackd (dummy) did not start"; exit 1; }

# jalv reads commands from a fifo held open by this script
mkfifo "$work/commands"
LV2_PATH="$path_dir:/usr/lib/lv2" stdbuf -oL jalv -n hm -c fingering=2 "$uri" <"$work/commands" >"$work/jalv.log" 2>&1 &
pids="$pids $!"
exec 3>"$work/commands"
for _ in $(seq 50); do jack_lsp 2>/dev/null | grep -q '^hm:midi_in$' && break; sleep 0.1; done
jack_lsp 2>/dev/null | grep -q '^hm:midi_in$' || { cat "$work/jalv.log"; echo "FAIL: jalv did not start the plugin"; exit 1; }

stdbuf -oL jack_midi_dump -a >"$work/dump.log" 2>&1 &
pids="$pids $!"
# channel 2 (index finger in channel-coded fingering), four notes per 0.1 s loop
jack_midiseq seq 4800 0 60 1000 1200 62 1000 2400 64 1000 3600 65 1000 >"$work/seq.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do jack_lsp 2>/dev/null | grep -q '^seq:out$' && jack_lsp 2>/dev/null | grep -q '^midi-monitor:input$' && break; sleep 0.1; done
jack_connect seq:out hm:midi_in || { echo "FAIL: cannot connect the sequencer"; exit 1; }
jack_connect hm:midi_out midi-monitor:input || { echo "FAIL: cannot connect the MIDI monitor"; exit 1; }
sleep 2
echo monitors >&3
echo presets >&3
sleep 1

fail=0
notes=$(grep -ci 'note' "$work/dump.log")
[ "$notes" -gt 10 ] || { echo "FAIL: the plugin's MIDI out carried $notes notes"; head "$work/dump.log"; fail=1; }
npm=$(grep 'notes_per_minute' "$work/jalv.log" | tail -1 | sed 's/.*= *//')
case "$npm" in
    '' | 0 | 0.0*) echo "FAIL: notes per minute did not react (\"$npm\")"; tail "$work/jalv.log"; fail=1 ;;
esac
presets=$(grep -c '#preset-' "$work/jalv.log")
[ "$presets" -eq 5 ] || { echo "FAIL: jalv lists $presets presets, not 5"; fail=1; }
[ $fail -eq 0 ] && echo "jalv smoke test: $notes MIDI events through the plugin in jackd (dummy), notes per minute $npm"
exit $fail
