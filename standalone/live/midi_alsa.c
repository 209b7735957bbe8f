/* midi_alsa: ALSA sequencer input (see midi_alsa.h). */
#include "midi_alsa.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define POLL_TIMEOUT_MS 100 /* how soon the reader notices it should stop */
#define MAX_POLL_FDS 4

struct MidiAlsa {
    snd_seq_t *seq;
    int client, port;
    EventQueue *queue;
    pthread_t thread;
    int thread_running;
    atomic_int stop;
};

static uint8_t channel_status(unsigned kind, unsigned channel)
{
    return (uint8_t)(kind | (channel & 0x0F));
}

static uint8_t data_byte(int value)
{
    return (uint8_t)(value < 0 ? 0 : value > 127 ? 127 : value);
}

size_t midi_alsa_translate(const snd_seq_event_t *event, uint8_t bytes[3])
{
    const snd_seq_ev_note_t *note = &event->data.note;
    const snd_seq_ev_ctrl_t *ctrl = &event->data.control;
    switch (event->type) {
    case SND_SEQ_EVENT_NOTEON:
        bytes[0] = channel_status(0x90, note->channel);
        bytes[1] = data_byte(note->note);
        bytes[2] = data_byte(note->velocity);
        return 3;
    case SND_SEQ_EVENT_NOTEOFF:
        bytes[0] = channel_status(0x80, note->channel);
        bytes[1] = data_byte(note->note);
        bytes[2] = data_byte(note->velocity);
        return 3;
    case SND_SEQ_EVENT_KEYPRESS:
        bytes[0] = channel_status(0xA0, note->channel);
        bytes[1] = data_byte(note->note);
        bytes[2] = data_byte(note->velocity);
        return 3;
    case SND_SEQ_EVENT_CONTROLLER:
        bytes[0] = channel_status(0xB0, ctrl->channel);
        bytes[1] = data_byte((int)ctrl->param);
        bytes[2] = data_byte(ctrl->value);
        return 3;
    case SND_SEQ_EVENT_PGMCHANGE:
        bytes[0] = channel_status(0xC0, ctrl->channel);
        bytes[1] = data_byte(ctrl->value);
        return 2;
    case SND_SEQ_EVENT_CHANPRESS:
        bytes[0] = channel_status(0xD0, ctrl->channel);
        bytes[1] = data_byte(ctrl->value);
        return 2;
    case SND_SEQ_EVENT_PITCHBEND: {
        int value = ctrl->value + 8192; /* ALSA: -8192..8191 */
        value = value < 0 ? 0 : value > 16383 ? 16383 : value;
        bytes[0] = channel_status(0xE0, ctrl->channel);
        bytes[1] = (uint8_t)(value & 0x7F);
        bytes[2] = (uint8_t)(value >> 7);
        return 3;
    }
    default:
        return 0;
    }
}

MidiAlsa *midi_alsa_open(const char *client_name, EventQueue *queue, char *err, size_t err_size)
{
    snd_seq_t *seq = NULL;
    int e = snd_seq_open(&seq, "default", SND_SEQ_OPEN_INPUT, SND_SEQ_NONBLOCK);
    if (e < 0) {
        snprintf(err, err_size, "no ALSA sequencer here (cannot open it: %s; is /dev/snd/seq there?)",
                 snd_strerror(e));
        return NULL;
    }
    snd_seq_set_client_name(seq, client_name);
    int port = snd_seq_create_simple_port(seq, "practice in", SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE,
                                          SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION);
    MidiAlsa *midi = port >= 0 ? calloc(1, sizeof *midi) : NULL;
    if (!midi) {
        snprintf(err, err_size, "ALSA sequencer: cannot create the input port: %s",
                 port < 0 ? snd_strerror(port) : "out of memory");
        snd_seq_close(seq);
        return NULL;
    }
    midi->seq = seq;
    midi->client = snd_seq_client_id(seq);
    midi->port = port;
    midi->queue = queue;
    atomic_init(&midi->stop, 0);
    return midi;
}

void midi_alsa_address(const MidiAlsa *midi, char *text, size_t size)
{
    snprintf(text, size, "%d:%d", midi->client, midi->port);
}

int midi_alsa_connect(MidiAlsa *midi, const char *source, char *err, size_t err_size)
{
    snd_seq_addr_t address;
    int e = snd_seq_parse_address(midi->seq, &address, source);
    if (e >= 0)
        e = snd_seq_connect_from(midi->seq, midi->port, address.client, address.port);
    if (e < 0) {
        snprintf(err, err_size, "--connect %s: cannot connect that ALSA sequencer port: %s (expected CLIENT:PORT, "
                 "see '" PROGRAM " devices')", source, snd_strerror(e));
        return -1;
    }
    return 0;
}

