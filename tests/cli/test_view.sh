#!/usr/bin/env bash
# The practice views, headless. The terminal view in a detached tmux session (a real
# pseudo-terminal): at 80x24 it fits (title on the first row, keys on the last, both hands'
# maps and figures between), it redraws to the new size on SIGWINCH (tmux resize-window), and
# under NO_COLOR it writes no colour. The window (practice --window) on a private X server
# (Xvfb): a screenshot (xwd, ImageMagick) shows both hands' maps in the finger colours and the
# status box beside them; the session ends, saves and exits 0; without a display --window says
# so and falls back to the terminal. Usage: test_view.sh PATH/TO/homunculus
set -u
program=$(cd "$(dirname "${1:?usage: test_view.sh PATH/TO/homunculus}")" && pwd)/$(basename "$1")
work=$(mktemp -d)
export XDG_DATA_HOME="$work/data"
tmux_socket="homunculus-view-test-$$"
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null; done
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
    command -v tmux >/dev/null && tmux -L "$tmux_socket" kill-server 2>/dev/null
    wait 2>/dev/null
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"
# shellcheck source=tests/map_colours.sh
. "$(dirname "$0")/../map_colours.sh"
# shellcheck source=tests/xvfb.sh
. "$(dirname "$0")/../xvfb.sh"

# ---- the terminal view ----
if ! command -v tmux >/dev/null; then
    echo "SKIP: tmux is not installed: the terminal view was not checked (Debian: apt-get install tmux)"
else
    check "/dev/null is a character device (tmux needs it)" test -c /dev/null
    screen() { tmux -L "$tmux_socket" capture-pane -p -t "$1"; }
    wait_screen() { # wait_screen SESSION TEXT: up to 10 s for TEXT on the screen
        for _ in $(seq "$(tries 100)"); do screen "$1" | grep -q -- "$2" && return 0; sleep 0.1; done
        screen "$1" >"$work/last-screen.txt"
        return 1
    }
    row() { screen "$1" | sed -n "$2p"; }
    # map rows: only finger numbers, dots and spaces, two maps of at least $2 cells each
    map_rows() { screen "$1" | grep -c "^  [1-5.]\{$2,\}   [1-5.]\{$2,\} *$"; }
    start_view() { # start_view SESSION COLUMNS ROWS [ENV...]
        local session=$1 columns=$2 rows=$3; shift 3
        tmux -L "$tmux_socket" new-session -d -s "$session" -x "$columns" -y "$rows" \
            "env XDG_DATA_HOME='$XDG_DATA_HOME' $* '$program' practice --midi none --no-audio --profile $session; echo \"EXITED \$?\"; sleep 60"
    }

    start_view fit 80 24 NO_COLOR=
    check "80x24: the view is drawn" wait_screen fit "right hand .* left hand"
    title=$(row fit 1) keys=$(row fit 24)
    check "80x24: the title is on the first row ($title)" grep -q "^homunculus practice  profile 'fit'" <<<"$title"
    check "80x24: the keys are on the last row ($keys)" grep -q "\[q\] quit" <<<"$keys"
    rows_small=$(map_rows fit 16)
    check "80x24: both maps, $rows_small rows of 16+ cells each" test "$rows_small" -ge 6
    for text in "right  overlap risk" "left   overlap risk" "area %" "in the last minute" "fingers given:" \
        "no warnings"; do
        check "80x24: '$text' is shown" wait_screen fit "$text"
    done
    check "80x24: colour is used (NO_COLOR empty counts as unset)" \
        sh -c "tmux -L '$tmux_socket' capture-pane -e -p -t fit | grep -q '\[4[1-6]m'" # a finger's background

    tmux -L "$tmux_socket" resize-window -t fit -x 120 -y 50
    check "after a resize to 120x50 (SIGWINCH): the whole sheet, 16 rows of 32 cells" \
        sh -c "for i in \$(seq $(tries 50)); do [ \$(tmux -L '$tmux_socket' capture-pane -p -t fit | grep -c '^  [1-5.]\{32\}   [1-5.]\{32\} *\$') -eq 16 ] && exit 0; sleep 0.1; done; exit 1"
    check "after a resize to 120x50: the picture is whole (device lines, legend)" \
        sh -c "tmux -L '$tmux_socket' capture-pane -p -t fit | grep -q '^midi: none' && tmux -L '$tmux_socket' capture-pane -p -t fit | grep -q 'thumb..little'"
    tmux -L "$tmux_socket" resize-window -t fit -x 80 -y 24
    check "back at 80x24: the keys on row 24 again" \
        sh -c "for i in \$(seq $(tries 50)); do tmux -L '$tmux_socket' capture-pane -p -t fit | sed -n 24p | grep -q 'quit' && exit 0; sleep 0.1; done; exit 1"
    # (tmux keeps the bottom of the bigger screen when it shrinks, keys row included, until
    # the program's redraw at its next refresh: wait for it)
    check "back at 80x24: the title on row 1, nothing left of the bigger picture" \
        sh -c "for i in \$(seq $(tries 50)); do tmux -L '$tmux_socket' capture-pane -p -t fit | sed -n 1p | grep -q '^homunculus practice' && [ \$(tmux -L '$tmux_socket' capture-pane -p -t fit | grep -c '[1-5.]\{32\}') -eq 0 ] && exit 0; sleep 0.1; done; exit 1"
    tmux -L "$tmux_socket" send-keys -t fit q
    check "q quits with status 0" wait_screen fit "EXITED 0"

    start_view plain 80 24 NO_COLOR=1
    check "NO_COLOR: the view is drawn" wait_screen plain "right hand .* left hand"
    sleep 0.3
    tmux -L "$tmux_socket" capture-pane -e -p -t plain >"$work/plain.txt"
    check "NO_COLOR: no colour or attribute on the screen" sh -c "! grep -q \$(printf '\033')'\[[0-9;]*m' '$work/plain.txt'"
    check "NO_COLOR: the maps are still there" test "$(map_rows plain 16)" -ge 6
    tmux -L "$tmux_socket" send-keys -t plain q
    check "NO_COLOR: q quits with status 0" wait_screen plain "EXITED 0"
