#!/usr/bin/env bash
# Rewrites the declared public API of RecKit's library assemblies (src/*/PublicAPI.Shipped.txt) from the code, for
# a change to the public surface that is meant: the build fails on any undeclared change (RS0016, RS0017), this
# script declares it, and the diff of the PublicAPI files shows it in review.
# Usage: eng/update-public-api.sh   (from anywhere; builds Release)
set -euo pipefail
cd "$(dirname "$0")/.."
for project in RecKit RecKit.LightGbm RecKit.Pipeline RecKit.Serving RecKit.Cluster; do
  printf '#nullable enable\n' > "src/$project/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "src/$project/PublicAPI.Unshipped.txt"
done
for project in RecKit RecKit.LightGbm RecKit.Pipeline RecKit.Serving RecKit.Cluster; do
  # Every public symbol the analyzer does not find declared, in the file's own format; sorted for stable diffs.
  { printf '#nullable enable\n'
    dotnet build -c Release "src/$project" -p:TreatWarningsAsErrors=false 2>&1 \
      | grep -o "RS0016: Symbol '.*' is not part of the declared public API" \
      | sed "s/^RS0016: Symbol '//; s/' is not part of the declared public API\$//" | LC_ALL=C sort -u
  } > "src/$project/PublicAPI.Shipped.txt.new"
  mv "src/$project/PublicAPI.Shipped.txt.new" "src/$project/PublicAPI.Shipped.txt"
  echo "$project: $(($(wc -l < "src/$project/PublicAPI.Shipped.txt") - 1)) public symbols"
done
dotnet build -c Release >/dev/null && echo "the build passes with the declared API"
