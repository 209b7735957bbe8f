/* midi_jack: MIDI input through JACK: a client with one MIDI input port whose process
 * callback pushes timestamped events into an event queue. Never starts a JACK server: no
 * server running is a normal state the caller reports. */
#ifndef HM_MIDI_JACK_H
#define HM_MIDI_JACK_H

#include <stddef.h>
#include <stdio.h>

#include "event_queue.h"

typedef struct MidiJack MidiJack;

/* Opens client_name with the input port "midi_in" and activates it; NULL with the reason
 * (e.g. "no JACK server running") in err. */
MidiJack *midi_jack_open(const char *client_name, EventQueue *queue, char *err, size_t err_size);

/* The input port's full name, e.g. "homunculus:midi_in". */
const char *midi_jack_port_name(const MidiJack *midi);

/* Connects a JACK MIDI output port (e.g. "a2j:Keyboard [20] (capture): Keyboard") to the input. */
int midi_jack_connect(MidiJack *midi, const char *source, char *err, size_t err_size);

/* Connects the MIDI sources there are to the input: every physical JACK MIDI output (a
 * keyboard, a2j's bridged ALSA ports), or when there is none every other program's MIDI
 * output. Their names, comma-separated, go into connected (cut to size). Returns how many
 * were connected (0: none found). */
int midi_jack_connect_sources(MidiJack *midi, char *connected, size_t size);

/* After midi_jack_connect_sources: connects the sources that appeared since it or since the
 * last call, by the same rule (a keyboard plugged in during the session, or plugged in
 * again); a source still there since it was seen is not connected again (one the player
 * disconnected stays so). Returns how many
 * were connected, their names in connected. Not for the audio thread. */
int midi_jack_connect_new_sources(MidiJack *midi, char *connected, size_t size);

/* 1 once the server has shut the client down. */
int midi_jack_lost(const MidiJack *midi);

/* Deactivates and closes the client; NULL is allowed. */
void midi_jack_close(MidiJack *midi);

/* Lists the JACK MIDI output ports (sources) or says there is no JACK server; returns the
 * number of ports, -1 without a server. */
int midi_jack_list_ports(FILE *out);

#endif