/* Calls visit for every readable, subscribable port of other clients. */
static int for_each_source(snd_seq_t *seq, int self, void (*visit)(void *, snd_seq_client_info_t *,
                                                                    snd_seq_port_info_t *), void *user)
{
    snd_seq_client_info_t *client = NULL;
    snd_seq_port_info_t *port = NULL;
    if (snd_seq_client_info_malloc(&client) < 0 || snd_seq_port_info_malloc(&port) < 0) {
        snd_seq_client_info_free(client);
        return 0;
    }
    int count = 0;
    snd_seq_client_info_set_client(client, -1);
    while (snd_seq_query_next_client(seq, client) >= 0) {
        int id = snd_seq_client_info_get_client(client);
        if (id == self || id == SND_SEQ_CLIENT_SYSTEM)
            continue;
        snd_seq_port_info_set_client(port, id);
        snd_seq_port_info_set_port(port, -1);
        while (snd_seq_query_next_port(seq, port) >= 0) {
            unsigned caps = snd_seq_port_info_get_capability(port);
            unsigned need = SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ;
            if ((caps & need) != need || (caps & SND_SEQ_PORT_CAP_NO_EXPORT))
                continue;
            visit(user, client, port);
            count++;
        }
    }
    snd_seq_port_info_free(port);
    snd_seq_client_info_free(client);
    return count;
}

typedef struct {
    MidiAlsa *midi;
    char *names;
    size_t size;
    int connected;
} HardwareSearch;

static void connect_if_hardware(void *user, snd_seq_client_info_t *client, snd_seq_port_info_t *port)
{
    HardwareSearch *search = user;
    unsigned type = snd_seq_port_info_get_type(port);
    if (!(type & SND_SEQ_PORT_TYPE_HARDWARE) || !(type & SND_SEQ_PORT_TYPE_MIDI_GENERIC))
        return;
    const snd_seq_addr_t *address = snd_seq_port_info_get_addr(port);
    if (snd_seq_connect_from(search->midi->seq, search->midi->port, address->client, address->port) < 0)
        return;
    size_t used = strlen(search->names);
    snprintf(search->names + used, search->size - used, "%s%s (%d:%d)", search->connected ? ", " : "",
             snd_seq_client_info_get_name(client), address->client, address->port);
    search->connected++;
}

int midi_alsa_connect_hardware(MidiAlsa *midi, char *names, size_t names_size)
{
    HardwareSearch search = {.midi = midi, .names = names, .size = names_size};
    if (names_size)
        names[0] = '\0';
    for_each_source(midi->seq, midi->client, connect_if_hardware, &search);
    return search.connected;
}

/* The reader: waits on the sequencer's descriptors, queues channel messages as they come. */
static void *reader_main(void *user)
{
    MidiAlsa *midi = user;
    struct pollfd fds[MAX_POLL_FDS];
    int nfds = snd_seq_poll_descriptors(midi->seq, fds, MAX_POLL_FDS, POLLIN);
    while (!atomic_load(&midi->stop)) {
        if (poll(fds, (nfds_t)nfds, POLL_TIMEOUT_MS) <= 0)
            continue;
        snd_seq_event_t *event = NULL;
        while (snd_seq_event_input(midi->seq, &event) >= 0 && event) {
            TimedEvent timed = {.time_ns = event_queue_now_ns()};
            timed.size = (uint8_t)midi_alsa_translate(event, timed.bytes);
            if (timed.size)
                event_queue_push(midi->queue, &timed);
        }
    }
    return NULL;
}

int midi_alsa_start(MidiAlsa *midi, char *err, size_t err_size)
{
    if (pthread_create(&midi->thread, NULL, reader_main, midi) != 0) {
        snprintf(err, err_size, "cannot start the ALSA sequencer reader thread");
        return -1;
    }
    midi->thread_running = 1;
    return 0;
}

void midi_alsa_close(MidiAlsa *midi)
{
    if (!midi)
        return;
    atomic_store(&midi->stop, 1);
    if (midi->thread_running)
        pthread_join(midi->thread, NULL);
    snd_seq_close(midi->seq);
    free(midi);
}

static void print_source(void *user, snd_seq_client_info_t *client, snd_seq_port_info_t *port)
{
    const snd_seq_addr_t *address = snd_seq_port_info_get_addr(port);
    unsigned type = snd_seq_port_info_get_type(port);
    fprintf((FILE *)user, "  %3d:%-3d %-28s %s%s\n", address->client, address->port,
            snd_seq_client_info_get_name(client), snd_seq_port_info_get_name(port),
            type & SND_SEQ_PORT_TYPE_HARDWARE ? "  [hardware: auto-connected]" : "");
}

int midi_alsa_list_ports(FILE *out)
{
    snd_seq_t *seq = NULL;
    int e = snd_seq_open(&seq, "default", SND_SEQ_OPEN_INPUT, SND_SEQ_NONBLOCK);
    if (e < 0) {
        fprintf(out, "MIDI inputs (ALSA sequencer): no ALSA sequencer here (%s)\n", snd_strerror(e));
        return -1;
    }
    fprintf(out, "MIDI inputs (ALSA sequencer; use --connect CLIENT:PORT):\n");
    int count = for_each_source(seq, snd_seq_client_id(seq), print_source, out);
    if (count == 0)
        fprintf(out, "  none\n");
    snd_seq_close(seq);
    return count;
}
