#!/usr/bin/env bash
# The homunculus program as a user runs it: play a recording offline at two block sizes
# (same learned maps), write a WAV, save and show states, refuse bad input with the right
# exit status and a message, never overwrite a state it refuses.
set -u
program=${1:?usage: test_homunculus.sh PATH/TO/homunculus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"

midi=tests/fixtures/midi/c_major_scale_format0.mid
pig=tests/fixtures/fingering/small_pig.txt

check "play at 64-frame blocks" "$program" play "$midi" --offline --block 64 --save-state "$work/a.state" --wav "$work/a.wav"
check "play at 1000-frame blocks" "$program" play "$midi" --offline --block 1000 --save-state "$work/b.state"
"$program" state show "$work/a.state" --json >"$work/a.json"
"$program" state show "$work/b.state" --json | sed "s|$work/b.state|$work/a.state|" >"$work/b.json"
check "same maps at any block size" cmp -s "$work/a.json" "$work/b.json"
for input in "$midi" tests/fixtures/midi/tempo_change_format1.mid "$pig"; do
    for block in 64 1000 37; do
        SOURCE_DATE_EPOCH=1000 "$program" play "$input" --offline --block "$block" --save-state "$work/s$block.state" >/dev/null
    done
    check "$input: the saved states at 64-, 1000- and 37-frame blocks are byte-identical" \
        bash -c "cmp -s '$work/s64.state' '$work/s1000.state' && cmp -s '$work/s64.state' '$work/s37.state'"
done
check "the WAV is a RIFF/WAVE file" bash -c "[ \"\$(head -c 4 '$work/a.wav')\" = RIFF ] && [ \"\$(tail -c +9 '$work/a.wav' | head -c 4)\" = WAVE ]"
check "the WAV holds audio" test "$(stat -c %s "$work/a.wav")" -gt 100000
check "play in real time (no sound device here: the silent clock) reaches every note" bash -c "'$program' play '$midi' --no-ui --no-audio | grep -q ': 8 notes'"
# a note of 0.25 s, then silence to the end of track at 5 s (format 0, 480 ticks a quarter, 120 bpm)
printf 'MThd\0\0\0\6\0\0\0\1\1\340MTrk\0\0\0\25\0\377\121\3\7\241\40\0\220\74\120\201\160\200\74\0\243\120\377\57\0' \
    >"$work/long_end.mid"
check "a WAV of a file with silence at its end" "$program" play "$work/long_end.mid" --offline --rate 48000 --wav "$work/end.wav"
wav_frames=$(( ($(stat -c %s "$work/end.wav") - 44) / 8 )) # 44-byte header (float WAV: 58 or more), 8 bytes a frame
check "... ends at the file's end of track, 5 s ($wav_frames frames)" test "$wav_frames" -ge 240000 -a "$wav_frames" -le 240010
check "--wav without --offline is a usage error" bash -c "'$program' play '$midi' --wav '$work/x.wav' 2>/dev/null; [ \$? -eq 2 ]"
check "a PIG file plays with its fingers" bash -c "'$program' play '$pig' --offline | grep -q '9 notes'"
check "state show prints both hands" bash -c "'$program' state show '$work/a.state' | grep -q '^left:'"

cp "$work/a.state" "$work/good.state"
printf 'garbage' >"$work/bad.state"
check "a corrupt state is refused with exit 1" test "$(status_of "$program" state show "$work/bad.state")" = 1
check "... and the message names the file" grep -q "bad.state" "$work/err"
cp "$work/bad.state" "$work/bad.copy"
check "continuing from a corrupt state fails" test "$(status_of "$program" play "$midi" --state "$work/bad.state" --save-state "$work/bad.state")" = 1
check "... and leaves it untouched" cmp -s "$work/bad.state" "$work/bad.copy"
check "a missing file exits 1" test "$(status_of "$program" play "$work/none.mid")" = 1
check "saving into a missing directory exits 1" test "$(status_of "$program" play "$midi" --save-state "$work/no/such.state")" = 1
check "a bad block size exits 2" test "$(status_of "$program" play "$midi" --block 0)" = 2
check "... naming the option" grep -q -- "--block" "$work/err"
check "an unknown command exits 2" test "$(status_of "$program" frobnicate)" = 2
check "--help exits 0" test "$(status_of "$program" play --help)" = 0
check "--version" bash -c "'$program' --version | grep -q '^homunculus '"

# ---- play with a profile (issue 18): the header names it; a file without a note is not logged ----
export XDG_DATA_HOME="$work/xdg"
printf 'MThd\0\0\0\6\0\0\0\1\1\340MTrk\0\0\0\4\0\377\57\0' >"$work/empty.mid"
check "a file without a note plays into a profile" test "$(status_of "$program" play "$work/empty.mid" --offline --profile quiet)" = 0
check "... saving the profile" test -s "$XDG_DATA_HOME/homunculus/quiet.profile"
check "... and saying the log is unchanged" grep -q "no note was played, so the practice log is unchanged" "$work/out"
check "... which it is (no session logged)" test ! -e "$XDG_DATA_HOME/homunculus/quiet.log.jsonl"
check "a file with notes is logged" test "$(status_of "$program" play "$midi" --offline --profile quiet)" = 0
check "... one session" test "$(wc -l <"$XDG_DATA_HOME/homunculus/quiet.log.jsonl")" -eq 1
if command -v tmux >/dev/null; then
    # the note, then silence to the end of track at 60 s: the view stays up however slowly the
    # program starts (valgrind on a busy machine), and q ends it
    printf 'MThd\0\0\0\6\0\0\0\1\1\340MTrk\0\0\0\26\0\377\121\3\7\241\40\0\220\74\120\201\160\200\74\0\203\302\0\377\57\0' \
        >"$work/minute.mid"
    tmux_socket="hm-play-$$"
    tmux -L "$tmux_socket" new-session -d -s play -x 100 -y 50 \
        "XDG_DATA_HOME='$XDG_DATA_HOME' '$program' play '$work/minute.mid' --no-audio --profile anna; echo EXITED; sleep 30"
    for _ in $(seq "$(tries 50)"); do tmux -L "$tmux_socket" capture-pane -p -t play | grep -q "profile 'anna'  [0-9]" && break; sleep 0.1; done
    # (the header's "profile 'anna'  00:00:01", not the line printed before the view opens)
    check "the live view's header names the profile, not the file" \
        bash -c "tmux -L '$tmux_socket' capture-pane -p -t play | grep -q \"profile 'anna'  [0-9]\""
    tmux -L "$tmux_socket" send-keys -t play q # stops and saves before the work folder goes
    for _ in $(seq "$(tries 50)"); do tmux -L "$tmux_socket" capture-pane -p -t play | grep -q EXITED && break; sleep 0.1; done
    tmux -L "$tmux_socket" kill-server 2>/dev/null
else
    echo "SKIP: tmux is not installed: play's header was not checked"
fi

echo "homunculus CLI: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
