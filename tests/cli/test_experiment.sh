#!/usr/bin/env bash
# homunculus experiment as a user runs it: the list names every replication, one run passes
# and prints its source and criteria, --plot writes a valid PNG, --json is one object, an
# unknown name exits 2 listing the valid names, and --seeds counts the seeds each passes.
set -u
program=${1:?usage: test_experiment.sh PATH/TO/homunculus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"

check "list exits 0" test "$(status_of "$program" experiment list)" = 0
for name in baseline jenkins1990 clark1988 wang1995 byl1996 candia2002 walker2002 kolasinski2016; do
    check "list names $name" grep -q "^$name " "$work/out"
done

check "run walker2002 passes with --plot" test "$(status_of "$program" experiment run walker2002 --plot "$work/plots")" = 0
check "... prints the source" grep -q "^source: .*Neuron 35" "$work/out"
check "... prints PASS per criterion" grep -q "^  PASS  sleep keeps" "$work/out"
check "... and the verdict" grep -q "^result: *PASS" "$work/out"
png="$work/plots/walker2002.png"
check "... writes a PNG" bash -c "[ \"\$(head -c 8 '$png' | od -An -tx1 | tr -d ' \n')\" = 89504e470d0a1a0a ]"
check "... of the figure's width (1140 px, IHDR)" bash -c "[ \"\$(od -An -j16 -N4 -tx1 '$png' | tr -d ' \n')\" = 00000474 ]"
check "... and no temporary file" test ! -e "$png.tmp"

"$program" experiment run baseline --json >"$work/json"
check "--json gives one object with the experiment" grep -q '^{"seed": 7, "experiments": \[{"name": "baseline", ' "$work/json"
check "... its checks" grep -q '"checks": \[{"criterion": ' "$work/json"
check "... and the tally" grep -q '\], "passed": 1, "failed": 0}$' "$work/json"

check "an unknown name exits 2" test "$(status_of "$program" experiment run baseline no-such)" = 2
check "... naming it" grep -q "no-such" "$work/err"
check "... and listing the valid names" grep -q "baseline, jenkins1990, clark1988.*candia2002" "$work/err"
check "... before running anything" test ! -s "$work/out"
check "run without names exits 2" test "$(status_of "$program" experiment run)" = 2
check "a bad seed exits 2" test "$(status_of "$program" experiment all --seed -3)" = 2
check "... naming the option" grep -q -- "--seed" "$work/err"
check "--help exits 0" test "$(status_of "$program" experiment --help)" = 0
check "... and shows the usage" grep -q "experiment run NAME" "$work/out"
printf 'x' >"$work/file"
check "a plot path that is a file exits 1" test "$(status_of "$program" experiment run baseline --plot "$work/file")" = 1

# --seeds: every seed's run, counted per experiment, the same whatever -j
check "--seeds runs every seed" test "$(status_of "$program" experiment run walker2002 --seeds 1-2 -j 2)" = 0
check "... and counts the seeds passed" grep -q "^  walker2002   2 of 2 seeds$" "$work/out"
check "... and the runs" grep -q "^2 of 2 runs passed$" "$work/out"
cp "$work/out" "$work/two-jobs"
if [ "${HM_VALGRIND:-0}" = 1 ]; then # which thread runs a seed is not memcheck's business
    echo "SKIP under valgrind (two more seeds' runs, minutes there): the same with one job"
else
    "$program" experiment run walker2002 --seeds 1,2 -j 1 >"$work/one-job"
    check "... the same with one job" cmp -s "$work/two-jobs" "$work/one-job"
fi
"$program" experiment run walker2002 --seeds 2 --json >"$work/json"
check "... as JSON: the seeds passed" grep -q '"name": "walker2002", "passed_seeds": \[2\], "failed": \[\]}\], "runs": 1, "passed": 1}$' "$work/json"
status=$(status_of "$program" experiment run baseline --seeds 1)
runs=$(sed -n 's/^\([0-9]*\) of \([0-9]*\) runs passed$/\1 \2/p' "$work/out")
check "... exit 0 exactly when every run passed" test "$([ "${runs% *}" = "${runs#* }" ] && echo 0 || echo 1)" = "$status"
check "... a failed run names its seed and criteria" bash -c "[ '$status' = 0 ] || grep -q 'failed at 1 (.*: ' '$work/out'"
check "a backward seed range exits 2" test "$(status_of "$program" experiment all --seeds 3-1)" = 2
check "... saying so" grep -q "the range '3-1' runs backwards" "$work/err"
check "a seed listed twice exits 2" test "$(status_of "$program" experiment all --seeds 1-3,2)" = 2
check "... naming it" grep -q "seed 2 is listed twice" "$work/err"
check "--seeds with --plot exits 2" test "$(status_of "$program" experiment all --seeds 1-2 --plot "$work/p")" = 2

echo "test_experiment.sh: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
