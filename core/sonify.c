/* The sonifier (sonify.h): table-lookup sine oscillators on 32-bit phase accumulators,
 * linear parameter ramps that land exactly on their targets (so nothing decays into
 * denormals), a per-sample render loop with no dependence on block boundaries (hence
 * bit-identical output for any partition) and a soft clip at the end. */
#include "sonify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SINE_BITS 11
#define SINE_SIZE (1u << SINE_BITS)
#define SINE_FRAC_BITS (32 - SINE_BITS)
#define SINE_FRAC_MASK ((1u << SINE_FRAC_BITS) - 1u)
#define PHASE_QUARTER 0x40000000u /* pi / 2 */
#define PHASE_UNITS_PER_RADIAN 683565275.6f /* 2^32 / (2 pi) */
#define TWO_POW_32 4294967296.0
#define PI 3.14159265358979323846
#define SQRT_HALF 0.70710678f

#define SAMPLE_RATE_MIN 8000.0
#define SAMPLE_RATE_MAX 768000.0
#define MAX_BLOCK_LIMIT 65536u

/* Ramp times. */
#define MODE_FADE_S 0.030
#define LEVEL_RAMP_S 0.030
#define MAP_RAMP_S 0.050
#define PLAYING_RISE_S 0.050 /* the map chord comes in with the first note ... */
#define PLAYING_FALL_S 1.5   /* ... and dies away gently when playing stops */

/* Map mode: a just-intoned major-ninth chord (root, 3rd, 5th, 7th, 9th), right hand over
 * C4, left hand an octave lower. */
#define ROOT_RIGHT_HZ 261.6256f
#define ROOT_LEFT_HZ 130.8128f
#define NOMINAL_AREA 0.2f     /* a fifth of the sheet: the nominal level */
#define AREA_GAIN_MAX 3.0f    /* a finger owning 60 % of the sheet is 3x nominal, no more */
#define MAP_PARTIAL_AMP 0.06f /* nominal amplitude of one partial */
#define MERGED_BEAT_HZ 3.0f   /* neighbours' distance at Dice 1 */
/* Healthy neighbour Dice and multi-digit level (metrics.c's overlap-risk baseline). */
#define BASELINE_DICE 0.12f
#define BASELINE_RF_DIGITS 1.1f

/* Echo mode. */
#define ECHO_VOICES 32
#define NOTE_QUEUE 128
#define ECHO_ATTACK_S 0.010
#define ECHO_LENGTH_S 0.150
#define ECHO_AMP 0.3f
#define ECHO_FM_RATIO 1.41421356f /* inharmonic modulator: sidebands off the harmonic series */
#define ECHO_FM_INDEX_MAX 2.0f    /* radians, at full de-differentiation */

/* Alarm mode: a soft descending major third (E5, C5) every few seconds. */
#define CHIME_TONES 4
#define CHIME_PERIOD_S 4.0
#define CHIME_GAP_S 0.35
#define CHIME_ATTACK_S 0.015
#define CHIME_DECAY_S 0.5    /* exponential time constant */
#define CHIME_FLOOR 1e-3f    /* -60 dB: the tone ends here */
#define CHIME_HIGH_HZ 659.2551f
#define CHIME_LOW_HZ 523.2511f
#define CHIME_AMP 0.2f
#define CHIME_OVERTONE 0.15f /* octave partial, decaying twice as fast */

/* Soft clip: linear up to the knee, then saturating smoothly towards 1. */
#define CLIP_KNEE 0.7f

typedef struct {
    float value, target, step;
    uint32_t remaining;
} Ramp;

typedef struct {
    uint32_t phase;
    Ramp freq_hz;
    Ramp amp;
    float pan_left, pan_right;
} Partial;

typedef struct {
    int active;
    uint32_t age;
    uint32_t phase_carrier, inc_carrier;
    uint32_t phase_mod, inc_mod;
    float index_phase; /* FM index in phase units */
    float amp, pan_left, pan_right;
} EchoVoice;

