/* audio_out: the program's audio clock. Either a PortAudio output stream (the default device,
 * or one chosen by index or name) whose callback renders blocks, or, when there is no device
 * or none is wanted, a "silent clock" thread that calls the same block function at the block
 * rate and discards the audio. Either way the block function runs in one real-time thread. */
#ifndef HM_AUDIO_OUT_H
#define HM_AUDIO_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Renders frames (<= the configured block) of stereo audio; called from the audio thread. */
/* PortAudio's JACK client, when the sound goes through JACK. Not PROGRAM itself: the JACK MIDI
 * input (midi_jack) opens after the audio and keeps that name, so that keyboards connect to
 * "homunculus:midi_in" (JACK would rename a second "homunculus" to "homunculus-01"). */
#define AUDIO_OUT_JACK_CLIENT "homunculus-audio"

typedef void (*AudioBlockFunction)(void *user, float *left, float *right, uint32_t frames);

typedef struct {
    const char *device; /* NULL: the default output; digits: a PortAudio index; else a name */
    int silent;         /* 1: no device at all, only the clock (--no-audio) */
    double rate;        /* frames per second */
    uint32_t block;     /* most frames per block function call */
} AudioOutConfig;

typedef struct AudioOut AudioOut;

/* Starts the clock. With no usable default device it runs silently and says so in note;
 * a device asked for by name or index that cannot be found or opened is an error (NULL, the
 * reason in note). On success note says what is playing (e.g. "audio: 'system' through
 * JACK Audio Connection Kit, 48000 Hz, 256-frame blocks"). */
AudioOut *audio_out_start(const AudioOutConfig *config, AudioBlockFunction function, void *user, char *note,
                          size_t note_size);

/* 1 when audio goes to a device, 0 for the silent clock. */
int audio_out_has_device(const AudioOut *audio);

/* Stops the clock (the block function is not called again once this returns) and frees it;
 * NULL is allowed. */
void audio_out_stop(AudioOut *audio);

/* The default sample rate of the output device audio_out_start would open for device (NULL:
 * the default), e.g. a JACK server's rate; 0 when there is no such device. */
double audio_out_device_rate(const char *device);

/* Lists PortAudio's output devices (index, name, host API, output channels, default mark);
 * returns 0, or -1 after a line saying PortAudio cannot start. */
int audio_out_list_devices(FILE *out);

/* Keeps the ALSA and JACK libraries' own error printing (device probing noise) off stderr;
 * the program reports what matters itself. */
void audio_out_quiet_libraries(void);

#endif
