#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing `physml sweep --executor slurm` against a
# real scheduler. Needs root and Debian's slurmctld, slurmd, slurm-client and munge
# (`bash scripts/setup.sh --slurm`). No systemd: munged, slurmctld and slurmd are started
# directly; every file (config, key, sockets, state, logs, pid files) lives under one directory.
#
#   bash scripts/slurm-cluster.sh start [dir]   start the cluster; prints `export SLURM_CONF=…`
#   bash scripts/slurm-cluster.sh stop  [dir]   stop the daemons started by `start` in [dir]
#
# [dir] defaults to $PHYSML_SLURM_DIR, else /tmp/physml-slurm. Clients (sbatch, squeue, scontrol,
# physml sweep) find the cluster through SLURM_CONF=<dir>/slurm.conf.
# Ports: $PHYSML_SLURM_PORT (slurmctld) and the next one (slurmd), default 6817/6818.
set -euo pipefail

cmd="${1:-}"
dir="${2:-${PHYSML_SLURM_DIR:-/tmp/physml-slurm}}"
port="${PHYSML_SLURM_PORT:-6817}"

die() {
  echo "slurm-cluster: $*" >&2
  exit 1
}

# Stops the daemon whose pid file is $1 (only that pid, and only if it is the expected program).
# Jobs still running are cancelled first (scancel against this cluster only).
stop_pid() {
  local pidfile="$1" name="$2" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  rm -f "$pidfile"
  [ -n "$pid" ] || return 0
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != "$name" ]; then return 0; fi
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  # Jobs first: a batch step (slurmstepd and the job's processes) outlives slurmd otherwise.
  if [ -f "$dir/slurm.conf" ] && [ -f "$dir/run/slurmctld.pid" ]; then
    SLURM_CONF="$dir/slurm.conf" scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 50); do
      [ -z "$(SLURM_CONF="$dir/slurm.conf" squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$dir/run/slurmd.pid" slurmd
  stop_pid "$dir/run/slurmctld.pid" slurmctld
  stop_pid "$dir/run/munged.pid" munged
}

start() {
  [ "$(id -u)" = "0" ] || die "needs root (munged, slurmctld and slurmd run as root here)"
  for b in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
    command -v "$b" >/dev/null 2>&1 || die "$b not found; install with: bash scripts/setup.sh --slurm"
  done
  stop
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # Modest: jobs ask for little memory, and the node must register even on a small machine.
  mem=$(($(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) / 2))
  [ "$mem" -gt 4096 ] && mem=4096
  rm -rf "$dir/state" "$dir/spool" "$dir/log"
  mkdir -p "$dir/run" "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 700 "$dir/munge"

  mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null 2>&1 ||
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  # munged checks that its directories are not writable by others; the temp dir's sticky bit
  # is accepted only with --force, which also allows running as root.
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" ||
    die "munged did not start (see $dir/log/munged.log)"

  cat >"$dir/slurm.conf" <<EOF
# One-node test cluster written by scripts/slurm-cluster.sh (addresses are loopback, so the
# host name need not resolve, as in a fresh container)
ClusterName=physml-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

  slurmctld -f "$dir/slurm.conf" -i || die "slurmctld did not start (see $dir/log/slurmctld.log)"
  slurmd -f "$dir/slurm.conf" || die "slurmd did not start (see $dir/log/slurmd.log)"
  export SLURM_CONF="$dir/slurm.conf"
  for _ in $(seq 1 150); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    case "$state" in
      idle*)
        echo "export SLURM_CONF=$dir/slurm.conf"
        return 0
        ;;
    esac
    sleep 0.2
  done
  die "node $host did not become idle within 30 s (state: ${state:-unknown}; see $dir/log/)"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: bash scripts/slurm-cluster.sh start|stop [dir]" >&2
    exit 2
    ;;
esac
