#!/usr/bin/env bash
# homunculus simulate, compare and sweep as a user runs them: outputs in every format, a
# saved state that play continues from, refusals with the right exit status and message.
set -u
program=${1:?usage: test_simulate.sh PATH/TO/homunculus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"

short=tests/fixtures/schedules/short.ini
check "simulate writes CSV, JSON, PNG, SVG and a state" "$program" simulate "$short" --quiet -o "$work/a.csv" \
    --json "$work/a.json" --plot "$work/a.png" --save-state "$work/a.state"
"$program" simulate "$short" --quiet -o "$work/b.csv" --plot "$work/b.svg"
check "the CSV has a header and two rows (hands) per point" bash -c "head -1 '$work/a.csv' | grep -q '^point,label,day,time_h,practice_h,hand' && [ \$(grep -c ',end,' '$work/a.csv') = 2 ]"
check "the same schedule gives the same CSV" cmp -s "$work/a.csv" "$work/b.csv"
check "the JSON names the schedule and its points" bash -c "grep -q '\"schedule\": \"$short\"' '$work/a.json' && grep -q '\"label\": \"before_sleep\"' '$work/a.json'"
check "the PNG is a PNG" bash -c "[ \"\$(head -c 8 '$work/a.png' | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ]"
check "the SVG is an SVG" grep -q '<svg' "$work/b.svg"
check "another seed gives another CSV" bash -c "! '$program' simulate '$short' --quiet --seed 99 -o - | cmp -s - '$work/a.csv'"
check "--fast runs" "$program" simulate "$short" --quiet --fast -o "$work/fast.csv"

# a player on the default sheet: play continues from the simulated state
cat >"$work/default.ini" <<'INI'
[player]
everyday = 60
hands = right
[calendar]
days = 1
[session]
at = 09:00
[exercise]
kind = scale
duration = 20 s
INI
"$program" simulate "$work/default.ini" --quiet --save-state "$work/default.state"
check "state show reads the simulated state" bash -c "'$program' state show '$work/default.state' | grep -q '^right:'"
check "play continues practising as the simulated player" bash -c "'$program' play tests/fixtures/midi/c_major_scale_format0.mid \
    --state '$work/default.state' --save-state '$work/continued.state' >/dev/null"

check "simulate refuses -o and --json on one stdout" test "$(status_of "$program" simulate "$short" -o - --json -)" = 2
check "... naming both" grep -q -- "-o and --json both write to '-'" "$work/err"
check "... and two outputs in one file" test "$(status_of "$program" simulate "$short" --json "$work/x" --save-state "$work/x")" = 2
"$program" simulate "$short" --quiet --save-state "$work/small.state" # short.ini: a 16 x 16 sheet
check "state show reads a state of another sheet size" bash -c "'$program' state show '$work/small.state' | grep -q '^right:'"
check "... with the stimuli the simulated hands learned" bash -c "'$program' state show '$work/small.state' | grep -q '^stimuli learned: right [1-9][0-9]*, left [1-9]'"
check "... and report draws it" bash -c "'$program' report --state '$work/small.state' -o '$work/small.png' >/dev/null && [ -s '$work/small.png' ]"
check "compare prints both schedules side by side" bash -c "'$program' compare '$short' '$work/default.ini' -j 2 --plot '$work/c.png' -o '$work/c.csv' | grep -q 'short.*default'"
check "... and writes a row per schedule and hand" test "$(grep -c '^short,\|^default,' "$work/c.csv")" = 3
check "... and a plot" test -s "$work/c.png"
mkdir -p "$work/long" "$work/a" "$work/b"
cp "$short" "$work/long/practice-with-breaks-a.ini" && cp "$short" "$work/long/practice-with-breaks-b.ini"
cp "$short" "$work/a/same.ini" && cp "$short" "$work/b/same.ini"
check "compare names long schedules in full" bash -c "'$program' compare '$work/long/practice-with-breaks-a.ini' '$work/long/practice-with-breaks-b.ini' | head -1 | grep -q 'practice-with-breaks-a *practice-with-breaks-b'"
check "... and schedules of the same file name by their paths" bash -c "'$program' compare '$work/a/same.ini' '$work/b/same.ini' | head -1 | grep -q '$work/a/same *$work/b/same\$'"
check "sweep writes a CSV per point and a summary" bash -c "'$program' sweep '$short' --vary plasticity=1,2 -j 2 -o '$work/sweep' >/dev/null && [ -s '$work/sweep/point-0000.csv' ] && [ -s '$work/sweep/point-0001.csv' ] && [ \$(wc -l <'$work/sweep/summary.csv') = 5 ]"
"$program" sweep "$short" --vary seed=5,6 -o "$work/seeds" >/dev/null
check "a varied seed is the summary's one seed column" grep -q '^sweep_point,seed,point,' "$work/seeds/summary.csv"
check "... holding the varied values" test "$(tail -n +2 "$work/seeds/summary.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')" = "5 6 "
check "a key varied twice exits 2" test "$(status_of "$program" sweep "$short" --vary plasticity=1 --vary plasticity=2 -o "$work/twice")" = 2
check "... naming both" grep -q "plasticity=2': plasticity is already varied by --vary 'plasticity=1'" "$work/err"
check "a value listed twice exits 2" test "$(status_of "$program" sweep "$short" --vary seed=5,5 -o "$work/twice")" = 2
check "... naming it" grep -q "the value '5' is listed twice" "$work/err"
check "a task share writes its own summary" bash -c "'$program' sweep '$short' --vary plasticity=1,2 --task 2/2 -o '$work/share' >/dev/null && [ -s '$work/share/summary-2-of-2.csv' ] && [ ! -e '$work/share/point-0000.csv' ]"
check "... equal to the whole sweep's point" cmp -s "$work/sweep/point-0001.csv" "$work/share/point-0001.csv"
"$program" sweep "$short" --vary plasticity=1,2 --task 1/2 -o "$work/share" >/dev/null
(head -n 1 "$work/share/summary-1-of-2.csv"; tail -q -n +2 "$work/share"/summary-*-of-2.csv | sort -s -t, -k1,1n) >"$work/share/summary.csv"
check "the documented merge of the shares' summaries is the whole summary" cmp -s "$work/sweep/summary.csv" "$work/share/summary.csv"

# starting from a state: the start of the continued run is the end of the run that saved it
"$program" simulate "$short" --quiet -o "$work/saver.csv" --save-state "$work/saver.state"
"$program" simulate "$short" --quiet --state "$work/saver.state" -o "$work/continued.csv"
check "simulate --state starts from the saved maps" test "$(grep ',end,1,.*,right,' "$work/saver.csv" | cut -d, -f8-)" = \
    "$(grep '^0,start,1,.*,right,' "$work/continued.csv" | cut -d, -f8-)"
check "... not from the fresh map" bash -c "[ \"\$(grep '^0,start,.*,right,' '$work/saver.csv' | cut -d, -f8-)\" != \"\$(grep '^0,start,.*,right,' '$work/continued.csv' | cut -d, -f8-)\" ]"
check "a state of another sheet size exits 1" test "$(status_of "$program" simulate "$work/default.ini" --quiet --state "$work/saver.state")" = 1
check "... saying which sheet to set" grep -q "has a 16 x 16 sheet.*set sheet = 16 in \[player\]" "$work/err"
check "a refused state exits 1" test "$(status_of "$program" simulate "$short" --quiet --state "$short")" = 1
check "... naming it" grep -q "cannot start from '$short'" "$work/err"
mkdir -p "$work/xdg/homunculus"
cp "$work/default.state" "$work/xdg/homunculus/me.profile"
cp "$work/default.state" "$work/profile-before"
check "simulate --profile starts from the player's hands" bash -c "XDG_DATA_HOME='$work/xdg' '$program' simulate '$work/default.ini' --quiet --profile me -o '$work/profiled.csv' && \
    [ \"\$(grep '^0,start,.*,right,' '$work/profiled.csv' | cut -d, -f8-)\" != \"\$('$program' simulate '$work/default.ini' --quiet -o - | grep '^0,start,.*,right,' | cut -d, -f8-)\" ]"
check "... and never writes the profile" bash -c "cmp -s '$work/profile-before' '$work/xdg/homunculus/me.profile' && [ \"\$(ls '$work/xdg/homunculus')\" = me.profile ]"
check "compare and sweep start from a profile too" bash -c "XDG_DATA_HOME='$work/xdg' '$program' compare '$work/default.ini' --profile me >/dev/null && \
    XDG_DATA_HOME='$work/xdg' '$program' sweep '$work/default.ini' --profile me --vary plasticity=1,2 -o '$work/sweep-profile' >/dev/null"
check "a missing profile exits 1" test "$(XDG_DATA_HOME="$work/xdg" status_of "$program" simulate "$work/default.ini" --profile nobody)" = 1
check "... saying where it looked" grep -q "no profile 'nobody' (looked for $work/xdg/homunculus/nobody.profile)" "$work/err"
check "--state and --profile together exit 1" test "$(status_of "$program" simulate "$short" --state "$work/saver.state" --profile me)" = 1
# an adult baseline: days of everyday use before day 1
sed 's/^days = 1$/days = 1\nbaseline = 2 days/' "$short" >"$work/baseline.ini"
"$program" simulate "$work/baseline.ini" --quiet -o "$work/baseline.csv"
check "a baseline changes the map measured at the start" bash -c "[ \"\$(grep '^0,start,.*,right,' '$work/baseline.csv' | cut -d, -f8-)\" != \"\$(grep '^0,start,.*,right,' '$work/a.csv' | cut -d, -f8-)\" ]"
check "... and the clock still starts at day 1" grep -q '^0,start,1,0.000000,0.000000,right,0,' "$work/baseline.csv"
sed 's/^days = 1$/days = 1\nbaseline = 36 h/' "$short" >"$work/bad-baseline.ini"
check "a baseline of part of a day exits 1, naming the line" bash -c "[ \"\$('$program' simulate '$work/bad-baseline.ini' 2>&1 >/dev/null)\" = \"homunculus: $work/bad-baseline.ini:12: baseline = '36 h': expected whole days or weeks of everyday use, up to 3650 days, e.g. '4 weeks'\" ]"

# [everyday]: hours and mix; [player] everyday stays an alias of touches_per_hour
sed 's/^everyday = 60$//; s/^days = 1$/days = 1\n[everyday]\ntouches_per_hour = 60/' "$short" >"$work/everyday-section.ini"
"$program" simulate "$work/everyday-section.ini" --quiet -o "$work/everyday-section.csv"
check "[everyday] touches_per_hour is [player] everyday" cmp -s "$work/a.csv" "$work/everyday-section.csv"
sed 's/^days = 1$/days = 1\n[everyday]\nhours = 0/' "$short" >"$work/deprived.ini"
sed 's/^everyday = 60$/everyday = 0/' "$short" >"$work/everyday-off.ini"
check "hours = 0 is no everyday use" bash -c "'$program' simulate '$work/deprived.ini' --quiet -o - | cmp -s - <('$program' simulate '$work/everyday-off.ini' --quiet -o -)"
check "... unlike the default" bash -c "! '$program' simulate '$work/deprived.ini' --quiet -o - | cmp -s - '$work/a.csv'"
# the same everyday dose (300 touches an hour: the fixture's 60 leave both mixes at 0 % after a day)
sed 's/^everyday = 60$//; s/^days = 1$/days = 1\n[everyday]\ntouches_per_hour = 300\ngrasp = 1\nsingle = 0\nneighbours = 0/' "$short" >"$work/grasping.ini"
sed 's/^everyday = 60$//; s/^days = 1$/days = 1\n[everyday]\ntouches_per_hour = 300/' "$short" >"$work/default-mix.ini"
multi_column=$(head -1 "$work/a.csv" | tr ',' '\n' | grep -n '^multi_digit$' | cut -d: -f1)
end_multi() { "$program" simulate "$1" --quiet -o - | awk -F, -v c="$multi_column" '$2 == "end" && $6 == "right" { print $c }'; }
check "a mix of grasps merges the digits more than the default mix" \
    awk -v g="$(end_multi "$work/grasping.ini")" -v d="$(end_multi "$work/default-mix.ini")" 'BEGIN { exit !(g >= d + 0.3) }'
sed 's/^days = 1$/days = 1\n[everyday]\npalm = 0.2/' "$short" >"$work/palm.ini"
check "a palm share exits 1, saying the skin has no palm" bash -c "'$program' simulate '$work/palm.ini' 2>&1 >/dev/null | grep -q 'palm.ini:13: palm: the skin model has no palm'"

# replicates: every schedule (sweep point) at every seed of --seeds, mean, SD and n per column
check "compare --seeds prints mean +/- SD over the seeds" bash -c "'$program' compare '$short' '$work/default.ini' --seeds 1-3 -j 2 -o '$work/rep.csv' | grep -q '^mean +/- SD over 3 seeds'"
check "... a row per seed and hand" test "$(grep -c '^short,[123],' "$work/rep.csv")" = 6
check "... and the rows mean, sd and n per schedule and hand" test "$(grep -c '^short,mean,\|^short,sd,\|^short,n,' "$work/rep.csv")" = 6
risk_column=$(head -1 "$work/rep.csv" | tr ',' '\n' | grep -n '^overlap_risk$' | cut -d: -f1)
check "... whose mean is the mean of the seeds' rows" test "$(awk -F, -v c="$risk_column" '$1 == "default" && $2 ~ /^[0-9]+$/ { s += $c; n++ } END { printf "%.6f", s / n }' "$work/rep.csv")" = \
    "$(awk -F, -v c="$risk_column" '$1 == "default" && $2 == "mean" { printf "%.6f", $c }' "$work/rep.csv")"
check "... and n the number of seeds" test "$(awk -F, -v c="$risk_column" '$1 == "default" && $2 == "n" { print $c }' "$work/rep.csv")" = 3
check "compare --seed with --seeds exits 2" test "$(status_of "$program" compare "$short" --seed 1 --seeds 1-2)" = 2
check "a bad --seeds list exits 2, naming it" bash -c "[ \"\$('$program' compare '$short' --seeds 3-1 2>&1 >/dev/null)\" = 'homunculus compare: --seeds: the range '\\''3-1'\\'' runs backwards' ]"
"$program" sweep "$short" --vary plasticity=1,1.0 -o "$work/same" >/dev/null
check "sweep runs every value on the same seed (equal values, equal results)" cmp -s "$work/same/point-0000.csv" "$work/same/point-0001.csv"
check "sweep --seeds prints a table of mean +/- SD" bash -c "'$program' sweep '$short' --vary plasticity=1,2 --seeds 3,4 -j 2 -o '$work/sweep-seeds' | grep -q 'plasticity=2 .*+/-'"
check "... writes a CSV per point and seed" bash -c "[ -s '$work/sweep-seeds/point-0001-seed-4.csv' ] && [ ! -e '$work/sweep-seeds/point-0001.csv' ]"
check "... the same seeds at every point" test "$(grep -c '^[01],[34],' "$work/sweep-seeds/summary.csv")" = 8
check "... and each point's mean, sd and n" test "$(grep -c '^1,mean,2,\|^1,sd,2,\|^1,n,2,' "$work/sweep-seeds/summary.csv")" = 6
check "sweep --vary seed with --seeds exits 2" test "$(status_of "$program" sweep "$short" --vary seed=1,2 --seeds 3,4 -o "$work/x")" = 2

# output for people: a progress bar on a terminal (script gives the program one) reaching 100 %
script -qec "'$program' simulate '$short' -o '$work/bar.csv'" /dev/null | tr '\r' '\n' >"$work/bar.txt"
check "the progress bar shows the time left" grep -q '^\[#*\.*\] *[0-9]* % ETA [0-9]*:[0-9][0-9]:[0-9][0-9]' "$work/bar.txt"
check "... and reaches 100 % with the time taken" grep -q '^\[#\{40\}\] 100 % took [0-9]*:[0-9][0-9]:[0-9][0-9]' "$work/bar.txt"
printf '[player]\nhands = r\033[2Jx\n' >"$work/escape.ini"
check "a control character in a schedule is refused, named, never printed raw" bash -c "'$program' simulate '$work/escape.ini' 2>&1 | grep -q 'escape.ini:2: column 10: a control character (byte 0x1B)' && ! '$program' simulate '$work/escape.ini' 2>&1 | grep -q \$'\\033'"

check "a broken schedule exits 1" test "$(status_of "$program" simulate tests/fixtures/schedules/broken-overlap.ini)" = 1
check "... naming the file and line" grep -q "broken-overlap.ini:11:" "$work/err"
check "a missing schedule exits 1" test "$(status_of "$program" simulate "$work/none.ini")" = 1
check "a bad fast factor exits 2" test "$(status_of "$program" simulate "$short" --fast-factor 0)" = 2
check "a plot that is neither PNG nor SVG exits 2" test "$(status_of "$program" simulate "$short" --plot "$work/a.gif")" = 2
check "an unknown --vary key exits 2" test "$(status_of "$program" sweep "$short" --vary colour=1,2)" = 2
check "... listing the valid keys" grep -q "valid: hands" "$work/err"
check "a bad --task exits 2" test "$(status_of "$program" sweep "$short" --vary age=8,30 --task 3/2)" = 2
check "compare without schedules exits 2" test "$(status_of "$program" compare)" = 2
for command in simulate compare sweep; do
    check "$command --help exits 0" test "$(status_of "$program" "$command" --help)" = 0
done

# --- the coach: plan proposes a week for a profile, simulate --profile previews it (issue 18, item 9) ---
plan_home="$work/plan-xdg"
mkdir -p "$plan_home/homunculus"
check "plan of a missing profile exits 1" test "$(XDG_DATA_HOME="$plan_home" status_of "$program" plan --profile nobody)" = 1
check "... saying it does not exist" grep -q "profile 'nobody' does not exist yet" "$work/err"
check "plan with an extra word is a usage error" test "$(status_of "$program" plan extra)" = 2
# a healthy profile (the default player's state): varied practice
cp "$work/default.state" "$plan_home/homunculus/healthy.profile"
check "plan of a healthy profile" test "$(XDG_DATA_HOME="$plan_home" status_of "$program" plan --profile healthy -o "$work/healthy-week.ini")" = 0
check "... proposes varied practice, tomorrow again" grep -q "profile 'healthy': the maps are healthy: .*varied practice.*tomorrow" "$work/out"
check "... and says how to preview the week" grep -q "simulate $work/healthy-week.ini --profile healthy" "$work/out"
check "... a week of scales, arpeggios and five-finger exercises" bash -c "grep -q '^days = 7' '$work/healthy-week.ini' && grep -q '^kind = scale' '$work/healthy-week.ini' && grep -q '^kind = arpeggio' '$work/healthy-week.ini'"
check "... that simulate --profile previews" bash -c "XDG_DATA_HOME='$plan_home' '$program' simulate '$work/healthy-week.ini' --profile healthy --fast --quiet -o '$work/healthy-week.csv' && [ \$(grep -c ',session,' '$work/healthy-week.csv') = 7 ]"
check "plan without -o prints the week" bash -c "XDG_DATA_HOME='$plan_home' '$program' plan --profile healthy | grep -q '^\[calendar\]'"
check "plan never writes the profile" cmp -s "$work/default.state" "$plan_home/homunculus/healthy.profile"
# a profile whose D3 and D4 were glued for an hour: the coach separates them
cat >"$work/glued.ini" <<'INI'
[player]
hands = right
[calendar]
days = 1
[manipulation]
kind = glue
digits = D3,D4
[session]
at = 10:00
[exercise]
kind = random
duration = 60 min
INI
"$program" simulate "$work/glued.ini" --fast --quiet --save-state "$plan_home/homunculus/glued.profile" -o "$work/glued.csv"
check "plan of a profile with D3 and D4 merged" test "$(XDG_DATA_HOME="$plan_home" status_of "$program" plan --profile glued -o "$work/glued-week.ini")" = 0
check "... proposes D3 and D4 alone" grep -q "D3-D4 (right hand) overlap risk 0\.[3-9][0-9]: practise each of the two fingers alone" "$work/out"
check "... the week repeats D3 alone, then D4 alone, slowly" bash -c "grep -A2 '^kind = repeated' '$work/glued-week.ini' | grep -c '^fingers = [34]$' | grep -qx 2 && grep -q '^tempo = 60' '$work/glued-week.ini'"
check "... that simulate --profile previews, the D3-D4 overlap falling" bash -c "XDG_DATA_HOME='$plan_home' '$program' simulate '$work/glued-week.ini' --profile glued --fast --quiet -o '$work/glued-week.csv' && \
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"overlap_D3_D4\") c = i } \$2 == \"start\" { a = \$c } \$2 == \"end\" { b = \$c } END { exit !(b < a - 0.2) }' '$work/glued-week.csv'"

echo "homunculus simulate/compare/sweep CLI: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
