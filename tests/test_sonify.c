/* Sonifier: what a listener would notice — silence when off, no clicks, never a sample
 * outside [-1, 1] whatever the maps say, partials that beat as fingers merge, louder
 * fingers with more territory, echo tones where the notes are and purer for selective
 * fingers, a chime only while warned, and the same audio for any block partition. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sonify.h"
#include "suites.h"

#define SR 48000.0
#define SRI 48000u
#define MAX_BLOCK 1024u
#define PI_D 3.14159265358979323846

/* A passing ck_assert records its location through a pipe to the runner; loops over
 * samples check with a plain if and fail with this. */
#define EXPECT(cond, ...)              \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

/* ---- helpers ---------------------------------------------------------------------- */

static Sonify *make(uint32_t max_block)
{
    char err[256] = "";
    Sonify *s = sonify_create(SR, max_block, err, sizeof err);
    ck_assert_msg(s != NULL, "sonify_create: %s", err);
    return s;
}

/* A healthy map: equal territories, neighbours overlapping at the healthy baseline. */
static void healthy_map(MapMetrics *m)
{
    memset(m, 0, sizeof *m);
    m->valid = 1;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        m->area_fraction[d] = 0.2f;
        m->rf_digits[d] = 1.0f;
        m->overlap[d][d] = 1.0f;
    }
    for (int d = 0; d + 1 < METRICS_DIGITS; d++)
        m->overlap[d][d + 1] = m->overlap[d + 1][d] = 0.12f;
    m->risk_pair = -1;
}

static void set_pair_dice(MapMetrics *m, int pair, float dice)
{
    m->overlap[pair][pair + 1] = m->overlap[pair + 1][pair] = dice;
}

/* Renders frames in blocks of block frames. */
static void render(Sonify *s, float *left, float *right, uint32_t frames, uint32_t block)
{
    for (uint32_t done = 0; done < frames;) {
        uint32_t n = frames - done < block ? frames - done : block;
        ck_assert_int_eq(sonify_process(s, left + done, right + done, n), 0);
        done += n;
    }
}

/* Renders and throws away (lets ramps and fades finish). */
static void skip(Sonify *s, uint32_t frames)
{
    static const uint32_t block = 512;
    float l[512], r[512];
    for (uint32_t done = 0; done < frames; done += block)
        ck_assert_int_eq(sonify_process(s, l, r, frames - done < block ? frames - done : block), 0);
}

static float *buffer(uint32_t frames)
{
    float *b = calloc(frames, sizeof *b);
    ck_assert_ptr_nonnull(b);
    return b;
}

static double energy(const float *x, uint32_t from, uint32_t to)
{
    double e = 0.0;
    for (uint32_t i = from; i < to; i++)
        e += (double)x[i] * x[i];
    return e;
}

/* Amplitude of the component at hz (a whole number of cycles keeps leakage away). */
static double tone_amplitude(const float *x, uint32_t frames, double hz)
{
    double re = 0.0, im = 0.0;
    for (uint32_t i = 0; i < frames; i++) {
        double w = 2.0 * PI_D * hz * (double)i / SR;
        re += x[i] * cos(w);
        im += x[i] * sin(w);
    }
    return 2.0 * sqrt(re * re + im * im) / (double)frames;
}

/* Coefficient of variation of the RMS over consecutive windows: how much the sound's
 * loudness fluctuates (slow beating) rather than staying steady. */
static double envelope_fluctuation(const float *x, uint32_t frames, uint32_t window)
{
    double sum = 0.0, sum2 = 0.0;
    int count = 0;
    for (uint32_t start = 0; start + window <= frames; start += window) {
        double rms = sqrt(energy(x, start, start + window) / window);
        sum += rms;
        sum2 += rms * rms;
        count++;
    }
    double mean = sum / count;
    double var = sum2 / count - mean * mean;
    return sqrt(var > 0.0 ? var : 0.0) / mean;
}

