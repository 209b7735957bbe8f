/* params: every constant and knob of the finger-map model, with its range and meaning.
 * One table (model_param_table) describes each parameter once; validation, the state
 * format, command-line and schedule parsers all read that table. docs/model.md gives
 * the source of each default. */
#ifndef HM_PARAMS_H
#define HM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/* How the receptors lie on the skin. */
typedef enum {
    SKIN_HAND = 0,      /* 5 digits x K points, tip to base: the instrument player's hand */
    SKIN_TORUS_GRID = 1 /* a square grid on a unit torus: the published DNF-SOM set-up */
} SkinLayout;

/* How a unit's input drive compares its afferent weights with a stimulus. */
typedef enum {
    DRIVE_L1_MATCH = 0, /* alpha (1 - |w - s|_1 / R): the published DNF-SOM drive (model v1) */
    DRIVE_COSINE = 1    /* alpha g cos(w, s) over the unit's arbor: no input, no drive (model v2) */
} DriveRule;

/* How homeostasis keeps each unit's activity near a target. */
typedef enum {
    HOMEOSTASIS_THRESHOLD = 0, /* additive threshold towards the sheet's mean (GCAL, model v1) */
    HOMEOSTASIS_SCALING = 1    /* multiplicative gain towards a fixed target (Turrigiano 2008, v2) */
} HomeostasisRule;

/* How the afferent weights start. */
typedef enum {
    INIT_ORDERED_HAND = 0, /* coarse somatotopic order D1..D5 side by side, tip to base, plus noise */
    INIT_UNIFORM = 1       /* uniform random in [0, 1] (the published DNF-SOM start) */
} WeightInit;

typedef struct {
    /* cortical sheet */
    int32_t sheet_size;     /* units per side, n */
    int32_t sheet_torus;    /* 1: lateral interactions wrap around; 0: a bounded sheet */
    float sheet_width_mm;   /* physical width of the sheet, for mm^2 and mm metrics */
    /* skin */
    int32_t skin_layout;    /* SkinLayout */
    int32_t receptors_per_digit; /* K, hand layout */
    int32_t grid_side;      /* receptors per side, torus grid layout */
    float receptor_jitter;  /* random displacement of receptors, skin units */
    float touch_width;      /* sigma of a touch's Gaussian bump, skin units */
    /* field dynamics */
    int32_t settle_steps;   /* Euler steps per stimulus */
    float dt;               /* Euler step, in units of tau */
    float tau;              /* field time constant */
    float alpha;            /* input and lateral scale */
    float excitation_strength; /* Ke = excitation_strength * 960 / n^2 */
    float excitation_width;    /* sigma_e, fraction of the sheet width */
    float inhibition_strength; /* Ki = inhibition_strength * 960 / n^2 (surround inhibition) */
    float inhibition_width;    /* sigma_i, fraction of the sheet width */
    float field_init_noise;    /* field reset to uniform [0, this) before each stimulus */
    float activity_ceiling;    /* firing rate saturates here (0: none, as published) */
    int32_t drive_rule;        /* DriveRule */
    /* learning */
    float learning_rate;       /* gamma of the DNF-SOM rule at plasticity gain 1, adult */
    float plasticity_gain;     /* the player's plasticity (user knob), multiplies gamma */
    float age_years;           /* the player's age */
    float critical_period_boost; /* extra gain well before the critical age */
    float critical_age_years;  /* age where the boost is half gone */
    /* homeostasis */
    float homeostasis_rate;    /* threshold change per stimulus per unit of activity excess */
    float homeostasis_smoothing; /* weight of the newest stimulus in the activity average */
    float threshold_limit;     /* thresholds stay within +-this */
    int32_t homeostasis_rule;  /* HomeostasisRule */
    float scaling_target;      /* scaling: the smoothed activity each unit's gain steers towards */
    float gain_limit;          /* scaling: gains stay within [1 / this, this] */
    /* everyday use between sessions */
    float everyday_touches_per_hour; /* touches of everyday hand use an awake hour between sessions (0: none) */
    /* two timescales of plasticity */
    float early_decay_s;       /* time constant of the labile (early) component, awake */
    float early_decay_sleep_s; /* same, asleep */
    float consolidation_s;     /* time constant of capture into the late component, awake */
    float consolidation_sleep_s; /* same, asleep */
    float capture_capacity;    /* mean |weight change| one full capture resource can consolidate */
    float capture_recovery_s;  /* time constant of the capture resource's recovery, awake */
    float capture_recovery_sleep_s; /* same, asleep */
    float early_depression_limit; /* saturation of early depression: w_early >= -this (0: unbounded) */
    float early_potentiation_limit; /* saturation of early potentiation: w_early <= this (0: unbounded) */
    /* start */
    int32_t weight_init;       /* WeightInit */
    float weight_init_noise;   /* amplitude of uniform noise on an ordered start */
    float arbor_reach;         /* hand: digits a unit's afferents reach either side of its home (0: all) */
    uint32_t seed;             /* all randomness of a model derives from this */
} ModelParams;

typedef enum { PARAM_INT, PARAM_FLOAT, PARAM_SEED } ParamType;

/* One row of the parameter table. */
typedef struct {
    const char *key;   /* name used in files, command lines and schedules */
    ParamType type;
    size_t offset;     /* offsetof(ModelParams, field) */
    double min, max;   /* inclusive range */
    const char *unit;  /* "" when dimensionless */
    const char *help;  /* one line for --help and docs */
} ParamInfo;

/* Defaults for a player's hand (the model the plugin and program use). */
void model_params_default(ModelParams *params);

/* The configuration of Detorakis & Rougier 2012 (PLoS ONE 7:e40257), for speed
 * comparisons with the published NumPy code on identical work. */
void model_params_reference(ModelParams *params);

/* The whole table; *count receives its length. */
const ParamInfo *model_param_table(size_t *count);

/* The row named key, or NULL. */
const ParamInfo *model_param_find(const char *key);

/* Reads a parameter as a double. */
double model_param_get(const ModelParams *params, const ParamInfo *info);

/* Sets key to value after checking type and range. Returns 0, or -1 with a message
 * naming the key, the value and the allowed range in err. */
int model_param_set(ModelParams *params, const char *key, double value, char *err, size_t err_size);

/* Checks every parameter against its range and the cross-parameter rules. Returns 0,
 * or -1 with a message naming the first offending parameter. */
int model_params_validate(const ModelParams *params, char *err, size_t err_size);

/* The plasticity multiplier from age: 1 for adults, up to 1 + critical_period_boost
 * in early childhood (Elbert et al. 1995). */
float model_params_age_factor(const ModelParams *params);

#endif
