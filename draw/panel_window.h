/* panel_window: an Xlib window that shows a PanelView drawn by panel_draw through cairo, with
 * no toolkit: the plugin's custom UI (inside the host's window) and the standalone practice
 * window (a top-level window) share it. It keeps the window's size, draws into a back buffer
 * shown in one copy (no flicker), and turns X events into what its owner acts on: a key, a
 * control moved by the pointer (clicked or dragged), a request to close. Everything runs in
 * the thread that opened it; never in an audio thread. */
#ifndef HM_PANEL_WINDOW_H
#define HM_PANEL_WINDOW_H

#include <stddef.h>

#include "panel.h"

typedef struct PanelWindow PanelWindow;

typedef enum {
    PANEL_EVENT_KEY,     /* key: the character typed */
    PANEL_EVENT_CONTROL, /* control, value: the pointer set a control (already in the view) */
    PANEL_EVENT_CLOSE    /* the window manager's close button */
} PanelEventKind;

typedef struct {
    PanelEventKind kind;
    char key;
    int control;
    float value;
} PanelEvent;

/* Opens the default display (DISPLAY) and maps a window of the panel's design size: inside
 * parent (an X window id) when parent is not 0, else a top-level window titled title. NULL
 * with the reason in err when there is no display. */
PanelWindow *panel_window_open(unsigned long parent, const char *title, char *err, size_t err_size);

/* Unmaps and frees everything; NULL is allowed. */
void panel_window_close(PanelWindow *window);

/* The X window id (what an LV2 host embeds). */
unsigned long panel_window_id(const PanelWindow *window);

/* Resizes the window (a host's request). */
void panel_window_resize(PanelWindow *window, int width, int height);

/* Handles the pending X events (exposure and size changes mark the window for redrawing, the
 * pointer moves view's controls) and fills *event with the next one for the owner; returns 1
 * then, 0 when none is left. Does not wait. */
int panel_window_next_event(PanelWindow *window, PanelView *view, PanelEvent *event);

/* The control the pointer is dragging, or -1 (while it drags, the pointer's value wins). */
int panel_window_dragging(const PanelWindow *window);

/* Draws view when forced or when the window asked for it (exposed, resized, a control moved). */
void panel_window_draw(PanelWindow *window, const PanelView *view, int force);

#endif
