/* profile_session: the end of a session saved as one unit: the profile's new state and the
 * session's practice-log record. A kill at any moment between the two loses neither: the
 * record is first kept beside the profile (NAME.profile.pending, with a checksum of the
 * state it belongs to), and profile_session_settle, run before a profile is opened or its
 * log read, completes a save that was cut after the state was written (the record is
 * logged) or drops one cut before it (the session was not saved, so it is not logged). */
#ifndef HM_PROFILE_SESSION_H
#define HM_PROFILE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "practice_log.h"
#include "profile.h"

/* Saves state as the profile's and appends record to its log. Returns 0; -1 with err when
 * the state was not saved (nor the record); -2 with err when the state was saved but the
 * record could not be logged (it stays pending: the next settle logs it). note receives
 * what the log said (practice_log_append), or is emptied. */
int profile_session_save(const ProfilePaths *paths, const uint8_t *state, size_t size,
                         const PracticeSessionRecord *record, char *note, size_t note_size, char *err,
                         size_t err_size);

/* Completes or drops a save cut by a kill (see above); the caller holds the profile's lock. Returns 0 (note says what was done,
 * or is emptied), or -1 with err when the record cannot be logged yet (it stays pending). */
int profile_session_settle(const ProfilePaths *paths, char *note, size_t note_size, char *err, size_t err_size);

/* For readers of a profile (history, report): profile_session_settle when no session holds
 * the profile's lock (taken for the settle and released); when one does, nothing (that
 * session settled at its start). A profile never saved is left alone. Returns as the settle. */
int profile_session_settle_if_free(const ProfilePaths *paths, char *note, size_t note_size, char *err,
                                   size_t err_size);

/* profile_session_settle, then profile_open (the note in opening->settled). Returns 0, or
 * -1 with err (nothing opened when the settle fails: a new save would replace the pending
 * record). */
int profile_session_open(const ProfilePaths *paths, Engine *engine, int64_t now_unix, SleepWindow window,
                         ProfileOpening *opening, char *err, size_t err_size);

#endif
