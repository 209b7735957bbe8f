#!/usr/bin/env bash
# Profiles as a user meets them: `play --profile` learns into a profile and logs the session,
# the time between sessions is applied, `history` and `report` show it; a corrupt or
# future-version profile is refused and left byte for byte as it was; and a program killed
# with -9 at random moments while saving always leaves a profile that loads.
set -u
program=${1:?usage: test_profile.sh PATH/TO/homunculus PATH/TO/profile-saver}
saver=${2:?usage: test_profile.sh PATH/TO/homunculus PATH/TO/profile-saver}
work=$(mktemp -d)
saver_pid=
trap '[ -n "$saver_pid" ] && kill -9 "$saver_pid" 2>/dev/null; rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" TZ=UTC0
unset SOURCE_DATE_EPOCH
dir="$XDG_DATA_HOME/homunculus"
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

midi=tests/fixtures/midi/c_major_scale_format0.mid
pig=tests/fixtures/fingering/small_pig.txt
day=1780308000 # 2026-06-01 10:00 UTC

# --- learning into a profile, sessions logged, the gap applied ---
check "history of a profile never played: a message, exit 0" test "$(status_of "$program" history --profile anna)" = 0
check "... saying there is nothing yet" grep -q "no practice sessions" "$work/out"
check "a first session creates the profile" test "$(SOURCE_DATE_EPOCH=$day status_of "$program" play "$midi" --profile anna)" = 0
check "... and says it is new" grep -q "profile 'anna': new" "$work/out"
check "... in the XDG data directory" test -s "$dir/anna.profile"
check "... with one logged session" test "$(lines "$dir/anna.log.jsonl")" = 1
check "the saved profile is a state" "$program" state show "$dir/anna.profile" >/dev/null
# the next morning at 08:00: 13 h later, 8 of them the night 23-7
check "a session the next morning" test "$(SOURCE_DATE_EPOCH=$((day + 22 * 3600)) status_of "$program" play "$pig" --profile anna)" = 0
check "... applies 14 h awake and 8 h asleep" grep -q "14.0 h awake and 8.0 h asleep" "$work/out"
check "... and logs a second session" test "$(lines "$dir/anna.log.jsonl")" = 2
check "a custom sleep window counts other hours" test "$(SOURCE_DATE_EPOCH=$((day + 24 * 3600)) status_of "$program" play "$pig" --profile anna --sleep 8-10)" = 0
check "... 0 h awake and 2 h asleep" grep -q "0.0 h awake and 2.0 h asleep" "$work/out"
check "the default profile is 'default'" test "$(SOURCE_DATE_EPOCH=$day status_of "$program" report -o "$work/none.png")" = 1
check "... which does not exist yet" grep -q "profile 'default' does not exist" "$work/err"

# --- history and report ---
check "history prints the sessions" test "$(status_of "$program" history --profile anna)" = 0
check "... one row per session" test "$(grep -c '^2026-06-0' "$work/out")" = 3
check "... with the dates" grep -q "^2026-06-02 08:00" "$work/out"
check "history --json prints the records" test "$(status_of "$program" history --profile anna --json)" = 0
check "... as one JSON array of 3 sessions" bash -c "head -c 1 '$work/out' | grep -q '\[' && [ \$(grep -c '^{\"start\": ' '$work/out') = 3 ]"
check "history --plot writes a PNG" test "$(status_of "$program" history --profile anna --plot "$work/h.png")" = 0
check "... a PNG file" bash -c "head -c 8 '$work/h.png' | od -An -c | grep -q 'P   N   G'"
check "history --plot writes an SVG" test "$(status_of "$program" history --profile anna --plot "$work/h.svg")" = 0
check "... an SVG file" bash -c "head -c 200 '$work/h.svg' | grep -q '<svg'"
check "a plot other than PNG/SVG is a usage error" test "$(status_of "$program" history --profile anna --plot "$work/h.jpg")" = 2
check "report of a profile as PNG" test "$(status_of "$program" report --profile anna -o "$work/r.png")" = 0
check "... a PNG file" bash -c "head -c 8 '$work/r.png' | od -An -c | grep -q 'P   N   G'"
check "report of a state as SVG" test "$(status_of "$program" report --state "$dir/anna.profile" --output "$work/r.svg")" = 0
check "... starts with <?xml" bash -c "head -c 5 '$work/r.svg' | grep -q '<?xml'"
check "report to another extension is a usage error" test "$(status_of "$program" report --profile anna -o "$work/r.gif")" = 2
check "report with a profile and a state is a usage error" test "$(status_of "$program" report --profile anna --state x -o "$work/r.png")" = 2
check "report without -o is a usage error" test "$(status_of "$program" report --profile anna)" = 2

