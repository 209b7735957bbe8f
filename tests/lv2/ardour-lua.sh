# shellcheck shell=sh
# Sourced by the Ardour tests (tests/lv2/ardour-session.sh, tests/lv2/ardour-ui.sh):
# ardour_new_session_lua DIR prints the Lua for ardour7-lua that starts the engine on JACK and
# creates the session DIR/practice.ardour with a MIDI track "Practice" carrying Homunculus;
# each test appends what it does with it.
ardour_new_session_lua() {
    cat <<LUA
AudioEngine:set_backend("JACK", "", "")
create_session("$1", "practice", 48000)
local tracks = Session:new_midi_track(ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1),
    ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2), true, ARDOUR.PluginInfo(), nil, nil, 1, "Practice",
    ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
for t in tracks:iter() do
  local plugin = ARDOUR.LuaAPI.new_plugin(Session, "https://homunculus.invalid/plugins/homunculus",
      ARDOUR.PluginType.LV2, "")
  assert(not plugin:isnil(), "Ardour cannot load the plugin")
  assert(t:add_processor_by_index(plugin, 0, nil, true) == 0, "the plugin does not fit the MIDI track")
end
LUA
}
