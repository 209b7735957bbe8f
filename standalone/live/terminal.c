/* terminal: quit signals and single-key input for the live commands. */
#include "terminal.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t quit_signal, resized;

static void on_resize(int signal_number)
{
    (void)signal_number;
    resized = 1;
}

static void on_quit_signal(int signal_number)
{
    quit_signal = signal_number;
}

void terminal_catch_quit_signals(void)
{
    quit_signal = 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_quit_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int terminal_quit_signal(void)
{
    return (int)quit_signal;
}

void terminal_enter(Terminal *terminal)
{
    if (tcgetattr(STDIN_FILENO, &terminal->saved) != 0)
        return;
    struct termios raw = terminal->saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0)
        return;
    terminal->active = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_resize; /* no SA_RESTART: the key wait ends and the view redraws */
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, &terminal->saved_winch);
    resized = 0;
    fputs("\033[?1049h\033[?25l\033[2J", stdout);
    fflush(stdout);
}

void terminal_leave(Terminal *terminal)
{
    if (!terminal->active)
        return;
    sigaction(SIGWINCH, &terminal->saved_winch, NULL);
    fputs("\033[?25h\033[?1049l", stdout);
    fflush(stdout);
    tcsetattr(STDIN_FILENO, TCSANOW, &terminal->saved);
    terminal->active = 0;
}

void terminal_size(int fd, int *columns, int *rows)
{
    struct winsize size;
    *columns = 80;
    *rows = 24;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0) {
        *columns = size.ws_col;
        *rows = size.ws_row;
    }
}

int terminal_take_resize(void)
{
    if (!resized)
        return 0;
    resized = 0;
    return 1;
}

int terminal_colour_wanted(void)
{
    const char *no_colour = getenv("NO_COLOR");
    return !(no_colour && no_colour[0]);
}

char terminal_read_key(int wait_ms)
{
    struct pollfd key = {.fd = STDIN_FILENO, .events = POLLIN};
    char c = 0;
    if (poll(&key, 1, wait_ms) > 0 && read(STDIN_FILENO, &c, 1) == 1)
        return c;
    return 0;
}
