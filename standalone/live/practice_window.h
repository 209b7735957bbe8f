/* practice_window: the live session in a graphical window (practice --window) for those who
 * do not live in a terminal: both hands' maps, each finger's area, the closest pair and the
 * overlap risk with its trend, the load, the warning in words, the finger given to the last
 * notes, the session's status and the coach's proposal, drawn by the plugin UI's renderer
 * (draw/panel in a draw/panel_window). Keys typed in the window are the terminal view's.
 * Main thread only; never the audio thread. */
#ifndef HM_PRACTICE_WINDOW_H
#define HM_PRACTICE_WINDOW_H

#include <stddef.h>

#include "engine.h"
#include "panel.h"
#include "practice_view.h"

typedef struct PracticeWindow PracticeWindow;

/* Opens the window on the display DISPLAY names; NULL with the reason in err. */
PracticeWindow *practice_window_open(char *err, size_t err_size);

/* Closes it; NULL is allowed. */
void practice_window_close(PracticeWindow *window);

/* Shows the snapshot (a new one adds a risk sample to the trend) and the status, redrawing
 * when either changed or the window asked, and handles the window's events. Returns the key
 * typed in the window ('q' when its close button was pressed), or 0. */
char practice_window_update(PracticeWindow *window, const EngineSnapshot *snapshot, const PracticeViewStatus *status);

/* The coach's one-line proposal for the next session, shown under the status (NULL or "":
 * none). */
void practice_window_set_coach(PracticeWindow *window, const char *proposal);

/* Fills view's maps, figures, warning and last notes from snapshot and its status lines from
 * status (the controls, the coach and the risk history are left as they are). */
void practice_window_fill_view(PanelView *view, const EngineSnapshot *snapshot, const PracticeViewStatus *status);

#endif