typedef struct {
    int hand, finger;
    float velocity;
    uint32_t offset; /* frames from the start of the next block */
} PendingNote;

typedef struct {
    int active;
    uint32_t age;
    uint32_t phase, inc, phase_overtone, inc_overtone;
    float amp, decay_env;
} ChimeTone;

struct Sonify {
    double sample_rate;
    uint32_t max_block;
    float hz_to_inc; /* 2^32 / sample_rate */
    float sine[SINE_SIZE + 1];

    SonifyMode mode;
    Ramp mode_gain[SONIFY_MODE_COUNT];
    uint32_t mode_fade_frames;
    Ramp level;
    uint32_t level_ramp_frames;

    /* map */
    Ramp playing;   /* 1 while the player plays, 0 in silence: the chord's gate */
    uint32_t playing_rise_frames, playing_fall_frames;
    int rendered;   /* a block was rendered: before it, changes of the gate take effect at once */
    Partial partial[SONIFY_HANDS][SONIFY_FINGERS];
    float impurity[SONIFY_HANDS][SONIFY_FINGERS]; /* 0: selective finger .. 1: merged */
    uint32_t map_ramp_frames;

    /* echo */
    EchoVoice voice[ECHO_VOICES];
    PendingNote pending[NOTE_QUEUE];
    int pending_count;
    uint64_t notes_dropped;
    uint32_t echo_attack_frames, echo_release_frames;
    float echo_inv_attack, echo_inv_release;

    /* alarm */
    float warning;
    uint32_t cue_clock; /* frames since the current cue started */
    uint32_t chime_period_frames, chime_gap_frames, chime_attack_frames;
    float chime_inv_attack, chime_decay;
    ChimeTone chime[CHIME_TONES];
};

static const float chord_ratio[SONIFY_FINGERS] = {1.0f, 1.25f, 1.5f, 1.875f, 2.25f};
static const float hand_root_hz[SONIFY_HANDS] = {ROOT_RIGHT_HZ, ROOT_LEFT_HZ};
static const char *const mode_names[SONIFY_MODE_COUNT] = {"off", "map", "echo", "alarm"};

/* ---- small pieces ---------------------------------------------------------------- */

static float clamp01(float x)
{
    if (!(x > 0.0f)) /* also NaN */
        return 0.0f;
    return x < 1.0f ? x : 1.0f;
}

static uint32_t frames_for(double seconds, double sample_rate)
{
    double frames = floor(seconds * sample_rate + 0.5);
    return frames < 1.0 ? 1u : (uint32_t)frames;
}

static void ramp_reset(Ramp *r, float value)
{
    r->value = r->target = value;
    r->step = 0.0f;
    r->remaining = 0;
}

/* Heads for target in frames steps (a ramp already heading there keeps its pace). */
static void ramp_to(Ramp *r, float target, uint32_t frames)
{
    if (target == r->target)
        return;
    r->target = target;
    if (r->value == target) {
        r->remaining = 0;
        return;
    }
    r->step = (target - r->value) / (float)frames;
    r->remaining = frames;
}

static inline float ramp_next(Ramp *r)
{
    if (r->remaining) {
        if (--r->remaining == 0)
            r->value = r->target;
        else
            r->value += r->step;
    }
    return r->value;
}

static inline float sine_at(const float *table, uint32_t phase)
{
    uint32_t i = phase >> SINE_FRAC_BITS;
    float frac = (float)(phase & SINE_FRAC_MASK) * (1.0f / (float)(1u << SINE_FRAC_BITS));
    return table[i] + frac * (table[i + 1] - table[i]);
}

/* sin^2 of a quarter wave: the raised-cosine rise from 0 at x = 0 to 1 at x = 1. */
static inline float rise(const float *table, float x)
{
    float s = sine_at(table, (uint32_t)(x * (float)PHASE_QUARTER));
    return s * s;
}

