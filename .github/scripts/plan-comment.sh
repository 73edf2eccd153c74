#!/usr/bin/env bash
# usage: plan-comment.sh <plan output folder> <plan log>
# Prints the pull-request comment: both stacks' summary.md, or, when the plan wrote nothing (a
# refused config), the end of its log. GitHub refuses comments over 65 536 characters: a longer
# one is cut with a note.
set -euo pipefail
out="$1"
log="$2"
limit=60000

{
  echo "## vega-ha offline plan"
  echo
  wrote=false
  for stack in primary dr; do
    if [ -f "$out/$stack/summary.md" ]; then
      cat "$out/$stack/summary.md"
      echo
      wrote=true
    fi
  done
  if [ "$wrote" = false ]; then
    echo "The plan wrote nothing. Its output:"
    echo
    echo '```'
    tail -n 60 "$log"
    echo '```'
  fi
} > "$out.comment.md"

if [ "$(wc -c < "$out.comment.md")" -gt "$limit" ]; then
  head -c "$limit" "$out.comment.md"
  printf '\n\n… cut at %s characters: the full summaries are in the job log.\n' "$limit"
else
  cat "$out.comment.md"
fi
