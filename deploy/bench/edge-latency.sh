#!/usr/bin/env bash
# Edge latency benchmark (docs/benchmarks.md "Edge latency (mcp-service)").
#
# Starts the local stack (deploy/local/run) on a fresh temporary DATA_DIR with quota and rate limits raised, logs in
# as the demo owner and creates an API key for prj_acme, finds an item through the edge, then measures with wrk, in
# the same run and against the same item:
#   edge    POST /p/prj_acme/mcp  tools/call get_item   (API key -> introspection cache, authz, quota, forward)
#   direct  POST /internal/tools/get_item on backlog-service with a service credential (what the edge forwards to)
# and prints req/s, p50 and p99 of both and the difference, then stops the stack. Loopback only, every step bounded.
# After the rounds (unless BENCH_EXTRA=0), in the same run:
#   one client  edge and direct again with 1 connection (the latency one agent sees: the edge's added p50)
#   projects    edge tools/call get_project at 16 connections, all on one project vs spread over 16 projects (the
#               owner is made a member of 15 extra projects straight in PostgreSQL; one API key per project)
# Every measured run also reports CPU milliseconds per call of each process (from /proc).
#
# Knobs (environment): BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_DURATION seconds (30), BENCH_WARMUP seconds
# (10, once at the start for each target), BENCH_REWARM seconds (20, the same traffic again right before each measured
# run), BENCH_ROUNDS (1: edge then direct; more rounds alternate, to see the machine's noise), BENCH_STARTUP_WAIT
# seconds (420), BENCH_KEEP=1 keeps the temporary DATA_DIR, BENCH_JFR=1 records every service with Java Flight Recorder
# (profile settings) and prints each one's hottest methods after the stack stopped. Ports default to 28180-28183, 28432, 28492-28493 so the
# benchmark does not collide with a developer's stack on the standard ports; MCP_PORT etc. override them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/deploy/bench"
# shellcheck source=../local/jdk.sh
source "$root/deploy/local/jdk.sh"

CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
DURATION="${BENCH_DURATION:-30}"
WARMUP="${BENCH_WARMUP:-10}"
REWARM="${BENCH_REWARM:-20}"
ROUNDS="${BENCH_ROUNDS:-1}"
STARTUP_WAIT="${BENCH_STARTUP_WAIT:-420}"
PROJECT_ID=prj_acme
USER_ID=usr_acme_owner

say() { printf '[edge-latency] %s\n' "$*"; }
die() { printf '[edge-latency] FAILED: %s\n' "$*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"
command -v node >/dev/null || die "node is not installed (Node 20 or newer)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "Node 20 or newer is needed"

export MCP_PORT="${MCP_PORT:-28180}" AUTH_PORT="${AUTH_PORT:-28181}" BACKLOG_PORT="${BACKLOG_PORT:-28182}"
export AUDIT_PORT="${AUDIT_PORT:-28183}" POSTGRES_PORT="${POSTGRES_PORT:-28432}"
export KAFKA_PORT="${KAFKA_PORT:-28492}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-28493}"
# The stack derives these from the ports; a value left over in the caller's shell would point it elsewhere.
unset MCP_PUBLIC_URL AUTH_ISSUER AUTH_URL BACKLOG_URL AUDIT_URL SERVICE_TOKEN_SECRET ARGS_HASH_SECRET AUTH_KEY_ENCRYPTION_SECRET
# Every measured call must do the full work and be granted: no quota or per-minute rate refusal during the run.
export QUOTA_DAILY_BUSINESS=1000000000 RATE_LIMIT_PER_MINUTE=1000000000
export LOG_LEVEL="${LOG_LEVEL:-WARN}"
# The launcher's default JVM options favour start-up (C1 only); a throughput measurement wants the full JIT.
export SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC}"

work="$(mktemp -d "${TMPDIR:-/tmp}/edge-latency.XXXXXX")"
export DATA_DIR="$work/data"
if [ "${BENCH_JFR:-0}" = 1 ]; then
  mkdir -p "$work/jfr"
  export SERVICE_JAVA_OPTS="$SERVICE_JAVA_OPTS -XX:StartFlightRecording=filename=$work/jfr/,settings=profile,dumponexit=true"
fi
stack_pid=""

