/* cli_settings: the player's controls as command-line options. */
#include "cli_settings.h"

#include "cli.h"

int cli_settings_option(CliSettings *settings, int option, const char *argument, const char *command,
                        void (*print_help)(FILE *out))
{
    int key = option - CLI_SETTINGS_OPTION_BASE;
    if (key < 0 || key >= SETTING_COUNT) {
        print_help(stderr);
        return 2;
    }
    if (settings->given == 0)
        player_settings_default(&settings->values);
    char err[256];
    if (player_settings_parse(&settings->values, (SettingKey)key, argument, err, sizeof err) != 0) {
        /* err begins with the setting's name; the window's option is --chord-window
         * (--window opens the practice window) */
        fprintf(stderr, PROGRAM " %s: --%s%s\n", command, key == SETTING_WINDOW ? "chord-" : "", err);
        return 2;
    }
    settings->given |= 1u << key;
    return 0;
}

void cli_settings_over(const CliSettings *given, PlayerSettings *settings)
{
    for (int key = 0; key < SETTING_COUNT; key++) {
        if (!(given->given >> key & 1u))
            continue;
        char value[32], err[256]; /* through its words: a value given was parsed from them */
        player_settings_value(&given->values, (SettingKey)key, value, sizeof value);
        (void)player_settings_parse(settings, (SettingKey)key, value, err, sizeof err);
    }
}

void cli_settings_help(FILE *out)
{
    fprintf(out,
            "The player's controls (the plugin's; with --profile remembered for the next session,\n"
            "default: as the profile last had them, else the value shown):\n"
            "  --hand auto|right|left  the hands that play (default auto: both)\n"
            "  --fingering MODE     auto | fixed | channel | fret (default auto)\n"
            "  --root NOTE          fixed mode: the right thumb's note, C4 or 60 (default C4)\n"
            "  --chord-window MS    onsets this close form one touch, 0..1000 (default 30)\n"
            "  --plasticity G       the player's plasticity, 0..10 (default 1)\n"
            "  --inhibition K       surround inhibition, 0..20 (default 9.6)\n"
            "  --age YEARS          the player's age, 3..100 (default 30)\n"
            "  --sonify MODE        off | map | echo | alarm (default map)\n"
            "  --volume DB          the sound's level, -60 (muted)..6 dB (default -18)\n");
}
