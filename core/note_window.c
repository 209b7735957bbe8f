/* note_window: an exact count of the last minute's notes (see note_window.h). */
#include "note_window.h"

#define AT(window, i) ((window)->onset_s[((window)->head + (i)) % NOTE_WINDOW_CAPACITY])

HM_REALTIME void note_window_clear(NoteWindow *window)
{
    window->head = window->count = 0;
}

HM_REALTIME void note_window_add(NoteWindow *window, double time_s)
{
    if (window->count == NOTE_WINDOW_CAPACITY) { /* full: the oldest falls out */
        window->head = (window->head + 1) % NOTE_WINDOW_CAPACITY;
        window->count--;
    }
    /* insertion from the newest end: onsets arrive almost in order, so this moves few */
    uint32_t i = window->count;
    while (i > 0 && AT(window, i - 1) > time_s) {
        AT(window, i) = AT(window, i - 1);
        i--;
    }
    AT(window, i) = time_s;
    window->count++;
}

HM_REALTIME uint32_t note_window_count(const NoteWindow *window, double now_s)
{
    /* sorted: the first onset inside the window by bisection, the later ones all count */
    uint32_t low = 0, high = window->count;
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        if (now_s - AT(window, middle) < NOTE_WINDOW_S)
            high = middle;
        else
            low = middle + 1;
    }
    uint32_t inside = window->count - low;
    /* onsets after now_s (a caller asking about the past) do not count yet */
    while (inside > 0 && AT(window, low + inside - 1) > now_s)
        inside--;
    return inside;
}

HM_REALTIME void note_window_advance(NoteWindow *window, double now_s)
{
    while (window->count > 0 && now_s - AT(window, 0) >= NOTE_WINDOW_S) {
        window->head = (window->head + 1) % NOTE_WINDOW_CAPACITY;
        window->count--;
    }
}