static inline float soft_clip(float x)
{
    float a = fabsf(x);
    if (a <= CLIP_KNEE)
        return x;
    if (!(a > CLIP_KNEE)) /* NaN */
        return 0.0f;
    float u = (a - CLIP_KNEE) / (1.0f - CLIP_KNEE);
    float y = CLIP_KNEE + (1.0f - CLIP_KNEE) * (1.0f - 1.0f / (1.0f + u)); /* slope 1 at the knee */
    return x < 0.0f ? -y : y;
}

static uint32_t hz_inc(const Sonify *s, float hz) { return (uint32_t)(hz * s->hz_to_inc); }

/* ---- set-up ---------------------------------------------------------------------- */

Sonify *sonify_create(double sample_rate, uint32_t max_block, char *err, size_t err_size)
{
    if (!(sample_rate >= SAMPLE_RATE_MIN && sample_rate <= SAMPLE_RATE_MAX)) {
        if (err && err_size)
            snprintf(err, err_size, "sonify: sample rate %g Hz outside %g..%g Hz", sample_rate, SAMPLE_RATE_MIN,
                     SAMPLE_RATE_MAX);
        return NULL;
    }
    if (max_block < 1u || max_block > MAX_BLOCK_LIMIT) {
        if (err && err_size)
            snprintf(err, err_size, "sonify: maximum block %u frames outside 1..%u", max_block, MAX_BLOCK_LIMIT);
        return NULL;
    }
    Sonify *s = calloc(1, sizeof *s);
    if (!s) {
        if (err && err_size)
            snprintf(err, err_size, "sonify: out of memory");
        return NULL;
    }
    s->sample_rate = sample_rate;
    s->max_block = max_block;
    s->hz_to_inc = (float)(TWO_POW_32 / sample_rate);
    for (uint32_t i = 0; i <= SINE_SIZE; i++)
        s->sine[i] = (float)sin(2.0 * PI * (double)i / (double)SINE_SIZE);
    /* exact zeros and ones where the envelopes start and end */
    s->sine[0] = s->sine[SINE_SIZE / 2] = s->sine[SINE_SIZE] = 0.0f;
    s->sine[SINE_SIZE / 4] = 1.0f;
    s->sine[3 * SINE_SIZE / 4] = -1.0f;

    s->mode = SONIFY_MAP;
    for (int m = 0; m < SONIFY_MODE_COUNT; m++)
        ramp_reset(&s->mode_gain[m], m == SONIFY_MAP ? 1.0f : 0.0f);
    s->mode_fade_frames = frames_for(MODE_FADE_S, sample_rate);
    ramp_reset(&s->level, 1.0f);
    s->level_ramp_frames = frames_for(LEVEL_RAMP_S, sample_rate);

    s->map_ramp_frames = frames_for(MAP_RAMP_S, sample_rate);
    ramp_reset(&s->playing, 1.0f);
    s->playing_rise_frames = frames_for(PLAYING_RISE_S, sample_rate);
    s->playing_fall_frames = frames_for(PLAYING_FALL_S, sample_rate);
    for (int h = 0; h < SONIFY_HANDS; h++) {
        for (int d = 0; d < SONIFY_FINGERS; d++) {
            Partial *p = &s->partial[h][d];
            double angle = 0.5 * PI * (double)d / (double)(SONIFY_FINGERS - 1); /* constant power */
            p->pan_left = d == SONIFY_FINGERS - 1 ? 0.0f : (float)cos(angle); /* exact at the ends */
            p->pan_right = d == 0 ? 0.0f : (float)sin(angle);
            ramp_reset(&p->freq_hz, hand_root_hz[h] * chord_ratio[d]);
            ramp_reset(&p->amp, 0.0f);
        }
    }

    s->echo_attack_frames = frames_for(ECHO_ATTACK_S, sample_rate);
    s->echo_release_frames = frames_for(ECHO_LENGTH_S - ECHO_ATTACK_S, sample_rate);
    s->echo_inv_attack = 1.0f / (float)s->echo_attack_frames;
    s->echo_inv_release = 1.0f / (float)s->echo_release_frames;

    s->chime_period_frames = frames_for(CHIME_PERIOD_S, sample_rate);
    s->chime_gap_frames = frames_for(CHIME_GAP_S, sample_rate);
    s->chime_attack_frames = frames_for(CHIME_ATTACK_S, sample_rate);
    s->chime_inv_attack = 1.0f / (float)s->chime_attack_frames;
    s->chime_decay = (float)exp(-1.0 / (CHIME_DECAY_S * sample_rate));
    return s;
}

