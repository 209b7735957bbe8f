#!/usr/bin/env bash
# homunculus-fingering-score on the textbook corpus: the score per kind against the floors of
# tests/fixtures/fingering/textbook/floors.conf (make check fails when a kind falls below its
# floor), and the scorer's refusals: a kind below an impossible floor, a floor with no file,
# a malformed floors file.
set -u
score=${1:?usage: test_fingering_score.sh PATH/TO/homunculus-fingering-score}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/cli/checks.sh
. "$(dirname "$0")/checks.sh"

corpus=tests/fixtures/fingering/textbook
"$score" --floors "$corpus/floors.conf" "$corpus"/*.txt "$corpus"/held-out/*.txt >"$work/out" 2>"$work/err"
status=$?
grep -E '^kind |^overall' "$work/out"
cat "$work/err"
check "every kind of the textbook corpus meets its floor" [ "$status" = 0 ]
check "the last line is the overall score" bash -c "tail -1 '$work/out' | grep -Eq '^overall +[0-9]+ / +[0-9]+ notes +[0-9.]+ %$'"
check "one line per file" [ "$(grep -c '^tests/' "$work/out")" = "$(ls "$corpus"/*.txt "$corpus"/held-out/*.txt | wc -l)" ]
check "the PIG sample still scores" "$score" tests/fixtures/fingering/small_pig.txt

# the tuned corpus as one stream, each file 2 s after the one before (as a practice session
# runs: one piece's end sets up the hands for the next); 93.8 % at cbf3025, 96.6 % since a
# hand's passage is decided whole when it pauses (docs/fingering.md)
"$score" --stream "$corpus"/*.txt >"$work/stream" 2>"$work/err"
status=$?
tail -1 "$work/stream"
check "the corpus played as one stream scores" [ "$status" = 0 ]
check "... one line per file" [ "$(grep -c '^tests/' "$work/stream")" = "$(ls "$corpus"/*.txt | wc -l)" ]
check "... at least 95 % of its notes" awk '/^overall/ { exit !($(NF - 1) >= 95.0) }' "$work/stream"
check "a stream with an unreadable file fails" [ "$(status_of "$score" --stream "$work/none.txt" "$corpus/scale-major-rh_c.txt")" = 1 ]
check "... naming the file" grep -q 'none.txt' "$work/err"

echo "scale-major-rh 100.1" >"$work/bad.conf"
check "a floor above 100 % is a usage error" [ "$(status_of "$score" --floors "$work/bad.conf" "$corpus/scale-major-rh_c.txt")" = 2 ]
check "... naming the line" grep -q 'bad.conf:1: expected' "$work/err"
# a scale annotated with the little finger throughout: no estimator can agree with it
awk 'NR > 2 { $8 = 5 } { print }' OFS='\t' "$corpus/scale-major-rh_c.txt" >"$work/wrong_little.txt"
printf '# a comment\nwrong 50\n' >"$work/high.conf"
check "a kind below its floor fails" [ "$(status_of "$score" --floors "$work/high.conf" "$work/wrong_little.txt")" = 1 ]
check "... naming the kind and its floor" grep -q 'kind wrong scores .* below its floor of 50.0 %' "$work/err"
printf 'five-finger-rh 0\nhanon-together 0\n' >"$work/missing.conf"
check "a floor with no file of its kind fails" [ "$(status_of "$score" --floors "$work/missing.conf" "$corpus"/five-finger-rh_c.txt)" = 1 ]
check "... naming the kind" grep -q 'kind hanon-together has a floor' "$work/err"

echo "fingering score: $passes passed, $failures failed"
[ "$failures" = 0 ]