static float max_step(const float *x, uint32_t frames, float previous)
{
    float worst = 0.0f;
    for (uint32_t i = 0; i < frames; i++) {
        float step = fabsf(x[i] - previous);
        if (step > worst)
            worst = step;
        previous = x[i];
    }
    return worst;
}

/* ---- tests ------------------------------------------------------------------------ */

START_TEST(test_create_checks_arguments)
{
    char err[256] = "";
    ck_assert_ptr_null(sonify_create(0.0, 64, err, sizeof err));
    ck_assert_msg(strstr(err, "sample rate") != NULL, "%s", err);
    ck_assert_ptr_null(sonify_create(NAN, 64, err, sizeof err));
    ck_assert_ptr_null(sonify_create(48000.0, 0, err, sizeof err));
    ck_assert_msg(strstr(err, "block") != NULL, "%s", err);
    sonify_free(NULL);

    Sonify *s = make(64);
    float l[128], r[128];
    for (int i = 0; i < 128; i++)
        l[i] = r[i] = 1.0f;
    ck_assert_int_eq(sonify_process(s, l, r, 65), -1);
    ck_assert(energy(l, 0, 65) == 0.0 && energy(r, 0, 65) == 0.0 && l[65] == 1.0f);
    ck_assert_int_eq(sonify_process(s, l, r, 0), 0);
    ck_assert_int_eq(sonify_mode_from_name("echo"), SONIFY_ECHO);
    ck_assert_int_eq(sonify_mode_from_name("loud"), -1);
    ck_assert_str_eq(sonify_mode_name(SONIFY_ALARM), "alarm");
    ck_assert_int_eq(sonify_get_mode(s), SONIFY_MAP);
    sonify_set_mode(s, (SonifyMode)17);
    ck_assert_int_eq(sonify_get_mode(s), SONIFY_MAP);
    sonify_free(s);
}
END_TEST

START_TEST(test_off_is_exact_silence)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_map(s, SONIFY_HAND_LEFT, &m);
    sonify_set_level_db(s, 6.0f);
    uint32_t frames = SRI / 2;
    float *l = buffer(frames), *r = buffer(frames);
    render(s, l, r, SRI / 10, 100);
    ck_assert_msg(energy(l, 0, SRI / 10) > 1.0, "map mode should sound before switching off");

    sonify_set_mode(s, SONIFY_OFF);
    render(s, l, r, SRI / 20, 100); /* the 30 ms fade */
    sonify_note(s, SONIFY_HAND_RIGHT, 2, 1.0f, 10); /* ignored when off */
    sonify_set_warning(s, 1.0f);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    render(s, l, r, frames, 333);
    for (uint32_t i = 0; i < frames; i++)
        EXPECT(l[i] == 0.0f && r[i] == 0.0f, "off: sample %u is %g / %g", i, (double)l[i], (double)r[i]);
    free(l);
    free(r);
    sonify_free(s);
}
END_TEST

/* A map as broken as a map can be. */
static void worst_map(MapMetrics *m, int variant)
{
    memset(m, 0, sizeof *m);
    m->valid = 1;
    const float odd[] = {NAN, INFINITY, -INFINITY, 1e30f, -1.0f, 1.0f};
    for (int d = 0; d < METRICS_DIGITS; d++) {
        m->area_fraction[d] = variant == 0 ? 1.0f : odd[(d + variant) % 6];
        m->rf_digits[d] = variant == 0 ? 5.0f : odd[(d + 2 * variant) % 6];
        for (int e = 0; e < METRICS_DIGITS; e++)
            m->overlap[d][e] = variant == 0 ? 1.0f : odd[(d + e + variant) % 6];
    }
}