# --- usage errors ---
check "--profile with --state is a usage error" test "$(status_of "$program" play "$midi" --profile anna --state "$dir/anna.profile")" = 2
check "a bad profile name is a usage error" test "$(status_of "$program" play "$midi" --profile ../etc)" = 2
check "... saying what a name may hold" grep -q "profile name '../etc' is not valid" "$work/err"
check "a bad sleep window is a usage error" test "$(status_of "$program" play "$midi" --profile anna --sleep 25-7)" = 2
check "--help of history" test "$(status_of "$program" history --help)" = 0
check "--help of report" test "$(status_of "$program" report --help)" = 0

# --- damaged profiles are refused and left alone ---
cp "$dir/anna.profile" "$work/good.profile"
cp "$dir/anna.log.jsonl" "$work/good.log"
printf 'garbage' >"$dir/anna.profile"
cp "$dir/anna.profile" "$work/expected"
check "play with a corrupt profile exits 1" test "$(status_of "$program" play "$midi" --profile anna)" = 1
check "... naming the file" grep -q "anna.profile' is refused" "$work/err"
check "... the profile untouched" cmp -s "$dir/anna.profile" "$work/expected"
check "... the log untouched" cmp -s "$dir/anna.log.jsonl" "$work/good.log"
check "report of a corrupt profile exits 1" test "$(status_of "$program" report --profile anna -o "$work/c.png")" = 1
check "... and draws nothing" test ! -e "$work/c.png"
cp "$work/good.profile" "$dir/anna.profile"
printf '\143' | dd of="$dir/anna.profile" bs=1 seek=4 conv=notrunc status=none # format version 99
cp "$dir/anna.profile" "$work/expected"
check "play with a future-version profile exits 1" test "$(status_of "$program" play "$midi" --profile anna)" = 1
check "... saying the version is unknown" grep -q "format version 99" "$work/err"
check "... the profile untouched" cmp -s "$dir/anna.profile" "$work/expected"
check "... the log untouched" cmp -s "$dir/anna.log.jsonl" "$work/good.log"
cp "$work/good.profile" "$dir/anna.profile"
printf '{"start": 1, oops}\n' >>"$dir/anna.log.jsonl"
cat "$work/good.log" >>"$dir/anna.log.jsonl"
check "history of a damaged log exits 1" test "$(status_of "$program" history --profile anna)" = 1
check "... naming file and line" grep -q "anna.log.jsonl:4: column" "$work/err"
cp "$work/good.log" "$dir/anna.log.jsonl"
printf '{"start": 17' >>"$dir/anna.log.jsonl"
check "a log cut short by a crash still reads" test "$(status_of "$program" history --profile anna)" = 0
check "... with its whole sessions" test "$(grep -c '^2026-06-0' "$work/out")" = 3

# --- kill -9 while saving, many times: the profile always loads ---
kills=50 loaded=0 mid_save=0
# under valgrind (HM_VALGRIND=1) 5 kills at scaled moments: the same save, kill and load paths
[ "${HM_VALGRIND:-0}" = 1 ] && kills=5
"$program" play "$midi" --profile saver >/dev/null # the profile exists before the first kill
for ((i = 0; i < kills; i++)); do
    "$saver" saver &
    saver_pid=$!
    sleep "$(scaled "0.0$((RANDOM % 9 + 1))$((RANDOM % 10))")"
    kill -9 "$saver_pid" 2>/dev/null
    wait "$saver_pid" 2>/dev/null
    saver_pid=
    [ -e "$dir/saver.profile.tmp" ] && mid_save=$((mid_save + 1)) # the kill came while a save was being written
    if "$program" state show "$dir/saver.profile" >/dev/null 2>"$work/err"; then
        loaded=$((loaded + 1))
    else
        echo "after kill $i: $(cat "$work/err")"
    fi
done
check "the profile loaded after each of $kills kills -9 while saving ($loaded did)" test "$loaded" = "$kills"
echo "kill -9 loop: $kills kills, $mid_save of them while a save was being written, the profile loaded after $loaded"

# --- kill -9 while saving whole sessions: the log holds exactly the sessions the profile holds ---
# (issue 20: killed between the profile's save and the log's append, 17 of 160 kills lost
# the session's row)
session_kills=$((kills / 2)) consistent=0
for ((i = 0; i < session_kills; i++)); do
    "$saver" --sessions sessions &
    saver_pid=$!
    sleep "$(scaled "0.$((RANDOM % 3))$((RANDOM % 10))")"
    kill -9 "$saver_pid" 2>/dev/null
    wait "$saver_pid" 2>/dev/null
    saver_pid=
    if "$saver" --check sessions >/dev/null 2>"$work/err"; then
        consistent=$((consistent + 1))
    else
        echo "after session kill $i: $(cat "$work/err")"
    fi
