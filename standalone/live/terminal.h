/* terminal: what the live commands (practice, play, demo) share about the terminal and the
 * process: quitting on SIGINT/SIGTERM/SIGHUP through a flag the main loop reads, and a
 * keyboard mode for single keys with the view on the alternate screen, the terminal's size
 * and its changes (SIGWINCH), and whether colour is wanted (NO_COLOR). */
#ifndef HM_TERMINAL_H
#define HM_TERMINAL_H

#include <signal.h>
#include <termios.h>

/* Makes SIGINT, SIGTERM and SIGHUP set the quit flag instead of ending the process. */
void terminal_catch_quit_signals(void);

/* The signal that asked to quit, or 0. */
int terminal_quit_signal(void);

typedef struct {
    int active;
    struct termios saved;
    struct sigaction saved_winch;
} Terminal;

/* Keys without Enter and no echo; the alternate screen, cursor hidden. terminal->active stays
 * 0 when stdin is not a terminal. */
void terminal_enter(Terminal *terminal);

/* Restores what terminal_enter changed (nothing when it did not take effect). */
void terminal_leave(Terminal *terminal);

/* The size of the terminal on fd in *columns and *rows; 80x24 when fd is not a terminal. */
void terminal_size(int fd, int *columns, int *rows);

/* 1 once after the terminal was resized (SIGWINCH, caught while terminal_enter is in effect). */
int terminal_take_resize(void);

/* 0 when the NO_COLOR environment variable is set and not empty (no-color.org), else 1. */
int terminal_colour_wanted(void);

/* Waits up to wait_ms for keys on stdin and returns the first one read, or 0. */
char terminal_read_key(int wait_ms);

#endif
