/* midi_jack: JACK MIDI input (see midi_jack.h). */
#include "midi_jack.h"

#include <jack/jack.h>
#include <jack/midiport.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define SEEN_PORTS 64         /* MIDI sources remembered, so that each is connected by itself once */
#define PORT_NAME_BYTES 320   /* jack_port_name_size() of JACK 1 and 2 */

struct MidiJack {
    char seen[SEEN_PORTS][PORT_NAME_BYTES]; /* sources already looked at (connected or left alone) */
    int seen_count;
    int connect_others;         /* no physical source at the start: other programs' are connected */
    jack_client_t *client;
    jack_port_t *port;
    EventQueue *queue;
    double rate;
    atomic_int lost;
    _Atomic uint64_t cycles; /* process callbacks so far */
};

#define OPEN_ATTEMPTS 3
#define FIRST_CYCLE_WAIT_MS 1000

/* The JACK process callback: events of this cycle arrived during the last period, so an
 * event at frame f of n happened (n - f) frames before now. */
static int process(jack_nframes_t frames, void *user)
{
    MidiJack *midi = user;
    void *buffer = jack_port_get_buffer(midi->port, frames);
    int64_t now = event_queue_now_ns();
    atomic_fetch_add_explicit(&midi->cycles, 1, memory_order_relaxed);
    jack_nframes_t count = jack_midi_get_event_count(buffer);
    for (jack_nframes_t i = 0; i < count; i++) {
        jack_midi_event_t event;
        if (jack_midi_event_get(&event, buffer, i) != 0 || event.size < 1 || event.size > 3 ||
            event.buffer[0] < 0x80 || event.buffer[0] >= 0xF0)
            continue;
        TimedEvent timed = {.time_ns = now - (int64_t)((double)(frames - event.time) * 1e9 / midi->rate),
                            .size = (uint8_t)event.size};
        memcpy(timed.bytes, event.buffer, event.size);
        event_queue_push(midi->queue, &timed);
    }
    return 0;
}

static void on_shutdown(void *user)
{
    atomic_store(&((MidiJack *)user)->lost, 1);
}

/* Opens a client without starting a server; NULL with the reason in err. */
static jack_client_t *open_client(const char *name, char *err, size_t err_size)
{
    jack_status_t status = 0;
    jack_client_t *client = jack_client_open(name, JackNoStartServer, &status);
    if (!client) {
        const char *server = getenv("JACK_DEFAULT_SERVER");
        if (status & JackServerFailed)
            snprintf(err, err_size, "no JACK server running (server '%s')", server ? server : "default");
        else
            snprintf(err, err_size, "cannot open a JACK client (status 0x%x)", (unsigned)status);
    }
    return client;
}

/* One attempt: a client with its port, activated; NULL with the reason in err. */
static MidiJack *open_once(const char *client_name, EventQueue *queue, char *err, size_t err_size)
{
    jack_client_t *client = open_client(client_name, err, err_size);
    if (!client)
        return NULL;
    MidiJack *midi = calloc(1, sizeof *midi);
    if (!midi) {
        snprintf(err, err_size, "out of memory");
        jack_client_close(client);
        return NULL;
    }
    midi->client = client;
    midi->queue = queue;
    midi->rate = jack_get_sample_rate(client);
    atomic_init(&midi->lost, 0);
    atomic_init(&midi->cycles, 0);
    midi->port = jack_port_register(client, "midi_in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    if (!midi->port || jack_set_process_callback(client, process, midi) != 0) {
        snprintf(err, err_size, "JACK: cannot register the MIDI input port");
        midi_jack_close(midi);
        return NULL;
    }
    jack_on_shutdown(client, on_shutdown, midi);
    if (jack_activate(client) != 0) {
        snprintf(err, err_size, "JACK: cannot activate the client");
        midi_jack_close(midi);
        return NULL;
    }
    return midi;
}

/* Waits until the server has run the client's process callback twice. */
static int runs(MidiJack *midi)
{
    const struct timespec millisecond = {0, 1000000};
    for (int waited = 0; waited < FIRST_CYCLE_WAIT_MS; waited++) {
        if (atomic_load(&midi->cycles) >= 2)
            return 1;
        nanosleep(&millisecond, NULL);
    }
    return 0;
}

MidiJack *midi_jack_open(const char *client_name, EventQueue *queue, char *err, size_t err_size)
{
    /* jackd2 (1.9.21, non-realtime) now and then never wakes a process's second client
     * (PortAudio holds the first): such a client is closed and opened again. */
    for (int attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
        MidiJack *midi = open_once(client_name, queue, err, err_size);
        if (!midi || runs(midi))
            return midi;
        midi_jack_close(midi);
        snprintf(err, err_size, "JACK: the server ran no process cycle of the MIDI client in %d ms (%d attempts)",
                 FIRST_CYCLE_WAIT_MS, attempt);
    }
    return NULL;
}

const char *midi_jack_port_name(const MidiJack *midi)
{
    return jack_port_name(midi->port);
}

