#!/usr/bin/env bash
# Captures what a running RecKit server answers, so two builds can be compared answer for answer:
#   200 known users x every variant of the bundle (and the default ranker), the same users' histories posted as
#   visitors x every variant, similar items and popular items. One JSON line per request, in a fixed order.
# Usage: bench/serve-capture.sh URL BUNDLE_DIR RATINGS_CSV OUT_FILE
#   e.g. bench/serve-capture.sh http://127.0.0.1:5091 out/bundles/v0001 data/ml-latest-small/ratings.csv before.jsonl
# Compare two captures with: diff before.jsonl after.jsonl   (no output: identical answers)
set -euo pipefail
URL="$1"; BUNDLE="$2"; RATINGS="$3"; OUT="$4"
variants=$(jq -r '.variants[].name' "$BUNDLE/manifest.json")
users=$(awk -F, 'NR>1 && !s[$1]++ {print $1}' "$RATINGS" | head -n 200)
: > "$OUT"
get() { curl -sS "$URL$1" | jq -c --arg q "$1" '{q: $q, a: .}' >> "$OUT"; }
post() { curl -sS -X POST -H 'content-type: application/json' -d "$2" "$URL$1" | jq -c --arg q "$1 $2" '{q: $q, a: .}' >> "$OUT"; }
for u in $users; do
  get "/v1/users/$u/recommendations?k=10"
  for v in $variants; do get "/v1/users/$u/recommendations?k=10&variant=$v"; done
done
for u in $(echo "$users" | head -n 20); do
  history=$(awk -F, -v u="$u" 'NR>1 && $1==u {print $2}' "$RATINGS" | head -n 15 | jq -R . | jq -sc .)
  post /v1/recommendations "{\"history\": $history, \"k\": 10}"
  for v in $variants; do post /v1/recommendations "{\"history\": $history, \"k\": 10, \"variant\": \"$v\"}"; done
done
for i in $(awk -F, 'NR>1 && !s[$2]++ {print $2}' "$RATINGS" | head -n 20); do get "/v1/items/$i/similar?k=10"; done
get "/v1/items/popular?k=20"
echo "$(wc -l < "$OUT") answers in $OUT"
