/* ports: the LV2 plugin's port indices and symbols, shared by the plugin glue, the TTL
 * checks and the test host. The order here is the order of lv2:index in
 * ttl/homunculus.ttl; tests/lv2 checks that the two agree. */
#ifndef HM_PLUGIN_PORTS_H
#define HM_PLUGIN_PORTS_H

#define HOMUNCULUS_URI "https://homunculus.invalid/plugins/homunculus"

typedef enum {
    PORT_MIDI_IN = 0,      /* atom:Sequence of midi:MidiEvent, lv2:designation lv2:control */
    PORT_MIDI_OUT,         /* every input event, unchanged */
    PORT_AUDIO_LEFT,
    PORT_AUDIO_RIGHT,
    PORT_ENABLED,          /* lv2:enabled: 0 bypassed */
    /* control inputs */
    PORT_HAND,             /* 0 auto (both), 1 right, 2 left */
    PORT_FINGERING,        /* 0 auto, 1 fixed, 2 channel, 3 fret (FingeringMode) */
    PORT_ROOT_NOTE,        /* fixed mode: the thumb's note of the right hand */
    PORT_WINDOW_MS,        /* coincidence window */
    PORT_PLASTICITY,
    PORT_INHIBITION,
    PORT_AGE,
    PORT_SONIFY,           /* SonifyMode */
    PORT_LEVEL_DB,
    /* control outputs: right hand, then left hand */
    PORT_RIGHT_AREA_D1,
    PORT_RIGHT_AREA_D2,
    PORT_RIGHT_AREA_D3,
    PORT_RIGHT_AREA_D4,
    PORT_RIGHT_AREA_D5,
    PORT_LEFT_AREA_D1,
    PORT_LEFT_AREA_D2,
    PORT_LEFT_AREA_D3,
    PORT_LEFT_AREA_D4,
    PORT_LEFT_AREA_D5,
    PORT_RIGHT_RISK,
    PORT_LEFT_RISK,
    PORT_RIGHT_D1_D5_MM,
    PORT_LEFT_D1_D5_MM,
    PORT_RIGHT_MULTI_DIGIT,
    PORT_LEFT_MULTI_DIGIT,
    PORT_RIGHT_RF_SIZE,
    PORT_LEFT_RF_SIZE,
    PORT_NOTES_PER_MINUTE,
    PORT_MINUTES_PLAYING,
    PORT_WARNING,
    PORT_MERGED,
    PORT_WARNING_REASON,   /* WarningReason (core/load.h), named by the TTL's scale points */
    PORT_NOTIFY,           /* atom:Sequence to the custom UI: map snapshots (plugin/ui_message.h) */
    PORT_COUNT
} PortIndex;

#define PORT_FIRST_CONTROL_IN PORT_HAND
#define PORT_FIRST_CONTROL_OUT PORT_RIGHT_AREA_D1
#define PORT_CONTROL_OUT_END PORT_NOTIFY /* one past the last control output */

/* lv2:symbol of each port, indexed by PortIndex. */
static const char *const port_symbols[PORT_COUNT] = {
    "midi_in",        "midi_out",       "out_left",       "out_right",       "enabled",
    "hand",           "fingering",      "root_note",      "window_ms",       "plasticity",
    "inhibition",     "age",            "sonify",         "level_db",        "right_area_d1",
    "right_area_d2",  "right_area_d3",  "right_area_d4",  "right_area_d5",   "left_area_d1",
    "left_area_d2",   "left_area_d3",   "left_area_d4",   "left_area_d5",    "right_risk",
    "left_risk",      "right_d1_d5_mm", "left_d1_d5_mm",  "right_multi_digit", "left_multi_digit",
    "right_rf_size",  "left_rf_size",   "notes_per_minute", "minutes_playing", "warning",
    "merged",         "warning_reason", "notify"};

/* The control inputs (lv2:enabled and the settings) as the TTL declares them: what a UI
 * shows and what run() clamps a host's values to (the test host checks both agree). */
typedef enum { PORT_KIND_SLIDER, PORT_KIND_CHOICE, PORT_KIND_TOGGLE } PortKind;
typedef struct {
    const char *name;
    PortKind kind;
    float minimum, maximum, fallback; /* fallback: lv2:default */
} PortInput;

static const PortInput port_inputs[PORT_FIRST_CONTROL_OUT - PORT_ENABLED] = {
    {"Enabled", PORT_KIND_TOGGLE, 0, 1, 1},
    {"Hand", PORT_KIND_CHOICE, 0, 2, 0},
    {"Fingering", PORT_KIND_CHOICE, 0, 3, 0},
    {"Root note", PORT_KIND_SLIDER, 12, 115, 60},
    {"Window (ms)", PORT_KIND_SLIDER, 0, 200, 30},
    {"Plasticity", PORT_KIND_SLIDER, 0, 10, 1},
    {"Inhibition", PORT_KIND_SLIDER, 0, 20, 9.6f},
    {"Age (years)", PORT_KIND_SLIDER, 3, 100, 30},
    {"Sound", PORT_KIND_CHOICE, 0, 3, 1},
    {"Level (dB)", PORT_KIND_SLIDER, -60, 6, -18}};

/* The words of the choices, as the TTL's scale points (shortened for a UI). */
static const char *const port_hand_choices[] = {"Auto (both)", "Right", "Left"};
static const char *const port_fingering_choices[] = {"Auto", "Fixed", "Channel", "Fret"};
static const char *const port_sonify_choices[] = {"Off", "Map", "Echo", "Alarm"};

/* lv2:minimum and lv2:maximum of each control output, as the TTL declares them (the test
 * host checks that the two agree); run() holds every output inside its range. */
static const float port_output_range[PORT_CONTROL_OUT_END - PORT_FIRST_CONTROL_OUT][2] = {
    {0, 100}, {0, 100}, {0, 100}, {0, 100}, {0, 100},  /* right_area_d1 .. d5, % */
    {0, 100}, {0, 100}, {0, 100}, {0, 100}, {0, 100},  /* left_area_d1 .. d5, % */
    {0, 1},   {0, 1},                                  /* right_risk, left_risk */
    {0, 30},  {0, 30},                                 /* right_d1_d5_mm, left_d1_d5_mm */
    {0, 1},   {0, 1},                                  /* right/left_multi_digit */
    {0, 40},  {0, 40},                                 /* right/left_rf_size, receptor points */
    {0, 6000},                                         /* notes_per_minute */
    {0, 1440},                                         /* minutes_playing */
    {0, 2},                                            /* warning */
    {0, 1e9f},                                         /* merged */
    {0, 3}};                                           /* warning_reason */

#endif