fi

# ---- the window ----
(unset DISPLAY; "$program" practice --window --midi none --no-audio --duration 0.5 --profile nodisplay \
    >"$work/nodisplay.out" 2>&1)
check "no display: --window exits 0" test $? -eq 0
check "no display: --window says why and falls back" grep -q "window: cannot open the X display.*DISPLAY is not set" \
    "$work/nodisplay.out"
missing=""
for tool in Xvfb xwd convert xwininfo; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
    echo "FAIL:$missing missing (Debian: apt-get install xvfb x11-apps x11-utils imagemagick)"
    failures=$((failures + 1))
else
    xvfb_started=0
    xvfb_start "$work" 1024x768 && xvfb_started=1
fi
if [ -z "$missing" ] && [ "$xvfb_started" = 0 ]; then
    echo "SKIP: no X server could start here (Xvfb: $(tail -1 "$work/xvfb.log")); the window was not checked"
elif [ -z "$missing" ]; then
    "$program" practice --window --midi none --no-audio --duration "$(scaled 6)" --profile window \
        >"$work/window.out" 2>&1 &
    window_pid=$!
    pids="$pids $window_pid"
    geometry=""
    for _ in $(seq "$(tries 100)"); do
        geometry=$(xwininfo -root -tree 2>/dev/null | awk '/"homunculus practice".* 760x520\+/ { print; exit }')
        [ -n "$geometry" ] && break
        sleep 0.1
    done
    check "window: a 760x520 window titled 'homunculus practice' opens" test -n "$geometry"
    sleep "$(scaled 1.5)" # a few redraws
    xwd -root -silent >"$work/shot.xwd" && convert "xwd:$work/shot.xwd" "$work/window.png"
    check "window: a screenshot" test -s "$work/window.png"
    [ -n "${KEEP_SHOT:-}" ] && cp "$work/window.png" "$KEEP_SHOT"
    set -- $(echo "$geometry" | sed 's/.* 760x520+[-0-9]*+[-0-9]*  +\([-0-9]*\)+\([-0-9]*\).*/\1 \2/')
    wx=${1:-0} wy=${2:-0}
    # draw/panel.c: the left hand's map at (12, 52), the right hand's at (254, 52), side 200
    check "window: the left hand's map" map_colours "$work/window.png" $((wx + 16)) $((wy + 56)) 192 left
    check "window: the right hand's map" map_colours "$work/window.png" $((wx + 258)) $((wy + 56)) 192 right
    # the status text beside the maps (right column from x 485, below y 196): light text on dark
    light=$(convert "$work/window.png" -crop "270x80+$((wx + 485))+$((wy + 200))" +repage -colorspace gray \
        -threshold 60% -format "%[fx:round(1000*mean)]" info:)
    check "window: the session's status is written beside the maps (${light:-?} per mille light)" \
        test "${light:-0}" -gt 5
    wait "$window_pid"
    check "window: the session ends with status 0" test $? -eq 0
    check "window: the program said it was open" grep -q "^window: open" "$work/window.out"
    check "window: the terminal still gets plain lines" grep -q "^\[ *[0-9.]* s\] notes 0" "$work/window.out"
    check "window: the profile is saved" grep -q "^profile saved: " "$work/window.out"
fi

echo "view tests: $passes passed, $failures failed"
[ $failures -eq 0 ]
