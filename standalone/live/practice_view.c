/* practice_view: the live session's screen and plain status line (see practice_view.h). */
#include "practice_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "midi.h"

#define MAP_ROWS_PER_COLUMN 2 /* terminal cells are about twice as tall as wide */
#define SELECTIVE 0.5f        /* selectivity from which a unit is drawn solid */

static const char *const DIGIT_COLOUR[METRICS_DIGITS] = {"31", "33", "32", "36", "35"}; /* D1..D5 */
#define CLEAR_LINE "\033[K"

typedef struct {
    char *out;
    size_t size, used;
} Text;

static void put(Text *text, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void put(Text *text, const char *format, ...)
{
    if (text->used + 1 >= text->size)
        return;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(text->out + text->used, text->size - text->used, format, args);
    va_end(args);
    if (n > 0)
        text->used += (size_t)n < text->size - text->used ? (size_t)n : text->size - text->used - 1;
}

static void put_warning(Text *text, const Warning *warning, const char *separator)
{
    if (warning->level == WARNING_LEVEL_NONE)
        return;
    char words[200];
    load_warning_text(warning, words, sizeof words);
    put(text, "%s%s: %s", separator, warning->level == WARNING_LEVEL_WARNING ? "warning" : "advice", words);
}

size_t practice_view_line(const EngineSnapshot *s, const PracticeViewStatus *status, char *out, size_t size)
{
    Text text = {out, size, 0};
    if (size)
        out[0] = '\0';
    put(&text, "[%7.1f s]", status->elapsed_s);
    if (!s) {
        put(&text, " waiting for the first metrics");
        return text.used;
    }
    put(&text, " notes %llu", (unsigned long long)s->notes);
    if (status->dropped)
        put(&text, " (%llu dropped)", (unsigned long long)status->dropped);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        put(&text, " | %s", CLI_HAND_NAMES[h]);
        for (int d = 0; d < METRICS_DIGITS; d++)
            put(&text, " D%d %.1f", d + 1, 100.0 * s->map[h].area_fraction[d]);
        put(&text, " risk %.3f", s->map[h].overlap_risk);
    }
    put(&text, " | %.0f notes/min | sonify %s", s->load.notes_per_minute, sonify_mode_name(status->sonify));
    put_warning(&text, &s->warning, " | ");
    return text.used;
}

/* One row of a hand's map: every step-th unit of sheet row y. */
static void put_map_row(Text *text, const EngineSnapshot *s, int hand, int y, int step)
{
    int n = s->sheet_size;
    for (int x = 0; x < n; x += step) {
        int unit = y * n + x;
        int digit = s->preferred_digit[hand][unit];
        if (digit < 0 || digit >= METRICS_DIGITS) {
            put(text, "\033[2m.\033[0m");
            continue;
        }
        if (s->selectivity[hand][unit] >= SELECTIVE) /* solid: the finger's colour behind its number */
            put(text, "\033[30;4%sm%d\033[0m", DIGIT_COLOUR[digit] + 1, digit + 1);
        else
            put(text, "\033[%sm%d\033[0m", DIGIT_COLOUR[digit], digit + 1);
    }
}

static void put_areas(Text *text, const MapMetrics *m)
{
    put(text, "  area %%  ");
    for (int d = 0; d < METRICS_DIGITS; d++)
        put(text, " \033[%smD%d\033[0m %4.1f", DIGIT_COLOUR[d], d + 1, 100.0 * m->area_fraction[d]);
    put(text, CLEAR_LINE "\n");
}

/* Dice overlap of neighbouring fingers' response maps. */
static void put_overlaps(Text *text, const MapMetrics *m)
{
    put(text, "  overlap  ");
    for (int d = 0; d + 1 < METRICS_DIGITS; d++)
        put(text, " %s %.2f", metrics_pair_name(d), m->overlap[d][d + 1]);
    put(text, CLEAR_LINE "\n");
}

/* The finger given to each of the last notes, oldest first ("C4 R1  E4 R3"), so that a
 * player sees a wrong guess and can correct it (channel or table fingering). */
