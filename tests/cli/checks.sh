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