int midi_jack_connect(MidiJack *midi, const char *source, char *err, size_t err_size)
{
    int e = jack_connect(midi->client, source, jack_port_name(midi->port));
    if (e != 0 && e != EEXIST) {
        snprintf(err, err_size, "--connect %s: cannot connect that JACK port (expected a JACK MIDI output port "
                 "name, see '" PROGRAM " devices')", source);
        return -1;
    }
    return 0;
}

/* 1 when name was looked at before; else remembers it (while there is room) and returns 0. */
static int seen_before(MidiJack *midi, const char *name)
{
    for (int i = 0; i < midi->seen_count; i++)
        if (strcmp(midi->seen[i], name) == 0)
            return 1;
    if (midi->seen_count == SEEN_PORTS)
        return 1; /* no room to remember it: left alone rather than connected again and again */
    snprintf(midi->seen[midi->seen_count++], PORT_NAME_BYTES, "%s", name);
    return 0;
}

/* Connects each port of a NULL-ended list that is neither our own nor seen before to the
 * input, its name added to list; returns how many were connected. */
static int connect_ports(MidiJack *midi, const char **ports, char *list, size_t size)
{
    const char *own = jack_get_client_name(midi->client);
    size_t own_length = strlen(own);
    int count = 0;
    for (int i = 0; ports && ports[i]; i++) {
        if ((strncmp(ports[i], own, own_length) == 0 && ports[i][own_length] == ':') || seen_before(midi, ports[i]) ||
            jack_port_connected_to(midi->port, ports[i])) /* e.g. by --connect */
            continue;
        int e = jack_connect(midi->client, ports[i], jack_port_name(midi->port));
        if (e != 0 && e != EEXIST)
            continue;
        size_t used = strlen(list);
        if (used < size)
            snprintf(list + used, size - used, "%s%s", count ? ", " : "", ports[i]);
        count++;
    }
    return count;
}

int midi_jack_connect_sources(MidiJack *midi, char *connected, size_t size)
{
    if (size)
        connected[0] = '\0';
    const char **ports = jack_get_ports(midi->client, NULL, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput | JackPortIsPhysical);
    int count = connect_ports(midi, ports, connected, size);
    jack_free(ports);
    midi->connect_others = count == 0;
    if (midi->connect_others) { /* no hardware: the MIDI other programs send (a sequencer, a bridge) */
        ports = jack_get_ports(midi->client, NULL, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput);
        count = connect_ports(midi, ports, connected, size);
        jack_free(ports);
    } else { /* the others are left alone, now and when looked at again */
        ports = jack_get_ports(midi->client, NULL, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput);
        for (int i = 0; ports && ports[i]; i++)
            (void)seen_before(midi, ports[i]);
        jack_free(ports);
    }
    return count;
}

/* Forgets the sources that are gone (a keyboard unplugged is connected again when it is back). */
static void forget_gone(MidiJack *midi)
{
    const char **ports = jack_get_ports(midi->client, NULL, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput);
    int kept = 0;
    for (int i = 0; i < midi->seen_count; i++) {
        int present = 0;
        for (int j = 0; ports && ports[j] && !present; j++)
            present = strcmp(ports[j], midi->seen[i]) == 0;
        if (present && kept != i)
            memcpy(midi->seen[kept], midi->seen[i], PORT_NAME_BYTES);
        kept += present;
    }
    midi->seen_count = kept;
    jack_free(ports);
}

int midi_jack_connect_new_sources(MidiJack *midi, char *connected, size_t size)
{
    if (size)
        connected[0] = '\0';
    forget_gone(midi);
    unsigned long flags = JackPortIsOutput | (midi->connect_others ? 0 : JackPortIsPhysical);
    const char **ports = jack_get_ports(midi->client, NULL, JACK_DEFAULT_MIDI_TYPE, flags);
    int count = connect_ports(midi, ports, connected, size);
    jack_free(ports);
    return count;
}

int midi_jack_lost(const MidiJack *midi)
{
    return atomic_load(&((MidiJack *)midi)->lost);
}

void midi_jack_close(MidiJack *midi)
{
    if (!midi)
        return;
    if (!midi_jack_lost(midi))
        jack_deactivate(midi->client);
    jack_client_close(midi->client); /* also after a shutdown, as JACK asks */
    free(midi);
}

int midi_jack_list_ports(FILE *out)
{
    char err[256];
    jack_client_t *client = open_client(PROGRAM "-devices", err, sizeof err);
    if (!client) {
        fprintf(out, "MIDI inputs (JACK, --midi jack): %s\n", err);
        return -1;
    }
    fprintf(out, "MIDI inputs (JACK, --midi jack; use --connect PORT):\n");
    const char **ports = jack_get_ports(client, NULL, JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput);
    int count = 0;
    for (; ports && ports[count]; count++)
        fprintf(out, "  %s\n", ports[count]);
    if (count == 0)
        fprintf(out, "  none\n");
    jack_free(ports);
    jack_client_close(client);
    return count;
}
