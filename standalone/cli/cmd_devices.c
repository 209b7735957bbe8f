/* homunculus devices: what a practice session could use: PortAudio's output devices and the
 * MIDI sources of the ALSA sequencer and of a running JACK server. */
#include <getopt.h>
#include <stdio.h>

#include "audio_out.h"
#include "cli.h"
#include "commands.h"
#include "midi_alsa.h"
#include "midi_jack.h"

static void print_devices_help(FILE *out)
{
    fprintf(out, "usage: " PROGRAM " devices\n"
                 "Lists the audio output devices (for practice --audio NAME|INDEX) and the MIDI sources\n"
                 "(for practice --connect): ALSA sequencer ports and, when a JACK server runs, JACK MIDI\n"
                 "ports. No sound card, no sequencer and no JACK server are normal and said so.\n");
}

int command_devices(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (option == 'h') {
            print_devices_help(stdout);
            return EXIT_OK;
        }
        print_devices_help(stderr);
        return EXIT_USAGE;
    }
    if (optind != argc) {
        fprintf(stderr, PROGRAM " devices: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    audio_out_quiet_libraries();
    audio_out_list_devices(stdout);
    midi_alsa_list_ports(stdout);
    midi_jack_list_ports(stdout);
    return EXIT_OK;
}
