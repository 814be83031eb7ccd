#!/usr/bin/env bash
# Serving a catalogue of a million items (issue 16): what the retrieval indexes buy under load.
#   1. `reckit data synth` writes ITEMS items with 100 taste groups (200,000 users, 12M draws) and the main job runs
#      item-kNN and ALS with their stacks on it; ALS's bundle model (>= 100,000 items) retrieves by the norm-ordered exact
#      scan, or through an HNSW graph written into the bundle when its factors' norms are too alike for that scan to pay;
#   2. the server starts on loopback: time to readiness (the bundle load) and resident memory once ready;
#   3. wrk, SECONDS per run after a 5 s warm-up, random known users: the factor path (ALS through its index) and the
#      stack path (its ALS candidates from the index, item-kNN and popularity), similar items;
#   4. a hot reload of a copy of the bundle: how long the POST took, the process's peak resident memory meanwhile (two
#      bundles are briefly in memory), and its resident memory right after and 10 s later (the old bundle collected).
#   MODELS="als bpr" (default "itemknn als") runs other base models: without item-kNN the bundle's similar items come
#   from ALS through a graph of its unit item vectors (similar/als.0.usearch), and the similar-items run measures that.
# Usage: bench/serve-large.sh [ITEMS] [SECONDS]   (from the repository root; OUT=folder, default out-large; one OUT per MODELS)
# Another build on the same bundle, side by side: RECKIT="dotnet /path/RecKit.Cli.dll" bench/serve-large.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS="${1:-1000000}"
SECONDS_PER_RUN="${2:-30}"
OUT="${OUT:-out-large}"
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
mkdir -p "$OUT"
if [ -z "${RECKIT:-}" ]; then
  dotnet build -c Release src/RecKit.Cli -o "$OUT/bin" >/dev/null
  RECKIT="dotnet $OUT/bin/RecKit.Cli.dll"
fi
MODELS="${MODELS:-itemknn als}"
MODELS_JSON=$(printf '"%s", ' $MODELS); MODELS_JSON="[${MODELS_JSON%, }]"
CANDIDATES=$(printf '"%s": 100, ' $MODELS)
DATA="$OUT/synth-$ITEMS.csv"
[ -f "$DATA" ] || $RECKIT data synth --out "$DATA" --users 200000 --items "$ITEMS" --draws 12000000 --tastes 100
cat > "$OUT/run.json" <<JSON
{
  "data": { "format": "Delimited", "path": "$DATA", "user": "user_id", "item": "item_id", "values": "None" },
  "baseModels": $MODELS_JSON,
  "evaluation": { "maxUsers": 2000 },
  "stack": { "candidates": { ${CANDIDATES}"popularity": 50 }, "averageOf": $MODELS_JSON, "maxMetaUsers": 2000 }
}
JSON
ROOT="$OUT/run/bundles"
if [ ! -f "$ROOT/current" ]; then
  /usr/bin/time -v $RECKIT run --config "$OUT/run.json" --out "$OUT/run" > "$OUT/run.log" 2> "$OUT/run-time.log"
fi
grep -E "stages:|items;|retrieval" "$OUT/run.log" || true
echo "main job: wall $(grep 'Elapsed (wall clock)' "$OUT/run-time.log" | awk '{print $NF}'), peak $(grep 'Maximum resident' "$OUT/run-time.log" | awk '{printf "%.0f MB", $NF / 1024}')"
VERSION=$(cat "$ROOT/current")
echo "bundle $VERSION: $(du -sh "$ROOT/$VERSION" | cut -f1) on disk, of which indexes $(du -sh "$ROOT/$VERSION/indexes" 2>/dev/null | cut -f1), similar-items graph $(du -sh "$ROOT/$VERSION/similar" 2>/dev/null | cut -f1)"

