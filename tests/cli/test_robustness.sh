#!/usr/bin/env bash
# Saving when things go wrong, for every file the program writes (profile and practice log,
# simulate --save-state/-o/--json/--plot, report PNG/SVG, play --save-state/--wav, sweep's
# folder, practice's autosave): a full disk, a read-only folder and a missing folder each
# give a message naming the file and the reason and a non-zero exit, and the file saved
# before is left byte for byte, with no temporary file behind. And the simulator killed
# with -9 at random moments, many while it writes, always leaves whole files.
# Full and read-only disks are real: a small tmpfs (then remounted read-only) in a private
# mount namespace (unshare -rm; root ignores file modes). Where that is not permitted, the
# script says which checks it could not run and why, and runs the rest.
# Usage: test_robustness.sh PATH/TO/homunculus
set -u
program=${1:?usage: test_robustness.sh PATH/TO/homunculus}
if [ -z "${HM_ROBUSTNESS_NAMESPACE:-}" ]; then
    if unshare -rm true 2>/dev/null; then
        HM_ROBUSTNESS_NAMESPACE=private exec unshare -rm bash "$0" "$@"
    fi
    HM_ROBUSTNESS_NAMESPACE="none: $(unshare -rm true 2>&1 | head -n 1)"
fi
work=$(mktemp -d)
fs="$work/fs" # the small filesystem
sim_pid=
trap '[ -n "$sim_pid" ] && kill -9 "$sim_pid" 2>/dev/null; umount "$fs" 2>/dev/null; rm -rf "$work"' EXIT
export TZ=UTC0 SOURCE_DATE_EPOCH=1780308000 XDG_DATA_HOME="$fs/data"
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"
skipped=0

midi=tests/fixtures/midi/c_major_scale_format0.mid
schedule="$work/short.ini"
cat >"$schedule" <<'EOF'
[player]
everyday = 60
hands = both
seed = 3
[calendar]
days = 1
[session]
at = 08:00
[exercise]
kind = scale
hand = both
duration = 1 min
EOF

# --- a folder that does not exist: refused up front, nothing written ---
missing="$work/no/such/folder"
for args in "simulate $schedule --save-state $missing/s.state" "simulate $schedule -o $missing/s.csv" \
    "simulate $schedule --json $missing/s.json" "simulate $schedule --plot $missing/s.png" \
    "play $midi --offline --save-state $missing/p.state" "play $midi --offline --wav $missing/p.wav" \
    "report --state $work/none.state -o $missing/r.png" "sweep $schedule --vary seed=1 -o $missing/sweep"; do
    [ -e "$work/none.state" ] || "$program" simulate "$schedule" --save-state "$work/none.state" --quiet
    # shellcheck disable=SC2086 # the words of args
    check "missing folder: $args exits 1" test "$(status_of "$program" $args)" = 1
    check "... naming the folder" grep -q "$work/no" "$work/err"
    check "... and nothing created" test ! -e "$work/no"
done

# --- the tmpfs: fresh, full, read-only ---
fresh_fs() { # a new empty 4 MiB filesystem at $fs
    umount "$fs" 2>/dev/null
    mkdir -p "$fs" && mount -t tmpfs -o size=4m tmpfs "$fs"
}
fill_fs() { dd if=/dev/zero of="$fs/fill" bs=64k 2>/dev/null; sync; }
readonly_fs() { mount -o remount,ro "$fs"; }

