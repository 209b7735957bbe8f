#!/usr/bin/env bash
# homunculus demo, the README's first command: without a terminal (or a sound device) it
# renders the built-in session as fast as possible, writes the sonification to a WAV file and
# prints what changed (the repetitive D3+D4 chords raise their overlap); on a terminal (tmux)
# with --no-audio it plays in real time with the live view, and q stops it.
set -u
program=$(realpath "${1:?usage: test_demo.sh PATH/TO/homunculus}")
work=$(mktemp -d)
tmux_socket="homunculus-demo-test-$$"
cleanup() {
    command -v tmux >/dev/null && tmux -L "$tmux_socket" kill-server 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"

(cd "$work" && "$program" demo >"$work/out" 2>"$work/err")
check "the demo succeeds without a terminal" test $? -eq 0
check "it says why it renders offline" grep -q "not a terminal: rendering as fast as possible" "$work/out"
check "it prints the session's programme" grep -q "D3+D4 struck together" "$work/out"
check "it writes homunculus-demo.wav in the current folder" \
    bash -c "[ \"\$(head -c 4 '$work/homunculus-demo.wav')\" = RIFF ] && [ \$(stat -c %s '$work/homunculus-demo.wav') -gt 1000000 ]"
check "it prints what changed for both hands" grep -q "what changed .*right hand .*left hand" "$work/out"
check "the chords merged D3 and D4 a little" grep -q "right hand: the repetitive D3+D4 chords began to merge" "$work/out"
check "nothing on stderr" test ! -s "$work/err"
"$program" demo --offline --wav "$work/elsewhere.wav" --seed 3 >/dev/null
check "--wav chooses the file" test -s "$work/elsewhere.wav"
"$program" demo --bogus >/dev/null 2>&1
check "an unknown option is a usage error" test $? -eq 2
"$program" demo --help | grep -q "usage: homunculus demo"
check "--help describes it" test $? -eq 0
"$program" demo --offline --wav /dev/null >/dev/null 2>"$work/err"
check "--wav /dev/null discards the sound" test $? -eq 0
check "/dev/null survives" test -c /dev/null

if ! command -v tmux >/dev/null; then
    echo "SKIP: tmux is not installed: the live demo was not checked (Debian: apt-get install tmux)"
else
    screen() { tmux -L "$tmux_socket" capture-pane -p -t demo; }
    wait_screen() { # wait_screen TEXT: up to 10 s for TEXT on the screen
        for _ in $(seq "$(tries 100)"); do screen | grep -q -- "$1" && return 0; sleep 0.1; done
        return 1
    }
    tmux -L "$tmux_socket" new-session -d -s demo -x 120 -y 50 \
        "cd '$work' && '$program' demo --no-audio; echo \"EXITED \$?\"; sleep 60"
    check "live: the view shows the demo playing" wait_screen "playing demo"
    check "live: the maps are drawn" wait_screen "right hand .* left hand"
    tmux -L "$tmux_socket" send-keys -t demo q
    check "live: q stops it early" wait_screen "stopped after"
    check "live: then what changed is printed" wait_screen "what changed"
    check "live: exit status 0" wait_screen "EXITED 0"
fi

echo "demo tests: $passes passed, $failures failed"
[ $failures -eq 0 ]
