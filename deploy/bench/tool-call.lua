-- wrk script for deploy/bench/edge-latency.sh: one POST, the same for every request, taken from the environment.
--   BENCH_LABEL   name printed in the RESULT line (edge | direct)
--   BENCH_AUTH    value of the Authorization header
--   BENCH_BODY    the request body (JSON)
--   BENCH_MCP     "1" adds the MCP Streamable HTTP headers (Accept, MCP-Protocol-Version)
--   BENCH_EXPECT  a substring every successful reply contains (e.g. "isError":false); replies without it count as bad
--   BENCH_TARGETS optional "path auth;path auth;..." (auth without the "Bearer " prefix): requests cycle through
--                 them (one project per target), overriding the URL's path and BENCH_AUTH
-- Every reply is checked, so a run that quietly turned into fast refusals (quota, rate, 401) shows up as bad/non200.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
if os.getenv("BENCH_MCP") == "1" then
  wrk.headers["Accept"] = "application/json, text/event-stream"
  wrk.headers["MCP-Protocol-Version"] = "2025-06-18"
end
local expect = os.getenv("BENCH_EXPECT") or ""
local threads = {}
local targets = {}
for path, key in string.gmatch(os.getenv("BENCH_TARGETS") or "", "([^ ;]+) ([^ ;]+)") do
  table.insert(targets, { path = path, key = key })
end
local next_target = 0

if #targets > 0 then
  function request()
    next_target = next_target % #targets + 1
    local t = targets[next_target]
    wrk.headers["Authorization"] = "Bearer " .. t.key
    return wrk.format(nil, t.path)
  end
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  elseif not string.find(body, expect, 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local n, b = 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non200")
    b = b + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT %s requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non200=%d bad=%d socket_errors=%d\n",
    os.getenv("BENCH_LABEL") or "?", summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, n, b,
    e.connect + e.read + e.write + e.timeout))
end
