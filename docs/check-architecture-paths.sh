#!/usr/bin/env bash
# Checks that every source path docs/architecture.md (and docs/tool-conventions.md) names exists.
# A path `svc/pkg/Class.java` in backticks means <module>/src/main/java/com/backlogmcp/svc/pkg/Class.java;
# a path starting with a module directory (`mcp-service/...`) is taken as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A module=([mcp]=mcp-service [auth]=auth-service [backlog]=backlog-service [audit]=audit-service [contracts]=contracts)
missing=0
for doc in docs/architecture.md docs/tool-conventions.md; do
  [ -f "$doc" ] || continue
  while IFS= read -r path; do
    first=${path%%/*}
    if [ -n "${module[$first]:-}" ]; then
      file="${module[$first]}/src/main/java/com/backlogmcp/$path"
    else
      file="$path"
    fi
    if [ ! -e "$file" ]; then
      echo "$doc: $path -> $file does not exist" >&2
      missing=1
    fi
  done < <(grep -o '`[A-Za-z0-9_./-]*\.\(java\|sh\|md\|yml\)`' "$doc" | tr -d '`' | grep / | sort -u)
done
[ "$missing" = 0 ] && echo "every path in the architecture docs exists"
exit "$missing"
