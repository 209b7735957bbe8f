/* practice_window: the live session in a window (see practice_window.h). */
#include "practice_window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "panel_window.h"

struct PracticeWindow {
    PanelWindow *window;
    PanelView view;          /* 40 KB of maps: on the heap with the window */
    uint64_t shown_sequence; /* the snapshot last shown */
    int shown_second;        /* the status clock last shown */
};

PracticeWindow *practice_window_open(char *err, size_t err_size)
{
    PracticeWindow *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_size, "out of memory for the window");
        return NULL;
    }
    if (!(w->window = panel_window_open(0, PROGRAM " practice", err, err_size))) {
        free(w);
        return NULL;
    }
    w->shown_second = -1;
    return w;
}

void practice_window_close(PracticeWindow *w)
{
    if (!w)
        return;
    panel_window_close(w->window);
    free(w);
}

void practice_window_set_coach(PracticeWindow *w, const char *proposal)
{
    snprintf(w->view.coach, sizeof w->view.coach, "%s", proposal ? proposal : "");
    panel_window_draw(w->window, &w->view, 1);
}

void practice_window_fill_view(PanelView *v, const EngineSnapshot *s, const PracticeViewStatus *status)
{
    int seconds = (int)status->elapsed_s;
    snprintf(v->status[0], sizeof v->status[0], "profile '%s'  %02d:%02d:%02d  sonify: %s", status->profile,
             seconds / 3600, seconds / 60 % 60, seconds % 60, sonify_mode_name(status->sonify));
    snprintf(v->status[1], sizeof v->status[1], "%s", status->audio);
    snprintf(v->status[2], sizeof v->status[2], "%s", status->midi);
    snprintf(v->status[3], sizeof v->status[3], "%s%s%s", PRACTICE_VIEW_KEYS " (in this window)",
             status->notice ? "; " : "", status->notice ? status->notice : "");
    if (!s)
        return;
    int n = s->sheet_size, units = n * n;
    v->has_maps = units > 0 && units <= PANEL_MAX_UNITS;
    if (!v->has_maps)
        return;
    v->sheet_size = n;
    v->hands = 3; /* the engine models both hands */
    for (int h = 0; h < PANEL_HANDS; h++) {
        memcpy(v->preferred_digit[h], s->preferred_digit[h], (size_t)units);
        memcpy(v->selectivity[h], s->selectivity[h], (size_t)units * sizeof(float));
        for (int d = 0; d < PANEL_DIGITS; d++)
            v->area[h][d] = s->map[h].area_fraction[d];
        for (int d = 0; d + 1 < PANEL_DIGITS; d++)
            v->neighbour_overlap[h][d] = s->map[h].overlap[d][d + 1];
    }
    v->notes_per_minute = s->load.notes_per_minute;
    v->minutes_playing = (float)(s->load.playing_s / 60.0);
    v->warning = s->warning;
    v->recent_count = s->recent_count < PANEL_RECENT_NOTES ? s->recent_count : PANEL_RECENT_NOTES;
    for (int i = 0; i < v->recent_count; i++)
        v->recent[i] = (PanelNote){s->recent[i].note, s->recent[i].hand, s->recent[i].finger};
}

char practice_window_update(PracticeWindow *w, const EngineSnapshot *s, const PracticeViewStatus *status)
{
    char key = 0;
    PanelEvent event;
    while (panel_window_next_event(w->window, &w->view, &event)) {
        if (event.kind == PANEL_EVENT_CLOSE)
            key = 'q';
        else if (event.kind == PANEL_EVENT_KEY && !key)
            key = event.key;
    }
    int second = (int)status->elapsed_s, fresh = s && s->sequence != w->shown_sequence;
    if (fresh) {
        float risk[PANEL_HANDS] = {s->map[0].overlap_risk, s->map[1].overlap_risk};
        panel_push_risk(&w->view, risk);
        w->shown_sequence = s->sequence;
    }
    int changed = fresh || second != w->shown_second;
    if (changed) {
        practice_window_fill_view(&w->view, s, status);
        w->shown_second = second;
    }
    panel_window_draw(w->window, &w->view, changed);
    return key;
}
