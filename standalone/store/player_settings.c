/* player_settings: the player's controls, parsed, remembered with the profile, applied. */
#include "player_settings.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "midi.h"
#include "params.h"

#define SETTINGS_FILE_MAX 4096   /* a settings file is a few hundred bytes; more is not one */
#define ROOT_NOTE_MIN 12         /* the left hand's position lies an octave below the root */
#define ROOT_NOTE_MAX 115        /* the right little finger's G lies a fifth above it */
#define WINDOW_MAX_MS 1000.0     /* engine_set_coincidence_window_ms's range */

static const char *const setting_names[SETTING_COUNT] = {"hand", "fingering", "root", "window", "plasticity",
                                                         "inhibition", "age", "sonify", "volume"};
static const char *const hand_names[3] = {"right", "left", "auto"}; /* by HandChoice */
static const char *const fingering_names[4] = {"auto", "fixed", "channel", "fret"};

/* The model parameter behind a model control, whose table row gives its range. */
static const char *const model_keys[SETTING_COUNT] = {[SETTING_PLASTICITY] = "plasticity_gain",
                                                      [SETTING_INHIBITION] = "inhibition_strength",
                                                      [SETTING_AGE] = "age_years"};

void player_settings_default(PlayerSettings *s)
{
    EngineConfig config;
    engine_config_default(&config, 48000.0, 256);
    *s = (PlayerSettings){.hands = config.fingering.hands, .fingering = config.fingering.mode, .root_note = 60,
                          .window_ms = config.coincidence_window_ms, .plasticity = config.model.plasticity_gain,
                          .inhibition = config.model.inhibition_strength, .age_years = config.model.age_years,
                          .sonify = config.sonify_mode, .volume_db = config.level_db};
}

const char *player_settings_name(SettingKey key)
{
    return (int)key >= 0 && key < SETTING_COUNT ? setting_names[key] : "?";
}

static int word_index(const char *word, const char *const *words, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(word, words[i]) == 0)
            return i;
    return -1;
}

static int parse_number(const char *text, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (end == text || *end || errno || !(value >= min && value <= max))
        return -1;
    *out = value;
    return 0;
}

int player_settings_parse(PlayerSettings *s, SettingKey key, const char *value, char *err, size_t err_size)
{
    double number = 0;
    int index;
    switch (key) {
    case SETTING_HAND:
        if ((index = word_index(value, hand_names, 3)) < 0 && strcmp(value, "both") != 0)
            break;
        s->hands = index < 0 ? HANDS_BOTH : (HandChoice)index;
        return 0;
    case SETTING_FINGERING:
        if ((index = word_index(value, fingering_names, 4)) < 0)
            break;
        s->fingering = (FingeringMode)index;
        return 0;
    case SETTING_ROOT: {
        int note;
        if (fingering_parse_pitch_name(value, strlen(value), &note) != 0) {
            if (parse_number(value, ROOT_NOTE_MIN, ROOT_NOTE_MAX, &number) != 0 || number != floor(number))
                break;
            note = (int)number;
        }
        if (note < ROOT_NOTE_MIN || note > ROOT_NOTE_MAX)
            break;
        s->root_note = note;
        return 0;
    }
    case SETTING_WINDOW:
        if (parse_number(value, 0, WINDOW_MAX_MS, &number) != 0)
            break;
        s->window_ms = number;
        return 0;
    case SETTING_PLASTICITY:
    case SETTING_INHIBITION:
    case SETTING_AGE: {
        const ParamInfo *info = model_param_find(model_keys[key]);
        if (!info || parse_number(value, info->min, info->max, &number) != 0)
            break;
        float *field = key == SETTING_PLASTICITY ? &s->plasticity : key == SETTING_INHIBITION ? &s->inhibition
                                                                                              : &s->age_years;
        *field = (float)number;
        return 0;
    }
    case SETTING_SONIFY:
        if ((index = sonify_mode_from_name(value)) < 0)
            break;
        s->sonify = (SonifyMode)index;
        return 0;
    case SETTING_VOLUME:
        if (parse_number(value, SONIFY_LEVEL_MIN_DB, SONIFY_LEVEL_MAX_DB, &number) != 0)
            break;
        s->volume_db = (float)number;
        return 0;
    default:
        snprintf(err, err_size, "unknown setting");
        return -1;
    }
    static const char *const expected[SETTING_COUNT] = {
        "auto (both hands), right or left", "auto, fixed, channel or fret",
        "a note 12..115, by number or name (C4 = 60)", "milliseconds in 0..1000", "a number in 0..10",
        "a number in 0..20", "years in 3..100", "off, map, echo or alarm", "dB in -60 (muted)..6"};
    snprintf(err, err_size, "%s '%s' is not %s", setting_names[key], value, expected[key]);
    return -1;
}

