# shellcheck shell=sh
# Sourced by the screenshot tests (tests/lv2/ui-screenshot.sh, tests/cli/test_view.sh):
# map_colours SHOT.png X Y SIDE NAME checks the square SIDE x SIDE at (X, Y) of a screenshot
# for a map drawn in the finger colours of draw/map_picture.c (saturated, hue of red, orange,
# green, blue or violet): more than 80 % of its pixels in a finger colour and at least four
# of the five fingers present. Prints what it found; returns 0 when it holds.
map_colours() {
    convert "$1" -crop "${4}x${4}+$2+$3" +repage -depth 8 txt:- | awk -v hand="$5" '
        NR > 1 {
            v = $0; sub(/^[^(]*\(/, "", v); sub(/\).*/, "", v); split(v, c, ","); r = c[1] + 0; g = c[2] + 0; b = c[3] + 0
            max = r; if (g > max) max = g; if (b > max) max = b
            min = r; if (g < min) min = g; if (b < min) min = b
            total++
            if (max < 40 || max - min < 0.25 * max) next          # grey: not a finger colour
            if (r == max && g < 0.55 * r) f = 1                   # D1 red
            else if (r == max && b < 0.45 * r) f = 2              # D2 orange
            else if (g == max) f = 3                              # D3 green
            else if (b == max && r < 0.6 * b) f = 4               # D4 blue
            else f = 5                                            # D5 violet
            seen[f]++; coloured++
        }
        END {
            fingers = 0; for (f = 1; f <= 5; f++) if (seen[f] > 0.01 * total) fingers++
            share = total ? coloured / total : 0
            printf "%s map: %.0f %% finger-coloured pixels, %d fingers present\n", hand, 100 * share, fingers
            exit !(share > 0.8 && fingers >= 4)
        }'
}
