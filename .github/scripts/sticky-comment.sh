#!/usr/bin/env bash
# usage: sticky-comment.sh <pull request number> <markdown file>
# Posts the file as the pull request's plan comment, or updates the one posted before (found by
# its marker), so a pull request has one plan comment that follows its latest push. Needs gh
# with GH_TOKEN (pull-requests: write) and GITHUB_REPOSITORY, both set in GitHub Actions.
set -euo pipefail
pr="$1"
file="$2"
marker='<!-- vega-ha:plan-comment -->'
body="$(printf '%s\n' "$marker"; cat "$file")"

existing="$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" \
  --jq ".[] | select(.body | startswith(\"${marker}\")) | .id" | head -n 1)"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" \
    -f body="$body" > /dev/null
  echo "updated comment ${existing}"
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" -f body="$body" > /dev/null
  echo "posted a new comment"
fi