void sonify_free(Sonify *sonify) { free(sonify); }

const char *sonify_mode_name(SonifyMode mode)
{
    return (int)mode >= 0 && mode < SONIFY_MODE_COUNT ? mode_names[mode] : "unknown";
}

int sonify_mode_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int m = 0; m < SONIFY_MODE_COUNT; m++)
        if (strcmp(name, mode_names[m]) == 0)
            return m;
    return -1;
}

/* ---- parameters (real time) ------------------------------------------------------ */

HM_REALTIME void sonify_set_mode(Sonify *s, SonifyMode mode)
{
    if ((int)mode < 0 || mode >= SONIFY_MODE_COUNT)
        return;
    s->mode = mode;
    for (int m = 0; m < SONIFY_MODE_COUNT; m++)
        ramp_to(&s->mode_gain[m], m == (int)mode ? 1.0f : 0.0f, s->mode_fade_frames);
}

HM_REALTIME SonifyMode sonify_get_mode(const Sonify *s) { return s->mode; }

HM_REALTIME void sonify_set_level_db(Sonify *s, float db)
{
    if (isnan(db))
        return;
    if (db > SONIFY_LEVEL_MAX_DB)
        db = SONIFY_LEVEL_MAX_DB;
    float gain = db <= SONIFY_LEVEL_MIN_DB ? 0.0f : powf(10.0f, db / 20.0f);
    ramp_to(&s->level, gain, s->level_ramp_frames);
}

/* How far a neighbouring pair has merged: its Dice rise above the healthy baseline. */
static float pair_merge(const MapMetrics *map, int pair)
{
    float dice = clamp01(map->overlap[pair][pair + 1]);
    return clamp01((dice - BASELINE_DICE) / (1.0f - BASELINE_DICE));
}