# saved_before FILE...: copies the files as they are now (the last good versions).
saved_before() {
    rm -rf "$work/before" && mkdir -p "$work/before"
    for f in "$@"; do cp "$f" "$work/before/$(basename "$f")"; done
}
# refused CASE REASON COMMAND...: the command exits non-zero naming a saved file and the
# reason; every file given to saved_before is byte for byte as it was; no .tmp is left.
refused() {
    local case=$1 reason=$2
    shift 2
    local status
    status=$(status_of "$@")
    check "$case: exits non-zero" test "$status" != 0
    check "$case: says '$reason'" grep -q "$reason" "$work/err"
    local named=0 f
    for f in "$work"/before/*; do
        grep -q "$(basename "$f")" "$work/err" && named=1
    done
    check "$case: names the file" test "$named" = 1
    for f in "$work"/before/*; do
        check "$case: $(basename "$f") as saved before" cmp -s "$f" "$(find "$fs" -name "$(basename "$f")" -print -quit)"
    done
    check "$case: no temporary file left" test -z "$(find "$fs" -name '*.tmp' -print -quit)"
    [ "$status" = 0 ] && sed 's/^/    /' "$work/err"
}

# every_condition NAME PREPARE FILES -- COMMAND...: on a fresh filesystem, PREPARE (a
# function) saves the good files FILES (paths under $fs, ':'-separated), then COMMAND is
# run on a full filesystem and on a read-only one.
every_condition() {
    local name=$1 prepare=$2 files=$3
    shift 4
    local condition
    for condition in full read-only; do
        fresh_fs || return 1
        "$prepare"
        local list
        IFS=: read -r -a list <<<"$files"
        saved_before "${list[@]}"
        if [ "$condition" = full ]; then
            fill_fs
            refused "$name, disk full" "No space left on device" "$@"
        else
            readonly_fs
            refused "$name, read-only" "Read-only file system" "$@"
        fi
    done
}

prepare_simulate() { "$program" simulate "$schedule" --save-state "$fs/s.state" -o "$fs/s.csv" --json "$fs/s.json" \
    --plot "$fs/s.png" --quiet; "$program" simulate "$schedule" --plot "$fs/s.svg" --quiet; }
prepare_play() { "$program" play "$midi" --offline --save-state "$fs/p.state" --wav "$fs/p.wav" >/dev/null; }
prepare_report() {
    "$program" report --state "$work/none.state" -o "$fs/r.png" >/dev/null
    "$program" report --state "$work/none.state" -o "$fs/r.svg" >/dev/null
}
prepare_profile() { "$program" play "$midi" --offline --profile anna >/dev/null; }
prepare_sweep() { "$program" sweep "$schedule" --vary seed=1,2 -o "$fs/sweep" >/dev/null; }

namespace_checks() {
    every_condition "simulate --save-state" prepare_simulate "$fs/s.state" -- \
        "$program" simulate "$schedule" --save-state "$fs/s.state" --quiet
    every_condition "simulate -o" prepare_simulate "$fs/s.csv" -- "$program" simulate "$schedule" -o "$fs/s.csv" --quiet
    every_condition "simulate --json" prepare_simulate "$fs/s.json" -- \
        "$program" simulate "$schedule" --json "$fs/s.json" --quiet
    every_condition "simulate --plot PNG" prepare_simulate "$fs/s.png" -- \
        "$program" simulate "$schedule" --plot "$fs/s.png" --quiet
    every_condition "simulate --plot SVG" prepare_simulate "$fs/s.svg" -- \
        "$program" simulate "$schedule" --plot "$fs/s.svg" --quiet
    every_condition "play --save-state" prepare_play "$fs/p.state" -- \
        "$program" play "$midi" --offline --save-state "$fs/p.state"
    every_condition "play --wav" prepare_play "$fs/p.wav" -- "$program" play "$midi" --offline --wav "$fs/p.wav"
    every_condition "report PNG" prepare_report "$fs/r.png" -- "$program" report --state "$work/none.state" -o "$fs/r.png"
    every_condition "report SVG" prepare_report "$fs/r.svg" -- "$program" report --state "$work/none.state" -o "$fs/r.svg"
    every_condition "sweep" prepare_sweep "$fs/sweep/summary.csv:$fs/sweep/point-0000.csv" -- \
        "$program" sweep "$schedule" --vary seed=1,2 -o "$fs/sweep"
    every_condition "play --profile" prepare_profile \
        "$XDG_DATA_HOME/homunculus/anna.profile:$XDG_DATA_HOME/homunculus/anna.log.jsonl" -- \
        "$program" play "$midi" --offline --profile anna

    # practice's autosave on a full disk: warned, the session goes on, the profile stays
    # the last good one
    fresh_fs
    prepare_profile
    saved_before "$XDG_DATA_HOME/homunculus/anna.profile" "$XDG_DATA_HOME/homunculus/anna.log.jsonl"
    fill_fs
    "$program" practice --midi none --no-audio --no-ui --save-every 0.01 --duration 3 --profile anna \
        >"$work/out" 2>"$work/err"
    local status=$?
    check "practice, disk full: the autosave warns" grep -q "No space left on device" "$work/out" "$work/err"
    check "... naming the profile" grep -q "anna.profile" "$work/out" "$work/err"
    check "... more than once: the session went on" test "$(cat "$work/out" "$work/err" | grep -c "No space left")" -ge 2
    check "... exits non-zero, the last save having failed" test "$status" != 0
    check "... and does not claim it saved the profile" grep -q "profile NOT saved" "$work/out"
    check "... the profile as saved before" cmp -s "$work/before/anna.profile" "$XDG_DATA_HOME/homunculus/anna.profile"
    check "... and the session is not logged without it" grep -q "log: session NOT appended" "$work/out"
    check "... the log as it was" cmp -s "$work/before/anna.log.jsonl" "$XDG_DATA_HOME/homunculus/anna.log.jsonl"
    umount "$fs"
}

if [ "$HM_ROBUSTNESS_NAMESPACE" = private ] && fresh_fs 2>"$work/mount.err"; then
    namespace_checks
else
    reason=${HM_ROBUSTNESS_NAMESPACE#none: }
    [ "$HM_ROBUSTNESS_NAMESPACE" = private ] && reason="mounting a tmpfs failed: $(cat "$work/mount.err")"
    echo "NOT RUN: the disk-full and read-only checks need a private mount namespace ($reason)"
    skipped=1
fi

# --- kill -9 while the simulator saves: every file is the old one or the new one ---
big="$work/big.ini" # a short run: the kills land near the writing of the 675 kB state
sed 's/^duration = 1 min$/duration = 5 s/' "$schedule" >"$big"
outputs=(k.state k.csv k.json)
mkdir -p "$work/kill" "$work/ref1" "$work/ref2"
SOURCE_DATE_EPOCH=1 "$program" simulate "$big" --save-state "$work/ref1/k.state" -o "$work/ref1/k.csv" \
    --json "$work/ref1/k.json" --quiet
SOURCE_DATE_EPOCH=2 "$program" simulate "$big" --save-state "$work/ref2/k.state" -o "$work/ref2/k.csv" \
    --json "$work/ref2/k.json" --quiet
cp "$work"/ref1/k.* "$work/kill/"
kills=60 whole=0 mid_write=0
# under valgrind (HM_VALGRIND=1) 6 kills at scaled moments: the same write, kill and load paths
[ "${HM_VALGRIND:-0}" = 1 ] && kills=6
for ((i = 0; i < kills; i++)); do
    SOURCE_DATE_EPOCH=$((i % 2 + 1)) "$program" simulate "$big" --save-state "$work/kill/k.state" \
        -o "$work/kill/k.csv" --json "$work/kill/k.json" --quiet &
    sim_pid=$!
    if ((i % 2)); then # at a random moment of the run
        sleep "$(scaled "0.$((RANDOM % 5))$((RANDOM % 10))")"
    else # as soon as a file is being written (or when the run has ended); builtins only, so
        # that the polling forks nothing while the simulator runs
        while kill -0 "$sim_pid" 2>/dev/null; do
            [ -e "$work/kill/k.state.tmp" ] || [ -e "$work/kill/k.csv.tmp" ] || [ -e "$work/kill/k.json.tmp" ] && break
        done
    fi
    kill -9 "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
    sim_pid=
    compgen -G "$work/kill/*.tmp" >/dev/null && mid_write=$((mid_write + 1))
    ok=1
    for f in "${outputs[@]}"; do
        cmp -s "$work/kill/$f" "$work/ref1/$f" || cmp -s "$work/kill/$f" "$work/ref2/$f" || {
            ok=0
            echo "after kill $i: $f is neither the old nor the new file"
        }
    done
    "$program" state show "$work/kill/k.state" >/dev/null 2>"$work/err" || {
        ok=0
        echo "after kill $i: $(cat "$work/err")"
    }
    whole=$((whole + ok))
done
check "after each of $kills kills -9 of the simulator every file was whole ($whole times)" test "$whole" = "$kills"
check "... and some kills came while a file was being written ($mid_write)" test "$mid_write" -gt 0
echo "simulate kill -9 loop: $kills kills, $mid_write of them while a file was being written, every file whole after $whole"

echo "robustness tests: $passes passed, $failures failed$([ "$skipped" = 1 ] && echo ", disk-full and read-only checks NOT RUN")"
[ "$failures" -eq 0 ]
