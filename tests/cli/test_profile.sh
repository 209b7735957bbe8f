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
# two hours after anna's last session: the gap is applied, and a short one costs little under
# valgrind (an unset clock would apply months, capped at 48 waking hours of everyday use)
check "report of a profile as PNG" test "$(SOURCE_DATE_EPOCH=$((day + 26 * 3600)) status_of "$program" report --profile anna -o "$work/r.png")" = 0
check "... a PNG file" bash -c "head -c 8 '$work/r.png' | od -An -c | grep -q 'P   N   G'"
check "report of a state as SVG" test "$(status_of "$program" report --state "$dir/anna.profile" --output "$work/r.svg")" = 0
check "... starts with <?xml" bash -c "head -c 5 '$work/r.svg' | grep -q '<?xml'"
check "report to another extension is a usage error" test "$(status_of "$program" report --profile anna -o "$work/r.gif")" = 2
check "report with a profile and a state is a usage error" test "$(status_of "$program" report --profile anna --state x -o "$work/r.png")" = 2
check "report without -o is a usage error" test "$(status_of "$program" report --profile anna)" = 2

# --- what changed: each session against its start and a week before (issue 18, item 8) ---
SOURCE_DATE_EPOCH=$day "$program" play "$midi" --profile carl >/dev/null 2>&1
SOURCE_DATE_EPOCH=$((day + 12 * 3600)) "$program" play "$pig" --profile carl >/dev/null 2>&1 # the same evening
SOURCE_DATE_EPOCH=$((day + 8 * 86400)) "$program" play "$pig" --profile carl >/dev/null 2>&1
check "history shows what changed in a session" test "$(status_of "$program" history --profile carl)" = 0
check "... against its start: area per finger, the closest pair's overlap, the risk" \
    grep -Eq "^    (right|left), today: +area D1 [+-][0-9.]+ D2 [+-][0-9.]+ D3 [+-][0-9.]+ D4 [+-][0-9.]+ D5 [+-][0-9.]+ points, D[1-4]-D[2-5] overlap [0-9.]+ \([+-][0-9.]+\), risk [0-9.]+ \([+-][0-9.]+\)$" "$work/out"
check "... against a week before only for the session 8 days after the first" \
    bash -c "[ \$(grep -c 'since a week: area' '$work/out') -ge 1 ] && ! sed -n '/^2026-06-01 22/,/^2026-06-09/p' '$work/out' | grep -q 'since a week'"
check "... kept in the log's records" bash -c "tail -n 1 '$dir/carl.log.jsonl' | grep -q '\"changes\": {\"start\": {\"right\": {\"area\": \\['"

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
check "--chord-window sets the coincidence window" test "$(status_of "$program" play "$midi" --offline --chord-window 45)" = 0
check "... as the header says" grep -q "window 45 ms (given)" "$work/out"
check "... and a bad one is refused naming --chord-window" test "$(status_of "$program" play "$midi" --offline --chord-window 5000)" = 2
check "... so" grep -q -- "--chord-window '5000' is not milliseconds in 0..1000" "$work/err"
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

