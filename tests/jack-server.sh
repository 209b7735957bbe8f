# shellcheck shell=sh
# jack-server.sh: a private JACK server on the dummy backend for one test run (sourced by the
# tests that need one), named uniquely so that two checkouts can test at the same time.
# jack_server_name TAG   exports JACK_DEFAULT_SERVER=hm-N (N the first free of a few names, held
#                        by a lock on /tmp/hm-jack-N.lock for the test's life): jackd -n takes it,
#                        and libjack's clients (PortAudio's JACK host API, jalv, Ardour, jack_*)
#                        read it. JACK's registry holds 8 server names and frees a dead server's
#                        entry only when a server of the same name starts, so names are reused:
#                        a name unique per run would leave each server that died uncleanly in
#                        the registry for good, and after 8 no JACK test could start. TAG names
#                        the test in messages only.
# jack_server_start LOG  starts jackd under that name (its output in LOG), sets jackd_pid and
#                        waits up to 5 s for it to answer; returns 1 if it does not
# jack_server_stop       stops it (TERM) and waits: a server stopped so takes its entry out of
#                        JACK's registry of 8 server names (a kill -9 would leave the entry)
jackd_pid=""
jack_server_name() {
    for n in 0 1 2 3 4 5; do
        exec 9>"/tmp/hm-jack-$n.lock"
        if flock -n 9; then
            JACK_DEFAULT_SERVER="hm-$n"
            export JACK_DEFAULT_SERVER
            return 0
        fi
    done
    echo "jack-server.sh ($1): all 6 server names are in use by other tests" >&2
    return 1
}
jack_server_start() {
    jackd --no-realtime -t 10000 -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 256 >"$1" 2>&1 &
    jackd_pid=$!
    # each probe bounded: a jack_lsp that reaches a server still starting (or one of another
    # test's, dying) has been seen to hang for minutes
    for _ in $(seq 50); do timeout 5 jack_lsp >/dev/null 2>&1 && return 0; sleep 0.1; done
    timeout 5 jack_lsp >/dev/null 2>&1
}
jack_server_stop() {
    [ -n "$jackd_pid" ] || return 0
    kill "$jackd_pid" 2>/dev/null
    wait "$jackd_pid" 2>/dev/null
    jackd_pid=""
}