START_TEST(test_bounded_and_finite_at_extremes)
{
    const uint32_t frames = 10 * SRI;
    float l[MAX_BLOCK], r[MAX_BLOCK];
    for (int mode = 0; mode < SONIFY_MODE_COUNT; mode++) {
        Sonify *s = make(MAX_BLOCK);
        Rng rng;
        rng_seed(&rng, 7u + (uint64_t)mode);
        sonify_set_mode(s, (SonifyMode)mode);
        sonify_set_level_db(s, INFINITY); /* clamped to +6 dB */
        sonify_set_warning(s, 7.0f);
        float peak = 0.0f;
        int variant = 0;
        for (uint32_t done = 0; done < frames;) {
            uint32_t n = rng_below(&rng, MAX_BLOCK) + 1u;
            if (n > frames - done)
                n = frames - done;
            if (rng_below(&rng, 8) == 0) {
                MapMetrics m;
                worst_map(&m, variant++ % 7);
                sonify_set_map(s, (int)rng_below(&rng, 2), &m);
                sonify_set_warning(s, variant % 5 == 0 ? NAN : 1.0f);
            }
            const float velocities[] = {1.0f, NAN, 1e9f, -3.0f, INFINITY};
            for (int k = 0; k < 6; k++)
                sonify_note(s, (int)rng_below(&rng, 2), (int)rng_below(&rng, 5), velocities[rng_below(&rng, 5)],
                            rng_below(&rng, n));
            sonify_note(s, 2, 7, 1.0f, 0); /* a bad hand and finger: ignored */
            ck_assert_int_eq(sonify_process(s, l, r, n), 0);
            for (uint32_t i = 0; i < n; i++) {
                EXPECT(isfinite(l[i]) && isfinite(r[i]), "%s: non-finite sample", sonify_mode_name(mode));
                EXPECT(fabsf(l[i]) <= 1.0f && fabsf(r[i]) <= 1.0f, "%s: sample %g / %g out of [-1, 1]",
                       sonify_mode_name(mode), (double)l[i], (double)r[i]);
                peak = fmaxf(peak, fmaxf(fabsf(l[i]), fabsf(r[i])));
            }
            done += n;
        }
        if (mode == SONIFY_OFF)
            ck_assert_float_eq(peak, 0.0f);
        else
            ck_assert_msg(peak > 0.2f, "%s: worst case should be loud, peak %g", sonify_mode_name(mode),
                          (double)peak);
        sonify_free(s);
    }
}
END_TEST

/* The notes of the click test: about 20 a second, alternating hands, on D3..D5 (whose
 * echoes stay pure tones in both maps of the test). */
static void click_notes(Sonify *s, uint32_t block_index)
{
    if (block_index % 24 == 0)
        sonify_note(s, (int)(block_index / 24 % 2), 2 + (int)(block_index / 24 % 3), 0.6f, block_index % 97);
}

/* A click is a step between two samples far larger than the sound itself makes: measure
 * the largest step of each mode's steady sound at +6 dB, then change mode, level and maps
 * every few blocks (at block boundaries falling anywhere in the waveform) and require no
 * step beyond it. */
