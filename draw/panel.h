/* panel: the practice panel drawn with cairo, shared by the plugin's custom UI and the
 * standalone practice window (both through panel_window): both hands' maps with a finger legend, each digit's area,
 * the closest pair of neighbouring digits and their overlap, the overlap risk with its trend,
 * the current warning in words, the finger given to the last notes, and the controls as
 * simple widgets (sliders to drag, choices and toggles to click) or, without controls, the
 * session's status and the coach's proposal. The caller fills a
 * PanelView with what to show; panel_layout places everything in a window of a given size,
 * panel_draw draws it and panel_control_at / panel_slider_value turn pointer positions into
 * control changes. Not for the audio thread. */
#ifndef HM_PANEL_H
#define HM_PANEL_H

#include <cairo/cairo.h>
#include <stdint.h>

#include "load.h"

#define PANEL_HANDS 2            /* 0 right, 1 left (the left hand is drawn on the left) */
#define PANEL_DIGITS 5
#define PANEL_MAX_UNITS (64 * 64)
#define PANEL_RISK_HISTORY 120   /* risk samples kept for the trend line */
#define PANEL_RECENT_NOTES 8
#define PANEL_MAX_CONTROLS 12
#define PANEL_MAX_CHOICES 4
#define PANEL_TEXT_BYTES 200    /* a line of the session's status or the coach's proposal */
#define PANEL_STATUS_LINES 4
#define PANEL_WIDTH 760          /* the size the panel is laid out for (it scales to others) */
#define PANEL_HEIGHT 520

typedef enum { PANEL_SLIDER, PANEL_CHOICE, PANEL_TOGGLE } PanelControlKind;

typedef struct {
    const char *label;
    PanelControlKind kind;
    float minimum, maximum;  /* a choice's values are minimum .. maximum in steps of 1 */
    float value;
    int integer;             /* a slider of whole numbers */
    const char *choices[PANEL_MAX_CHOICES]; /* a choice's words, value - minimum indexing */
} PanelControl;

typedef struct {
    uint8_t note;   /* MIDI note */
    int8_t hand;    /* 0 right, 1 left */
    int8_t finger;  /* 0 thumb .. 4 little */
} PanelNote;

typedef struct {
    int has_maps;                  /* 0 until the first maps arrive: the panel says so */
    int sheet_size;                /* n of the n x n sheets */
    int hands;                     /* bit 0 right, bit 1 left in use */
    int8_t preferred_digit[PANEL_HANDS][PANEL_MAX_UNITS]; /* -1 unresponsive */
    float selectivity[PANEL_HANDS][PANEL_MAX_UNITS];      /* 0..1 */
    float area[PANEL_HANDS][PANEL_DIGITS];                /* share of the sheet, 0..1 */
    float neighbour_overlap[PANEL_HANDS][PANEL_DIGITS - 1]; /* D1-D2 .. D4-D5 */
    float risk_history[PANEL_HANDS][PANEL_RISK_HISTORY];  /* oldest first; the last is now */
    int risk_count;                                       /* samples held, 0..PANEL_RISK_HISTORY */
    float notes_per_minute, minutes_playing;
    Warning warning;
    int recent_count;
    PanelNote recent[PANEL_RECENT_NOTES];                 /* oldest first */
    int control_count;
    PanelControl controls[PANEL_MAX_CONTROLS];
    /* Shown where the controls go when there are none (the practice window): the session's
     * status in lines (profile and time, devices, keys; empty lines skipped) and the coach's
     * one-line proposal for the next session (empty: none). */
    char status[PANEL_STATUS_LINES][PANEL_TEXT_BYTES];
    char coach[PANEL_TEXT_BYTES];
} PanelView;

typedef struct {
    double x, y, w, h;
} PanelRect;

typedef struct {
    double scale;                  /* window size / the design size */
    PanelRect map[PANEL_HANDS];
    PanelRect control[PANEL_MAX_CONTROLS];      /* the whole row, label included */
    PanelRect control_knob[PANEL_MAX_CONTROLS]; /* a slider's track, a choice's button */
} PanelLayout;

/* Adds a risk sample of both hands to the view's history (the oldest falls out). */
void panel_push_risk(PanelView *view, const float risk[PANEL_HANDS]);

/* Places the panel in a window of width x height pixels. */
void panel_layout(PanelLayout *layout, const PanelView *view, double width, double height);

/* Draws the whole panel as laid out. */
void panel_draw(cairo_t *cr, const PanelView *view, const PanelLayout *layout);

/* The control under the pointer at (x, y), or -1. */
int panel_control_at(const PanelLayout *layout, const PanelView *view, double x, double y);

/* The value a slider takes with the pointer at x (clamped to its range, whole numbers for an
 * integer slider); for a choice or a toggle, the next value (it cycles). */
float panel_control_value(const PanelLayout *layout, const PanelView *view, int control, double x);

#endif