HM_REALTIME void sonify_set_map(Sonify *s, int hand, const MapMetrics *map)
{
    if (hand < 0 || hand >= SONIFY_HANDS)
        return;
    const float root = hand_root_hz[hand];
    const float nyquist_guard = (float)(0.45 * s->sample_rate);
    if (!map || !map->valid) {
        for (int d = 0; d < SONIFY_FINGERS; d++) {
            ramp_to(&s->partial[hand][d].amp, 0.0f, s->map_ramp_frames);
            ramp_to(&s->partial[hand][d].freq_hz, root * chord_ratio[d], s->map_ramp_frames);
            s->impurity[hand][d] = 0.0f;
        }
        return;
    }
    float merge[METRICS_PAIRS];
    for (int p = 0; p < METRICS_PAIRS; p++)
        merge[p] = pair_merge(map, p);

    /* Pitches in octaves above the root. Each pair's interval shrinks geometrically from
     * the chord's interval (merge 0) to MERGED_BEAT_HZ (merge 1), so the beat rate falls
     * smoothly and monotonically through the audible beating range; the chain is then
     * shifted so the mean pitch stays that of the chord. */
    float base[SONIFY_FINGERS], pitch[SONIFY_FINGERS];
    float base_mean = 0.0f;
    for (int d = 0; d < SONIFY_FINGERS; d++) {
        base[d] = log2f(chord_ratio[d]);
        base_mean += base[d];
    }
    base_mean /= (float)SONIFY_FINGERS;
    pitch[0] = 0.0f;
    float mean = 0.0f;
    for (int p = 0; p < METRICS_PAIRS; p++) {
        float interval = base[p + 1] - base[p];
        float centre_hz = root * exp2f(0.5f * (base[p] + base[p + 1]));
        float merged = log2f((centre_hz + 0.5f * MERGED_BEAT_HZ) / (centre_hz - 0.5f * MERGED_BEAT_HZ));
        pitch[p + 1] = pitch[p] + interval * powf(merged / interval, merge[p]);
    }
    for (int d = 0; d < SONIFY_FINGERS; d++)
        mean += pitch[d];
    mean /= (float)SONIFY_FINGERS;

    for (int d = 0; d < SONIFY_FINGERS; d++) {
        Partial *part = &s->partial[hand][d];
        float hz = root * exp2f(pitch[d] - mean + base_mean);
        if (!(hz <= nyquist_guard))
            hz = nyquist_guard;
        ramp_to(&part->freq_hz, hz, s->map_ramp_frames);

        float area = map->area_fraction[d];
        float gain = area > 0.0f ? area / NOMINAL_AREA : 0.0f; /* NaN: 0 */
        if (!(gain <= AREA_GAIN_MAX))
            gain = gain > 0.0f ? AREA_GAIN_MAX : 0.0f;
        ramp_to(&part->amp, MAP_PARTIAL_AMP * gain, s->map_ramp_frames);

        float rf = map->rf_digits[d];
        float spread = clamp01((rf - BASELINE_RF_DIGITS) / (2.0f - BASELINE_RF_DIGITS));
        float impurity = spread;
        if (d > 0 && merge[d - 1] > impurity)
            impurity = merge[d - 1];
        if (d < METRICS_PAIRS && merge[d] > impurity)
            impurity = merge[d];
        s->impurity[hand][d] = impurity;
    }
}

HM_REALTIME void sonify_note(Sonify *s, int hand, int finger, float velocity, uint32_t frame_offset)
{
    if (hand < 0 || hand >= SONIFY_HANDS || finger < 0 || finger >= SONIFY_FINGERS)
        return;
    if (s->mode != SONIFY_ECHO || !(velocity > 0.0f))
        return;
    if (s->pending_count >= NOTE_QUEUE) {
        s->notes_dropped++;
        return;
    }
    PendingNote *n = &s->pending[s->pending_count++];
    n->hand = hand;
    n->finger = finger;
    n->velocity = velocity < 1.0f ? velocity : 1.0f;
    n->offset = frame_offset;
}

HM_REALTIME void sonify_set_playing(Sonify *s, int playing)
{
    if (!s->rendered)
        ramp_reset(&s->playing, playing ? 1.0f : 0.0f);
    else
        ramp_to(&s->playing, playing ? 1.0f : 0.0f, playing ? s->playing_rise_frames : s->playing_fall_frames);
}

HM_REALTIME void sonify_set_warning(Sonify *s, float level) { s->warning = clamp01(level); }

HM_REALTIME float sonify_partial_hz(const Sonify *s, int hand, int finger)
{
    if (hand < 0 || hand >= SONIFY_HANDS || finger < 0 || finger >= SONIFY_FINGERS)
        return 0.0f;
    return s->partial[hand][finger].freq_hz.value;
}

HM_REALTIME float sonify_partial_amplitude(const Sonify *s, int hand, int finger)
{
    if (hand < 0 || hand >= SONIFY_HANDS || finger < 0 || finger >= SONIFY_FINGERS)
        return 0.0f;
    return s->partial[hand][finger].amp.value;
}

HM_REALTIME uint64_t sonify_notes_dropped(const Sonify *s) { return s->notes_dropped; }

/* ---- rendering (real time) ------------------------------------------------------- */