stop_stack() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    say "stopping the stack (SIGTERM to the launcher, pid $stack_pid)"
    local children
    children="$(pgrep -P "$stack_pid" || true)"
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$stack_pid" 2>/dev/null; then
      say "the launcher did not stop within 90 s; killing it and its services"
      kill -KILL "$stack_pid" $children 2>/dev/null || true
    fi
    wait "$stack_pid" 2>/dev/null || true
  fi
  # Embedded PostgreSQL runs detached from the launcher; only ours has this run's unique data directory in its command.
  local pg
  pg="$(pgrep -f -- "$DATA_DIR/postgres" || true)"
  if [ -n "$pg" ]; then
    say "PostgreSQL of this run still running (pid $pg); stopping it"
    kill -TERM $pg 2>/dev/null || true
    sleep 3
  fi
  if [ "${BENCH_JFR:-0}" = 1 ] && [ -s "$work/service-pids.txt" ]; then
    local name pid file
    while read -r name pid; do
      file="$(ls "$work"/jfr/*"pid-$pid-"*.jfr 2>/dev/null | head -n 1 || true)"
      [ -n "$file" ] || continue
      say "JFR $name ($file): hottest methods"
      timeout 120 "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$file" 2>/dev/null | head -n 30 || true
    done <"$work/service-pids.txt"
  fi
  if [ "$rc" -ne 0 ] && [ -f "$work/stack.log" ]; then
    say "last lines of the stack output ($work/stack.log):"
    tail -n 30 "$work/stack.log" >&2 || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    say "kept $work (stack output, service logs under data/logs)"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap stop_stack EXIT
trap 'exit 130' INT TERM

say "machine: $(nproc) cores; load at start:$(uptime | sed 's/.*load average//')"
say "starting the local stack (DATA_DIR=$DATA_DIR, edge port $MCP_PORT, backlog port $BACKLOG_PORT)"
"$root/deploy/local/run" >"$work/stack.log" 2>&1 &
stack_pid=$!
deadline=$((SECONDS + STARTUP_WAIT))
until grep -q "Backlog MCP is running" "$work/stack.log" 2>/dev/null; do
  kill -0 "$stack_pid" 2>/dev/null || die "the local stack exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "the local stack did not print its banner within $STARTUP_WAIT s"
  sleep 2
done
say "stack ready: $(grep -o 'Backlog MCP is running ([^)]*)' "$work/stack.log")"

export MCP_BASE="http://127.0.0.1:$MCP_PORT" AUTH_BASE="http://127.0.0.1:$AUTH_PORT" BACKLOG_BASE="http://127.0.0.1:$BACKLOG_PORT"
export PROJECT_ID USER_ID USER_EMAIL=owner@acme.test USER_PASSWORD=demo-owner
setup=()
mapfile -t setup < <(timeout 120 node "$here/edge-latency-setup.mjs" prepare) || true
[ "${#setup[@]}" -eq 2 ] || die "setup (login, API key, list_items, first edge get_item) failed; see above"
api_key="${setup[0]}"
export ITEM_ID="${setup[1]}"
say "API key created for owner@acme.test on $PROJECT_ID; item $ITEM_ID; first edge get_item: 200, isError false"

edge_body="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_item\",\"arguments\":{\"id\":\"$ITEM_ID\"}}}"
direct_body="{\"projectId\":\"$PROJECT_ID\",\"userId\":\"$USER_ID\",\"arguments\":{\"id\":\"$ITEM_ID\"}}"
project_body='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_project","arguments":{}}}'
project_targets=""

# A service credential lives 5 minutes (ServiceTokens.LIFETIME): minted, and checked by one call, before each direct run.
direct_token() {
  local t
  t="$(timeout 60 node "$here/edge-latency-setup.mjs" direct)" || die "the direct get_item check on backlog-service failed; see above"
  printf '%s' "$t"
}

