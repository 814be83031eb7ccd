#!/usr/bin/env bash
# Load benchmark of a RecKit cluster on one machine, side by side with one node, on ml-latest-small:
#   1. the main job writes a bundle; a throwaway PostgreSQL and redis-server start on loopback (stopped at the end);
#   2. three set-ups, each on a fresh database: one node (no cluster, PostgreSQL store), a cluster of one silo, a
#      cluster of three silos (ports 5180-5182; wrk runs one process per silo, the connections split between them);
#   3. for each: reads (GET recommendations, als, random known users) then single-interaction ingest, 12 connections
#      in all (ingest again with 36), SECONDS each after a 5 s warm-up; every wrk summary is printed, with the servers' own error counts;
#      On three silos, first one connection on server 0 then on server 1 (the grains all on server 0): the cluster hop.
#   4. on the three silos, a read run during which a new bundle is rolled out (all three reload at 10 s): wrk's
#      errors, and the window in which both versions answered, seen by a poller asking each silo every few ms.
# Usage: bench/cluster-load.sh [SECONDS]   (from the repository root; default 30)
# Another build side by side: RECKIT="dotnet /path/RecKit.Cli.dll" OUT=/tmp/out-before; one set-up alone:
# SETUPS="three-silos" (one-node, one-silo, three-silos); ROLLOUT=0 skips the rollout run.
# On 2 cores this shows the cluster's overhead, not scaling: every silo, PostgreSQL, Redis and wrk share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-30}"
bash eng/install-test-packages.sh
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y wrk >/dev/null; }
if [ -z "${RECKIT:-}" ]; then
  dotnet build -c Release >/dev/null
  RECKIT="dotnet src/RecKit.Cli/bin/Release/net10.0/RecKit.Cli.dll"
fi
OUT="${OUT:-$PWD/out-cluster}"
rm -rf "$OUT"; mkdir -p "$OUT"
echo "main job on ml-latest-small -> $OUT/job"
$RECKIT run --data data/ml-latest-small --out "$OUT/job" >/dev/null
ROOT="$OUT/job/bundles"
export IDS="$OUT/ids.lua"
{
  printf 'users = {'; awk -F, 'NR>1 && !s[$1]++ {printf "%s\"%s\"", (n++?",":""), $1}' data/ml-latest-small/ratings.csv; printf '}\n'
  printf 'items = {'; awk -F, 'NR>1 && !s[$2]++ {printf "%s\"%s\"", (n++?",":""), $2}' data/ml-latest-small/ratings.csv; printf '}\n'
} > "$IDS"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Throwaway PostgreSQL (as user postgres when run as root: PostgreSQL refuses root) and Redis.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/reckit-bench-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
PGPORT=$(free_port)
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U reckit -A trust -E UTF8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=on -c synchronous_commit=on" start >/dev/null
REDISPORT=$(free_port)
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save "" --appendonly no > "$OUT/redis.log" 2>&1 &
REDIS=$!
SERVERS=()
stop_servers() { for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${SERVERS[@]}"; do wait "$p" 2>/dev/null || true; done; SERVERS=(); }
cleanup() { stop_servers; kill $REDIS 2>/dev/null || true; as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
KEY=bench-key

start() { # name, number of silos (0: one node without a cluster); starts the servers on ports 5180.. and waits until ready
  local name="$1" silos="$2" n=$(( $2 > 0 ? $2 : 1 ))
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U reckit "$name"
  local db="Host=127.0.0.1;Port=$PGPORT;Username=reckit;Database=$name"
  for ((i = 0; i < n; i++)); do
    local cluster=()
    if [ "$silos" -gt 0 ]; then
      cluster=(--RecKit:Cluster:Enabled=true --RecKit:Cluster:Redis=127.0.0.1:$REDISPORT --RecKit:Cluster:ClusterId="$name"
               --RecKit:Cluster:SiloPort=$((11180 + i)) --RecKit:Cluster:GatewayPort=$((30180 + i)) --RecKit:Cluster:RolloutSeconds=20)
    fi
    $RECKIT serve --bundle-root "$ROOT" --urls "http://127.0.0.1:$((5180 + i))" --api-key "$KEY" "--RecKit:Postgres=$db" "${cluster[@]}" > "$OUT/$name-$i.log" 2>&1 &
    SERVERS+=($!)
  done
  for ((i = 0; i < n; i++)); do
    until curl -sf "http://127.0.0.1:$((5180 + i))/health/ready" >/dev/null; do sleep 0.5; done
  done
}

load() { # label, script, silos, seconds[, connections in all (12)]; wrk on each silo at once; per-silo summaries and totals
  local label="$1" script="$2" n="$3" secs="$4" c=$(( ${5:-12} / $3 )) pids=()
  echo "== $label ($n server(s), $c connections each, ${secs} s)"
  for ((i = 0; i < n; i++)); do
    wrk --latency -t1 -c"$c" -d"${secs}s" -s "bench/load/$script" "http://127.0.0.1:$((5180 + i))" > "$OUT/wrk-$i.txt" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for ((i = 0; i < n; i++)); do
    echo "-- server $i"; grep -E "Latency  |Requests/sec|50%|99%|requests in|Non-2xx|Socket errors" "$OUT/wrk-$i.txt" | sed 's/^/   /'
    echo "   server-side errors so far: $(curl -s "http://127.0.0.1:$((5180 + i))/metrics" | awk '/^reckit_errors_total/ {n += $2} END {print n + 0}')"
  done
  echo "   total requests/s: $(cat "$OUT"/wrk-*.txt | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')"
  rm -f "$OUT"/wrk-*.txt
}

measure() { # name, silos
  local name="$1" silos="$2" n=$(( $2 > 0 ? $2 : 1 ))
  start "$name" "$silos"
  VARIANT=als wrk -t1 -c4 -d5s -s bench/load/recommend.lua http://127.0.0.1:5180 >/dev/null # warm-up: every user's grain on server 0
  if [ "$silos" -gt 1 ]; then
    # The cluster hop: one connection, the same reads, on server 0 (its grains are local) then on server 1 (every
    # grain a call to server 0); nothing else runs. The difference in latency is the hop's cost per request.
    for i in 0 1; do
      echo "== $name: one connection on server $i ($( [ $i = 0 ] && echo "in-silo grain calls" || echo "cross-silo grain calls"), 10 s)"
      VARIANT=als wrk --latency -t1 -c1 -d10s -s bench/load/recommend.lua "http://127.0.0.1:$((5180 + i))" | grep -E "Latency  |Requests/sec|50%|99%" | sed 's/^/   /'
    done
  fi
  VARIANT=als load "$name: reads (als)" recommend.lua "$n" "$SECONDS_PER_RUN"
  BATCH=1 load "$name: ingest, single interactions" ingest.lua "$n" "$SECONDS_PER_RUN"
  # Each server commits what its connections sent while the previous commit ran: 36 connections give bigger batches.
  BATCH=1 load "$name: ingest, single interactions, 36 connections" ingest.lua "$n" "$SECONDS_PER_RUN" 36
}

SETUPS="${SETUPS:-one-node one-silo three-silos}"
for setup in $SETUPS; do
  case "$setup" in one-node) silos=0 ;; one-silo) silos=1 ;; three-silos) silos=3 ;; *) echo "unknown set-up $setup"; exit 2 ;; esac
  stop_servers
  measure "$setup" "$silos"
