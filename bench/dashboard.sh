#!/usr/bin/env bash
# The dashboard measured and photographed (issue 18): a server on loopback over a copy of a bundle root, an A/B
# experiment, a minute of traffic (recommendations of every variant, impressions and clicks, ingest, a few bad
# requests), then `bench dashboard`: every page loaded RUNS times in Debian's chromium, each load printed, and with
# SHOTS set a PNG of every page.
# Usage: bench/dashboard.sh [BUNDLE_ROOT=out/bundles] [RUNS=5]   (SHOTS=folder, TRAFFIC_SECONDS=60, USER_ID, ITEM_ID)
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE="${1:-out/bundles}"
RUNS="${2:-5}"
TRAFFIC_SECONDS="${TRAFFIC_SECONDS:-60}"
USER_ID="${USER_ID:-414}"
ITEM_ID="${ITEM_ID:-1}"
PORT="${PORT:-5099}"
eng/install-test-packages.sh
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$SOURCE" "$work/bundles"
rm -f "$work/bundles/interactions.db"*
dotnet build -c Release src/RecKit.Server -o "$work/bin" >/dev/null
dotnet build -c Release bench/RecKit.Bench >/dev/null
base="http://127.0.0.1:$PORT"
dotnet "$work/bin/RecKit.Server.dll" --urls "$base" --RecKit:BundleRoot="$work/bundles" --RecKit:ApiKey=bench-key \
  --RecKit:Experiment:Name=dashboard --RecKit:Experiment:Salt=2026 \
  --RecKit:Experiment:Arms:0:Name=control --RecKit:Experiment:Arms:0:Variant=als --RecKit:Experiment:Arms:0:Weight=50 \
  --RecKit:Experiment:Arms:1:Name=stack --RecKit:Experiment:Arms:1:Variant="$(sed -n 's/.*"defaultVariant": *"\([^"]*\)".*/\1/p' "$work/bundles/$(cat "$work/bundles/current")/manifest.json")" --RecKit:Experiment:Arms:1:Weight=50 \
  > "$work/server.log" 2>&1 &
server=$!
start=$(date +%s.%N)
until curl -sf "$base/health/ready" >/dev/null; do sleep 0.5; done
echo "ready in $(echo "$(date +%s.%N) - $start" | bc) s"

users=$(curl -s "$base/dashboard/users" | grep -o 'href="/dashboard/users/[^"]*"' | sed 's/.*users\/\([^"]*\)"/\1/' | head -25)
variants=$(curl -s "$base/dashboard/users/$USER_ID" | grep -o 'data-variant="[^"]*"' | sed 's/data-variant="\(.*\)"/\1/')
end=$(( $(date +%s) + TRAFFIC_SECONDS ))
n=0
while [ "$(date +%s)" -lt "$end" ]; do
  for u in $users; do
    items=$(curl -s "$base/v1/users/$u/recommendations?k=5" | grep -o '"item":"[^"]*"' | sed 's/"item":"\(.*\)"/"\1"/' | paste -sd, -)
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"user\":\"$u\",\"items\":[$items]}" "$base/v1/feedback/impressions"
    if [ $((n % 3)) -eq 0 ]; then
      first=$(echo "$items" | cut -d, -f1)
      curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"user\":\"$u\",\"items\":[$first]}" "$base/v1/feedback/clicks"
    fi
    n=$((n + 1))
  done
  for v in $variants; do curl -s -o /dev/null "$base/v1/users/$USER_ID/recommendations?k=10&variant=$v"; done
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"user\":\"visitor-$n\",\"item\":\"$ITEM_ID\"}" "$base/v1/interactions"
  curl -s -o /dev/null "$base/v1/users/$USER_ID/recommendations?k=oops"
done
echo "traffic: $n users served with impressions over ${TRAFFIC_SECONDS} s"
dotnet bench/RecKit.Bench/bin/Release/net10.0/RecKit.Bench.dll dashboard "$base" "$RUNS" "$USER_ID" "$ITEM_ID" ${SHOTS:+"$SHOTS"}
echo "server resident memory: $(( $(ps -o rss= -p $server) / 1024 )) MB"
# Screenshots small enough for the README: 256 colours when pngquant (Debian's) is there.
if [ -n "${SHOTS:-}" ] && command -v pngquant >/dev/null; then
  for f in "$SHOTS"/*.png; do pngquant --force --quality 70-95 --speed 1 --output "$f" -- "$f"; done
fi