START_TEST(test_no_clicks_on_changes)
{
    const uint32_t block = 97;
    const uint32_t steady_blocks = 400, change_blocks = 1200;
    Sonify *s = make(MAX_BLOCK);
    MapMetrics loud, changed;
    healthy_map(&loud);
    for (int d = 0; d < METRICS_DIGITS; d++)
        loud.area_fraction[d] = 0.3f;
    /* quieter or as loud per finger, D1 and D2 merged (their partials move by semitones) */
    changed = loud;
    changed.area_fraction[2] = 0.1f;
    changed.area_fraction[3] = 0.0f;
    changed.area_fraction[4] = 0.2f;
    set_pair_dice(&changed, 0, 1.0f);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &loud);
    sonify_set_map(s, SONIFY_HAND_LEFT, &loud);
    sonify_set_warning(s, 1.0f);
    sonify_set_level_db(s, 6.0f);

    float l[97], r[97];
    float prev_l = 0.0f, prev_r = 0.0f;
    float steady = 0.0f;
    const SonifyMode modes[] = {SONIFY_MAP, SONIFY_ECHO, SONIFY_ALARM};
    for (int k = 0; k < 3; k++) {
        sonify_set_mode(s, modes[k]);
        skip(s, SRI / 10);
        for (uint32_t b = 0; b < steady_blocks; b++) {
            click_notes(s, b);
            sonify_process(s, l, r, block);
            if (b > 0) /* skip() rendered elsewhere before this block */
                steady = fmaxf(steady, fmaxf(max_step(l, block, prev_l), max_step(r, block, prev_r)));
            prev_l = l[block - 1];
            prev_r = r[block - 1];
        }
    }
    ck_assert_msg(steady > 0.01f && steady < 0.1f, "steady step %g", (double)steady);

    float worst = 0.0f;
    for (uint32_t b = 0; b < change_blocks; b++) {
        click_notes(s, b);
        switch (b % 40) {
        case 0: sonify_set_mode(s, modes[b / 40 % 3]); break;
        case 5: sonify_set_level_db(s, -60.0f); break;
        case 9: sonify_set_level_db(s, 6.0f); break;
        case 13: sonify_set_map(s, SONIFY_HAND_RIGHT, b / 40 % 2 ? &changed : &loud); break;
        case 17: sonify_set_mode(s, SONIFY_OFF); break;
        case 19: sonify_set_mode(s, modes[(b / 40 + 1) % 3]); break;
        case 20: sonify_set_mode(s, modes[(b / 40 + 2) % 3]); break; /* mid-crossfade */
        case 23: sonify_set_map(s, SONIFY_HAND_LEFT, NULL); break;
        case 29: sonify_set_map(s, SONIFY_HAND_LEFT, b / 40 % 3 ? &changed : &loud); break;
        case 31: sonify_set_level_db(s, -INFINITY); break;
        case 32: sonify_set_level_db(s, 6.0f); break;
        case 35: sonify_set_warning(s, 0.0f); break;
        case 37: sonify_set_warning(s, 1.0f); break;
        default: break;
        }
        sonify_process(s, l, r, block);
        worst = fmaxf(worst, fmaxf(max_step(l, block, prev_l), max_step(r, block, prev_r)));
        prev_l = l[block - 1];
        prev_r = r[block - 1];
    }
    ck_assert_msg(worst <= 1.1f * steady + 0.002f, "largest step while changing %g, steady sound %g", (double)worst,
                  (double)steady);
    sonify_free(s);
}
END_TEST

/* The frequency gap of the D2-D3 partials after the map has been applied. */
static float settled_gap(Sonify *s, const MapMetrics *m)
{
    sonify_set_map(s, SONIFY_HAND_RIGHT, m);
    skip(s, SRI / 10);
    return sonify_partial_hz(s, SONIFY_HAND_RIGHT, 2) - sonify_partial_hz(s, SONIFY_HAND_RIGHT, 1);
}

