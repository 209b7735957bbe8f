/* player_settings: the player's controls that the LV2 plugin has as ports (hand, fingering,
 * root note, coincidence window, plasticity, inhibition, age, sonification, volume), as the
 * program's practice and play take them: parsed from words (one parser for the command line
 * and the file), remembered per profile in NAME.settings next to NAME.profile, applied to an
 * engine's configuration, and described in a session's header. */
#ifndef HM_PLAYER_SETTINGS_H
#define HM_PLAYER_SETTINGS_H

#include <stddef.h>

#include "engine.h"
#include "profile.h"

typedef enum {
    SETTING_HAND,
    SETTING_FINGERING,
    SETTING_ROOT,
    SETTING_WINDOW,
    SETTING_PLASTICITY,
    SETTING_INHIBITION,
    SETTING_AGE,
    SETTING_SONIFY,
    SETTING_VOLUME,
    SETTING_COUNT
} SettingKey;

typedef struct {
    HandChoice hands;        /* auto (both), right, left */
    FingeringMode fingering;
    int root_note;           /* fixed mode: the right thumb's note, 12..115 */
    double window_ms;        /* coincidence window, 0..1000 */
    float plasticity, inhibition, age_years; /* the model's ranges (core/params.c) */
    SonifyMode sonify;
    float volume_db;         /* the sonification's level, -60 (muted) .. +6 dB */
} PlayerSettings;

#define PLAYER_VOLUME_STEP_DB 3.0f /* one press of '+' or '-' */

/* The settings of a new profile: the engine's defaults (engine_config_default). */
void player_settings_default(PlayerSettings *settings);

/* The name of a setting as the file and the session header write it ("hand", "root", ...);
 * the command line's option is "--" and the same name. */
const char *player_settings_name(SettingKey key);

/* Sets one setting from its words (e.g. "hand" "right", "root" "G4" or "67", "volume" "-18").
 * Returns 0, or -1 with what is wrong and what is expected in err (settings untouched). */
int player_settings_parse(PlayerSettings *settings, SettingKey key, const char *value, char *err, size_t err_size);

/* A setting's value in words, as player_settings_parse reads it back. */
void player_settings_value(const PlayerSettings *settings, SettingKey key, char *out, size_t size);

/* The engine's configuration for these settings (fingering, window, model controls, sound). */
void player_settings_apply(const PlayerSettings *settings, EngineConfig *config);

/* One line for a session's header: every setting and its value, those in given (a bit per
 * SettingKey) marked as given on the command line, e.g. "settings: hand right (given), ...". */
void player_settings_describe(const PlayerSettings *settings, unsigned given, char *out, size_t size);

/* The file the profile's settings are remembered in: DIRECTORY/NAME.settings. */
void player_settings_path(const ProfilePaths *paths, char *out, size_t size);

/* Reads the profile's remembered settings into *settings (a missing file changes nothing).
 * Returns 0, or -1 with err naming the file, the line and what was wrong (settings untouched). */
int player_settings_load(const ProfilePaths *paths, PlayerSettings *settings, char *err, size_t err_size);

/* Remembers settings with the profile, atomically (the caller holds the profile's lock).
 * Returns 0 or -1 with err. */
int player_settings_save(const ProfilePaths *paths, const PlayerSettings *settings, char *err, size_t err_size);

#endif
