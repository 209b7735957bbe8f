/* panel: the practice panel. Everything is placed in design units (PANEL_WIDTH x
 * PANEL_HEIGHT) and scaled to the window, so pointer positions are divided by the scale. */
#include "panel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "map_picture.h"
#include "midi.h"

static const char *const FINGER_NAMES[PANEL_DIGITS] = {"thumb", "index", "middle", "ring", "little"};
static const char *const HAND_NAMES[PANEL_HANDS] = {"Right hand", "Left hand"};

#define MAP_SIDE 200.0
#define HAND_COLUMN 230.0
#define RIGHT_COLUMN 485.0
#define CONTROLS_TOP 196.0
#define CONTROL_ROW 29.0
#define LABEL_WIDTH 92.0

static double clamp01(double v) { return isfinite(v) ? fmin(fmax(v, 0.0), 1.0) : 0.0; }

void panel_push_risk(PanelView *v, const float risk[PANEL_HANDS])
{
    if (v->risk_count == PANEL_RISK_HISTORY) {
        for (int h = 0; h < PANEL_HANDS; h++)
            memmove(v->risk_history[h], v->risk_history[h] + 1, (PANEL_RISK_HISTORY - 1) * sizeof(float));
        v->risk_count--;
    }
    for (int h = 0; h < PANEL_HANDS; h++)
        v->risk_history[h][v->risk_count] = isfinite(risk[h]) ? risk[h] : 0.0f;
    v->risk_count++;
}

void panel_layout(PanelLayout *l, const PanelView *v, double width, double height)
{
    memset(l, 0, sizeof *l);
    l->scale = fmin(width / PANEL_WIDTH, height / PANEL_HEIGHT);
    if (!(l->scale > 0))
        l->scale = 1;
    for (int column = 0; column < PANEL_HANDS; column++) { /* the left hand on the left */
        int hand = PANEL_HANDS - 1 - column;
        l->map[hand] = (PanelRect){12 + column * (HAND_COLUMN + 12), 52, MAP_SIDE, MAP_SIDE};
    }
    for (int i = 0; i < v->control_count && i < PANEL_MAX_CONTROLS; i++) {
        double y = CONTROLS_TOP + i * CONTROL_ROW;
        l->control[i] = (PanelRect){RIGHT_COLUMN, y, PANEL_WIDTH - 10 - RIGHT_COLUMN, CONTROL_ROW - 4};
        l->control_knob[i] = (PanelRect){RIGHT_COLUMN + LABEL_WIDTH, y + 3, PANEL_WIDTH - 10 - RIGHT_COLUMN - LABEL_WIDTH,
                                         CONTROL_ROW - 10};
    }
}

