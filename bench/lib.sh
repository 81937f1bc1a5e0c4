# bench/lib.sh: what bench/run and bench/soak share, sourced by both (not run on its own): logging,
# starting and stopping the AppHost's process tree, finding its processes, reading /proc.
#
# The caller sets: root (the repository), apphost_pid (the `dotnet run` of the AppHost, or empty),
# service_pids (an array) and tracked (an associative array pid -> what it is), and optionally
# log_tag (the prefix of log lines, "bench" by default).

log() { printf '[%s %s] %s\n' "${log_tag:-bench}" "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "error: $*"; exit 1; }

stop_apphost() {
    [[ -n $apphost_pid ]] || return 0
    log "stopping the AppHost (SIGTERM; the orchestrator stops the services after it)"
    kill -TERM "$apphost_pid" 2>/dev/null || true
    wait "$apphost_pid" 2>/dev/null || true
    apphost_pid=""
    # The orchestrator stops its children about 15 s after the AppHost exits; wait for that, and
    # end the services ourselves (by pid) only if it did not. The orchestrator and the dashboard
    # too: the next scenario's AppHost needs their ports.
    local deadline=$((SECONDS + 40)) pid
    for pid in "${service_pids[@]}" "${!tracked[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        kill -TERM "$pid" 2>/dev/null || true
    done
    service_pids=()
}

# Whether the AppHost's fixed ports are all free; the first one in use goes to REPLY.
ports_free() {
    local port
    for port in 3001 3002 15180 19180 20180; do
        if ss -ltnH "sport = :$port" | grep -q .; then
            REPLY=$port
            return 1
        fi
    done
}

ensure_ports_free() {
    ports_free || fail "port $REPLY is in use (another AppHost running?); stop it first"
}

# On a machine shared with other AppHosts (a test run, say), another one can take the ports while
# ours builds or stops: wait for them rather than lose the scenarios already run. The caller sets port_wait (seconds).
wait_for_free_ports() {
    local deadline=$((SECONDS + port_wait))
    ports_free && return 0
    log "port $REPLY is in use by another process; waiting up to ${port_wait}s for it"
    until ports_free; do
        ((SECONDS < deadline)) || fail "port $REPLY stayed in use for ${port_wait}s"
        sleep 2
    done
}


# The port a process listens on for loopback traffic (not the orchestrator's proxy in front of it:
# see README for why).
service_port() {
    ss -ltnpH | awk -v pid="pid=$1," 'index($0, pid) && $4 ~ /^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]):/ {sub(/.*:/, "", $4); print $4; exit}'
}

# Prints "<pid> <what>" for each process of this scenario's AppHost: the AppHost and the
# `dotnet run` wrappers, the orchestrator (dcp) and the dashboard it starts, the store (Garnet;
# its `dotnet tool exec` wrapper counts with the wrappers), auth and api. The
# orchestrator is the tree whose kubeconfig lies in this scenario's TMPDIR, so another AppHost on
# the machine (a test run, say) is never counted as ours.
apphost_processes() {
    local dcp_marker=$1/tmp/aspire-dcp
    ps -eo pid=,ppid=,args= | awk -v root="$root" -v marker="$dcp_marker" -v apphost="$apphost_pid" '
        {
            pid = $1; parent[pid] = $2
            args = $0; sub(/^ *[0-9]+ +[0-9]+ +/, "", args); command[pid] = args
            if (pid == apphost || index(args, marker)) ours[pid] = 1
        }
        END {
            do {
                grown = 0
                for (pid in parent) if (!(pid in ours) && (parent[pid] in ours)) { ours[pid] = 1; grown = 1 }
            } while (grown)
            for (pid in ours) {
                args = command[pid]
                if (index(args, root "/AspireJwks.Auth/bin/") == 1) what = "auth"
                else if (index(args, root "/AspireJwks.Api/bin/") == 1) what = "api"
                else if (index(args, "/tools/Aspire.Dashboard")) what = "dashboard"
                else if (args ~ /\/tools\/dcp( |$)/) what = "dcp"
                else if (index(args, "/GarnetServer.dll")) what = "store"
                else what = "apphost"
                print pid, what
            }
        }'
}

# Sets the array stat_fields to a process's /proc/<pid>/stat fields from its state on (field 3 is
# index 0): the command name before them may contain spaces. Fails when the process is gone.
read_stat() {
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    read -r -a stat_fields <<<"${stat##*")"}"
}

# The CPU ticks a process has used (utime + stime), in REPLY.
process_ticks() {
    read_stat "$1" || return 1
    REPLY=$((stat_fields[11] + stat_fields[12]))
}

# The CPU ticks of the children a process has waited for (cutime + cstime), in REPLY.
waited_children_ticks() {
    read_stat "$1" || return 1
    REPLY=$((stat_fields[13] + stat_fields[14]))
}

# The machine's busy CPU ticks, all cores and processes (/proc/stat: all but idle and iowait), in REPLY.
machine_busy_ticks() {
    local label user nice system idle iowait irq softirq steal rest
    read -r label user nice system idle iowait irq softirq steal rest </proc/stat
    REPLY=$((user + nice + system + irq + softirq + steal))
}
