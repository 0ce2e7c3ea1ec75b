#!/usr/bin/env bash
# Sourced by deploy/local/run and .ci/run: selects a JDK >= 21 and exports JAVA_HOME.
# Order: an existing JAVA_HOME that is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/ /opt/java/*/ /usr/local/lib/jvm/*/; do
    [ -x "${d}bin/javac" ] || continue
    v=$(java_major "${d%/}")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then best="${d%/}"; best_v=$v; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then best="$d"; fi
  fi
  if [ -z "$best" ]; then
    echo "error: Backlog MCP needs a JDK 21 or newer; none found (looked at JAVA_HOME, /usr/lib/jvm, PATH). Install one, e.g. apt-get install openjdk-21-jdk-headless, or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