START_TEST(test_map_merging_fingers_beat)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    float clean = settled_gap(s, &m);
    /* a consonant chord: the just major third D1-D2 and minor third D2-D3 of C4 */
    ck_assert_float_eq_tol(sonify_partial_hz(s, SONIFY_HAND_RIGHT, 0), 261.63f, 0.05f);
    ck_assert_float_eq_tol(clean, 261.63f * 0.25f, 0.05f);
    ck_assert_float_eq_tol(sonify_partial_hz(s, SONIFY_HAND_LEFT, 0), 130.81f, 0.05f);

    float previous = clean;
    for (int k = 0; k <= 20; k++) {
        float dice = 0.05f * (float)k;
        set_pair_dice(&m, 1, dice);
        float gap = settled_gap(s, &m);
        ck_assert_msg(gap > 0.0f, "partials must not cross (Dice %g: gap %g Hz)", (double)dice, (double)gap);
        if (dice <= 0.12f)
            ck_assert_float_eq_tol(gap, clean, 0.01f);
        else
            ck_assert_msg(gap < previous, "Dice %g: gap %g Hz, not below %g Hz", (double)dice, (double)gap,
                          (double)previous);
        previous = gap;
    }
    ck_assert_msg(previous >= 2.0f && previous <= 5.0f, "merged neighbours beat at %g Hz", (double)previous);
    /* fingers away from the merged pair keep their interval */
    float d4_d5 = sonify_partial_hz(s, SONIFY_HAND_RIGHT, 4) / sonify_partial_hz(s, SONIFY_HAND_RIGHT, 3);
    ck_assert_float_eq_tol(d4_d5, 1.2f, 1e-4f);
    sonify_free(s);

    /* and audibly: only D2 and D3 sounding, the loudness of their sum swings at Dice 1 */
    double fluctuation[2];
    const float dice[2] = {0.12f, 1.0f};
    const uint32_t frames = SRI;
    float *l = buffer(frames), *r = buffer(frames);
    for (int k = 0; k < 2; k++) {
        s = make(MAX_BLOCK);
        healthy_map(&m);
        m.area_fraction[0] = m.area_fraction[3] = m.area_fraction[4] = 0.0f;
        set_pair_dice(&m, 1, dice[k]);
        sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
        skip(s, SRI / 10);
        render(s, l, r, frames, 256);
        for (uint32_t i = 0; i < frames; i++)
            l[i] += r[i];
        fluctuation[k] = envelope_fluctuation(l, frames, SRI / 25);
        sonify_free(s);
    }
    ck_assert_msg(fluctuation[0] < 0.15 && fluctuation[1] > 0.35,
                  "envelope fluctuation: clean %.3f, merged %.3f", fluctuation[0], fluctuation[1]);
    free(l);
    free(r);
}
END_TEST

START_TEST(test_map_louder_for_larger_area)
{
    const float areas[3] = {0.0f, 0.1f, 0.3f};
    double amplitude[3];
    const uint32_t frames = SRI / 2;
    float *l = buffer(frames), *r = buffer(frames);
    for (int k = 0; k < 3; k++) {
        Sonify *s = make(MAX_BLOCK);
        MapMetrics m;
        healthy_map(&m);
        for (int d = 0; d < METRICS_DIGITS; d++)
            m.area_fraction[d] = d == 2 ? areas[k] : 0.0f;
        sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
        skip(s, SRI / 10);
        render(s, l, r, frames, 500);
        for (uint32_t i = 0; i < frames; i++)
            l[i] += r[i];
        /* D3 sounds the fifth over C4 */
        amplitude[k] = tone_amplitude(l, frames, 1.5 * 261.6256);
        ck_assert_float_eq_tol(sonify_partial_amplitude(s, SONIFY_HAND_RIGHT, 2), areas[k] * 0.3f, 1e-6f);
        sonify_free(s);
    }
    ck_assert_msg(amplitude[0] < 0.01 * amplitude[2], "no territory, still %g", amplitude[0]);
    double ratio = amplitude[2] / amplitude[1];
    ck_assert_msg(ratio > 2.5 && ratio < 3.5, "area x3 gives amplitude x%.2f", ratio);

    /* a hand whose fingers own nothing, or has no map, is silent */
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    for (int d = 0; d < METRICS_DIGITS; d++)
        m.area_fraction[d] = 0.0f;
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    render(s, l, r, frames, 500);
    ck_assert(energy(l, 0, frames) == 0.0 && energy(r, 0, frames) == 0.0);
    sonify_free(s);
    free(l);
    free(r);
}
END_TEST

/* Map mode's chord sounds while the player plays and dies away gently when they stop
 * (issue 18: the default sound was a drone, even in silence). */
