/* uris: every URID the plugin uses, mapped once at instantiation, fields named after the
 * URI's local name. */
#ifndef HM_PLUGIN_URIS_H
#define HM_PLUGIN_URIS_H

#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/urid/urid.h>

#include "ports.h"
#include "ui_message.h"

#define HOMUNCULUS_STATE_URI HOMUNCULUS_URI "#engineState"
#define HOMUNCULUS_SAVED_TIME_URI HOMUNCULUS_URI "#savedUnixTime"
#define HOMUNCULUS_PROFILE_LOAD_URI HOMUNCULUS_URI "#profileLoad" /* atom:Path parameters */
#define HOMUNCULUS_PROFILE_SAVE_URI HOMUNCULUS_URI "#profileSave"

typedef struct {
    LV2_URID atom_Chunk;
    LV2_URID atom_Long;
    LV2_URID atom_Int;
    LV2_URID atom_Sequence;
    LV2_URID atom_Object;
    LV2_URID atom_Path;
    LV2_URID atom_URID;
    LV2_URID patch_Set;
    LV2_URID patch_property;
    LV2_URID patch_value;
    LV2_URID hm_profileLoad;
    LV2_URID hm_profileSave;
    LV2_URID midi_MidiEvent;
    LV2_URID bufsz_maxBlockLength;
    LV2_URID bufsz_nominalBlockLength;
    LV2_URID hm_engineState;
    LV2_URID hm_savedUnixTime;
    LV2_URID hm_UiSnapshot;
    LV2_URID hm_uiFrame;
} HomunculusUris;

static inline void homunculus_map_uris(HomunculusUris *uris, LV2_URID_Map *map)
{
    uris->atom_Chunk = map->map(map->handle, LV2_ATOM__Chunk);
    uris->atom_Long = map->map(map->handle, LV2_ATOM__Long);
    uris->atom_Int = map->map(map->handle, LV2_ATOM__Int);
    uris->atom_Sequence = map->map(map->handle, LV2_ATOM__Sequence);
    uris->atom_Object = map->map(map->handle, LV2_ATOM__Object);
    uris->atom_Path = map->map(map->handle, LV2_ATOM__Path);
    uris->atom_URID = map->map(map->handle, LV2_ATOM__URID);
    uris->patch_Set = map->map(map->handle, LV2_PATCH__Set);
    uris->patch_property = map->map(map->handle, LV2_PATCH__property);
    uris->patch_value = map->map(map->handle, LV2_PATCH__value);
    uris->hm_profileLoad = map->map(map->handle, HOMUNCULUS_PROFILE_LOAD_URI);
    uris->hm_profileSave = map->map(map->handle, HOMUNCULUS_PROFILE_SAVE_URI);
    uris->midi_MidiEvent = map->map(map->handle, LV2_MIDI__MidiEvent);
    uris->bufsz_maxBlockLength = map->map(map->handle, LV2_BUF_SIZE__maxBlockLength);
    uris->bufsz_nominalBlockLength = map->map(map->handle, LV2_BUF_SIZE__nominalBlockLength);
    uris->hm_engineState = map->map(map->handle, HOMUNCULUS_STATE_URI);
    uris->hm_savedUnixTime = map->map(map->handle, HOMUNCULUS_SAVED_TIME_URI);
    uris->hm_UiSnapshot = map->map(map->handle, UI_SNAPSHOT_URI);
    uris->hm_uiFrame = map->map(map->handle, UI_SNAPSHOT_FRAME_URI);
}

#endif