done
# The rollout runs on the three silos still up: only when they were the last set-up measured.
[ "${ROLLOUT:-1}" = 1 ] && [ "$setup" = three-silos ] || exit 0

echo "== rollout during a read run on three silos: v0002 written at 10 s, every silo asked to reload"
python3 - "$OUT/versions.txt" <<'PY' &
import json, sys, time, urllib.request
end = time.time() + 40
with open(sys.argv[1], "w") as out:
    while time.time() < end:
        for port in (5180, 5181, 5182):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/users/1/recommendations?k=1") as r:
                    out.write(f"{time.time():.4f} {port} {json.load(r)['bundle']}\n")
            except Exception as e:
                out.write(f"{time.time():.4f} {port} failed:{type(e).__name__}\n")
        time.sleep(0.005)
PY
POLLER=$!
(
  sleep 10
  cp -r "$ROOT/v0001" "$ROOT/v0002"
  sed -i 's/"version": "v0001"/"version": "v0002"/' "$ROOT/v0002/manifest.json"
  printf 'v0002\n' > "$ROOT/current.tmp" && mv "$ROOT/current.tmp" "$ROOT/current"
  for port in 5180 5181 5182; do curl -s -X POST -H "X-Api-Key: $KEY" "http://127.0.0.1:$port/admin/reload" > "$OUT/reload-$port.json" & done
  wait
) &
RELOADER=$!
VARIANT=als load "three-silos: reads (als) with a rollout" recommend.lua 3 "$SECONDS_PER_RUN"
wait $RELOADER
wait $POLLER
python3 - "$OUT/versions.txt" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
first_new = min((float(t) for t, _, v in rows if v == "v0002"), default=None)
last_old = max((float(t) for t, _, v in rows if v == "v0001"), default=None)
failed = [r for r in rows if r[2].startswith("failed")]
print(f"   poller: {len(rows)} requests, {len(failed)} failed" + (f" ({failed[0][2]} on {failed[0][1]})" if failed else ""))
if first_new is None:
    print("   no silo answered v0002")
else:
    per_port = {p: min(float(t) for t, q, v in rows if q == p and v == "v0002") for p in ("5180", "5181", "5182") if any(q == p and v == "v0002" for _, q, v in rows)}
    print("   first v0002 answer per silo (s after the first): " + ", ".join(f"{p} {t - first_new:.3f}" for p, t in sorted(per_port.items())))
    print(f"   window in which both versions answered: {max(0.0, last_old - first_new):.3f} s")
PY
curl -s http://127.0.0.1:5180/metrics | grep -E '^reckit_bundle_info|^reckit_bundle_reloads_total' || true