START_TEST(test_map_silent_when_not_playing)
{
    const uint32_t frames = SRI / 10;
    float *l = buffer(frames), *r = buffer(frames);
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_playing(s, 0); /* before the first block: at once */
    render(s, l, r, frames, 256);
    ck_assert_msg(energy(l, 0, frames) == 0.0 && energy(r, 0, frames) == 0.0, "not playing, yet sound");
    sonify_set_playing(s, 1);
    render(s, l, r, frames, 256);
    double playing = energy(l, frames / 2, frames) + energy(r, frames / 2, frames);
    ck_assert_msg(playing > 0.0, "playing, yet silent");
    sonify_set_playing(s, 0);
    render(s, l, r, frames, 256); /* no abrupt end: 0.1 s into the 1.5 s fade it still sounds */
    ck_assert(energy(l, frames / 2, frames) + energy(r, frames / 2, frames) > 0.0);
    skip(s, SRI - 2 * frames);
    render(s, l, r, frames, 256); /* 1.1 s into it: well down (about -11 dB) */
    double fading = energy(l, frames / 2, frames) + energy(r, frames / 2, frames);
    ck_assert_msg(fading > 0.0 && fading < 0.25 * playing, "fading %g, playing %g", fading, playing);
    skip(s, SRI);
    render(s, l, r, frames, 256);
    ck_assert_msg(energy(l, 0, frames) == 0.0 && energy(r, 0, frames) == 0.0, "silent again after the fade");
    sonify_free(s);
    free(l);
    free(r);
}
END_TEST

START_TEST(test_echo_answers_notes_on_time)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_mode(s, SONIFY_ECHO);
    skip(s, SRI / 10);

    const uint32_t block = 1000, blocks = 12;
    float *l = buffer(block * blocks), *r = buffer(block * blocks);
    sonify_note(s, SONIFY_HAND_RIGHT, 0, 0.8f, 300);
    render(s, l, r, block * blocks, block);
    ck_assert_msg(energy(l, 0, 300) == 0.0 && energy(r, 0, 300) == 0.0, "sound before the note");
    ck_assert_msg(energy(l, 300, 300 + SRI / 100) > 0.01, "no answer within 10 ms of the note");
    ck_assert_msg(energy(r, 0, block * blocks) == 0.0, "D1 is panned hard left");
    uint32_t end = 300 + 7200; /* 150 ms */
    ck_assert_msg(energy(l, end, block * blocks) == 0.0, "the tone must end after 150 ms");
    ck_assert_msg(energy(l, end - 480, end) > 0.0, "the tone should last about 150 ms");

    /* an offset beyond the block carries over; a little finger sounds on the right */
    sonify_note(s, SONIFY_HAND_RIGHT, 4, 1.0f, 1500);
    render(s, l, r, 2 * block, block);
    ck_assert(energy(r, 0, 1500) == 0.0);
    ck_assert(energy(r, 1500, 1500 + SRI / 100) > 0.01);
    ck_assert(energy(l, 0, 2 * block) == 0.0);

    /* outside echo mode notes are ignored */
    sonify_set_mode(s, SONIFY_OFF);
    skip(s, SRI / 10);
    sonify_note(s, SONIFY_HAND_RIGHT, 2, 1.0f, 10);
    sonify_set_mode(s, SONIFY_ECHO);
    render(s, l, r, 2 * block, block);
    ck_assert(energy(l, 0, 2 * block) == 0.0);
    sonify_free(s);
    free(l);
    free(r);
}
END_TEST

/* Mean-square slope of a tone relative to a pure sine's at hz: 1 for a pure tone, higher
 * as sidebands spread its energy upwards. */