static void map_sample(Sonify *s, float *left, float *right)
{
    float l = 0.0f, r = 0.0f;
    for (int h = 0; h < SONIFY_HANDS; h++) {
        for (int d = 0; d < SONIFY_FINGERS; d++) {
            Partial *p = &s->partial[h][d];
            float amp = ramp_next(&p->amp);
            float hz = ramp_next(&p->freq_hz);
            float x = amp * sine_at(s->sine, p->phase);
            l += x * p->pan_left;
            r += x * p->pan_right;
            p->phase += hz_inc(s, hz);
        }
    }
    *left = l;
    *right = r;
}

/* While map mode is silent its ramps jump to their targets, ready for the next fade-in. */
static void map_settle(Sonify *s)
{
    for (int h = 0; h < SONIFY_HANDS; h++)
        for (int d = 0; d < SONIFY_FINGERS; d++) {
            ramp_reset(&s->partial[h][d].amp, s->partial[h][d].amp.target);
            ramp_reset(&s->partial[h][d].freq_hz, s->partial[h][d].freq_hz.target);
        }
}

static void echo_start(Sonify *s, const PendingNote *n)
{
    int slot = -1;
    uint32_t oldest = 0;
    for (int v = 0; v < ECHO_VOICES; v++) {
        if (!s->voice[v].active) {
            slot = v;
            break;
        }
        if (slot < 0 || s->voice[v].age > oldest) { /* all busy: take the one nearest its end */
            slot = v;
            oldest = s->voice[v].age;
        }
    }
    EchoVoice *v = &s->voice[slot];
    const Partial *p = &s->partial[n->hand][n->finger];
    float hz = p->freq_hz.value;
    v->active = 1;
    v->age = 0;
    v->phase_carrier = 0;
    v->phase_mod = 0;
    v->inc_carrier = hz_inc(s, hz);
    v->inc_mod = hz_inc(s, hz * ECHO_FM_RATIO);
    v->index_phase = s->impurity[n->hand][n->finger] * ECHO_FM_INDEX_MAX * PHASE_UNITS_PER_RADIAN;
    v->amp = ECHO_AMP * n->velocity;
    v->pan_left = p->pan_left;
    v->pan_right = p->pan_right;
}

static void echo_sample(Sonify *s, float *left, float *right)
{
    float l = 0.0f, r = 0.0f;
    for (int i = 0; i < ECHO_VOICES; i++) {
        EchoVoice *v = &s->voice[i];
        if (!v->active)
            continue;
        float env;
        if (v->age < s->echo_attack_frames) {
            env = rise(s->sine, (float)v->age * s->echo_inv_attack);
        } else {
            uint32_t into = v->age - s->echo_attack_frames;
            if (into >= s->echo_release_frames) {
                v->active = 0;
                continue;
            }
            env = rise(s->sine, 1.0f - (float)into * s->echo_inv_release);
        }
        float mod = sine_at(s->sine, v->phase_mod);
        uint32_t deviation = (uint32_t)(int32_t)(v->index_phase * mod);
        float x = v->amp * env * sine_at(s->sine, v->phase_carrier + deviation);
        l += x * v->pan_left;
        r += x * v->pan_right;
        v->phase_carrier += v->inc_carrier;
        v->phase_mod += v->inc_mod;
        v->age++;
    }
    *left = l;
    *right = r;
}

static void chime_start(Sonify *s, float hz, float amp)
{
    int slot = 0;
    for (int i = 0; i < CHIME_TONES; i++) {
        if (!s->chime[i].active) {
            slot = i;
            break;
        }
        if (s->chime[i].age > s->chime[slot].age)
            slot = i;
    }
    ChimeTone *t = &s->chime[slot];
    t->active = 1;
    t->age = 0;
    t->phase = t->phase_overtone = 0;
    t->inc = hz_inc(s, hz);
    t->inc_overtone = hz_inc(s, 2.0f * hz);
    t->amp = amp;
    t->decay_env = 1.0f;
}

