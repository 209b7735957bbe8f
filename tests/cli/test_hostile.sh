#!/usr/bin/env bash
# Hostile input (issue 20, "Hardening 2"), each case a regression test of a finding: files
# that never end (a 143-year rest in 40 bytes of MIDI, 32 bytes of PIG) are refused naming
# the cap before anything is written, with no temporary file left behind; a link planted at
# a temporary name is never written through; SOURCE_DATE_EPOCH is the clock of opening a
# profile as of saving it; the practice log holds only what its reader reads, and one that
# does not read is set aside whole rather than appended to; output to a full disk is an
# error; schedule and PIG text print no control characters; a FIFO as input does not hang.
# Usage: test_hostile.sh PATH/TO/homunculus
set -u
program=${1:?usage: test_hostile.sh PATH/TO/homunculus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC0 XDG_DATA_HOME="$work/data"
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"
no_temp_files() { ! ls -a "$1" | grep -q '\.tmp'; }

# --- 1. caps on recordings: refused before any output ---
# MThd, format 0, 1 track, 1 tick a quarter; a track: the slowest tempo, then a note after
# 0x0FFFFFFF ticks (16.8 s each: 143 years), end of track
printf 'MThd\0\0\0\6\0\0\0\1\0\1MTrk\0\0\0\22\0\377\121\3\377\377\377\377\377\377\177\220\74\120\0\377\57\0' \
    >"$work/endless.mid"
check "the endless MIDI file is 40 bytes" test "$(wc -c <"$work/endless.mid")" = 40
mkdir "$work/out.d"
check "play --offline --wav of an endless MIDI file exits 1" \
    test "$(status_of timeout 20 "$program" play "$work/endless.mid" --offline --wav "$work/out.d/endless.wav")" = 1
check "... naming the rest and the cap" grep -q "endless.mid: a rest of .* (143 years) before the first event: longer than the limit of 3600 s" "$work/err"
check "... with no WAV written" test ! -e "$work/out.d/endless.wav"
check "... and no temporary file left" no_temp_files "$work/out.d"
printf '0 4e9 4e9 C4 64 80 0 1\n' >"$work/endless.txt"
check "play --offline of an endless PIG file exits 1" \
    test "$(status_of timeout 20 "$program" play "$work/endless.txt" --offline --wav "$work/out.d/pig.wav")" = 1
check "... naming the rest and the cap" grep -q "a rest of 4e+09 s (127 years) before the first event: longer than the limit of 3600 s" "$work/err"
check "... with no WAV written" test ! -e "$work/out.d/pig.wav"
check "... and no temporary file left" no_temp_files "$work/out.d"
head -c $((16 * 1024 * 1024 + 1)) /dev/zero >"$work/huge.mid"
check "a MIDI file over 16 MiB exits 1" test "$(status_of timeout 20 "$program" play "$work/huge.mid" --offline)" = 1
check "... naming the cap" grep -q "huge.mid: file is larger than the limit of 16 MiB" "$work/err"

# --- 5. a link planted at the temporary name is not written through ---
midi=tests/fixtures/midi/c_major_scale_format0.mid
printf 'precious' >"$work/victim"
ln -s "$work/victim" "$work/out.d/song.wav.tmp"
check "play --wav with a symbolic link at OUT.tmp exits 0" \
    test "$(status_of "$program" play "$midi" --offline --wav "$work/out.d/song.wav")" = 0
check "... the link's target keeps its bytes" test "$(cat "$work/victim")" = precious
check "... the WAV is written" bash -c "head -c 4 '$work/out.d/song.wav' | grep -q RIFF"
check "... and no temporary file left" no_temp_files "$work/out.d"
ln "$work/victim" "$work/out.d/map.png.tmp"
check "simulate --plot with a hard link at OUT.tmp exits 0" \
    test "$(status_of "$program" simulate tests/fixtures/schedules/tiny.ini --quiet --plot "$work/out.d/map.png")" = 0
check "... the linked file keeps its bytes" test "$(cat "$work/victim")" = precious
check "... and no temporary file left" no_temp_files "$work/out.d"

# --- 3. one clock: SOURCE_DATE_EPOCH when opening a profile as when saving it ---
day=1780308000 # 2026-06-01 10:00 UTC
check "a reproducible practice session saves a profile" test "$(SOURCE_DATE_EPOCH=$day status_of "$program" \
    practice --midi none --no-audio --no-ui --duration 0.2 --profile clock)" = 0
check "the next one, an hour later by the same clock, exits 0" test "$(SOURCE_DATE_EPOCH=$((day + 3600)) status_of \
    "$program" practice --midi none --no-audio --no-ui --duration 0.2 --profile clock)" = 0
check "... applies an hour of rest, not the months since (real time)" grep -q "1.0 h awake and 0.0 h asleep" "$work/out"
check "... and, no note played, logs neither session (issue 18)" test ! -e "$XDG_DATA_HOME/homunculus/clock.log.jsonl"
check "... saying so" grep -q "log: no note was played: the session is not logged" "$work/out"
check "a session with notes logs at the clock's time" test "$(SOURCE_DATE_EPOCH=$((day + 7200)) status_of \
    "$program" play "$midi" --profile clock)" = 0
check "... its start by the same clock" grep -q '"start": 1780315200' "$XDG_DATA_HOME/homunculus/clock.log.jsonl"

# --- 4. the practice log: written only as the reader reads it; an unreadable one set aside ---
log="$XDG_DATA_HOME/homunculus/logged.log.jsonl"
check "a session logs into a new profile" test "$(SOURCE_DATE_EPOCH=$day status_of "$program" play "$midi" --profile logged)" = 0
check "a session at a time the log cannot hold exits 1" \
    test "$(SOURCE_DATE_EPOCH=$((1 << 41)) status_of "$program" play "$midi" --profile logged)" = 1
check "... saying its record would not read back" grep -q "the record would not read back" "$work/err"
check "... and history still reads the log" test "$(status_of "$program" history --profile logged)" = 0
echo 'not a record' >>"$log"
check "history of a log with a bad line exits 1" test "$(status_of "$program" history --profile logged)" = 1
check "... naming the line" grep -q "logged.log.jsonl:2: column 1" "$work/err"
cp "$log" "$work/bad.log"
check "the next session exits 0" test "$(SOURCE_DATE_EPOCH=$((day + 60)) status_of "$program" play "$midi" --profile logged)" = 0
check "... saying the old log is kept whole, set aside" grep -q "kept whole as '.*logged.log.jsonl.unreadable-$((day + 60))'" "$work/err"
check "... byte for byte" cmp -s "$work/bad.log" "$log.unreadable-$((day + 60))"
check "... and history reads the new log" test "$(status_of "$program" history --profile logged)" = 0
check "... with that session" grep -q "1 session" "$work/out"

# --- 6. a full disk on stdout, escape codes in a schedule, a FIFO as input ---
check "output to a full disk exits 1" test "$(status_of sh -c "'$program' experiment list >/dev/full")" = 1
check "... saying so" grep -q "cannot write the output: No space left on device" "$work/err"
printf '[player]\nhands = both\033[2J\033]0;owned\007\n' >"$work/escape.ini"
check "a schedule with escape codes exits 2 or 1" bash -c "s=\$('$program' simulate '$work/escape.ini' 2>'$work/esc.err' >/dev/null; echo \$?); [ \$s = 1 ] || [ \$s = 2 ]"
check "... naming the control character" grep -q "escape.ini:2: column 13: a control character (byte 0x1B)" "$work/esc.err"
check "... and printing none" bash -c "! LC_ALL=C grep -q \$'\\033' '$work/esc.err'"
printf '0 \033[31m 1 C4 64 80 0 1\n' >"$work/escape.txt"
check "a PIG file with escape codes is refused" test "$(status_of "$program" play "$work/escape.txt" --offline)" = 1
check "... printing no control character" bash -c "! LC_ALL=C grep -q \$'\\033' '$work/err'"
mkfifo "$work/fifo.mid" "$work/fifo.ini" "$work/fifo.state"
check "a FIFO as the recording exits 1 at once" test "$(status_of timeout 10 "$program" play "$work/fifo.mid" --offline)" = 1
check "... saying it is empty" grep -q "fifo.mid: offset 0: file of 0 bytes is too short" "$work/err"
check "a FIFO as the schedule exits at once, refused" bash -c "s=\$(timeout 10 '$program' simulate '$work/fifo.ini' >/dev/null 2>&1; echo \$?); [ \$s = 1 ] || [ \$s = 2 ]"
check "a FIFO as a state exits 1 at once" test "$(status_of timeout 10 "$program" state show "$work/fifo.state")" = 1

# --- 2. one session at a time on a profile, the whole session long ---
"$program" practice --midi none --no-audio --no-ui --duration "$(scaled 4)" --profile busy >"$work/busy.out" 2>&1 &
busy_pid=$!
for ((i = 0; i < $(tries 40); i++)); do grep -qs "profile 'busy'" "$work/busy.out" && break; sleep 0.1; done
check "while practice runs on a profile, play on it exits 1" test "$(status_of "$program" play "$midi" --profile busy)" = 1
check "... naming the practice session's pid" grep -q "profile 'busy' is in use by another homunculus session (pid $busy_pid)" "$work/err"
check "... and a second practice session too" test "$(status_of "$program" practice --midi none --no-audio --no-ui --duration 0.1 --profile busy)" = 1
wait "$busy_pid"
check "the first session ends well" test $? = 0
check "... and, without a note, logs nothing (nor do the refused ones)" test ! -e "$XDG_DATA_HOME/homunculus/busy.log.jsonl"
check "then play may use the profile" test "$(status_of "$program" play "$midi" --profile busy)" = 0
check "... and logs only itself" test "$(grep -c . "$XDG_DATA_HOME/homunculus/busy.log.jsonl")" = 1

echo "homunculus hostile input: $passes passed, $failures failed"
[ "$failures" = 0 ]
