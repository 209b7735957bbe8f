/* homunculus-fingering-score: scores the auto fingering estimator against annotated PIG
 * fingering files (Nakamura et al. 2020): the share of notes whose hand and finger match the
 * annotation, per file, per kind of piece and overall; with --floors it fails when a kind
 * scores below its floor. For the PIG dataset (users who have it; none of it ships here)
 * and the project's textbook corpus (tests/fixtures/fingering/textbook/). With --stream the
 * files are played as one piece of music, each STREAM_GAP_S after the one before, as a
 * practice session runs: one piece's end then sets up the hands for the next. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingering.h"
#include "pig.h"

#define MAX_KINDS 256
#define KIND_LENGTH 64
#define STREAM_GAP_S 2.0 /* --stream: silence between one file's last release and the next onset */

typedef struct {
    char name[KIND_LENGTH];
    size_t matches, notes;
    double floor_percent; /* < 0: no floor */
} Kind;

typedef struct {
    Kind kind[MAX_KINDS];
    int count;
} Kinds;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: homunculus-fingering-score [--lag-ms MS] [--floors FILE] [--stream] FILE...\n"
            "Plays each PIG fingering file (id onset offset pitch onvel offvel channel finger)\n"
            "through the auto fingering estimator and prints how many notes get the annotated\n"
            "hand and finger, per file, per kind and overall. A file's kind is its name up to\n"
            "the first '_' (scale-major-rh_c.txt: scale-major-rh), or the whole name.\n"
            "  --lag-ms MS    music the estimator hears after a note before it decides it,\n"
            "                 0..%d ms (default %d)\n"
            "  --floors FILE  lines 'KIND PERCENT' ('#' comments): fail when a kind scores below\n"
            "                 its floor or has no file\n"
            "  --stream       play the files as one stream, each %.0f s after the one before (as\n"
            "                 a practice session runs), and score each file's part of it\n"
            "  --help         this text\n"
            "Exit status: 0 all files scored (and every floor met), 1 a file could not be read\n"
            "or a kind fell below its floor, 2 usage error.\n",
            FINGERING_MAX_LAG_MS, FINGERING_DEFAULT_LAG_MS, STREAM_GAP_S);
}

/* The kind of a file: its base name up to the first '_' or, without one, up to the last '.'. */
static void kind_of(const char *path, char *kind, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t length = strcspn(base, "_");
    if (base[length] == '\0') {
        const char *dot = strrchr(base, '.');
        if (dot && dot != base)
            length = (size_t)(dot - base);
    }
    if (length >= size)
        length = size - 1;
    memcpy(kind, base, length);
    kind[length] = '\0';
}

static Kind *find_kind(Kinds *kinds, const char *name, int add)
{
    for (int i = 0; i < kinds->count; i++)
        if (strcmp(kinds->kind[i].name, name) == 0)
            return &kinds->kind[i];
    if (!add || kinds->count == MAX_KINDS)
        return NULL;
    Kind *k = &kinds->kind[kinds->count++];
    snprintf(k->name, sizeof k->name, "%s", name);
    k->matches = k->notes = 0;
    k->floor_percent = -1.0;
    return k;
}

/* Reads the floors file into kinds (each floor a kind with no notes yet). Returns 0, or -1
 * after printing what is wrong and where. */
static int read_floors(const char *path, Kinds *kinds)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "homunculus-fingering-score: %s: cannot open the floors file\n", path);
        return -1;
    }
    char line[256];
    int number = 0, status = 0;
    while (status == 0 && fgets(line, sizeof line, in)) {
        number++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char name[KIND_LENGTH], extra[2];
        double percent;
        int fields = sscanf(line, "%63s %lf %1s", name, &percent, extra);
        if (fields <= 0)
            continue;
        if (fields != 2 || !(percent >= 0.0 && percent <= 100.0)) {
            fprintf(stderr, "homunculus-fingering-score: %s:%d: expected 'KIND PERCENT' with PERCENT 0..100\n", path,
                    number);
            status = -1;
        } else {
            Kind *k = find_kind(kinds, name, 1);
            if (!k) {
                fprintf(stderr, "homunculus-fingering-score: %s:%d: more than %d kinds\n", path, number, MAX_KINDS);
                status = -1;
            } else {
                k->floor_percent = percent;
            }
        }
    }
    fclose(in);
    return status;
}

static double percent_of(size_t matches, size_t notes)
{
    return notes ? 100.0 * (double)matches / (double)notes : 0.0;
}

typedef struct {
    Kinds *kinds;
    size_t matches, notes; /* over every file */
} Tally;

/* Prints one file's score and adds it to its kind's and to the overall tally. */
static void report_file(Tally *tally, const char *path, size_t matches, size_t total)
{
    printf("%-40s %6zu / %6zu notes  %5.1f %%\n", path, matches, total, percent_of(matches, total));
    char name[KIND_LENGTH];
    kind_of(path, name, sizeof name);
    Kind *k = find_kind(tally->kinds, name, 1);
    if (k) {
        k->matches += matches;
        k->notes += total;
    }
    tally->matches += matches;
    tally->notes += total;
}

/* Each file on its own, with a fresh estimator. Returns 1 if a file could not be scored. */
static int score_each_file(const FingeringConfig *config, char **paths, int count, Tally *tally)
{
    int failed = 0;
    for (int i = 0; i < count; i++) {
        char err[512];
        PigNote *notes = NULL;
        size_t n = 0, matches = 0, total = 0;
        if (pig_read_file(paths[i], &notes, &n, err, sizeof err) != 0 ||
            fingering_score_pig(config, notes, n, &matches, &total, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "homunculus-fingering-score: %s\n", err);
            failed = 1;
        } else {
            report_file(tally, paths[i], matches, total);
        }
        pig_free(notes);
    }
    return failed;
}