IDS="$PWD/$OUT/ids.lua"
case "$OUT" in /*) IDS="$OUT/ids.lua" ;; esac
export IDS
{
  # Every tenth user and item in order of first appearance (20,000 of each, spread over all of them): the generator
  # writes users from the most active down, so the first 20,000 would be the heaviest tenth (median 133 items, not 36).
  printf 'users = {'; awk -F, 'NR>1 && !s[$1]++ && (m++ % 10 == 0) && n < 20000 {printf "%s\"%s\"", (n++?",":""), $1}' "$DATA"; printf '}\n'
  printf 'items = {'; awk -F, 'NR>1 && !s[$2]++ && (m++ % 10 == 0) && n < 20000 {printf "%s\"%s\"", (n++?",":""), $2}' "$DATA"; printf '}\n'
} > "$IDS"

PORT="${PORT:-5095}"
URL="http://127.0.0.1:$PORT"
KEY=bench-key
start=$(date +%s.%N)
# wrk is one client address: the per-client rate limit (serve.rateLimitPerSecond, 20,000 by default) is lifted so that
# the figures measure the service, not the limit (similar items pass 20,000 requests/s).
$RECKIT serve --bundle-root "$ROOT" --urls "$URL" --api-key "$KEY" --RecKit:RateLimitPerSecond=0 > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "$URL/health/ready" >/dev/null; do sleep 0.1; done
ready=$(date +%s.%N)
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(pgrep -f "RecKit.Cli.dll serve --bundle-root $ROOT" | head -1)/status"; }
echo "server ready in $(echo "$ready - $start" | bc) s (process start and bundle load), resident $(rss) MB"
grep -E "retrieval" "$OUT/server.log" || true

run() { # name, wrk args...
  local name="$1"; shift
  echo "== $name"
  wrk --latency "$@" 2>&1 | grep -E "Latency  |Requests/sec|50%|99%|requests in|Non-2xx|Socket errors"
  echo "   server-side errors so far: $(curl -s "$URL/metrics" | awk '/^reckit_errors_total/ {n += $2} END {print n + 0}')"
}

STACK=$(curl -s "$URL/health/ready" | python3 -c 'import json,sys; v=json.load(sys.stdin)["variants"]; print(next(x for x in ["LogisticStack","GBStack","LambdaMARTStack"] if x in v))')
VARIANT=als wrk -t1 -c8 -d5s -s bench/load/recommend.lua "$URL" >/dev/null
VARIANT=$STACK wrk -t1 -c8 -d5s -s bench/load/recommend.lua "$URL" >/dev/null
VARIANT=als run "factor path (als through its retrieval index), 8 connections" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/recommend.lua "$URL"
VARIANT=$STACK run "stack path ($STACK), 8 connections" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/recommend.lua "$URL"
run "similar items, 8 connections" -t1 -c8 -d"${SECONDS_PER_RUN}s" -s bench/load/similar.lua "$URL"
echo "resident after the load runs: $(rss) MB"

# A hot reload of a copy of the bundle, its peak resident memory sampled every 0.1 s.
cp -r "$ROOT/$VERSION" "$ROOT/v9999"
sed -i "s/\"version\": \"$VERSION\"/\"version\": \"v9999\"/" "$ROOT/v9999/manifest.json"
printf 'v9999\n' > "$ROOT/current.tmp" && mv "$ROOT/current.tmp" "$ROOT/current"
peak=$(rss)
curl -s -o "$OUT/reload.json" -w "%{http_code} %{time_total}\n" -X POST -H "X-Api-Key: $KEY" "$URL/admin/reload" > "$OUT/reload.status" &
CURL=$!
while kill -0 $CURL 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.1; done
after=$(rss)
for _ in $(seq 50); do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done # the retired bundle is collected a moment after the swap
echo "hot reload: HTTP status and seconds $(cat "$OUT/reload.status"); peak resident during it $peak MB, right after it $after MB, 10 s later $(rss) MB"
rm -rf "$ROOT/v9999"; printf '%s\n' "$VERSION" > "$ROOT/current"
