/* homunculus state show: the metrics of a saved engine state (both hands) or of a single
 * hand's model state, as text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "engine.h"
#include "engine_file.h"
#include "files.h"
#include "state.h"

/* A single hand's model state (as homunculus-core-demo --save writes it), already read. */
static int show_model_state(const char *path, const uint8_t *data, size_t size, int json)
{
    char err[512];
    Model *model = NULL;
    StateStatus status = state_model_read(data, size, &model, NULL, err, sizeof err);
    if (status != STATE_OK) {
        fprintf(stderr, PROGRAM ": '%s' is refused (%s): %s\n", path, state_strerror(status), err);
        return 1;
    }
    MetricsProbe *probe = metrics_probe_create(model);
    MapMetrics m;
    metrics_compute(probe, model, &m);
    if (json) {
        printf("{\"file\": \"%s\", \"hands\": [", path);
        cli_print_map_json(stdout, "one", &m);
        printf("]}\n");
    } else {
        printf("%s: one hand's model\n", path);
        cli_print_map_summary(stdout, "hand", &m);
    }
    metrics_probe_free(probe);
    model_free(model);
    return 0;
}

/* Prints a saved state's metrics: an engine state (both hands) or a single model. */
int command_state_show(int argc, char **argv)
{
    int json = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--help") == 0) {
            printf("usage: " PROGRAM " state show FILE [--json]\nPrints the maps' metrics of a saved engine or "
                   "model state.\n");
            return 0;
        } else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, PROGRAM " state show: unexpected '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, PROGRAM " state show: expected a FILE\n");
        return 2;
    }
    char err[512];
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(path, ENGINE_FILE_MAX_SIZE, &data, &size, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return 1;
    }
    if (size >= 4 && memcmp(data, "HMMS", 4) == 0) {
        int shown = show_model_state(path, data, size, json);
        free(data);
        return shown;
    }
    EngineConfig config;
    engine_config_default(&config, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    Engine *engine = engine_file_open_as_saved(path, data, size, &config); /* any sheet size */
    free(data);
    if (!engine)
        return 1;
    const EngineSnapshot *s = engine_snapshot(engine);
    ModelScalars hand[2]; /* how many stimuli each hand has learned from, also a simulated player's */
    for (int h = 0; h < 2; h++)
        model_get_scalars(engine_model(engine, h), &hand[h]);
    if (json) {
        printf("{\"file\": \"%s\", \"notes\": %llu, \"stimuli\": {\"right\": %llu, \"left\": %llu}, \"hands\": [",
               path, (unsigned long long)s->load.notes, (unsigned long long)hand[0].stimuli,
               (unsigned long long)hand[1].stimuli);
        for (int h = 0; h < 2; h++) {
            printf("%s", h ? ", " : "");
            cli_print_map_json(stdout, CLI_HAND_NAMES[h], &s->map[h]);
        }
        printf("]}\n");
    } else {
        /* the first line's form is read by scripts (tests/lv2/ardour-session.sh) */
        printf("%s: %llu notes practised\n", path, (unsigned long long)s->load.notes);
        printf("stimuli learned: right %llu, left %llu\n", (unsigned long long)hand[0].stimuli,
               (unsigned long long)hand[1].stimuli);
        for (int h = 0; h < 2; h++)
            cli_print_map_summary(stdout, CLI_HAND_NAMES[h], &s->map[h]);
    }
    engine_free(engine);
    return 0;
}

