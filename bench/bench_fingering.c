/* Real-time cost of the auto fingering estimator per note: fingering_note_on (the hand
 * split, the search over the pending notes, the conventions and the decisions it makes),
 * timed on each note of the textbook corpus and of a dense two-hand stream of chords that
 * keeps the most notes pending. Mean, 99.9th percentile and worst, in thread CPU time.
 * Figures, not pass/fail. Usage: bench-fingering [PIG FILE...] (default: the corpus files
 * named below, from the top of the repository). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_times.h"
#include "fingering.h"
#include "pig.h"

#define MAX_TIMED 400000
#define DENSE_SECONDS 60
#define RUNS 3 /* identical runs: a note's cost is its least time over them */

static const char *const DEFAULT_FILES[] = {
    "tests/fixtures/fingering/textbook/scale-major-together_c.txt",
    "tests/fixtures/fingering/textbook/scale-minor-lh_c#.txt",
    "tests/fixtures/fingering/textbook/arpeggio-major-together_eb.txt",
    "tests/fixtures/fingering/textbook/chromatic-together_c.txt",
    "tests/fixtures/fingering/textbook/alberti-lh_g.txt",
    "tests/fixtures/fingering/textbook/broken-chord-rh_d-minor.txt",
    "tests/fixtures/fingering/textbook/hanon-together_01.txt",
    "tests/fixtures/fingering/textbook/hanon-together_05.txt",
};

typedef struct {
    double onset_s, offset_s;
    uint8_t note;
} Note;

static double timed[RUNS][MAX_TIMED];

/* Plays notes (sorted by onset) through a fresh estimator; writes each note_on's time. */
static long play(const Note *notes, long count, double *spent)
{
    FingeringConfig config;
    char err[256];
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = fingering_create(&config, err, sizeof err);
    if (!f) {
        fprintf(stderr, "bench-fingering: %s\n", err);
        exit(1);
    }
    long released = 0;
    FingerAssignment a;
    for (long i = 0; i < count; i++) {
        for (; released < i && notes[released].offset_s <= notes[i].onset_s; released++)
            fingering_note_off(f, notes[released].offset_s, 0, notes[released].note);
        double t0 = block_times_now_us();
        fingering_note_on(f, (uint32_t)i, notes[i].onset_s, 0, notes[i].note, 80, &a);
        spent[i] = block_times_now_us() - t0;
        while (fingering_take_final(f, &a))
            ;
    }
    fingering_flush(f);
    fingering_free(f);
    return count;
}

static void report(const char *title, const Note *notes, long count)
{
    for (int r = 0; r < RUNS; r++)
        play(notes, count, timed[r]);
    for (long i = 0; i < count; i++)
        for (int r = 1; r < RUNS; r++)
            timed[0][i] = timed[r][i] < timed[0][i] ? timed[r][i] : timed[0][i];
    BlockTimeFigures figures;
    /* as a share of a 64-frame block at 48 kHz (1333 us): what one note takes from a block */
    if (block_times_summarise(timed[0], count, 64.0 / 48000.0 * 1e6, &figures) != 0) {
        fprintf(stderr, "bench-fingering: out of memory\n");
        exit(1);
    }
    printf("%-44s %7ld notes  mean %6.2f us  99.9 %% %6.2f us  worst %6.2f us per note\n", title, count,
           figures.mean_us, figures.p999_us, figures.worst_us);
}

static int by_onset(const void *a, const void *b)
{
    const Note *x = a, *y = b;
    return x->onset_s < y->onset_s ? -1 : x->onset_s > y->onset_s;
}

int main(int argc, char **argv)
{
    static Note notes[MAX_TIMED];
    long count = 0;
    int files = argc > 1 ? argc - 1 : (int)(sizeof DEFAULT_FILES / sizeof DEFAULT_FILES[0]);
    double shift_s = 0.0;
    for (int i = 0; i < files; i++) {
        const char *path = argc > 1 ? argv[i + 1] : DEFAULT_FILES[i];
        PigNote *pig = NULL;
        size_t n = 0;
        char err[512];
        if (pig_read_file(path, &pig, &n, err, sizeof err) != 0) {
            fprintf(stderr, "bench-fingering: %s\n", err);
            return 1;
        }
        double end_s = shift_s;
        for (size_t k = 0; k < n && count < MAX_TIMED; k++) {
            notes[count++] = (Note){pig[k].onset_s + shift_s, pig[k].offset_s + shift_s, pig[k].pitch};
            end_s = pig[k].offset_s + shift_s > end_s ? pig[k].offset_s + shift_s : end_s;
        }
        shift_s = end_s + 2.0; /* a pause between pieces */
        pig_free(pig);
    }
    qsort(notes, (size_t)count, sizeof notes[0], by_onset);
    printf("fingering_note_on (auto, both hands, lag %d ms), thread CPU time, least of %d runs:\n",
           FINGERING_DEFAULT_LAG_MS, RUNS);
    report("textbook pieces (scales, arpeggios, Hanon...)", notes, count);

    /* dense: every 1/16 s a left-hand triad and a right-hand tetrad, all held: the search
     * runs over full chord groups and the most pending groups a lag of 1 s allows */
    count = 0;
    for (int k = 0; k < DENSE_SECONDS * 16 && count + 7 < MAX_TIMED; k++) {
        double t = k / 16.0;
        int low = 40 + (k * 5) % 12, high = 64 + (k * 7) % 12;
        for (int i = 0; i < 3; i++)
            notes[count++] = (Note){t + 0.001 * i, t + 0.06, (uint8_t)(low + 4 * i)};
        for (int i = 0; i < 4; i++)
            notes[count++] = (Note){t + 0.004 + 0.001 * i, t + 0.06, (uint8_t)(high + 3 * i)};
    }
    report("dense chords (16 a second, both hands)", notes, count);
    return 0;
}
