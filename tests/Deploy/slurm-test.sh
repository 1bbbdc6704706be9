#!/usr/bin/env bash
# Integration test of the README's Slurm recipe on a real one-node Slurm cluster on localhost:
# installs slurm-wlm and munge (Debian) when missing, writes its own slurm.conf (no cgroups, no
# accounting, state in a temp folder), starts munged, slurmctld and slurmd, submits the README's
# sweep.sbatch as a 4-task array on the published build with its afterok merge.sbatch, cancels a
# running task and requeues it (it resumes its shard), cancels a pending one and resubmits that
# single index (task id = shard), points the merge at them as the README says, and checks that the
# merged sweep equals an unsharded run bit for bit. Stops the daemons it started, by PID.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: slurm-wlm and munge are not installed, and installing them needs root (apt-get install slurm-wlm munge)"
    exit 77
  fi
  echo "installing slurm-wlm and munge (Debian)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null \
    || fail "apt-get install slurm-wlm munge failed"
fi

work="$(deploy_work)"
tree="$(published_tree "$work")"
memscan="$tree/cli/memscan"
cluster="$(mktemp -d /tmp/memscan-slurm.XXXXXX)"
chmod 700 "$cluster"
daemons=()
export SLURM_CONF="$cluster/etc/slurm.conf"