static int inside(const PanelRect *r, double x, double y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

int panel_control_at(const PanelLayout *l, const PanelView *v, double x, double y)
{
    x /= l->scale;
    y /= l->scale;
    for (int i = 0; i < v->control_count && i < PANEL_MAX_CONTROLS; i++)
        if (inside(&l->control[i], x, y))
            return i;
    return -1;
}

float panel_control_value(const PanelLayout *l, const PanelView *v, int i, double x)
{
    const PanelControl *c = &v->controls[i];
    if (c->kind != PANEL_SLIDER) { /* a click cycles */
        float next = c->value + 1;
        return next > c->maximum ? c->minimum : next;
    }
    const PanelRect *k = &l->control_knob[i];
    double t = clamp01((x / l->scale - k->x) / k->w);
    float value = (float)(c->minimum + t * (c->maximum - c->minimum));
    return c->integer ? roundf(value) : value;
}

/* ---- drawing ---- */

static void text(cairo_t *cr, double x, double y, double size, const char *s)
{
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

static void grey(cairo_t *cr, double level) { cairo_set_source_rgb(cr, level, level, level); }

static void fill_rect(cairo_t *cr, double x, double y, double w, double h)
{
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
}

/* Words wrapped into lines of at most width; returns the y below the last line. */
static double wrapped(cairo_t *cr, double x, double y, double width, double size, const char *s)
{
    char line[400] = "", word[128];
    cairo_set_font_size(cr, size);
    while (*s) {
        int n = 0;
        while (*s == ' ')
            s++;
        while (*s && *s != ' ' && n < (int)sizeof word - 1)
            word[n++] = *s++;
        word[n] = 0;
        if (!n)
            break;
        char candidate[400];
        size_t used = strlen(line);
        if (used + 1 + (size_t)n >= sizeof candidate)
            break; /* longer than any panel line: the rest is left out */
        memcpy(candidate, line, used);
        if (used)
            candidate[used++] = ' ';
        memcpy(candidate + used, word, (size_t)n + 1);
        cairo_text_extents_t e;
        cairo_text_extents(cr, candidate, &e);
        if (e.x_advance > width && line[0]) {
            text(cr, x, y, size, line);
            y += size * 1.3;
            memcpy(line, word, (size_t)n + 1);
        } else
            memcpy(line, candidate, strlen(candidate) + 1);
    }
    if (line[0]) {
        text(cr, x, y, size, line);
        y += size * 1.3;
    }
    return y;
}

/* The trend of a hand's risk: a line over the samples held, in a box. */
static void draw_trend(cairo_t *cr, const PanelView *v, int hand, double x, double y, double w, double h)
{
    grey(cr, 0.16);
    fill_rect(cr, x, y, w, h);
    if (v->risk_count < 2)
        return;
    float lo = 1, hi = 0;
    for (int i = 0; i < v->risk_count; i++) {
        lo = fminf(lo, v->risk_history[hand][i]);
        hi = fmaxf(hi, v->risk_history[hand][i]);
    }
    double span = fmax(hi - lo, 0.02); /* a flat line stays flat, small changes show */
    cairo_set_source_rgb(cr, 0.9, 0.9, 0.5);
    cairo_set_line_width(cr, 1.2);
    for (int i = 0; i < v->risk_count; i++) {
        double px = x + w * i / (PANEL_RISK_HISTORY - 1);
        double py = y + h - 2 - (h - 4) * (v->risk_history[hand][i] - lo) / span;
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_stroke(cr);
}

static void draw_hand(cairo_t *cr, const PanelView *v, const PanelLayout *l, int hand)
{
    const PanelRect *m = &l->map[hand];
    int used = (v->hands >> hand) & 1;
    grey(cr, used ? 0.92 : 0.5);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    text(cr, m->x, m->y - 8, 14, used ? HAND_NAMES[hand] : hand ? "Left hand (not played)" : "Right hand (not played)");
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (!v->has_maps) {
        grey(cr, 0.16);
        fill_rect(cr, m->x, m->y, m->w, m->h);
        grey(cr, 0.7);
        text(cr, m->x + 10, m->y + m->h / 2, 12, "waiting for the plugin...");
        return;
    }
    map_picture_draw(cr, v->preferred_digit[hand], v->selectivity[hand], v->sheet_size, 0, m->x, m->y, m->w, 0);
    double y = m->y + m->h + 16;
    char s[96];
    for (int d = 0; d < PANEL_DIGITS; d++, y += 16) {
        map_picture_set_digit_colour(cr, d, 1.0);
        fill_rect(cr, m->x, y - 9, 10, 10);
        fill_rect(cr, m->x + 128, y - 8, 72 * clamp01(v->area[hand][d] * 2.5), 8); /* 40 % fills the bar */
        grey(cr, 0.85);
        snprintf(s, sizeof s, "D%d %-6s %5.1f %%", d + 1, FINGER_NAMES[d], 100.0 * v->area[hand][d]);
        text(cr, m->x + 14, y, 11, s);
    }
    int closest = 0;
    for (int p = 1; p < PANEL_DIGITS - 1; p++)
        if (v->neighbour_overlap[hand][p] > v->neighbour_overlap[hand][closest])
            closest = p;
    grey(cr, 0.85);
    snprintf(s, sizeof s, "closest pair D%d-D%d: overlap %.2f", closest + 1, closest + 2,
             v->neighbour_overlap[hand][closest]);
    text(cr, m->x, y + 4, 11, s);
    float risk = v->risk_count ? v->risk_history[hand][v->risk_count - 1] : 0.0f;
    float before = v->risk_count ? v->risk_history[hand][0] : 0.0f;
    const char *trend = risk > before + 0.005f ? "rising" : risk < before - 0.005f ? "falling" : "steady";
    snprintf(s, sizeof s, "overlap risk %.3f, %s", risk, trend);
    text(cr, m->x, y + 22, 11, s);
    grey(cr, 0.2);
    fill_rect(cr, m->x, y + 28, m->w, 7);
    double r = clamp01(risk);
    cairo_set_source_rgb(cr, 0.3 + 0.7 * r, 0.8 * (1.0 - r) + 0.1, 0.2);
    fill_rect(cr, m->x, y + 28, m->w * r, 7);
    draw_trend(cr, v, hand, m->x, y + 40, m->w, 34);
}

static void draw_warning(cairo_t *cr, const PanelView *v, double x, double y, double w)
{
    char s[200];
    const Warning *warning = &v->warning;
    if (warning->level == WARNING_LEVEL_WARNING)
        cairo_set_source_rgb(cr, 0.45, 0.1, 0.08);
    else if (warning->level == WARNING_LEVEL_ADVICE)
        cairo_set_source_rgb(cr, 0.4, 0.3, 0.05);
    else
        cairo_set_source_rgb(cr, 0.1, 0.25, 0.12);
    fill_rect(cr, x, y, w, 84);
    grey(cr, 0.95);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    text(cr, x + 8, y + 18, 13,
         warning->level == WARNING_LEVEL_WARNING  ? "Warning"
         : warning->level == WARNING_LEVEL_ADVICE ? "Advice"
                                                  : "No warning");
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (warning->level == WARNING_LEVEL_NONE)
        snprintf(s, sizeof s, "the practice load is fine");
    else
        load_warning_text(warning, s, sizeof s);
    wrapped(cr, x + 8, y + 36, w - 16, 12, s);
}

static void draw_recent(cairo_t *cr, const PanelView *v, double x, double y)
{
    grey(cr, 0.85);
    text(cr, x, y, 11, "last notes:");
    for (int i = 0; i < v->recent_count && i < PANEL_RECENT_NOTES; i++) {
        const PanelNote *n = &v->recent[i];
        double bx = x + i * 33;
        map_picture_set_digit_colour(cr, n->finger, 0.8);
        fill_rect(cr, bx, y + 5, 30, 30);
        char s[16];
        grey(cr, 0.05);
        midi_note_name(n->note, s, sizeof s);
        text(cr, bx + 3, y + 17, 10, s);
        snprintf(s, sizeof s, "%c%d", n->hand == 1 ? 'L' : 'R', n->finger + 1);
        text(cr, bx + 3, y + 31, 11, s);
    }
}

static void draw_control(cairo_t *cr, const PanelControl *c, const PanelRect *row, const PanelRect *k)
{
    char s[64];
    grey(cr, 0.85);
    text(cr, row->x, k->y + k->h - 5, 11, c->label);
    if (c->kind == PANEL_SLIDER) {
        double t = c->maximum > c->minimum ? clamp01((c->value - c->minimum) / (c->maximum - c->minimum)) : 0;
        grey(cr, 0.22);
        fill_rect(cr, k->x, k->y, k->w, k->h);
        cairo_set_source_rgb(cr, 0.3, 0.5, 0.75);
        fill_rect(cr, k->x, k->y, k->w * t, k->h);
        grey(cr, 0.95);
        if (c->integer)
            snprintf(s, sizeof s, "%.0f", c->value);
        else
            snprintf(s, sizeof s, "%.2f", c->value);
        text(cr, k->x + 5, k->y + k->h - 5, 11, s);
        return;
    }
    int index = (int)lrintf(c->value - c->minimum);
    int on = c->kind == PANEL_TOGGLE ? c->value > 0.5f : 1;
    cairo_set_source_rgb(cr, on ? 0.25 : 0.18, on ? 0.38 : 0.18, on ? 0.3 : 0.18);
    fill_rect(cr, k->x, k->y, k->w, k->h);
    grey(cr, 0.95);
    if (c->kind == PANEL_TOGGLE)
        snprintf(s, sizeof s, "%s", on ? "on" : "off (bypass)");
    else
        snprintf(s, sizeof s, "%s  >", index >= 0 && index < PANEL_MAX_CHOICES && c->choices[index] ? c->choices[index] : "?");
    text(cr, k->x + 5, k->y + k->h - 5, 11, s);
}

static void draw_legend(cairo_t *cr, double x, double y)
{
    char s[32];
    for (int d = 0; d < PANEL_DIGITS; d++) {
        double bx = x + d * 92;
        map_picture_set_digit_colour(cr, d, 1.0);
        fill_rect(cr, bx, y - 10, 12, 12);
        grey(cr, 0.85);
        snprintf(s, sizeof s, "D%d %s", d + 1, FINGER_NAMES[d]);
        text(cr, bx + 16, y, 11, s);
    }
    grey(cr, 0.6);
    text(cr, x, y + 16, 10, "darker: a unit driven by several fingers; risk 0 = a healthy hand in everyday use, 1 = merged");
}

/* Without controls: the session's status lines, then the coach's proposal. */
static void draw_status(cairo_t *cr, const PanelView *v, double x, double y, double w)
{
    grey(cr, 0.85);
    for (int i = 0; i < PANEL_STATUS_LINES; i++)
        if (v->status[i][0])
            y = wrapped(cr, x, y, w, 11, v->status[i]) + 2;
    if (!v->coach[0])
        return;
    y += 8;
    cairo_set_source_rgb(cr, 0.12, 0.2, 0.3);
    fill_rect(cr, x, y, w, 62);
    grey(cr, 0.95);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    text(cr, x + 8, y + 17, 12, "Next session");
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    wrapped(cr, x + 8, y + 34, w - 16, 11, v->coach);
}

void panel_draw(cairo_t *cr, const PanelView *v, const PanelLayout *l)
{
    cairo_save(cr);
    cairo_scale(cr, l->scale, l->scale);
    grey(cr, 0.1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (int hand = 0; hand < PANEL_HANDS; hand++)
        draw_hand(cr, v, l, hand);
    draw_legend(cr, 12, PANEL_HEIGHT - 28);
    double x = RIGHT_COLUMN, w = PANEL_WIDTH - 10 - RIGHT_COLUMN;
    draw_warning(cr, v, x, 30, w);
    char s[96];
    grey(cr, 0.85);
    snprintf(s, sizeof s, "%.0f notes a minute, %.0f min since a break", v->notes_per_minute, v->minutes_playing);
    text(cr, x, 132, 11, s);
    draw_recent(cr, v, x, 150);
    for (int i = 0; i < v->control_count && i < PANEL_MAX_CONTROLS; i++)
        draw_control(cr, &v->controls[i], &l->control[i], &l->control_knob[i]);
    if (v->control_count == 0)
        draw_status(cr, v, x, CONTROLS_TOP + 14, w);
    cairo_restore(cr);
}