static double impurity_of_echo(float rf_digits, float dice)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    m.rf_digits[2] = rf_digits;
    set_pair_dice(&m, 2, dice);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_mode(s, SONIFY_ECHO);
    skip(s, SRI / 10);
    double hz = sonify_partial_hz(s, SONIFY_HAND_RIGHT, 2);
    const uint32_t frames = 8000;
    float *l = buffer(frames), *r = buffer(frames);
    sonify_note(s, SONIFY_HAND_RIGHT, 2, 1.0f, 0);
    render(s, l, r, frames, 512);
    double slope = 0.0;
    for (uint32_t i = 1; i < frames; i++)
        slope += (double)(l[i] - l[i - 1]) * (l[i] - l[i - 1]);
    double pure = 2.0 * (1.0 - cos(2.0 * PI_D * hz / SR));
    double result = slope / energy(l, 0, frames) / pure;
    free(l);
    free(r);
    sonify_free(s);
    return result;
}

START_TEST(test_echo_purer_when_selective)
{
    double clean = impurity_of_echo(1.0f, 0.12f);
    double wider = impurity_of_echo(1.55f, 0.12f);
    double spread = impurity_of_echo(2.0f, 0.12f);
    double merged = impurity_of_echo(1.0f, 1.0f);
    ck_assert_msg(clean < 1.05, "a selective finger's echo should be a pure tone (%.3f)", clean);
    ck_assert_msg(wider > clean + 0.3 && spread > wider + 0.3, "impurity %.3f %.3f %.3f", clean, wider, spread);
    ck_assert_msg(merged > 3.0, "a merged finger's echo should be rough (%.3f)", merged);
}
END_TEST

START_TEST(test_alarm_only_when_warned)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_mode(s, SONIFY_ALARM);
    const uint32_t frames = 5 * SRI;
    float *l = buffer(frames), *r = buffer(frames);
    skip(s, SRI / 10); /* map mode fades out */
    render(s, l, r, frames, 640);
    ck_assert_msg(energy(l, 0, frames) == 0.0 && energy(r, 0, frames) == 0.0, "alarm without a warning");

    sonify_set_warning(s, 0.5f);
    render(s, l, r, frames, 640);
    double first = energy(l, 0, SRI / 2), later = energy(l, 4 * SRI, 4 * SRI + SRI / 2);
    double between = energy(l, 3 * SRI + SRI / 2, 4 * SRI);
    ck_assert_msg(first > 1.0, "a warning should chime at once (%g)", first);
    ck_assert_msg(later > 0.5 * first, "the chime should repeat after 4 s (%g vs %g)", later, first);
    ck_assert_msg(between < 0.01 * first, "quiet between chimes (%g)", between);
    float peak = 0.0f;
    for (uint32_t i = 0; i < frames; i++)
        peak = fmaxf(peak, fabsf(l[i]));
    ck_assert_msg(peak < 0.25f, "a gentle cue, not a siren (peak %g)", (double)peak);
    ck_assert_msg(max_step(l, frames, 0.0f) < 0.03f, "soft attack");

    sonify_set_warning(s, 0.0f);
    render(s, l, r, frames, 640);
    ck_assert_msg(energy(l, 4 * SRI, frames) == 0.0, "silent again once the warning is gone");
    free(l);
    free(r);
    sonify_free(s);
}
END_TEST

START_TEST(test_level_in_db)
{
    const uint32_t frames = SRI / 4;
    float *l = buffer(frames), *r = buffer(frames);
    double rms[3];
    const float dbs[3] = {0.0f, -20.0f, 6.0f};
    for (int k = 0; k < 3; k++) {
        Sonify *s = make(MAX_BLOCK);
        MapMetrics m;
        healthy_map(&m);
        sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
        sonify_set_level_db(s, dbs[k]);
        sonify_set_level_db(s, NAN); /* keeps the level */
        skip(s, SRI / 10);
        render(s, l, r, frames, 256);
        rms[k] = sqrt(energy(l, 0, frames) / frames);
        sonify_free(s);
    }
    ck_assert_float_eq_tol(rms[1] / rms[0], 0.1, 1e-3);
    ck_assert_float_eq_tol(rms[2] / rms[0], pow(10.0, 0.3), 0.02);

    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_level_db(s, -INFINITY);
    skip(s, SRI / 10);
    render(s, l, r, frames, 256);
    ck_assert(energy(l, 0, frames) == 0.0 && energy(r, 0, frames) == 0.0);
    sonify_free(s);
    free(l);
    free(r);
}
END_TEST

