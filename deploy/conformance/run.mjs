// Runs the official MCP conformance suite's server scenarios that apply to a real server against a running
// local stack, on the 2025-11-25 wire and on the 2026-07-28 wire, and judges the results check by check.
//
// The suite sends no Authorization header, so a loopback proxy in front of the edge adds the API key given in
// API_KEY to every request and forwards everything else untouched (Host included, as a reverse proxy that is the
// public face of the edge does: the stack runs with MCP_PUBLIC_URL = this proxy's URL).
//
// Environment: EDGE (the edge's base URL), PROXY_PORT, API_KEY, PROJECT (default prj_acme), OUT_DIR.
// Prints one line per scenario, then "N passed, N failed"; exits non-zero when a check outside
// conformance-exclusions.json did not pass.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const edge = new URL(required('EDGE'));
const proxyPort = Number(required('PROXY_PORT'));
const apiKey = required('API_KEY');
const project = process.env.PROJECT ?? 'prj_acme';
const outDir = process.env.OUT_DIR ?? join(here, 'target', 'results');
const suite = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const plan = JSON.parse(readFileSync(join(here, 'conformance-plan.json'), 'utf8'));

function required(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`CONFORMANCE FAILED: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

function startProxy() {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, authorization: `Bearer ${apiKey}` };
    const upstream = http.request({ host: edge.hostname, port: edge.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(proxyPort, '127.0.0.1', () => resolve(server)));
}

function runScenario(scenario, specVersion, resultDir) {
  const url = `http://localhost:${proxyPort}/p/${project}/mcp`;
  const args = [suite, 'server', '--url', url, '--scenario', scenario, '--spec-version', specVersion, '-o', resultDir];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function readChecks(resultDir) {
  if (!existsSync(resultDir)) return null;
  for (const entry of readdirSync(resultDir, { recursive: true })) {
    if (String(entry).endsWith('checks.json')) {
      return JSON.parse(readFileSync(join(resultDir, String(entry)), 'utf8'));
    }
  }
  return null;
}

const proxy = await startProxy();
let passed = 0;
let failed = 0;
const failures = [];
try {
  for (const [wire, scenarios] of Object.entries(plan.run)) {
    for (const scenario of scenarios) {
      const resultDir = join(outDir, wire, scenario);
      rmSync(resultDir, { recursive: true, force: true });
      mkdirSync(resultDir, { recursive: true });
      const { code, output } = await runScenario(scenario, wire, resultDir);
      const checks = readChecks(resultDir);
      if (!checks || checks.length === 0) {
        failed++;
        failures.push(`${wire} ${scenario}: no results (exit ${code})\n${output}`);
        console.log(`SCENARIO ${wire} ${scenario}: FAILED (no results)`);
        continue;
      }
      const excused = plan.excusedChecks?.[scenario] ?? {};
      const bad = checks.filter((c) => (c.status === 'FAILURE' || (c.status === 'WARNING' && !plan.warningsAccepted)) && !excused[c.id]);
      const excusedSeen = checks.filter((c) => c.status !== 'SUCCESS' && excused[c.id]).map((c) => c.id);
      if (bad.length === 0) {
        passed++;
        console.log(`SCENARIO ${wire} ${scenario}: ok (${checks.filter((c) => c.status === 'SUCCESS').length} checks passed`
          + (excusedSeen.length ? `, excused: ${excusedSeen.join(', ')}` : '') + ')');
      } else {
        failed++;
        console.log(`SCENARIO ${wire} ${scenario}: FAILED`);
        for (const c of bad) {
          const line = `  ${c.status} ${c.id}: ${c.errorMessage ?? ''}`;
          console.log(line);
          failures.push(`${wire} ${scenario} ${c.id}: ${c.errorMessage ?? ''} ${JSON.stringify(c.details ?? {}).slice(0, 600)}`);
        }
      }
    }
  }
} finally {
  proxy.close();
  proxy.closeAllConnections?.();
}
if (failures.length) {
  console.log('--- details ---');
  for (const f of failures) console.log(f);
}
console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
