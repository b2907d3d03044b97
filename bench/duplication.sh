#!/usr/bin/env bash
# Counts duplicated blocks in the main sources of every module with PMD's copy-paste detector
# (CPD, across modules, 50 tokens or more), and lists the files involved. Usage:
#   bench/duplication.sh [TREE]   (default: this checkout; TREE may be another checkout, e.g. a
#                                  git worktree of an older commit, to compare before and after)
set -euo pipefail
tree=${1:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)}
tokens=${TOKENS:-50}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The picocli module is someone else's code, compiled from its published sources: not counted.
skip=()
[[ ! -d $tree/picocli ]] || skip=(-pl '!picocli')
if ! mvn -B -q -f "$tree/pom.xml" "${skip[@]}" org.apache.maven.plugins:maven-pmd-plugin:3.28.0:cpd \
    -Daggregate=true -DminimumTokens="$tokens" -Dformat=xml >"$log" 2>&1; then
  cat "$log" >&2
  echo "duplication: CPD failed on $tree" >&2
  exit 1
fi
report=$tree/target/cpd.xml
[[ -f $report ]] || { echo "duplication: no report at $report" >&2; exit 1; }
count=$(grep -c '<duplication' "$report" || true)
echo "duplicated blocks (CPD, >= $tokens tokens, main sources): $count"
grep -o 'path="[^"]*"' "$report" | sed "s|path=\"$tree/||; s|\"$||" | sort | uniq -c | sort -rn