# --- profile list | show | reset | export | import | rm (issue 18, item 10) ---
check "profile without an action is a usage error" test "$(status_of "$program" profile)" = 2
check "an unknown action is a usage error, naming it" test "$(status_of "$program" profile frob anna)" = 2
check "... naming it" grep -q "unknown action 'frob'" "$work/err"
check "profile list lists every profile" test "$(status_of "$program" profile list)" = 0
check "... anna among them" grep -q "^anna " "$work/out"
check "... with her 3 sessions" grep -Eq "^anna +[0-9-]+ [0-9:]+ +3 " "$work/out"
check "profile show anna" test "$(status_of "$program" profile show anna)" = 0
check "... her sessions" grep -q "sessions logged: 3" "$work/out"
check "... both hands' maps" bash -c "grep -q '^right: area' '$work/out' && grep -q '^left: area' '$work/out'"
check "profile show of a missing profile: exit 1, saying so" test "$(status_of "$program" profile show nobody)" = 1
check "... does not exist" grep -q "profile 'nobody' does not exist" "$work/err"
check "profile show of a bad name: exit 1, naming what is expected" test "$(status_of "$program" profile show ../x)" = 1
check "... letters, digits" grep -q "not valid" "$work/err"
check "profile export anna" test "$(status_of "$program" profile export anna "$work/anna.hmp")" = 0
check "... says what it holds" grep -q "exported to .*: its hands, 3 logged sessions" "$work/out"
check "... into a file that begins with its magic line" bash -c "head -n 1 '$work/anna.hmp' | grep -qx 'homunculus-profile-export 1'"
check "export into a missing folder: exit 1, naming it" test "$(status_of "$program" profile export anna "$work/no/such/x.hmp")" = 1
check "importing it over anna is refused (exit 1)" test "$(status_of "$program" profile import "$work/anna.hmp")" = 1
check "... saying anna exists" grep -q "profile 'anna' exists already" "$work/err"
check "import as bella" test "$(status_of "$program" profile import "$work/anna.hmp" bella)" = 0
check "... bella's hands are anna's, byte for byte" cmp -s "$dir/anna.profile" "$dir/bella.profile"
check "... and her log too" cmp -s "$dir/anna.log.jsonl" "$dir/bella.log.jsonl"
check "... bella plays on from there" test "$(SOURCE_DATE_EPOCH=$((day + 48 * 3600)) status_of "$program" play "$midi" --profile bella)" = 0
check "... and has 4 sessions" test "$(lines "$dir/bella.log.jsonl")" = 4
head -c 3000 "$work/anna.hmp" >"$work/cut.hmp"
check "a cut export is refused (exit 1)" test "$(status_of "$program" profile import "$work/cut.hmp" cut)" = 1
check "... saying what is wrong" grep -q "cannot import '.*cut.hmp': .*cut short\|larger than the file" "$work/err"
check "... and no profile is made" test ! -e "$dir/cut.profile"
printf 'hello\n' >"$work/junk.hmp"
check "a file that is no export is refused (exit 1)" test "$(status_of "$program" profile import "$work/junk.hmp" junk)" = 1
check "... saying so" grep -q "not a homunculus profile export" "$work/err"
# a damaged state inside: one byte flipped in the middle of the state
python3 - "$work/anna.hmp" "$work/flipped.hmp" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
data[len(data) // 4] ^= 0x55
open(sys.argv[2], 'wb').write(data)
PY
check "an export with a damaged state is refused (exit 1)" test "$(status_of "$program" profile import "$work/flipped.hmp" flipped)" = 1
check "... naming its state" grep -q "flipped.hmp (its state)" "$work/err"
check "... and no profile is made" bash -c "! ls '$dir' | grep -q '^flipped'"
check "rm without --yes and no terminal is refused (exit 2)" test "$(status_of "$program" profile rm bella </dev/null)" = 2
check "... saying --yes is needed" grep -q "without --yes" "$work/err"
check "... bella is still there" test -s "$dir/bella.profile"
check "reset without --yes and no terminal is refused (exit 2)" test "$(status_of "$program" profile reset bella </dev/null)" = 2
check "reset --yes forgets the hands" test "$(status_of "$program" profile reset bella --yes)" = 0
check "... says what it removed" grep -q "bella.profile$" "$work/out"
check "... the state is gone" test ! -e "$dir/bella.profile"
check "... the log is kept" test "$(lines "$dir/bella.log.jsonl")" = 4
check "... show says there is no learned state" bash -c "'$program' profile show bella | grep -q 'no learned state'"
check "... the next session starts from a fresh map (new)" test "$(SOURCE_DATE_EPOCH=$((day + 50 * 3600)) status_of "$program" play "$midi" --profile bella)" = 0
check "... says so" grep -q "profile 'bella': new" "$work/out"
"$saver" bella 2>/dev/null &
saver_pid=$!
sleep "$(scaled 0.3)"
check "rm of a profile a session holds: exit 1" test "$(status_of "$program" profile rm bella --yes)" = 1
check "... naming the holder's pid" grep -q "in use by another homunculus session (pid $saver_pid)" "$work/err"
check "reset of it: exit 1 too" test "$(status_of "$program" profile reset --yes bella)" = 1
check "export of it: exit 1 too" test "$(status_of "$program" profile export bella "$work/b.hmp")" = 1
kill -9 "$saver_pid" 2>/dev/null
wait "$saver_pid" 2>/dev/null
saver_pid=
mkdir -p "$dir/bella.sessions" && cp "$midi" "$dir/bella.sessions/2026-06-03_10-00-00.mid" # a practice session's recording
printf 'half a save' >"$dir/bella.profile.tmp" # what a save killed mid-write leaves (the saver above may have too)
check "... once it has ended, rm --yes removes bella" test "$(status_of "$program" profile rm --yes bella)" = 0
check "... her recordings too" bash -c "grep -q 'bella.sessions/2026-06-03_10-00-00.mid$' '$work/out' && test ! -e '$dir/bella.sessions'"
check "... listing what it removed" bash -c "grep -q 'bella.log.jsonl$' '$work/out' && grep -q \"profile 'bella' removed\" '$work/out'"
check "... no file of bella's is left" bash -c "! ls '$dir' | grep -q '^bella\.'"
check "rm of a missing profile: exit 1" test "$(status_of "$program" profile rm --yes bella)" = 1
# on a terminal (script(1) gives the program one), rm asks; only "y" removes
check "rm asks on a terminal; 'n' keeps the profile" bash -c "printf 'n\\n' | script -qec \"'$program' profile rm anna\" /dev/null >'$work/tty' 2>&1; grep -q 'Remove profile .anna.' '$work/tty' && test -s '$dir/anna.profile'"
check "... 'y' removes it" bash -c "printf 'y\\n' | script -qec \"'$program' profile rm anna\" /dev/null >'$work/tty' 2>&1; grep -q \"profile 'anna' removed\" '$work/tty' && test ! -e '$dir/anna.profile'"

echo "homunculus profiles: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
