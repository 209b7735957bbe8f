/* fingering_sequence: melodic sequences in a hand's recent notes -- a figure repeated each
 * time a step (one or two semitones) higher or lower, as in Hanon's exercises or a Czerny
 * study -- and the fingering that the ergonomic costs (fingering_costs) find best for the
 * figure as a whole, repeated with its shift: what an edition prints once and marks
 * "simile". The auto estimator takes it as a convention. Real-time: bounded by
 * FINGERING_CONVENTION_MAX_NOTES and FINGERING_SEQUENCE_MAX_PERIOD, no allocation. */
#ifndef HM_FINGERING_SEQUENCE_H
#define HM_FINGERING_SEQUENCE_H

#include <stdint.h>

#include "fingering_conventions.h"

#define FINGERING_SEQUENCE_MAX_PERIOD 12 /* most notes of a repeated figure */

/* Writes the sequence finger (0 thumb .. 4 little) of each note of a hand (HAND_RIGHT or
 * HAND_LEFT) that lies in a melodic sequence heard over at least two whole figures, and
 * -1 for every other note; and of each note the passage index where its passage's figures
 * begin (the first note of the passage's first sequence: after an upbeat, not the passage's
 * first note), or -1 while not known. */
HM_REALTIME void fingering_sequences(int hand, const ConventionNotes *notes, int8_t *finger, int *figure_origin);

#endif