# run_wrk LABEL SECONDS [CONNECTIONS THREADS] -> prints wrk's RESULT line (and keeps wrk's full output in $work)
#   edge | edge-1c        tools/call get_item at the edge          direct | direct-1c  the same on backlog-service
#   project-1             tools/call get_project, one project      projects-16         the same over 16 projects
run_wrk() {
  local label="$1" seconds="$2" connections="${3:-$CONNECTIONS}" threads="${4:-$THREADS}" url auth body mcp out targets=""
  case "$label" in
    edge|edge-1c) url="$MCP_BASE/p/$PROJECT_ID/mcp"; auth="Bearer $api_key"; body="$edge_body"; mcp=1 ;;
    direct|direct-1c) url="$BACKLOG_BASE/internal/tools/get_item"; auth="Bearer $(direct_token)"; body="$direct_body"; mcp=0 ;;
    project-1) url="$MCP_BASE/p/$PROJECT_ID/mcp"; auth="Bearer $api_key"; body="$project_body"; mcp=1 ;;
    projects-16) url="$MCP_BASE/p/$PROJECT_ID/mcp"; auth="Bearer $api_key"; body="$project_body"; mcp=1; targets="$project_targets" ;;
    *) die "unknown wrk target $label" ;;
  esac
  out="$work/wrk-$label-$(date +%s).txt"
  BENCH_LABEL="$label" BENCH_AUTH="$auth" BENCH_BODY="$body" BENCH_MCP="$mcp" BENCH_EXPECT='"isError":false' BENCH_TARGETS="$targets" \
    timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s --latency \
      -s "$here/tool-call.lua" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk against $label failed"; }
  kill -0 "$stack_pid" 2>/dev/null || die "the local stack stopped while wrk ran against $label (see $work/stack.log)"
  grep '^RESULT ' "$out" || { cat "$out" >&2; die "wrk against $label printed no RESULT line"; }
}

# CPU time (ms) used so far by each part of the stack, to show where a request's time goes on a shared machine:
# the four services (children of the launcher), PostgreSQL (postmaster and its backends), and the launcher itself,
# which hosts the embedded Kafka broker.
tick_ms=$((1000 / $(getconf CLK_TCK)))
ticks() { local t=0 p v; for p in "$@"; do v="$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; t=$((t + v)); done; echo $((t * tick_ms)); }
service_pid() { pgrep -P "$stack_pid" -f -- "-Dbacklogmcp.service=$1 " | head -n 1; }
postmaster="$(pgrep -f -- "-D $DATA_DIR/postgres" | head -n 1 || true)"
for s in mcp-service backlog-service audit-service auth-service; do echo "$s $(service_pid "$s")"; done >"$work/service-pids.txt"
cpu_snapshot() {
  local s
  for s in mcp-service backlog-service audit-service auth-service; do printf '%s=%s ' "$s" "$(ticks "$(service_pid "$s")")"; done
  # shellcheck disable=SC2046
  printf 'postgres=%s kafka+launcher=%s\n' "$(ticks ${postmaster:-} $( [ -n "$postmaster" ] && pgrep -P "$postmaster"))" "$(ticks "$stack_pid")"
}
# cpu_report BEFORE AFTER REQUESTS -> "name=ms/request ..." for the processes that did measurable work
cpu_report() {
  awk -v b="$1" -v a="$2" -v n="$3" 'BEGIN {
    split(b, bb, " "); split(a, aa, " ");
    for (i in bb) { split(bb[i], x, "="); before[x[1]] = x[2] }
    out = ""; total = 0
    for (i in aa) { split(aa[i], y, "="); d = y[2] - before[y[1]]; total += d; if (d > 0) out = out sprintf(" %s=%.2f", y[1], d / n) }
    printf "CPU ms per request:%s total=%.2f\n", out, total / n }'
}
# Request timers (Micrometer) of every service: the edge's calls to its neighbours as its HTTP client timed them
# (http.client.requests) and each service's own handling time per route (http.server.requests), so the edge's
# added latency can be split into waiting for a neighbour and work in the edge itself.
timers_snapshot() {
  local name port
  for name in mcp:$MCP_PORT backlog:$BACKLOG_PORT audit:$AUDIT_PORT auth:$AUTH_PORT; do
    port="${name#*:}"
    curl -s -m 5 "http://127.0.0.1:$port/prometheus" 2>/dev/null \
      | grep -E '^http_(client|server)_requests_seconds_(count|sum)\{' | sed "s/^/${name%%:*} /" || true
  done
}
# timers_report BEFORE_FILE AFTER_FILE -> one line per service, timer and route: calls and mean ms during the run
timers_report() {
  awk '{ svc = $1; kind = ($2 ~ /^http_client/) ? "client" : "server"; uri = $2; sub(/.*uri="/, "", uri); sub(/".*/, "", uri)
         key = svc " " kind " " uri; v = (FILENAME == ARGV[2]) ? $NF : -$NF
         if ($2 ~ /_count\{/) c[key] += v; else t[key] += v }
       END { for (k in c) if (c[k] > 0) { split(k, p, " ");
               printf "    %-8s %-6s %-32s %7d calls  mean %7.2f ms\n", p[1], p[2], p[3], c[k], 1000 * t[k] / c[k] } }' "$1" "$2" | sort
}