void player_settings_value(const PlayerSettings *s, SettingKey key, char *out, size_t size)
{
    switch (key) {
    case SETTING_HAND: snprintf(out, size, "%s", hand_names[s->hands]); break;
    case SETTING_FINGERING: snprintf(out, size, "%s", fingering_names[s->fingering]); break;
    case SETTING_ROOT: midi_note_name(s->root_note, out, size); break;
    case SETTING_WINDOW: snprintf(out, size, "%g", s->window_ms); break;
    case SETTING_PLASTICITY: snprintf(out, size, "%g", (double)s->plasticity); break;
    case SETTING_INHIBITION: snprintf(out, size, "%g", (double)s->inhibition); break;
    case SETTING_AGE: snprintf(out, size, "%g", (double)s->age_years); break;
    case SETTING_SONIFY: snprintf(out, size, "%s", sonify_mode_name(s->sonify)); break;
    case SETTING_VOLUME: snprintf(out, size, "%g", (double)s->volume_db); break;
    default: snprintf(out, size, "?"); break;
    }
}

void player_settings_apply(const PlayerSettings *s, EngineConfig *config)
{
    fingering_config_for_player(&config->fingering, s->fingering, s->hands, s->root_note);
    config->coincidence_window_ms = s->window_ms;
    config->model.plasticity_gain = s->plasticity;
    config->model.inhibition_strength = s->inhibition;
    config->model.age_years = s->age_years;
    config->sonify_mode = s->sonify;
    config->level_db = s->volume_db;
}

void player_settings_describe(const PlayerSettings *s, unsigned given, char *out, size_t size)
{
    static const char *const units[SETTING_COUNT] = {[SETTING_WINDOW] = " ms", [SETTING_AGE] = " years",
                                                     [SETTING_VOLUME] = " dB"};
    size_t used = (size_t)snprintf(out, size, "settings:");
    for (int k = 0; k < SETTING_COUNT && used < size; k++) {
        char value[32];
        player_settings_value(s, (SettingKey)k, value, sizeof value);
        used += (size_t)snprintf(out + used, size - used, "%s %s %s%s%s", k ? "," : "", setting_names[k], value,
                                 units[k] ? units[k] : "", given >> k & 1u ? " (given)" : "");
    }
    if (used < size)
        snprintf(out + used, size - used, "%s", given ? "; the rest as the profile last had them" : "");
}

void player_settings_path(const ProfilePaths *paths, char *out, size_t size)
{
    snprintf(out, size, "%s/%s.settings", paths->directory, paths->name);
}

int player_settings_load(const ProfilePaths *paths, PlayerSettings *settings, char *err, size_t err_size)
{
    char path[PROFILE_PATH_MAX + 80], why[256];
    player_settings_path(paths, path, sizeof path);
    struct stat info;
    if (stat(path, &info) != 0 && errno == ENOENT)
        return 0; /* nothing remembered yet */
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(path, SETTINGS_FILE_MAX, &data, &size, err, err_size) != 0)
        return -1;
    char text[SETTINGS_FILE_MAX + 1], *next;
    memcpy(text, data, size);
    text[size] = '\0';
    free(data);
    PlayerSettings read = *settings;
    int status = 0, line = 0;
    for (char *row = text; status == 0 && row < text + size; row = next) {
        line++;
        char *end = memchr(row, '\n', (size_t)(text + size - row));
        next = end ? end + 1 : text + size;
        *(end ? end : text + size) = '\0';
        char *hash = strchr(row, '#');
        if (hash)
            *hash = '\0';
        char key[32], value[64], extra[2];
        int fields = sscanf(row, " %31[a-z] = %63s %1s", key, value, extra);
        if (fields <= 0 && strspn(row, " \t\r") == strlen(row))
            continue; /* a blank line or a comment */
        int k = fields >= 2 ? word_index(key, setting_names, SETTING_COUNT) : -1;
        if (fields != 2 || k < 0) {
            snprintf(why, sizeof why, "expected 'KEY = VALUE' with KEY one of hand, fingering, root, window, "
                     "plasticity, inhibition, age, sonify, volume");
            status = -1;
        } else {
            status = player_settings_parse(&read, (SettingKey)k, value, why, sizeof why);
        }
        if (status != 0)
            snprintf(err, err_size, "%s:%d: %s", path, line, why);
    }
    if (status == 0)
        *settings = read;
    return status;
}

int player_settings_save(const ProfilePaths *paths, const PlayerSettings *settings, char *err, size_t err_size)
{
    char path[PROFILE_PATH_MAX + 80], text[1024];
    player_settings_path(paths, path, sizeof path);
    size_t used = (size_t)snprintf(text, sizeof text, "# the player's controls, as the last session used them\n");
    for (int k = 0; k < SETTING_COUNT; k++) {
        char value[32];
        player_settings_value(settings, (SettingKey)k, value, sizeof value);
        used += (size_t)snprintf(text + used, sizeof text - used, "%s = %s\n", setting_names[k], value);
    }
    if (profile_make_directory(paths, err, err_size) != 0)
        return -1;
    return files_write_atomic(path, (const uint8_t *)text, used, err, err_size);
}