stop_cluster() {
  set +e
  if [ ${#daemons[@]} -gt 1 ]; then
    scancel --quiet --partition=memscan >/dev/null 2>&1
    for _ in $(seq 1 40); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  local i
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    kill "${daemons[i]}" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "${daemons[i]}" 2>/dev/null || break; sleep 0.25; done
    kill -9 "${daemons[i]}" 2>/dev/null
    wait "${daemons[i]}" 2>/dev/null
  done
  rm -rf "$cluster"
  [ -n "${MEMSCAN_DEPLOY_WORK:-}" ] || rm -rf "$work"
}
trap stop_cluster EXIT
show_logs() { for f in "$cluster"/*.log "$cluster"/logs/*; do [ -f "$f" ] && { echo "--- $f"; tail -15 "$f"; }; done >&2; }
die() { show_logs; fail "$*"; }

# --- the cluster: munge with its own key and socket, one node = this host, 2 CPUs -----------------
mkdir -p "$cluster/etc" "$cluster/state" "$cluster/spool" "$cluster/logs" "$cluster/sweeps"
head -c 1024 /dev/urandom >"$cluster/munge.key"
chmod 600 "$cluster/munge.key"
munged -F --force --key-file="$cluster/munge.key" --socket="$cluster/munge.socket" --pid-file="$cluster/munged.pid" \
  --log-file="$cluster/munged.log" --seed-file="$cluster/munged.seed" >"$cluster/munged.out" 2>&1 &
daemons+=($!)
host="$(hostname -s)"
port=$((20000 + RANDOM % 20000))
cat >"$SLURM_CONF" <<CONF
ClusterName=memscantest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$cluster/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/slurmctld.log
SlurmdLogFile=$cluster/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=memscan Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
for _ in $(seq 1 40); do [ -S "$cluster/munge.socket" ] && break; sleep 0.25; done
[ -S "$cluster/munge.socket" ] || die "munged did not start"
slurmctld -D -f "$SLURM_CONF" >"$cluster/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$cluster/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 1 120); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.5; done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || die "the node did not come up idle: $(sinfo 2>&1)"
ok "one-node cluster up (slurmctld on port $port, node $host idle)"

# --- the README's scripts -----------------------------------------------------------------------
recipe() { # NAME: the ```bash block after the README line that names it
  awk -v name="slurm-recipe: $1" 'index($0, name) { found = 1; next } found && /^```bash/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$repo/README.md"
}
recipe sweep.sbatch >"$cluster/sweep.sbatch"
recipe merge.sbatch >"$cluster/merge.sbatch"
grep -q "sweep" "$cluster/sweep.sbatch" && grep -q "merge" "$cluster/merge.sbatch" || fail "README has no slurm-recipe: sweep.sbatch / merge.sbatch blocks"
# Task 1's first attempt commits one part and then stays running until it is cancelled: a shard
# of this tiny model takes well under a second, so cancelling "a running task" by timing alone
# races its end. The wrapper makes the cancel land mid-shard every time; later runs pass through.
wrapper="$cluster/memscan-first-task-1-stalls"
cat >"$wrapper" <<WRAPPER
#!/bin/bash
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 1 ] && mkdir "$cluster/task-1-stalled" 2>/dev/null; then
  "$memscan" "\$@" --max-parts 1 || true
  exec sleep 600
fi
exec "$memscan" "\$@"
WRAPPER
chmod +x "$wrapper"
settings="MEMSCAN=$wrapper,MODEL=$fixtures/tiny.onnx,SWEEPS=$cluster/sweeps,SWEEP_ID=slurm,SHARDS=4,SAMPLES=256,TOKENS=96,BATCH=4"
sweep_dir="$cluster/sweeps/slurm"
# the README's array is 0-7 with 4 CPUs per task; this node has 2 CPUs and the test 4 shards
submit=(sbatch --parsable --cpus-per-task=1 --export="ALL,$settings" --chdir="$cluster/logs")

job="$("${submit[@]}" --array=0-3 "$cluster/sweep.sbatch")" || die "sbatch sweep.sbatch failed"
merge="$("${submit[@]}" --dependency="afterok:$job" "$cluster/merge.sbatch")" || die "sbatch merge.sbatch failed"
ok "submitted the array $job (shards 0-3) and the merge $merge (afterok:$job)"

# 2 CPUs: tasks 0 and 1 run, 2 and 3 wait. Cancel pending task 3; cancel task 1 once it has committed a part.
scancel "${job}_3"
for _ in $(seq 1 600); do [ -f "$sweep_dir/shard=0001/part-0000.parquet" ] && break; sleep 0.05; done
scancel "${job}_1"
[ -f "$sweep_dir/shard=0001/part-0000.parquet" ] || die "task 1 committed no part in 30 s"
for _ in $(seq 1 60); do squeue -h -j "${job}_1" -o %T 2>/dev/null | grep -q . || break; sleep 0.25; done
parts_at_cancel=$(ls "$sweep_dir/shard=0001"/part-*.parquet | wc -l)
[ "$parts_at_cancel" -eq 1 ] || die "task 1 had $parts_at_cancel parts at its cancel, not the 1 its first attempt stops at"
ok "cancelled pending task 3 and running task 1 after $parts_at_cancel of its 4 parts"

# The README's repair: requeue the cancelled task (it resumes its shard), resubmit the never-run
# shard by its number, and point the merge at them.
# slurmd refuses to launch a job in the same second its credential was revoked by the kill
sleep 2
requeued=false
for _ in $(seq 1 40); do scontrol requeue "${job}_1" 2>/dev/null && { requeued=true; break; }; sleep 0.25; done
$requeued || die "scontrol requeue ${job}_1 failed"
scontrol update JobId="${job}_1" StartTime=now || die "scontrol update StartTime=now failed"
again="$("${submit[@]}" --array=3 "$cluster/sweep.sbatch")" || die "resubmitting shard 3 failed"
scontrol update JobId="$merge" Dependency="afterany:$job,afterok:${job}_1:$again" || die "scontrol update Dependency failed"
ok "requeued task 1, resubmitted shard 3 as job $again, merge now afterany:$job,afterok:${job}_1:$again"

for _ in $(seq 1 300); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  squeue -h -j "$merge" -o %r 2>/dev/null | grep -q DependencyNeverSatisfied && die "the merge can never run: $(scontrol show job -o "$merge")"
  sleep 0.5
done
[ -z "$(squeue -h)" ] || die "jobs still queued after 150 s: $(squeue)"
state="$(scontrol show job -o "$merge")"
grep -q "JobState=COMPLETED" <<<"$state" && grep -q " ExitCode=0:0" <<<"$state" || die "merge job: $state"
merge_log="$cluster/logs/merge-$merge.log"
grep -q "256 of 256 samples" "$merge_log" || die "merge log: $(cat "$merge_log")"
grep -q '"complete": true' "$sweep_dir/merge.json" || die "merge.json: $(cat "$sweep_dir/merge.json")"
ok "merge job completed: $(grep -m1 "of 256 samples" "$merge_log")"

requeue_log="$cluster/logs/sweep-${job}_1.log"
grep -Eq "shard 1/4: [0-9]+ samples written in [0-9]+ part\(s\), [1-9][0-9]* already committed, 64/64 done" "$requeue_log" \
  || die "the requeued task did not resume its shard: $(cat "$requeue_log")"
ok "requeued task resumed: $(grep -m1 'shard 1/4' "$requeue_log")"
grep -q "shard 3/4: 64 samples written" "$cluster/logs/sweep-${again}_3.log" || die "resubmitted index 3: $(cat "$cluster/logs/sweep-${again}_3.log")"
ok "resubmitted index 3 ran shard 3/4"

# --- the same sweep unsharded, outside Slurm; the rows must be the same bit for bit -------------
"$memscan" sweep "$fixtures/tiny.onnx" --samples 256 --tokens 96 --batch 4 --sweeps "$cluster/sweeps" --sweep-id whole --threads 2 >/dev/null 2>&1 \
  || die "unsharded sweep failed"
compare="$("$memscan" sweep compare "$sweep_dir" "$cluster/sweeps/whole")" || die "sweep compare: $compare"
[ "$compare" = "identical: 256 samples, every column but shard and created_utc" ] || die "sweep compare said: $compare"
ok "Slurm array (cancelled, requeued, resubmitted) vs unsharded: $compare"
