#!/usr/bin/env bash
# The main job's cost curve: wall time and peak memory of each stage on generated data of growing size.
# For each number of draws (default 130k, 1.25M, 5M, 20M: about 0.1M, 1M, 4M and 16M interactions of the
# MovieLens-20M shape), `reckit data synth` writes the users × items subset (TASTES=20 taste groups by default, so that
# the models have a collaborative signal to learn; TASTES=0 for popularity alone) and `reckit run` runs item-kNN, ALS
# and BPR at their defaults with their stacks on it (candidate sizes chosen by the run, ALS's weighting too where the
# data is small enough), under /usr/bin/time; prints one line per size: interactions, every
# stage's seconds, wall time, peak resident memory, and each model's NDCG@10 from the report.
# The lines also go to OUT/curve.txt, drawn at the end as OUT/cost-curve.png (`bench cost-plot`).
# Usage: bench/cost-curve.sh [DRAWS ...]   (from the repository root; OUT=folder for the files, default out-cost)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-out-cost}"
TASTES="${TASTES:-20}"
mkdir -p "$OUT"
# A copy of the build of its own: a build of the working tree during a long run cannot swap assemblies under it.
dotnet build -c Release src/RecKit.Cli -o "$OUT/bin" >/dev/null
RECKIT="dotnet $OUT/bin/RecKit.Cli.dll"
: > "$OUT/curve.txt"
for draws in "${@:-130000 1250000 5000000 20000000}"; do
  for d in $draws; do
    data="$OUT/synth-$d-t$TASTES.csv"
    [ -f "$data" ] || $RECKIT data synth --out "$data" --draws "$d" --tastes "$TASTES" >/dev/null
    cat > "$OUT/run-$d.json" <<JSON
{
  "data": { "format": "Delimited", "path": "$data", "user": "user_id", "item": "item_id", "values": "None" },
  "baseModels": ["itemknn", "als", "bpr"],
  "stack": { "averageOf": ["itemknn", "als"] }
}
JSON
    /usr/bin/time -v $RECKIT run --config "$OUT/run-$d.json" --out "$OUT/run-$d" > "$OUT/run-$d.log" 2> "$OUT/time-$d.log"
    rows=$(($(wc -l < "$data") - 1))
    stages=$(grep -o "stages: .*" "$OUT/run-$d.log")
    wall=$(grep "Elapsed (wall clock)" "$OUT/time-$d.log" | awk '{print $NF}')
    peak=$(grep "Maximum resident" "$OUT/time-$d.log" | awk '{printf "%.0f MB", $NF / 1024}')
    echo "$rows interactions: $stages; wall $wall, peak $peak" | tee -a "$OUT/curve.txt"
    grep -E "^│ [A-Za-z0-9]+ +│ [a-z_]+ +│" "$OUT/run-$d.log" | awk -F'│' '{gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $7); printf "  %s (%s) NDCG@10 %s\n", $2, $3, $7}'
    grep "candidate recall" "$OUT/run-$d.log" | sed 's/^/  /' || true
  done
done
dotnet run -c Release --project bench/RecKit.Bench -- cost-plot "$OUT/curve.txt" "$OUT/cost-curve.png"