# Samples PostgreSQL once a second while a run lasts: how many sessions are active and how many of them wait for a
# row lock (the quota reservation updates one quota row per project and one rate row per credential).
sample_locks() {
  command -v psql >/dev/null || return 0
  local end=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$end" ]; do
    PGPASSWORD=postgres PGCONNECT_TIMEOUT=2 timeout 3 psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d backlogmcp -Atq -F ' ' -c \
      "select count(*) filter (where state = 'active' and pid <> pg_backend_pid()), count(*) filter (where wait_event_type = 'Lock')
       from pg_stat_activity where datname = 'backlogmcp'" 2>/dev/null || true
    sleep 1
  done
}
locks_report() {
  awk 'NF == 2 { n++; a += $1; l += $2 } END { if (n) printf "PostgreSQL, sampled %d times: %.1f active sessions, %.1f of them waiting for a lock (mean)\n", n, a / n, l / n }' "$1"
}

say "warm-up: ${WARMUP} s edge, ${WARMUP} s direct (discarded)"
run_wrk edge "$WARMUP" >/dev/null
run_wrk direct "$WARMUP" >/dev/null

results="$work/results.txt"
: >"$results"
# measure ROUND LABEL [CONNECTIONS THREADS SECONDS]: one measured run with its CPU, timer and lock breakdown.
# Each measured run follows REWARM seconds of the same traffic: a JIT that has just seen a process idle (the edge
# while the direct call runs) deoptimises and recompiles its hot paths when traffic resumes, and a run started
# cold measured that compilation (85 deoptimisations and 8.8 s of C2 time inside one 30 s edge round).
measure() {
  local round="$1" label="$2" connections="${3:-$CONNECTIONS}" threads="${4:-$THREADS}" seconds="${5:-$DURATION}"
  if [ "$REWARM" -gt 0 ]; then run_wrk "$label" "$REWARM" "$connections" "$threads" >/dev/null; fi
  say "round $round: $label, $connections connections, $threads threads, ${seconds} s"
  cpu_before="$(cpu_snapshot)"
  timers_snapshot >"$work/timers-before.txt"
  sample_locks "$seconds" >"$work/locks-$label-$round.txt" &
  sampler=$!
  run_wrk "$label" "$seconds" "$connections" "$threads" | sed "s/^RESULT /RESULT round=$round /" | tee -a "$results"
  wait "$sampler" || true
  requests="$(tail -n 1 "$results" | sed -n 's/.* requests=\([0-9]*\).*/\1/p')"
  cpu_report "$cpu_before" "$(cpu_snapshot)" "${requests:-1}" | sed "s/^/  $label: /"
  timers_snapshot >"$work/timers-after.txt"
  locks_report "$work/locks-$label-$round.txt" | sed "s/^/  $label: /"
  echo "  $label: request timers during the run (service, client/server, route):"
  timers_report "$work/timers-before.txt" "$work/timers-after.txt"
}
for round in $(seq 1 "$ROUNDS"); do
  for label in edge direct; do
    measure "$round" "$label"
  done
done

