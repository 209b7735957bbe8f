/* practice_view: the live session's screen and plain status line (see practice_view.h). */
#include "practice_view.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "midi.h"
#include "terminal.h"

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

/* ---- the full screen: lines cut to the terminal's width, as many as its height holds ---- */

#define LINE_BYTES 2048 /* one screen line with its escapes */

typedef struct {
    char text[LINE_BYTES];
    size_t used;
    int visible;     /* characters shown so far */
    int columns;     /* the most that fit */
    int colour;      /* 0: no SGR colour or attributes at all (NO_COLOR) */
} Line;

static void line_start(Line *line, const PracticeViewScreen *screen)
{
    line->text[0] = '\0';
    line->used = 0;
    line->visible = 0;
    line->columns = screen->columns;
    line->colour = screen->colour;
}

static void line_raw(Line *line, const char *bytes)
{
    size_t n = strlen(bytes);
    if (line->used + n + 1 > sizeof line->text)
        return;
    memcpy(line->text + line->used, bytes, n + 1);
    line->used += n;
}

/* Visible text, cut where the line is full (never in the middle of a UTF-8 character). */
static void line_put(Line *line, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void line_put(Line *line, const char *format, ...)
{
    char words[LINE_BYTES];
    va_list args;
    va_start(args, format);
    vsnprintf(words, sizeof words, format, args);
    va_end(args);
    for (const char *c = words; *c; c++) {
        int starts_character = ((unsigned char)*c & 0xC0) != 0x80;
        if (starts_character && line->visible >= line->columns)
            break;
        if (line->used + 2 > sizeof line->text)
            break;
        line->text[line->used++] = *c;
        line->text[line->used] = '\0';
        line->visible += starts_character;
    }
}

/* An SGR attribute ("1" bold, "31" red, "0" reset), dropped without colour. */
static void line_style(Line *line, const char *sgr)
{
    if (!line->colour)
        return;
    char escape[32];
    snprintf(escape, sizeof escape, "\033[%sm", sgr);
    line_raw(line, escape);
}

typedef struct {
    Text *text;
    int rows_left;
    int first;
} Screen;

/* Ends a line onto the screen (attributes reset, the rest of the row cleared); nothing once
 * the screen's rows are used, and no newline after the last row (it would scroll). */
static void screen_line(Screen *screen, Line *line)
{
    if (screen->rows_left <= 0)
        return;
    if (!screen->first)
        put(screen->text, "\n");
    line_style(line, "0");
    put(screen->text, "%s" CLEAR_LINE, line->text);
    screen->first = 0;
    screen->rows_left--;
}

/* One row of a hand's map, width cells sampled evenly across the sheet's row y. */
static void line_map_row(Line *line, const EngineSnapshot *s, int hand, int y, int width)
{
    int n = s->sheet_size;
    for (int i = 0; i < width; i++) {
        int unit = y * n + i * n / width;
        int digit = s->preferred_digit[hand][unit];
        if (digit < 0 || digit >= METRICS_DIGITS) {
            line_style(line, "2");
            line_put(line, ".");
        } else if (s->selectivity[hand][unit] >= SELECTIVE) { /* solid: the finger's colour behind its number */
            char sgr[16];
            snprintf(sgr, sizeof sgr, "30;4%s", DIGIT_COLOUR[digit] + 1);
            line_style(line, sgr);
            line_put(line, "%d", digit + 1);
        } else {
            line_style(line, DIGIT_COLOUR[digit]);
            line_put(line, "%d", digit + 1);
        }
        line_style(line, "0");
    }
}

/* "right  overlap risk 0.123 (D3-D4)  pairs D1-D2 .12 D2-D3 .34 ..." (neighbours' overlap) */
static void line_hand_risk(Line *line, const MapMetrics *m, int hand)
{
    line_style(line, "1");
    line_put(line, "%-5s", CLI_HAND_NAMES[hand]);
    line_style(line, "0");
    line_put(line, "  overlap risk ");
    line_style(line, "1");
    line_put(line, "%.3f", m->overlap_risk);
    line_style(line, "0");
    line_put(line, m->risk_pair >= 0 ? " (%s)" : "%s", m->risk_pair >= 0 ? metrics_pair_name(m->risk_pair) : "");
    line_put(line, "  pairs");
    for (int d = 0; d + 1 < METRICS_DIGITS; d++) /* Dice overlap of neighbours, 0..1 as ".12" */
    {
        long hundredths = lrintf(100.0f * m->overlap[d][d + 1]);
        if (hundredths >= 100)
            line_put(line, " %s 1.0", metrics_pair_name(d));
        else
            line_put(line, " %s .%02ld", metrics_pair_name(d), hundredths > 0 ? hundredths : 0L);
    }
}

static void line_areas(Line *line, const MapMetrics *m)
{
    line_put(line, "      area %%");
    for (int d = 0; d < METRICS_DIGITS; d++) {
        line_put(line, "  ");
        line_style(line, DIGIT_COLOUR[d]);
        line_put(line, "D%d", d + 1);
        line_style(line, "0");
        line_put(line, " %4.1f", 100.0 * m->area_fraction[d]);
    }
}

/* The finger given to each of the last notes, oldest first ("C4 R1  E4 R3"), so that a
 * player sees a wrong guess and can correct it (channel or table fingering). */
static void line_recent_notes(Line *line, const EngineSnapshot *s)
{
    line_put(line, "fingers given:");
    if (s->recent_count == 0)
        line_put(line, " (no note yet)");
    for (int i = 0; i < s->recent_count && i < ENGINE_RECENT_NOTES; i++) {
        const EngineFingeredNote *n = &s->recent[i];
        char name[8];
        midi_note_name(n->note, name, sizeof name);
        line_put(line, "  %s %c%d", name, n->hand == 1 ? 'L' : 'R', n->finger + 1);
    }
}

static void line_load(Line *line, const EngineSnapshot *s, const PracticeViewStatus *status)
{
    const LoadFigures *load = &s->load;
    line_put(line, "notes %llu  %.0f in the last minute  playing %.1f min  repetitive %.0f %%  velocity %.2f",
             (unsigned long long)s->notes, load->notes_per_minute, load->playing_s / 60.0,
             100.0 * load->repetitiveness, load->mean_velocity);
    if (s->notes_unfingered || status->dropped)
        line_put(line, "  (%llu without a finger, %llu dropped)", (unsigned long long)s->notes_unfingered,
                 (unsigned long long)status->dropped);
}

/* The warning in words, wrapped onto at most two lines at a space; returns the lines used. */
static int warning_lines(const Warning *warning, int columns, char first[LINE_BYTES], char second[LINE_BYTES])
{
    char words[200] = "no warnings";
    const char *level = "";
    if (warning->level != WARNING_LEVEL_NONE) {
        load_warning_text(warning, words, sizeof words);
        level = warning->level == WARNING_LEVEL_WARNING ? "warning: " : "advice: ";
    }
    snprintf(first, LINE_BYTES, "%s%s", level, words);
    second[0] = '\0';
    int length = (int)strlen(first);
    if (length <= columns)
        return 1;
    int cut = columns;
    while (cut > columns / 2 && first[cut] != ' ')
        cut--;
    if (first[cut] != ' ')
        cut = columns;
    snprintf(second, LINE_BYTES, "  %s", first + cut + (first[cut] == ' '));
    first[cut] = '\0';
    return 2;
}

/* The lines besides the maps, and what is left for the maps: with fewer rows the device
 * lines go first, then the legend (the warning, the figures and the keys always stay). */
typedef struct {
    int devices, legend, map_rows, map_columns;
} ScreenPlan;

static ScreenPlan plan_screen(const PracticeViewScreen *screen, int sheet_size, int warning_rows)
{
    /* title, heading, 2 per hand, load, fingers, warning, keys */
    int fixed = 1 + 1 + 2 * ENGINE_HANDS + 1 + 1 + warning_rows + 1;
    ScreenPlan plan = {.devices = 2, .legend = 1};
    int wanted = (sheet_size + MAP_ROWS_PER_COLUMN - 1) / MAP_ROWS_PER_COLUMN;
    if (screen->rows - fixed - plan.devices - plan.legend < PRACTICE_VIEW_MIN_MAP_ROWS)
        plan.devices = 0;
    if (screen->rows - fixed - plan.devices - plan.legend < PRACTICE_VIEW_MIN_MAP_ROWS)
        plan.legend = 0;
    int rows = screen->rows - fixed - plan.devices - plan.legend;
    int columns = (screen->columns - 5) / 2; /* "  " map "   " map */
    if (columns > sheet_size)
        columns = sheet_size;
    if (columns > PRACTICE_VIEW_MAP_COLUMNS)
        columns = PRACTICE_VIEW_MAP_COLUMNS;
    if (rows > wanted)
        rows = wanted;
    if (rows > columns / MAP_ROWS_PER_COLUMN) /* keep the sheet square on the screen */
        rows = columns / MAP_ROWS_PER_COLUMN;
    if (columns > rows * MAP_ROWS_PER_COLUMN)
        columns = rows * MAP_ROWS_PER_COLUMN;
    plan.map_rows = rows > 0 ? rows : 0;
    plan.map_columns = rows > 0 ? columns : 0;
    return plan;
}

size_t practice_view_render(const EngineSnapshot *s, const PracticeViewStatus *status,
                            const PracticeViewScreen *size_of_screen, char *out, size_t size)
{
    Text text = {out, size, 0};
    if (size)
        out[0] = '\0';
    PracticeViewScreen geometry = *size_of_screen;
    if (geometry.columns < 1)
        geometry.columns = 1;
    if (geometry.rows < 1)
        geometry.rows = 1;
    Screen screen = {&text, geometry.rows, 1};
    Line line;
    int seconds = (int)status->elapsed_s;
    put(&text, "\033[H");

    char first[LINE_BYTES], second[LINE_BYTES];
    int warning_rows = s ? warning_lines(&s->warning, geometry.columns, first, second) : 1;
    ScreenPlan plan = plan_screen(&geometry, s ? s->sheet_size : 0, warning_rows);

    line_start(&line, &geometry);
    line_style(&line, "1");
    line_put(&line, PROGRAM " practice");
    line_style(&line, "0");
    line_put(&line, "  profile '%s'  %02d:%02d:%02d  sonify: ", status->profile, seconds / 3600, seconds / 60 % 60,
             seconds % 60);
    line_style(&line, "1");
    line_put(&line, "%s", sonify_mode_name(status->sonify));
    screen_line(&screen, &line);
    if (plan.devices || !s) {
        line_start(&line, &geometry);
        line_put(&line, "%s", status->audio);
        screen_line(&screen, &line);
        line_start(&line, &geometry);
        line_put(&line, "%s", status->midi);
        screen_line(&screen, &line);
    }
    if (!s) {
        line_start(&line, &geometry);
        line_put(&line, "waiting for the first metrics...");
        screen_line(&screen, &line);
    } else {
        if (plan.map_rows > 0) {
            line_start(&line, &geometry);
            line_put(&line, "  %-*s   %s", plan.map_columns, "right hand", "left hand");
            screen_line(&screen, &line);
            for (int j = 0; j < plan.map_rows; j++) {
                int y = j * s->sheet_size / plan.map_rows;
                line_start(&line, &geometry);
                line_put(&line, "  ");
                line_map_row(&line, s, 0, y, plan.map_columns);
                line_put(&line, "   ");
                line_map_row(&line, s, 1, y, plan.map_columns);
                screen_line(&screen, &line);
            }
        }
        if (plan.legend) {
            line_start(&line, &geometry);
            line_put(&line, geometry.colour ? "  1-5: thumb..little finger  solid: selective  plain: mixed  .: unresponsive"
                                             : "  1-5: thumb..little finger  .: unresponsive");
            screen_line(&screen, &line);
        }
        for (int h = 0; h < ENGINE_HANDS; h++) {
            line_start(&line, &geometry);
            line_hand_risk(&line, &s->map[h], h);
            screen_line(&screen, &line);
            line_start(&line, &geometry);
            line_areas(&line, &s->map[h]);
            screen_line(&screen, &line);
        }
        line_start(&line, &geometry);
        line_load(&line, s, status);
        screen_line(&screen, &line);
        line_start(&line, &geometry);
        line_recent_notes(&line, s);
        screen_line(&screen, &line);
        line_start(&line, &geometry);
        if (s->warning.level != WARNING_LEVEL_NONE)
            line_style(&line, s->warning.level == WARNING_LEVEL_WARNING ? "1;31" : "1;33");
        line_put(&line, "%s", first);
        screen_line(&screen, &line);
        if (warning_rows > 1) {
            line_start(&line, &geometry);
            if (s->warning.level != WARNING_LEVEL_NONE)
                line_style(&line, s->warning.level == WARNING_LEVEL_WARNING ? "1;31" : "1;33");
            line_put(&line, "%s", second);
            screen_line(&screen, &line);
        }
    }
    line_start(&line, &geometry);
    line_put(&line, PRACTICE_VIEW_KEYS);
    if (status->notice)
        line_put(&line, "   %s", status->notice);
    screen_line(&screen, &line);
    put(&text, "\033[J");
    return text.used;
}

PracticeViewScreen practice_view_screen_of(FILE *out)
{
    PracticeViewScreen screen = {.colour = terminal_colour_wanted()};
    terminal_size(fileno(out), &screen.columns, &screen.rows);
    return screen;
}

void practice_view_show(FILE *out, const EngineSnapshot *snapshot, const PracticeViewStatus *status, int full_screen)
{
    static char screen[1 << 17]; /* the main thread's: one view at a time */
    size_t n = 0;
    if (full_screen) {
        PracticeViewScreen size = practice_view_screen_of(out);
        if (terminal_take_resize()) /* SIGWINCH: the old picture goes before the new size's */
            fputs("\033[2J", out);
        n = practice_view_render(snapshot, status, &size, screen, sizeof screen);
    } else {
        n = practice_view_line(snapshot, status, screen, sizeof screen - 1);
        screen[n++] = '\n';
    }
    fwrite(screen, 1, n, out);
    fflush(out);
}
