/* cli_settings: the player's controls as options of `practice` and `play` (--hand, --fingering,
 * --root, --chord-window, --plasticity, --inhibition, --age, --sonify, --volume): their getopt_long
 * rows, their parsing, their help lines, and laying the ones given over a profile's. */
#ifndef HM_CLI_SETTINGS_H
#define HM_CLI_SETTINGS_H

#include <getopt.h>
#include <stdio.h>

#include "player_settings.h"

#define CLI_SETTINGS_OPTION_BASE 0x200 /* getopt_long's value of --hand; the others follow */

/* getopt_long rows of the settings' options, one per SettingKey, in the same order. */
#define CLI_SETTINGS_OPTIONS                                                                                   \
    {"hand", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_HAND},                                \
        {"fingering", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_FINGERING},                  \
        {"root", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_ROOT},                            \
        {"chord-window", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_WINDOW},                       \
        {"plasticity", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_PLASTICITY},                \
        {"inhibition", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_INHIBITION},                \
        {"age", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_AGE},                              \
        {"sonify", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_SONIFY},                        \
        {"volume", required_argument, NULL, CLI_SETTINGS_OPTION_BASE + SETTING_VOLUME}

/* The settings given on a command line: their values and a bit per SettingKey given. */
typedef struct {
    PlayerSettings values;
    unsigned given;
} CliSettings;

/* The default case of a command's getopt_long loop: takes option when it is a setting's
 * (returns 0), else returns 2 (usage) after saying why: a setting's bad value named with
 * command, the option and what it takes, or for any other option the command's help. */
int cli_settings_option(CliSettings *settings, int option, const char *argument, const char *command,
                        void (*print_help)(FILE *out));

/* Lays the given settings over settings (a profile's remembered ones, or the defaults). */
void cli_settings_over(const CliSettings *given, PlayerSettings *settings);

/* The help lines of the settings' options. */
void cli_settings_help(FILE *out);

#endif
