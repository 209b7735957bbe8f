# shellcheck shell=sh
# Sourced by the tests that draw in a window (tests/cli/test_view.sh, tests/lv2/ui-screenshot.sh,
# tests/lv2/ardour-ui.sh): xvfb_start DIR WxH starts a private X server on a free display
# (Xvfb -displayfd tells which one it took; its log in DIR/xvfb.log), sets xvfb_pid and
# exports DISPLAY; returns 1 when no X server could start.
# -noreset: by default an X server resets whenever its last client leaves, and a program
# connecting during the reset is refused ("unable to open display") or dropped. The tests poll
# the server with xwininfo while the program under test starts (under valgrind, for seconds),
# so without it the program's own connection could land in a reset (seen: 1 in ~600 openings).
xvfb_pid=""
xvfb_start() {
    Xvfb -displayfd 3 -screen 0 "$2x24" -nolisten tcp -noreset 3>"$1/display" >"$1/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do [ -s "$1/display" ] && break; sleep 0.1; done
    [ -s "$1/display" ] || return 1
    DISPLAY=":$(cat "$1/display")"
    export DISPLAY
}
