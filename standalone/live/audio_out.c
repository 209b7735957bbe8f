/* audio_out: PortAudio output or a silent clock thread (see audio_out.h). */
#include "audio_out.h"

#include <alsa/asoundlib.h>
#include <ctype.h>
#include <errno.h>
#include <jack/jack.h>
#include <pa_jack.h>
#include <portaudio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct AudioOut {
    AudioBlockFunction function;
    void *user;
    uint32_t block;
    double rate;
    int channels;          /* of the PortAudio stream: 1 or 2 */
    float *left, *right;   /* silent clock and mono devices render here */
    PaStream *stream;      /* NULL for the silent clock */
    int pa_initialised;
    pthread_t clock_thread;
    int clock_running;
    atomic_int stop;
};

static void ignore_alsa_error(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
    (void)file, (void)line, (void)function, (void)err, (void)fmt;
}

static void ignore_jack_message(const char *message)
{
    (void)message;
}

void audio_out_quiet_libraries(void)
{
    snd_lib_error_set_handler(ignore_alsa_error);
    jack_set_error_function(ignore_jack_message);
    jack_set_info_function(ignore_jack_message);
}

/* PortAudio's callback: the host's buffer in blocks of at most audio->block frames. */
static int pa_callback(const void *input, void *output, unsigned long frame_count,
                       const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags, void *user)
{
    (void)input, (void)time_info, (void)flags;
    AudioOut *audio = user;
    float **channels = output;
    unsigned long done = 0;
    while (done < frame_count) {
        uint32_t frames = frame_count - done < audio->block ? (uint32_t)(frame_count - done) : audio->block;
        if (audio->channels == 2) {
            audio->function(audio->user, channels[0] + done, channels[1] + done, frames);
        } else {
            audio->function(audio->user, audio->left, audio->right, frames);
            for (uint32_t i = 0; i < frames; i++)
                channels[0][done + i] = 0.5f * (audio->left[i] + audio->right[i]);
        }
        done += frames;
    }
    return atomic_load_explicit(&audio->stop, memory_order_relaxed) ? paComplete : paContinue;
}

