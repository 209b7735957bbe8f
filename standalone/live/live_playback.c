/* live_playback: a player thread feeding the live session's queue in real time, and the view. */
#include "live_playback.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio_out.h"
#include "practice_view.h"
#include "terminal.h"

#define TAIL_S 1.0          /* played after the last event */
#define VIEW_PERIOD_S 0.1   /* the view redraws at 10 Hz */
#define LINE_PERIOD_S 2.0   /* plain lines this often */
#define PLAYER_SLICE_NS 50000000L /* the player wakes at least this often to see a stop */

typedef struct {
    EventQueue *queue;
    const SmfEvent *events;
    size_t count;
    int64_t start_ns;
    atomic_int stop;
    atomic_size_t played; /* events put into the queue */
} Player;

static void sleep_until_ns(int64_t when_ns)
{
    struct timespec t = {(time_t)(when_ns / 1000000000), (long)(when_ns % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
        ;
}

/* Puts each event into the queue at its time, as a MIDI input thread would. */
static void *player_thread(void *user)
{
    Player *p = user;
    for (size_t i = 0; i < p->count && !atomic_load(&p->stop); i++) {
        int64_t due = p->start_ns + (int64_t)(p->events[i].time_s * 1e9);
        while (!atomic_load(&p->stop) && event_queue_now_ns() + PLAYER_SLICE_NS < due)
            sleep_until_ns(event_queue_now_ns() + PLAYER_SLICE_NS);
        if (atomic_load(&p->stop))
            break;
        sleep_until_ns(due);
        TimedEvent e = {.time_ns = event_queue_now_ns(), .size = p->events[i].size};
        memcpy(e.bytes, p->events[i].bytes, sizeof e.bytes);
        event_queue_push(p->queue, &e);
        atomic_store(&p->played, i + 1);
    }
    return NULL;
}

/* The view (or a plain line) until the end, q or a signal; returns 1 when stopped early. */
static int show_until_done(PracticeSession *session, const LivePlaybackConfig *c, const char *audio_note,
                           double length_s, int ui)
{
    Engine *engine = practice_session_engine(session);
    char source[256];
    int64_t start_ns = event_queue_now_ns();
    double next_draw = 0;
    for (;;) {
        double elapsed = (double)(event_queue_now_ns() - start_ns) * 1e-9;
        if (terminal_quit_signal())
            return 1;
        if (elapsed >= length_s)
            return 0;
        if (c->observe && engine_snapshot(engine))
            c->observe(c->observe_user, engine_snapshot(engine));
        if (elapsed >= next_draw) {
            snprintf(source, sizeof source, "playing %s: %.0f of %.0f s", c->title, elapsed, length_s);
            PracticeViewStatus view = {.profile = c->profile ? c->profile : "none", .audio = audio_note, .midi = source,
                                       .sonify = practice_session_sonify(session), .elapsed_s = elapsed,
                                       .dropped = event_queue_dropped(practice_session_queue(session))};
            practice_view_show(stdout, engine_snapshot(engine), &view, ui);
            next_draw = elapsed + (ui ? VIEW_PERIOD_S : LINE_PERIOD_S);
        }
        int wait_ms = (int)((next_draw - elapsed) * 1000) + 1;
        if (wait_ms > 100)
            wait_ms = 100;
        if (ui) {
            char key = terminal_read_key(wait_ms);
            if (key == 'q' || key == 'Q')
                return 1;
            if (key == 's' || key == 'S')
                practice_session_cycle_sonify(session);
        } else {
            struct timespec pause = {0, (long)wait_ms * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
}

int live_playback(PracticeSession *session, const SmfEvent *events, size_t count, const LivePlaybackConfig *c,
                  int *stopped_early, char *err, size_t err_size)
{
    *stopped_early = 0;
    char audio_note[768];
    AudioOutConfig audio_config = {.device = c->audio, .silent = c->no_audio, .rate = c->rate, .block = c->block};
    AudioOut *audio = audio_out_start(&audio_config, practice_session_block, session, audio_note, sizeof audio_note);
    if (!audio) {
        snprintf(err, err_size, "%s", audio_note);
        return -1;
    }
    Player player = {.queue = practice_session_queue(session), .events = events, .count = count,
                     .start_ns = event_queue_now_ns()};
    atomic_init(&player.stop, 0);
    atomic_init(&player.played, 0);
    pthread_t thread;
    if (pthread_create(&thread, NULL, player_thread, &player) != 0) {
        audio_out_stop(audio);
        snprintf(err, err_size, "cannot start the player thread");
        return -1;
    }
    terminal_catch_quit_signals();
    Terminal terminal = {0};
    int ui = !c->no_ui && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    if (ui)
        terminal_enter(&terminal);
    else
        printf("%s\n", audio_note);
    double length_s = (count ? events[count - 1].time_s : 0.0) + TAIL_S;
    if (c->end_s > length_s)
        length_s = c->end_s;
    *stopped_early = show_until_done(session, c, audio_note, length_s, ui && terminal.active);
    terminal_leave(&terminal);
    atomic_store(&player.stop, 1);
    pthread_join(thread, NULL);
    audio_out_stop(audio);
    if (*stopped_early)
        printf("stopped after %zu of %zu events\n", atomic_load(&player.played), count);
    return 0;
}
