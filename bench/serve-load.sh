#!/usr/bin/env bash
# Load benchmark of reckit serve on ml-latest-small with wrk (the Debian package, installed here when missing):
#   1. the main job writes a bundle (out-load/bundles);
#   2. the server starts on loopback; 30 s per run, random known users, after a 5 s warm-up:
#      factor path (variant als), stack path (the LogisticStack), the stack with a hot reload every 5 s,
#      ingest of single interactions (16 connections) and of batches of 100;
#   3. 1,000 interactions ingested, retrain, reload, and the version change in /metrics (before the ingest runs,
#      whose millions of random interactions a retrain would then have to learn).
# Usage: bench/serve-load.sh [SECONDS]   (from the repository root; prints every wrk summary)
# To measure another build side by side (say the previous commit's, built elsewhere), give its command, a port and
# an output folder:  RECKIT="dotnet /path/RecKit.Cli.dll" PORT=5093 OUT=out-load-before bench/serve-load.sh 15
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-30}"
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
if [ -z "${RECKIT:-}" ]; then
  dotnet build -c Release >/dev/null
  RECKIT="dotnet src/RecKit.Cli/bin/Release/net10.0/RecKit.Cli.dll"
fi
OUT="${OUT:-out-load}"
rm -rf "$OUT"
$RECKIT run --data data/ml-latest-small --out "$OUT" >/dev/null
ROOT="$OUT/bundles"
case "$OUT" in /*) IDS="$OUT/ids.lua" ;; *) IDS="$PWD/$OUT/ids.lua" ;; esac
export IDS
{
  printf 'users = {'; awk -F, 'NR>1 && !s[$1]++ {printf "%s\"%s\"", (n++?",":""), $1}' data/ml-latest-small/ratings.csv; printf '}\n'
  printf 'items = {'; awk -F, 'NR>1 && !s[$2]++ {printf "%s\"%s\"", (n++?",":""), $2}' data/ml-latest-small/ratings.csv; printf '}\n'
} > "$IDS"
PORT="${PORT:-5090}"
URL="http://127.0.0.1:$PORT"
KEY=bench-key
$RECKIT serve --bundle-root "$ROOT" --urls "$URL" --api-key "$KEY" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "$URL/health/ready" >/dev/null; do sleep 0.5; done
STACK=$(curl -s "$URL/health/ready" | python3 -c 'import json,sys; v=json.load(sys.stdin)["variants"]; print(next(x for x in ["LogisticStack","GBStack","LambdaMARTStack"] if x in v))')

run() { # name, wrk args...; wrk's summary, then the server's own count of 4xx/5xx answers so far
  local name="$1"; shift
  echo "== $name"
  wrk --latency "$@" 2>&1 | grep -E "Latency  |Requests/sec|50%|99%|requests in|Non-2xx|Socket errors"
  echo "   server-side errors so far: $(curl -s "$URL/metrics" | awk '/^reckit_errors_total/ {n += $2} END {print n + 0}')"
}

VARIANT=als wrk -t1 -c8 -d5s -s bench/load/recommend.lua "$URL" >/dev/null
VARIANT=$STACK wrk -t1 -c8 -d5s -s bench/load/recommend.lua "$URL" >/dev/null
VARIANT=als run "factor path (als), 8 connections" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/recommend.lua "$URL"
VARIANT=$STACK run "stack path ($STACK), 8 connections" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/recommend.lua "$URL"

# Hot reload every 5 s under load: each new version is a copy of the first with its version renamed, made current atomically.
(
  n=2
  end=$((SECONDS + SECONDS_PER_RUN))
  while [ $SECONDS -lt $end ]; do
    sleep 5
    v=$(printf 'v%04d' $n)
    cp -r "$ROOT/v0001" "$ROOT/$v"
    sed -i "s/\"version\": \"v0001\"/\"version\": \"$v\"/" "$ROOT/$v/manifest.json"
    printf '%s\n' "$v" > "$ROOT/current.tmp" && mv "$ROOT/current.tmp" "$ROOT/current"
    curl -s -X POST -H "X-Api-Key: $KEY" "$URL/admin/reload" > /dev/null
    n=$((n + 1))
  done
) &
RELOADER=$!
VARIANT=$STACK run "stack path with a hot reload every 5 s" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/recommend.lua "$URL"
wait $RELOADER
echo "serving after the reloads: $(curl -s "$URL/health/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bundle"])')"
curl -s "$URL/metrics" | grep -E '^reckit_bundle_reloads_total|^reckit_bundle_info'

echo "== retrain with 1,000 ingested interactions, then reload"
python3 - "$URL" <<'PY'
import csv, json, sys, urllib.request
items = list(dict.fromkeys(row[1] for row in csv.reader(open("data/ml-latest-small/ratings.csv")) if row[1] != "movieId"))[:100]
for n in range(10):
    body = json.dumps({"interactions": [{"user": f"bench-user-{n}", "item": i, "type": "like"} for i in items]}).encode()
    request = urllib.request.Request(sys.argv[1] + "/v1/interactions", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
curl -s "$URL/metrics" | grep -E '^reckit_bundle_info|^reckit_live_interactions'
$RECKIT retrain --bundle-root "$ROOT" 2>&1 | grep -E "retraining|bundle v"
curl -s -X POST -H "X-Api-Key: $KEY" "$URL/admin/reload"; echo
curl -s "$URL/metrics" | grep -E '^reckit_bundle_info|^reckit_live_interactions'

BATCH=1 run "ingest, single interactions, 16 connections" -t2 -c16 -d"${SECONDS_PER_RUN}s" -s bench/load/ingest.lua "$URL"
BATCH=100 run "ingest, batches of 100, 16 connections (multiply requests/s by 100)" -t2 -c16 -d"${SECONDS_PER_RUN}s" -s bench/load/ingest.lua "$URL"
curl -s "$URL/metrics" | grep -E '^reckit_ingested_interactions_total|^reckit_live_interactions'
