# shellcheck shell=bash
# Shared by the command-line test scripts (sourced, after they set $work): a pass/fail tally.
# check NAME COMMAND... runs the command and counts it (prints "FAIL: NAME" when it fails);
# status_of COMMAND... runs it with stdout and stderr in $work/out and $work/err and prints
# its exit status.
failures=0 passes=0
check() {
    local name=$1
    shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; failures=$((failures + 1)); fi
}
# shellcheck disable=SC2154 # $work is the sourcing script's
status_of() { "$@" >"$work/out" 2>"$work/err"; echo $?; }
# The factor by which waits for the program grow: `make check VALGRIND=1` sets HM_TIME_SCALE,
# since the program runs many times slower under valgrind; 1 otherwise. scaled SECONDS prints
# SECONDS times the factor (for sleep), tries COUNT prints COUNT times it (for polling loops).
time_scale=${HM_TIME_SCALE:-1}
scaled() { awk -v t="$1" -v s="$time_scale" 'BEGIN { print t * s }'; }
tries() { echo $(($1 * time_scale)); }
# real_time_check NAME COMMAND...: a check that holds only when the program keeps real-time
# pace (e.g. takes every JACK cycle's MIDI); under valgrind (HM_VALGRIND=1) it cannot, so the
# check is not made and the output says so.
real_time_check() {
    if [ "${HM_VALGRIND:-0}" = 1 ]; then
        echo "SKIP under valgrind (the program cannot keep real-time pace there): $1"
    else
        check "$@"
    fi
}