/* One second of changing everything, with every change at a frame that is a boundary of
 * all the partitions tested (multiples of 8000) and notes given relative to their block. */
static void render_scripted(float *left, float *right, uint32_t block)
{
    Sonify *s = make(MAX_BLOCK);
    MapMetrics m;
    healthy_map(&m);
    const uint32_t note_every = 1777;
    for (uint32_t start = 0; start < SRI; start += block) {
        uint32_t n = SRI - start < block ? SRI - start : block;
        if (start % 8000 == 0) {
            switch (start / 8000) {
            case 0:
                sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
                sonify_set_map(s, SONIFY_HAND_LEFT, &m);
                sonify_set_mode(s, SONIFY_ECHO);
                break;
            case 1:
                sonify_set_level_db(s, -9.5f);
                set_pair_dice(&m, 2, 0.9f);
                m.rf_digits[3] = 1.8f;
                sonify_set_map(s, SONIFY_HAND_LEFT, &m);
                break;
            case 2:
                sonify_set_mode(s, SONIFY_MAP);
                sonify_set_warning(s, 0.7f);
                break;
            case 3:
                sonify_set_mode(s, SONIFY_ALARM);
                m.area_fraction[1] = 0.45f;
                sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
                break;
            case 4:
                sonify_set_mode(s, SONIFY_ECHO);
                sonify_set_level_db(s, 4.0f);
                break;
            case 5:
                sonify_set_mode(s, SONIFY_MAP);
                break;
            default: break;
            }
        }
        /* notes due in this block, at their exact frame */
        uint32_t first = (start + note_every - 1) / note_every * note_every;
        for (uint32_t t = first; t < start + n; t += note_every)
            sonify_note(s, (int)(t / note_every % 2), (int)(t / note_every % 5), 0.9f, t - start);
        ck_assert_int_eq(sonify_process(s, left + start, right + start, n), 0);
    }
    sonify_free(s);
}

START_TEST(test_block_size_invariance)
{
    float *l1 = buffer(SRI), *r1 = buffer(SRI);
    float *l2 = buffer(SRI), *r2 = buffer(SRI);
    render_scripted(l1, r1, 1);
    ck_assert_msg(energy(l1, 0, SRI) > 1.0, "the script should make sound");
    const uint32_t blocks[] = {64, 1000};
    for (int k = 0; k < 2; k++) {
        render_scripted(l2, r2, blocks[k]);
        ck_assert_msg(memcmp(l1, l2, SRI * sizeof *l1) == 0 && memcmp(r1, r2, SRI * sizeof *r1) == 0,
                      "blocks of %u frames render different audio than blocks of 1", blocks[k]);
    }
    free(l1);
    free(r1);
    free(l2);
    free(r2);
}
END_TEST

Suite *sonify_suite(void)
{
    Suite *suite = suite_create("sonify");
    TCase *tc = tcase_create("sonify");
    tcase_add_test(tc, test_create_checks_arguments);
    tcase_add_test(tc, test_off_is_exact_silence);
    tcase_add_test(tc, test_map_silent_when_not_playing);
    tcase_add_test(tc, test_bounded_and_finite_at_extremes);
    tcase_add_test(tc, test_no_clicks_on_changes);
    tcase_add_test(tc, test_map_merging_fingers_beat);
    tcase_add_test(tc, test_map_louder_for_larger_area);
    tcase_add_test(tc, test_echo_answers_notes_on_time);
    tcase_add_test(tc, test_echo_purer_when_selective);
    tcase_add_test(tc, test_alarm_only_when_warned);
    tcase_add_test(tc, test_level_in_db);
    tcase_add_test(tc, test_block_size_invariance);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(suite, tc);
    return suite;
}
