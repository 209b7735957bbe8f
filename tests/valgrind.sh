#!/bin/sh
# `make check VALGRIND=1`'s plumbing: our own programs run under valgrind's memcheck, each
# process writing its report to a log of its own (the tests read the programs' stdout and
# stderr, so nothing of valgrind's may land there), and a verdict over all the logs at the end.
#   valgrind.sh wrap PROGRAM WRAPPER LOGDIR [VAR=VALUE...]
#       writes WRAPPER, an executable that runs PROGRAM under memcheck (with the environment
#       VAR=VALUE...) and logs to LOGDIR/NAME.PID.log, or to stderr if LOGDIR is -; the tests
#       are handed WRAPPER instead of PROGRAM. An error or a leak also makes the exit status
#       97, which fails the programs that make runs itself.
#   valgrind.sh wrap-suites RUN_TESTS WRAPPER
#       writes WRAPPER, which runs valgrind.sh suites RUN_TESTS.
#   valgrind.sh suites RUN_TESTS
#       runs each Check suite of RUN_TESTS (the unit tests) under memcheck as its own process
#       with CK_FORK=no (a leak is found in the process that made it), as many at once as
#       there are processors, the slowest first; prints each suite's output and time as it
#       ends and fails if any suite failed or had an error or a leak.
#   valgrind.sh verdict LOGDIR
#       reads every log: fails (exit 1, printing the log) when any process had an error or a
#       leak; counts the processes that were killed before valgrind's leak check (the kill -9
#       tests) and still fails on errors reported before the kill.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# The memcheck flags: every error and every definite, indirect or possible leak is an error.
# Origins of uninitialised values are not tracked by default (--track-origins=yes makes the
# whole run 1.6 times as long); to see where such a value came from, run again with
# VALGRIND_FLAGS=--track-origins=yes, which the wrappers read when they run.
flags="--tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible"
flags="$flags --errors-for-leak-kinds=definite,indirect,possible --num-callers=50"
flags="$flags --suppressions=$here/valgrind.supp --error-exitcode=97"

case "${1:-}" in
wrap)
    program=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") wrapper=$3 logs=$4
    shift 4
    mkdir -p "$(dirname "$wrapper")"
    log='' make_logs=''
    if [ "$logs" != - ]; then
        mkdir -p "$logs"
        logs=$(cd "$logs" && pwd)
        log="--log-file='$logs/$(basename "$program").%p.log'"
        make_logs="mkdir -p '$logs' && " # the folder is emptied at the start of each check
    fi
    {
        echo '#!/bin/sh'
        echo "# $program under valgrind's memcheck (tests/valgrind.sh)"
        echo "${make_logs}exec env $* valgrind $flags \$VALGRIND_FLAGS $log '$program' \"\$@\""
    } >"$wrapper.tmp"
    chmod +x "$wrapper.tmp"
    mv "$wrapper.tmp" "$wrapper"
    ;;
wrap-suites)
    tests=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") wrapper=$3
    mkdir -p "$(dirname "$wrapper")"
    printf '#!/bin/sh\n# the unit suites under memcheck\nexec %s suites %s\n' "'$here/valgrind.sh'" "'$tests'" >"$wrapper.tmp"
    chmod +x "$wrapper.tmp"
    mv "$wrapper.tmp" "$wrapper"
    ;;
suites)
    tests=$2
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    # the slowest suites first (the replications of experiments, the engine's long plays), so
    # that no slow one runs alone at the end
    slow="experiments engine event_queue profile state sonify smf"
    names=$slow
    # shellcheck disable=SC2013 # suite names are single words
    for name in $(sed -n 's/.*suite_create("\([a-z_0-9]*\)").*/\1/p' "$here"/*.c | sort -u); do
        case " $slow " in *" $name "*) ;; *) names="$names $name" ;; esac
    done
    # shellcheck disable=SC2016 # expanded by the job's shell
    job='start=$(date +%s)
        CK_FORK=no CK_RUN_SUITE=$1 valgrind '"$flags"' $VALGRIND_FLAGS "$2" >"$3/$1.log" 2>&1
        status=$?
        echo "$status" >"$3/$1.status"
        flock "$3/lock" sh -c "cat \"$3/$1.log\"; echo \"valgrind: suite $1: exit status $status, $(($(date +%s) - start)) s\""'
    # shellcheck disable=SC2086 # one suite name per word
    printf '%s\n' $names | xargs -P "$(nproc)" -I '{}' sh -c "$job" job '{}' "$tests" "$out"
    failed=0 count=0
    for name in $names; do
        count=$((count + 1))
        [ "$(cat "$out/$name.status" 2>/dev/null)" = 0 ] || { echo "FAIL: suite $name under valgrind"; failed=$((failed + 1)); }
    done
    echo "valgrind: $count unit suites, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
verdict)
    logs=$2
    total=0 killed=0 failed=0
    for log in "$logs"/*.log; do
        [ -e "$log" ] || continue
        total=$((total + 1))
        if grep -q 'ERROR SUMMARY: ' "$log"; then
            grep -q 'ERROR SUMMARY: 0 errors' "$log" && continue
        else
            killed=$((killed + 1)) # no summary: killed (kill -9) before valgrind's leak check
            grep -q '^==[0-9]*== *at 0x' "$log" || continue # an error report has a stack
        fi
        failed=$((failed + 1))
        echo "---- $log"
        cat "$log"
    done
    echo "valgrind: $total processes, $failed with errors or leaks, $killed killed before their leak check"
    [ "$total" -gt 0 ] || { echo "FAIL: no valgrind logs in $logs"; exit 1; }
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: valgrind.sh wrap PROGRAM WRAPPER LOGDIR|- [VAR=VALUE...] | wrap-suites RUN_TESTS WRAPPER | suites RUN_TESTS | verdict LOGDIR" >&2
    exit 2
    ;;
esac