/* Every file in one stream through one estimator, each file's notes shifted to start
 * STREAM_GAP_S after the latest release before them; each file scored on its own notes.
 * Returns 1 if a file could not be read or the stream not scored (nothing is scored then). */
static int score_as_stream(const FingeringConfig *config, char **paths, int count, Tally *tally)
{
    PigNote *stream = NULL;
    size_t *ends = calloc((size_t)count, sizeof *ends), length = 0;
    double end_s = -STREAM_GAP_S; /* the first file starts at its own times */
    int failed = ends == NULL;
    for (int i = 0; i < count && !failed; i++) {
        char err[512];
        PigNote *notes = NULL;
        size_t n = 0;
        if (pig_read_file(paths[i], &notes, &n, err, sizeof err) != 0) {
            fprintf(stderr, "homunculus-fingering-score: %s\n", err);
            failed = 1;
        } else if (n > 0) {
            PigNote *grown = realloc(stream, (length + n) * sizeof *stream);
            if (!grown) {
                fprintf(stderr, "homunculus-fingering-score: out of memory for the stream (%zu notes)\n", length + n);
                failed = 1;
            } else {
                stream = grown;
                double first_s = notes[0].onset_s;
                for (size_t k = 1; k < n; k++)
                    if (notes[k].onset_s < first_s)
                        first_s = notes[k].onset_s;
                const double shift = i == 0 ? 0.0 : end_s + STREAM_GAP_S - first_s;
                for (size_t k = 0; k < n; k++) {
                    PigNote note = notes[k];
                    note.onset_s += shift;
                    note.offset_s += shift;
                    if (note.offset_s > end_s)
                        end_s = note.offset_s;
                    stream[length + k] = note;
                }
                length += n;
            }
        }
        pig_free(notes);
        if (ends)
            ends[i] = length;
    }
    uint8_t *correct = failed ? NULL : malloc(length ? length : 1);
    size_t matches, total;
    char err[512];
    if (!failed && (!correct || fingering_score_pig(config, stream, length, &matches, &total, correct, err,
                                                    sizeof err) != 0)) {
        fprintf(stderr, "homunculus-fingering-score: the stream: %s\n", correct ? err : "out of memory");
        failed = 1;
    }
    for (int i = 0; i < count && !failed; i++) {
        size_t from = i == 0 ? 0 : ends[i - 1], file_matches = 0;
        for (size_t k = from; k < ends[i]; k++)
            file_matches += correct[k];
        report_file(tally, paths[i], file_matches, ends[i] - from);
    }
    free(correct);
    free(stream);
    free(ends);
    return failed;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"lag-ms", required_argument, NULL, 'l'},
                                            {"floors", required_argument, NULL, 'f'},
                                            {"stream", no_argument, NULL, 's'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    static Kinds kinds;
    const char *floors_path = NULL;
    int option, stream = 0;
    while ((option = getopt_long(argc, argv, "l:f:sh", options, NULL)) != -1) {
        if (option == 'h') {
            usage(stdout);
            return 0;
        }
        if (option == 'l') {
            char *end;
            double lag = strtod(optarg, &end);
            if (end == optarg || *end || !(lag >= 0.0 && lag <= FINGERING_MAX_LAG_MS)) {
                fprintf(stderr, "homunculus-fingering-score: --lag-ms '%s' is not a number in 0..%d\n", optarg,
                        FINGERING_MAX_LAG_MS);
                return 2;
            }
            config.lag_ms = lag;
            continue;
        }
        if (option == 'f') {
            floors_path = optarg;
            continue;
        }
        if (option == 's') {
            stream = 1;
            continue;
        }
        usage(stderr);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "homunculus-fingering-score: no PIG file given\n");
        usage(stderr);
        return 2;
    }
    if (floors_path && read_floors(floors_path, &kinds) != 0)
        return 2;
    Tally tally = {&kinds, 0, 0};
    int failed = stream ? score_as_stream(&config, argv + optind, argc - optind, &tally)
                        : score_each_file(&config, argv + optind, argc - optind, &tally);
    if (kinds.count > 1 || floors_path)
        for (int i = 0; i < kinds.count; i++) {
            const Kind *k = &kinds.kind[i];
            if (k->notes == 0 && k->floor_percent < 0.0)
                continue;
            double p = percent_of(k->matches, k->notes);
            char floor_text[48] = "";
            if (k->floor_percent >= 0.0)
                snprintf(floor_text, sizeof floor_text, "  floor %5.1f %%", k->floor_percent);
            printf("kind %-35s %6zu / %6zu notes  %5.1f %%%s\n", k->name, k->matches, k->notes, p, floor_text);
        }
    if (argc - optind > 1 && !(stream && failed)) /* a stream that failed scored nothing */
        printf("%-40s %6zu / %6zu notes  %5.1f %%\n", "overall", tally.matches, tally.notes,
               percent_of(tally.matches, tally.notes));
    for (int i = 0; i < kinds.count; i++) {
        const Kind *k = &kinds.kind[i];
        if (k->floor_percent < 0.0)
            continue;
        if (k->notes == 0) {
            fprintf(stderr, "homunculus-fingering-score: kind %s has a floor in %s but no file\n", k->name,
                    floors_path);
            failed = 1;
        } else if (percent_of(k->matches, k->notes) < k->floor_percent) {
            fprintf(stderr, "homunculus-fingering-score: kind %s scores %.1f %%, below its floor of %.1f %%\n",
                    k->name, percent_of(k->matches, k->notes), k->floor_percent);
            failed = 1;
        }
    }
    return failed;
}