done
check "after each of $session_kills kills -9 the log's last row is the profile's session ($consistent were)" \
    test "$consistent" = "$session_kills"

# --- two sessions on one profile: the second is refused, naming the first's pid (issue 20) ---
refused=0
for ((i = 0; i < 3; i++)); do
    "$saver" saver 2>"$work/saver1.err" &
    saver_pid=$!
    sleep "$(scaled 0.2)"
    if [ "$(status_of "$saver" saver)" = 1 ] && grep -q "profile 'saver' is in use by another homunculus session (pid $saver_pid)" "$work/err"; then
        refused=$((refused + 1))
    fi
    check "... while a session holds it, play --profile exits 1" \
        test "$(status_of "$program" play "$midi" --profile saver)" = 1
    check "... naming the holder's pid" grep -q "(pid $saver_pid)" "$work/err"
    kill -9 "$saver_pid" 2>/dev/null
    wait "$saver_pid" 2>/dev/null
    saver_pid=
done
check "a second program saving a profile in use was refused, naming the first ($refused of 3 times)" test "$refused" = 3
check "... and the profile loads" "$program" state show "$dir/saver.profile" >/dev/null
check "once the first has ended, a session may use it" test "$(status_of "$program" play "$midi" --profile saver)" = 0
check "history reads a profile while a session holds it" bash -c "'$saver' saver 2>/dev/null & p=\$!; sleep $(scaled 0.2); '$program' history --profile saver >/dev/null; s=\$?; kill -9 \$p; wait \$p 2>/dev/null; [ \$s = 0 ]"

# --- the player's controls, remembered per profile (issue 18 item 1) ---
check "a right-hand scale played with --hand left" test "$(status_of "$program" play "$midi" --offline --profile ctl --hand left --root G4 --age 12 --volume -20)" = 0
check "... is credited to the left hand" grep -q ": 8 notes, 0 + 8 stimuli (right + left)" "$work/out"
check "... and the header names the settings given" grep -q "settings: hand left (given), fingering auto, root G4 (given), .*age 12 years (given), .*volume -20 dB (given)" "$work/out"
check "... which the profile remembers" grep -qx "hand = left" "$dir/ctl.settings"
check "the next session uses them without options" test "$(status_of "$program" play "$midi" --offline --profile ctl)" = 0
check "... the left hand again" grep -q ": 8 notes, 0 + 8 stimuli (right + left)" "$work/out"
check "... saying they are the profile's" grep -q "settings: hand left, fingering auto, root G4, .*age 12 years," "$work/out"
check "the command line overrides them" test "$(status_of "$program" play "$midi" --offline --profile ctl --hand right)" = 0
check "... for this session" grep -q ": 8 notes, 8 + 0 stimuli (right + left)" "$work/out"
check "... and remembers the new one, keeping the rest" bash -c "grep -qx 'hand = right' '$dir/ctl.settings' && grep -qx 'age = 12' '$dir/ctl.settings'"
check "without a profile nothing is remembered" test "$(status_of "$program" play "$midi" --offline --hand left)" = 0
check "... and the defaults apply" bash -c "grep -q 'settings: hand left (given), fingering auto, root C4, window 30 ms' '$work/out'"
check "a bad value is a usage error (2)" test "$(status_of "$program" play "$midi" --offline --profile ctl --age 200)" = 2
check "... naming the option and the range" grep -q -- "--age '200' is not years in 3..100" "$work/err"
check "... practice's too" test "$(status_of "$program" practice --hand middle)" = 2
cp "$dir/ctl.settings" "$work/ctl.settings"
printf 'window = soon\n' >>"$dir/ctl.settings"
check "a damaged settings file: exit 1" test "$(status_of "$program" play "$midi" --offline --profile ctl)" = 1
check "... naming the file, the line and what was wrong" grep -q "ctl.settings:11: window 'soon' is not milliseconds in 0..1000" "$work/err"
check "... and the file untouched" bash -c "tail -1 '$dir/ctl.settings' | grep -qx 'window = soon'"
check "practice refuses it too" test "$(status_of "$program" practice --midi none --no-audio --no-ui --duration 0.1 --profile ctl)" = 1
cp "$work/ctl.settings" "$dir/ctl.settings"
check "practice shows the remembered settings" test "$(status_of "$program" practice --midi none --no-audio --no-ui --duration 0.1 --profile ctl --sonify echo)" = 0
check "... with the one given" grep -q "settings: hand right, .*age 12 years, sonify echo (given)" "$work/out"
check "... and remembers it" grep -qx "sonify = echo" "$dir/ctl.settings"

echo "homunculus profiles: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