static void put_recent_notes(Text *text, const EngineSnapshot *s)
{
    put(text, "fingers given:");
    if (s->recent_count == 0)
        put(text, " (no note yet)");
    for (int i = 0; i < s->recent_count && i < ENGINE_RECENT_NOTES; i++) {
        const EngineFingeredNote *n = &s->recent[i];
        char name[8];
        midi_note_name(n->note, name, sizeof name);
        put(text, "  %s %c%d", name, n->hand == 1 ? 'L' : 'R', n->finger + 1);
    }
    put(text, CLEAR_LINE "\n");
}

size_t practice_view_render(const EngineSnapshot *s, const PracticeViewStatus *status, char *out, size_t size)
{
    Text text = {out, size, 0};
    if (size)
        out[0] = '\0';
    int seconds = (int)status->elapsed_s;
    put(&text, "\033[H\033[1m" PROGRAM " practice\033[0m  profile '%s'  %02d:%02d:%02d  sonify: \033[1m%s\033[0m"
               "   keys: [s] sonify  [q] quit" CLEAR_LINE "\n",
        status->profile, seconds / 3600, seconds / 60 % 60, seconds % 60, sonify_mode_name(status->sonify));
    put(&text, "%s" CLEAR_LINE "\n%s" CLEAR_LINE "\n", status->audio, status->midi);
    if (!s) {
        put(&text, CLEAR_LINE "\nwaiting for the first metrics..." CLEAR_LINE "\n\033[J");
        return text.used;
    }
    int n = s->sheet_size;
    int step = (n + PRACTICE_VIEW_MAP_COLUMNS - 1) / PRACTICE_VIEW_MAP_COLUMNS;
    int width = (n + step - 1) / step;
    put(&text, CLEAR_LINE "\n  %-*s   %s" CLEAR_LINE "\n", width, "right hand", "left hand");
    for (int y = 0; y < n; y += step * MAP_ROWS_PER_COLUMN) {
        put(&text, "  ");
        put_map_row(&text, s, 0, y, step);
        put(&text, "   ");
        put_map_row(&text, s, 1, y, step);
        put(&text, CLEAR_LINE "\n");
    }
    put(&text, "  digits 1-5 = thumb..little finger; solid: selective, plain: mixed, '.': unresponsive" CLEAR_LINE
               "\n" CLEAR_LINE "\n");
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const MapMetrics *m = &s->map[h];
        put(&text, "\033[1m%s\033[0m  overlap risk \033[1m%.3f\033[0m%s%s" CLEAR_LINE "\n", CLI_HAND_NAMES[h],
            m->overlap_risk, m->risk_pair >= 0 ? " driven by " : "", m->risk_pair >= 0 ? metrics_pair_name(m->risk_pair) : "");
        put_areas(&text, m);
        put_overlaps(&text, m);
    }
    const LoadFigures *load = &s->load;
    put(&text, CLEAR_LINE "\nnotes %llu (%llu without a finger, %llu dropped)  %.0f notes/min  playing %.1f min  "
               "repetitive %.0f %%  velocity %.2f" CLEAR_LINE "\n",
        (unsigned long long)s->notes, (unsigned long long)s->notes_unfingered,
        (unsigned long long)status->dropped, load->notes_per_minute, load->playing_s / 60.0,
        100.0 * load->repetitiveness, load->mean_velocity);
    put_recent_notes(&text, s);
    if (s->warning.level == WARNING_LEVEL_NONE)
        put(&text, "no warnings");
    else
        put_warning(&text, &s->warning, "");
    put(&text, CLEAR_LINE "\n");
    if (status->notice)
        put(&text, "%s", status->notice);
    put(&text, CLEAR_LINE "\n\033[J");
    return text.used;
}

void practice_view_show(FILE *out, const EngineSnapshot *snapshot, const PracticeViewStatus *status, int full_screen)
{
    char screen[1 << 16];
    size_t n = full_screen ? practice_view_render(snapshot, status, screen, sizeof screen)
                           : practice_view_line(snapshot, status, screen, sizeof screen - 1);
    if (!full_screen)
        screen[n++] = '\n';
    fwrite(screen, 1, n, out);
    fflush(out);
}