if [ "${BENCH_EXTRA:-1}" = 1 ]; then
  # One client: what a single agent waits for.
  measure x edge-1c 1 1
  measure x direct-1c 1 1
  # One project vs 16 projects: 15 more projects in the demo workspace with the owner as a member, one key each.
  PGPASSWORD=postgres timeout 30 psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d backlogmcp -q -v ON_ERROR_STOP=1 -c "
    INSERT INTO backlog.projects (id, workspace_id, name)
      SELECT 'prj_bench_' || g, workspace_id, 'Bench ' || g FROM backlog.projects, generate_series(1, 15) g
       WHERE id = '$PROJECT_ID' ON CONFLICT DO NOTHING;
    INSERT INTO backlog.project_statuses (project_id, category, name)
      SELECT 'prj_bench_' || g, category, name FROM backlog.project_statuses, generate_series(1, 15) g
       WHERE project_id = '$PROJECT_ID' ON CONFLICT DO NOTHING;
    INSERT INTO backlog.members (project_id, user_id, role)
      SELECT 'prj_bench_' || g, '$USER_ID', 'owner' FROM generate_series(1, 15) g ON CONFLICT DO NOTHING;" \
    || die "could not create the 15 benchmark projects"
  keys=()
  # shellcheck disable=SC2046
  mapfile -t keys < <(timeout 300 node "$here/edge-latency-setup.mjs" keys "$PROJECT_ID" $(seq -f 'prj_bench_%g' 1 15)) || true
  [ "${#keys[@]}" -eq 16 ] || die "could not create an API key for each of the 16 projects"
  project_targets="$(printf '/p/%s/mcp %s;' $(printf '%s\n' "${keys[@]}" | awk '{print $1, $2}'))"
  measure x project-1
  measure x projects-16
fi
say "load at end:$(uptime | sed 's/.*load average//')"

# Summary: one row per target and round, then the difference edge - direct (the edge's added latency).
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
failed=0
printf '\n%-7s %-6s %10s %10s %10s %10s %8s %6s %6s\n' round target 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' requests non200 bad
while read -r line; do
  r="$(echo "$line" | field round)"; label="$(echo "$line" | awk '{print $3}')"
  n2="$(echo "$line" | field non200)"; bad="$(echo "$line" | field bad)"; se="$(echo "$line" | field socket_errors)"
  printf '%-7s %-6s %10s %10.2f %10.2f %10.2f %8s %6s %6s\n' "$r" "$label" "$(echo "$line" | field rps)" \
    "$(echo "$line" | field p50_us | awk '{print $1/1000}')" "$(echo "$line" | field p90_us | awk '{print $1/1000}')" \
    "$(echo "$line" | field p99_us | awk '{print $1/1000}')" "$(echo "$line" | field requests)" "$n2" "$bad"
  if [ "$n2" != 0 ] || [ "$bad" != 0 ] || [ "$se" != 0 ]; then failed=1; fi
done <"$results"
for round in $(seq 1 "$ROUNDS"); do
  e="$(grep "round=$round edge " "$results")"; d="$(grep "round=$round direct " "$results")"
  awk -v r="$round" \
    -v er="$(echo "$e" | field rps)" -v dr="$(echo "$d" | field rps)" \
    -v e50="$(echo "$e" | field p50_us)" -v d50="$(echo "$d" | field p50_us)" \
    -v e99="$(echo "$e" | field p99_us)" -v d99="$(echo "$d" | field p99_us)" \
    'BEGIN { printf "round %s: edge adds %.2f ms at p50 and %.2f ms at p99; edge throughput is %.0f%% of direct (%.0f vs %.0f req/s)\n",
             r, (e50 - d50) / 1000, (e99 - d99) / 1000, 100 * er / dr, er, dr }'
done
if grep -q "round=x edge-1c " "$results"; then
  e="$(grep "round=x edge-1c " "$results")"; d="$(grep "round=x direct-1c " "$results")"
  awk -v e50="$(echo "$e" | field p50_us)" -v d50="$(echo "$d" | field p50_us)" \
    'BEGIN { printf "one client: edge adds %.2f ms at p50 (%.2f vs %.2f ms)\n", (e50 - d50) / 1000, e50 / 1000, d50 / 1000 }'
  p1="$(grep "round=x project-1 " "$results")"; p16="$(grep "round=x projects-16 " "$results")"
  awk -v a="$(echo "$p1" | field rps)" -v b="$(echo "$p16" | field rps)" \
    'BEGIN { printf "get_project at the edge: one project %.0f calls/s, 16 projects %.0f calls/s\n", a, b }'
fi
[ "$failed" = 0 ] || die "some measured replies were not 200 with a successful tool result (non200/bad/socket errors above)"
say "done; every measured reply was a 200 with a successful tool result"