/* The silent clock: one block every block/rate seconds, to absolute deadlines. */
static void *clock_thread_main(void *user)
{
    AudioOut *audio = user;
    long period_ns = (long)((double)audio->block * 1e9 / audio->rate);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    while (!atomic_load_explicit(&audio->stop, memory_order_relaxed)) {
        audio->function(audio->user, audio->left, audio->right, audio->block);
        deadline.tv_nsec += period_ns;
        while (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_nsec -= 1000000000L;
            deadline.tv_sec++;
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
            ;
    }
    return NULL;
}

static int is_index(const char *text)
{
    if (!*text)
        return 0;
    for (; *text; text++)
        if (!isdigit((unsigned char)*text))
            return 0;
    return 1;
}

/* The output device named by text (an index, an exact name, else the first name containing
 * it), or paNoDevice with the reason in note. */
static PaDeviceIndex find_device(const char *text, char *note, size_t note_size)
{
    int count = Pa_GetDeviceCount();
    if (is_index(text)) {
        long index = strtol(text, NULL, 10);
        if (index >= count) {
            snprintf(note, note_size, "--audio %s: PortAudio has %d devices (0..%d; see '" PROGRAM " devices')",
                     text, count < 0 ? 0 : count, count - 1);
            return paNoDevice;
        }
        return (PaDeviceIndex)index;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < count; i++) {
            const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
            if (info && info->maxOutputChannels > 0 &&
                (pass == 0 ? strcmp(info->name, text) == 0 : strstr(info->name, text) != NULL))
                return i;
        }
    snprintf(note, note_size, "--audio '%s': no PortAudio output device has that name (see '" PROGRAM " devices')",
             text);
    return paNoDevice;
}

static int start_silent(AudioOut *audio, char *note, size_t note_size, const char *why)
{
    if (pthread_create(&audio->clock_thread, NULL, clock_thread_main, audio) != 0) {
        snprintf(note, note_size, "cannot start the silent clock thread");
        return -1;
    }
    audio->clock_running = 1;
    snprintf(note, note_size, "%s: running silently (%.0f Hz clock, %u-frame blocks)", why, audio->rate,
             audio->block);
    return 0;
}

/* Opens and starts a PortAudio stream on device; 0, or -1 with the reason in note. */
static int start_stream(AudioOut *audio, PaDeviceIndex device, char *note, size_t note_size)
{
    const PaDeviceInfo *info = Pa_GetDeviceInfo(device);
    if (!info || info->maxOutputChannels < 1) {
        snprintf(note, note_size, "PortAudio device %d has no output channels", device);
        return -1;
    }
    audio->channels = info->maxOutputChannels >= 2 ? 2 : 1;
    PaStreamParameters params = {.device = device,
                                 .channelCount = audio->channels,
                                 .sampleFormat = paFloat32 | paNonInterleaved,
                                 .suggestedLatency = info->defaultLowOutputLatency,
                                 .hostApiSpecificStreamInfo = NULL};
    PaError e = Pa_OpenStream(&audio->stream, NULL, &params, audio->rate, audio->block, paNoFlag, pa_callback, audio);
    if (e == paNoError && (e = Pa_StartStream(audio->stream)) != paNoError) {
        Pa_CloseStream(audio->stream);
    }
    if (e != paNoError) {
        audio->stream = NULL;
        snprintf(note, note_size, "cannot open PortAudio device %d '%s' at %.0f Hz: %s", device, info->name,
                 audio->rate, Pa_GetErrorText(e));
        return -1;
    }
    const PaHostApiInfo *api = Pa_GetHostApiInfo(info->hostApi);
    snprintf(note, note_size, "audio: device %d '%s' through %s, %.0f Hz, %u-frame blocks", device, info->name,
             api ? api->name : "?", audio->rate, audio->block);
    return 0;
}

AudioOut *audio_out_start(const AudioOutConfig *config, AudioBlockFunction function, void *user, char *note,
                          size_t note_size)
{
    AudioOut *audio = calloc(1, sizeof *audio);
    float *left = calloc(config->block, sizeof *left), *right = calloc(config->block, sizeof *right);
    if (!audio || !left || !right) {
        free(audio), free(left), free(right);
        snprintf(note, note_size, "out of memory");
        return NULL;
    }
    *audio = (AudioOut){.function = function, .user = user, .block = config->block, .rate = config->rate,
                        .left = left, .right = right};
    atomic_init(&audio->stop, 0);
    int status;
    if (config->silent) {
        status = start_silent(audio, note, note_size, "no audio (--no-audio)");
    } else {
        PaJack_SetClientName(AUDIO_OUT_JACK_CLIENT); /* not "PortAudio" in a JACK patchbay */
        PaError e = Pa_Initialize();
        if (e != paNoError) {
            char why[256];
            snprintf(why, sizeof why, "no audio: PortAudio cannot start (%s)", Pa_GetErrorText(e));
            if (config->device) {
                snprintf(note, note_size, "%s", why);
                status = -1;
            } else {
                status = start_silent(audio, note, note_size, why);
            }
        } else {
            audio->pa_initialised = 1;
            PaDeviceIndex device = config->device ? find_device(config->device, note, note_size)
                                                  : Pa_GetDefaultOutputDevice();
            if (config->device)
                status = device == paNoDevice ? -1 : start_stream(audio, device, note, note_size);
            else if (device == paNoDevice)
                status = start_silent(audio, note, note_size, "no audio device here");
            else if (start_stream(audio, device, note, note_size) != 0) {
                char why[512];
                snprintf(why, sizeof why, "no audio (%s)", note);
                status = start_silent(audio, note, note_size, why);
            } else
                status = 0;
        }
    }
    if (status != 0) {
        audio_out_stop(audio);
        return NULL;
    }
    return audio;
}

int audio_out_has_device(const AudioOut *audio)
{
    return audio->stream != NULL;
}

void audio_out_stop(AudioOut *audio)
{
    if (!audio)
        return;
    atomic_store(&audio->stop, 1);
    if (audio->stream) {
        Pa_StopStream(audio->stream); /* waits until the callback has returned for good */
        Pa_CloseStream(audio->stream);
    }
    if (audio->clock_running)
        pthread_join(audio->clock_thread, NULL);
    if (audio->pa_initialised)
        Pa_Terminate();
    free(audio->left), free(audio->right);
    free(audio);
}

double audio_out_device_rate(const char *device)
{
    if (Pa_Initialize() != paNoError)
        return 0;
    char note[256];
    PaDeviceIndex index = device ? find_device(device, note, sizeof note) : Pa_GetDefaultOutputDevice();
    const PaDeviceInfo *info = index == paNoDevice ? NULL : Pa_GetDeviceInfo(index);
    double rate = info && info->maxOutputChannels > 0 ? info->defaultSampleRate : 0;
    Pa_Terminate();
    return rate;
}

int audio_out_list_devices(FILE *out)
{
    PaError e = Pa_Initialize();
    if (e != paNoError) {
        fprintf(out, "audio: PortAudio cannot start (%s)\n", Pa_GetErrorText(e));
        return -1;
    }
    int count = Pa_GetDeviceCount();
    PaDeviceIndex default_output = Pa_GetDefaultOutputDevice();
    int outputs = 0;
    fprintf(out, "audio output devices (PortAudio %s):\n", Pa_GetVersionText());
    for (int i = 0; i < count; i++) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
        if (!info || info->maxOutputChannels < 1)
            continue;
        const PaHostApiInfo *api = Pa_GetHostApiInfo(info->hostApi);
        fprintf(out, "  %3d  %-32s %-28s %2d out, %.0f Hz%s%s\n", i, info->name, api ? api->name : "?",
                info->maxOutputChannels, info->defaultSampleRate, i == default_output ? "  [default]" : "",
                api && api->defaultOutputDevice == i && i != default_output ? "  [host API default]" : "");
        outputs++;
    }
    if (outputs == 0)
        fprintf(out, "  none (no sound card and no JACK server here): practice runs silently\n");
    Pa_Terminate();
    return 0;
}
