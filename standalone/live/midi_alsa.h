/* midi_alsa: MIDI input through the ALSA sequencer: a named virtual input port that other
 * programs connect to, explicit connections (CLIENT:PORT), auto-connection of hardware
 * keyboards, and a reader thread that pushes timestamped events into an event queue.
 * No sequencer (no /dev/snd/seq) is a normal state the caller reports. */
#ifndef HM_MIDI_ALSA_H
#define HM_MIDI_ALSA_H

#include <alsa/asoundlib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event_queue.h"

typedef struct MidiAlsa MidiAlsa;

/* Translates a sequencer event into the bytes of a MIDI channel message; returns their count
 * (2 or 3), or 0 for events the engine does not take (system, clock, connection news...).
 * Pure: unit-tested without a sequencer. */
size_t midi_alsa_translate(const snd_seq_event_t *event, uint8_t bytes[3]);

/* Opens the sequencer as client_name with one writable port "practice in". NULL when the
 * sequencer cannot be opened, with a message saying so in err. */
MidiAlsa *midi_alsa_open(const char *client_name, EventQueue *queue, char *err, size_t err_size);

/* "CLIENT:PORT" of the input port, e.g. "128:0". */
void midi_alsa_address(const MidiAlsa *midi, char *text, size_t size);

/* Connects the source "CLIENT:PORT" (numbers or a client name) to the input port; 0 or -1 with err. */
int midi_alsa_connect(MidiAlsa *midi, const char *source, char *err, size_t err_size);

/* Connects every hardware MIDI port that can be read (keyboards) to the input port; returns
 * how many, their names (comma separated) in names. */
int midi_alsa_connect_hardware(MidiAlsa *midi, char *names, size_t names_size);

/* Starts the reader thread; 0 or -1 with err. */
int midi_alsa_start(MidiAlsa *midi, char *err, size_t err_size);

/* Stops the reader thread and closes the sequencer; NULL is allowed. */
void midi_alsa_close(MidiAlsa *midi);

/* Lists the sequencer's readable ports (MIDI sources) or says there is no sequencer; returns
 * the number of ports, -1 without a sequencer. */
int midi_alsa_list_ports(FILE *out);

#endif