static float alarm_sample(Sonify *s)
{
    if (s->mode == SONIFY_ALARM && s->warning > 0.0f) {
        float amp = CHIME_AMP * (0.3f + 0.7f * s->warning);
        if (s->cue_clock == 0)
            chime_start(s, CHIME_HIGH_HZ, amp);
        else if (s->cue_clock == s->chime_gap_frames)
            chime_start(s, CHIME_LOW_HZ, amp);
        if (++s->cue_clock >= s->chime_period_frames)
            s->cue_clock = 0;
    } else {
        s->cue_clock = 0; /* the next warning chimes at once */
    }
    float x = 0.0f;
    for (int i = 0; i < CHIME_TONES; i++) {
        ChimeTone *t = &s->chime[i];
        if (!t->active)
            continue;
        float env;
        if (t->age < s->chime_attack_frames) {
            env = rise(s->sine, (float)t->age * s->chime_inv_attack);
        } else {
            t->decay_env *= s->chime_decay;
            if (t->decay_env < CHIME_FLOOR) {
                t->active = 0;
                continue;
            }
            env = t->decay_env;
        }
        x += t->amp * env *
             (sine_at(s->sine, t->phase) + CHIME_OVERTONE * env * sine_at(s->sine, t->phase_overtone));
        t->phase += t->inc;
        t->phase_overtone += t->inc_overtone;
        t->age++;
    }
    return x;
}

/* Starts the pending notes due at frame n of this block (notes with equal offsets keep
 * their order of arrival). */
static void start_due_notes(Sonify *s, uint32_t n)
{
    int kept = 0;
    for (int i = 0; i < s->pending_count; i++) {
        if (s->pending[i].offset == n)
            echo_start(s, &s->pending[i]);
        else
            s->pending[kept++] = s->pending[i];
    }
    s->pending_count = kept;
}

static uint32_t earliest_note(const Sonify *s)
{
    uint32_t first = UINT32_MAX;
    for (int i = 0; i < s->pending_count; i++)
        if (s->pending[i].offset < first)
            first = s->pending[i].offset;
    return first;
}

HM_REALTIME int sonify_process(Sonify *s, float *left, float *right, uint32_t frames)
{
    if (frames > s->max_block) {
        memset(left, 0, frames * sizeof *left);
        memset(right, 0, frames * sizeof *right);
        return -1;
    }
    s->rendered = 1;
    uint32_t next_note = earliest_note(s);
    for (uint32_t n = 0; n < frames; n++) {
        if (n == next_note) {
            start_due_notes(s, n);
            next_note = earliest_note(s);
        }
        float level = ramp_next(&s->level);
        float gain_map = ramp_next(&s->mode_gain[SONIFY_MAP]) * ramp_next(&s->playing);
        float gain_echo = ramp_next(&s->mode_gain[SONIFY_ECHO]);
        float gain_alarm = ramp_next(&s->mode_gain[SONIFY_ALARM]);
        (void)ramp_next(&s->mode_gain[SONIFY_OFF]);
        float l = 0.0f, r = 0.0f;

        if (gain_map > 0.0f) {
            float ml, mr;
            map_sample(s, &ml, &mr);
            l += gain_map * ml;
            r += gain_map * mr;
        } else {
            map_settle(s);
        }
        if (gain_echo > 0.0f) {
            float el, er;
            echo_sample(s, &el, &er);
            l += gain_echo * el;
            r += gain_echo * er;
        } else {
            for (int v = 0; v < ECHO_VOICES; v++)
                s->voice[v].active = 0;
        }
        if (gain_alarm > 0.0f) {
            float a = gain_alarm * alarm_sample(s) * SQRT_HALF;
            l += a;
            r += a;
        } else {
            s->cue_clock = 0;
            for (int t = 0; t < CHIME_TONES; t++)
                s->chime[t].active = 0;
        }
        left[n] = soft_clip(level * l);
        right[n] = soft_clip(level * r);
    }
    /* notes due later move one block closer */
    for (int i = 0; i < s->pending_count; i++)
        s->pending[i].offset -= frames;
    return 0;
}
