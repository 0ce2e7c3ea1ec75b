// The installer (src/main/resources/install/backlog-mcp.cjs) run as a user runs it, against a temporary home and
// project per test: every agent's fresh file, merges into files with other servers and comments, idempotency,
// malformed files (clear error, bytes untouched), dry runs and the API-key variants. Run by InstallScriptTest.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const SCRIPT = path.resolve(__dirname, '../../main/resources/install/backlog-mcp.cjs');
const URL_ = 'http://localhost:8080/p/prj_acme/mcp';

function sandbox() {
  const root = fs.mkdtempSync(path.join(process.env.INSTALL_TEST_TMP || os.tmpdir(), 'install-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  const bin = path.join(root, 'bin'); // PATH: empty, so no agent is "detected" from the machine running the test
  for (const d of [home, project, bin]) fs.mkdirSync(d);
  const run = (args, env = {}) => {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], {
      cwd: project,
      encoding: 'utf8',
      env: { HOME: home, USERPROFILE: home, PATH: bin, ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const file = (rel) => path.join(rel.startsWith('~/') ? home : project, rel.replace(/^~\//, ''));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), text);
  };
  const read = (rel) => fs.readFileSync(file(rel), 'utf8');
  return { home, project, bin, run, file, write, read };
}

// Where each agent keeps the entry by default, and what the entry is (OAuth).
const AGENTS = {
  'claude-code': { file: '.mcp.json', keys: ['mcpServers'], entry: { type: 'http', url: URL_ } },
  cursor: { file: '.cursor/mcp.json', keys: ['mcpServers'], entry: { url: URL_ } },
  vscode: { file: '.vscode/mcp.json', keys: ['servers'], entry: { type: 'http', url: URL_ } },
  opencode: { file: 'opencode.json', keys: ['mcp'], entry: { type: 'remote', url: URL_, enabled: true } },
  antigravity: { file: '~/.gemini/antigravity/mcp_config.json', keys: ['mcpServers'],
    entry: { command: 'npx', args: ['-y', 'mcp-remote', URL_] } },
  windsurf: { file: '~/.codeium/windsurf/mcp_config.json', keys: ['mcpServers'], entry: { serverUrl: URL_ } },
  'claude-desktop': { file: '~/.config/Claude/claude_desktop_config.json', keys: ['mcpServers'],
    entry: { command: 'npx', args: ['-y', 'mcp-remote', URL_] } },
};
const JSONC = new Set(['vscode', 'opencode']);
const ALL = [...Object.keys(AGENTS), 'codex-cli'];

function at(obj, keys) {
  return keys.reduce((o, k) => o?.[k], obj);
}

function stripComments(text) {
  return text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/,(\s*[}\]])/g, '$1');
}

for (const [id, a] of Object.entries(AGENTS)) {
  test(`${id}: fresh file holds exactly the documented entry`, () => {
    const s = sandbox();
    const r = s.run(['--url', URL_, '--agent', id]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(s.read(a.file));
    assert.deepEqual(at(json, [...a.keys, 'backlog']), a.entry);
    assert.match(r.out, /verify: /);
  });

  test(`${id}: merges beside other servers and keys, keeps their text and indentation, then is idempotent`, () => {
    const s = sandbox();
    const other = a.keys[0] === 'mcp' ? { type: 'local', command: ['x'] } : { command: 'other-server', args: ['--flag'] };
    const comment = JSONC.has(id) ? '    // the team\'s own server\n' : '';
    const original = `{\n    "theme": "dark",\n    "${a.keys[0]}": {\n${comment}        "other": ${JSON.stringify(other)}\n    }\n}\n`;
    s.write(a.file, original);
    const r = s.run(['--url', URL_, '--agent', id]);
    assert.equal(r.code, 0, r.err);
    const text = s.read(a.file);
    assert.ok(text.startsWith(`{\n    "theme": "dark",\n    "${a.keys[0]}": {\n${comment}        "other": ${JSON.stringify(other)},\n        "backlog": {\n            "`),
      `other servers, comments and the 4-space indentation stay:\n${text}`);
    const json = JSON.parse(stripComments(text));
    assert.deepEqual(json[a.keys[0]].other, other);
    assert.equal(json.theme, 'dark');
    assert.deepEqual(at(json, [...a.keys, 'backlog']), a.entry);
    const mtime = fs.statSync(s.file(a.file)).mtimeMs;
    const again = s.run(['--url', URL_, '--agent', id]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /nothing to change/);
    assert.equal(s.read(a.file), text);
    assert.equal(fs.statSync(s.file(a.file)).mtimeMs, mtime, 'an unchanged file is not rewritten');
  });

  test(`${id}: an existing entry of the same name is replaced, the rest stays`, () => {
    const s = sandbox();
    const stale = { ...a.entry, url: 'http://old/p/x/mcp', serverUrl: 'http://old/p/x/mcp' };
    s.write(a.file, JSON.stringify({ [a.keys[0]]: { backlog: stale, keep: { url: 'http://k' } } }, null, 2));
    const r = s.run(['--url', URL_, '--agent', id]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(s.read(a.file));
    assert.deepEqual(at(json, [...a.keys, 'backlog']), a.entry);
    assert.deepEqual(at(json, [...a.keys, 'keep']), { url: 'http://k' });
  });

  test(`${id}: malformed file is reported with its line and left byte for byte`, () => {
    const s = sandbox();
    const broken = `{\n  "${a.keys[0]}": {\n    "other": { "url": "http://x" }\n    "oops": 1\n  }\n}\n`;
    s.write(a.file, broken);
    const r = s.run(['--url', URL_, '--agent', id]);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 4, column 5: expected "," or "}"/);
    assert.match(r.err, /not changed/);
    assert.equal(s.read(a.file), broken);
  });

  test(`${id}: dry run prints the change and writes nothing`, () => {
    const s = sandbox();
    const r = s.run(['--url', URL_, '--agent', id, '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /would create/);
    assert.ok(r.out.includes(`+ `) && r.out.includes(URL_), r.out);
    assert.equal(fs.existsSync(s.file(a.file)), false);
    s.write(a.file, '{ "other": 1 }');
    const u = s.run(['--url', URL_, '--agent', id, '--dry-run']);
    assert.match(u.out, /would update/);
    assert.equal(s.read(a.file), '{ "other": 1 }');
  });
}

test('strict-JSON agents refuse a file with comments; JSONC agents keep them, trailing commas too', () => {
  const s = sandbox();
  s.write('.cursor/mcp.json', '{\n  // mine\n  "mcpServers": {}\n}\n');
  const r = s.run(['--url', URL_, '--agent', 'cursor']);
  assert.equal(r.code, 1);
  assert.match(r.err, /line 2, column 3: comments are not allowed/);
  const vscode = '{\n\t// workspace servers\n\t"servers": {\n\t\t"a": { "type": "http", "url": "http://a" }, // trailing\n\t},\n}\n';
  s.write('.vscode/mcp.json', vscode);
  assert.equal(s.run(['--url', URL_, '--agent', 'vscode']).code, 0);
  assert.equal(s.read('.vscode/mcp.json'),
    '{\n\t// workspace servers\n\t"servers": {\n\t\t"a": { "type": "http", "url": "http://a" }, // trailing\n' +
    '\t\t"backlog": {\n\t\t\t"type": "http",\n\t\t\t"url": "http://localhost:8080/p/prj_acme/mcp"\n\t\t}\n\t},\n}\n');
});

test('a container that is not an object is an error, not an overwrite', () => {
  const s = sandbox();
  s.write('.mcp.json', '{ "mcpServers": [] }');
  const r = s.run(['--url', URL_, '--agent', 'claude-code']);
  assert.equal(r.code, 1);
  assert.match(r.err, /"mcpServers" is not an object/);
  assert.equal(s.read('.mcp.json'), '{ "mcpServers": [] }');
});

test('single-line objects stay on one line; CRLF files stay CRLF', () => {
  const s = sandbox();
  s.write('.cursor/mcp.json', '{"mcpServers": {"a": {"url": "http://a"}}}');
  assert.equal(s.run(['--url', URL_, '--agent', 'cursor']).code, 0);
  assert.equal(s.read('.cursor/mcp.json'), `{"mcpServers": {"a": {"url": "http://a"}, "backlog": {"url":"${URL_}"}}}`);
  s.write('.mcp.json', '{\r\n  "mcpServers": {\r\n  }\r\n}\r\n');
  assert.equal(s.run(['--url', URL_, '--agent', 'claude-code']).code, 0);
  assert.equal(s.read('.mcp.json'),
    `{\r\n  "mcpServers": {\r\n    "backlog": {\r\n      "type": "http",\r\n      "url": "${URL_}"\r\n    }\r\n  }\r\n}\r\n`);
});

test('--scope user writes the user files of agents that have both', () => {
  const s = sandbox();
  s.write('~/.claude.json', '{\n  "numStartups": 12,\n  "projects": {}\n}\n');
  const r = s.run(['--url', URL_, '--agent', 'claude-code,cursor,codex-cli,opencode', '--scope', 'user']);
  assert.equal(r.code, 0, r.err);
  const claude = JSON.parse(s.read('~/.claude.json'));
  assert.equal(claude.numStartups, 12);
  assert.deepEqual(claude.mcpServers.backlog, { type: 'http', url: URL_ });
  assert.deepEqual(JSON.parse(s.read('~/.cursor/mcp.json')).mcpServers.backlog, { url: URL_ });
  assert.match(s.read('~/.codex/config.toml'), /^\[mcp_servers\.backlog\]\nurl = "http:\/\/localhost:8080\/p\/prj_acme\/mcp"\n$/);
  assert.equal(JSON.parse(s.read('~/.config/opencode/opencode.json')).mcp.backlog.type, 'remote');
  assert.equal(fs.existsSync(s.file('.mcp.json')), false);
});

test('OpenCode: an existing opencode.jsonc is the file edited', () => {
  const s = sandbox();
  s.write('opencode.jsonc', '{\n  // model choice\n  "model": "x"\n}\n');
  assert.equal(s.run(['--url', URL_, '--agent', 'opencode']).code, 0);
  assert.equal(fs.existsSync(s.file('opencode.json')), false);
  assert.equal(s.read('opencode.jsonc'),
    `{\n  // model choice\n  "model": "x",\n  "mcp": {\n    "backlog": {\n      "type": "remote",\n      "url": "${URL_}",\n      "enabled": true\n    }\n  }\n}\n`);
});

// ---- Codex (TOML) ----

test('codex-cli: fresh .codex/config.toml, then idempotent', () => {
  const s = sandbox();
  const r = s.run(['--url', URL_, '--agent', 'codex-cli']);
  assert.equal(r.code, 0, r.err);
  assert.equal(s.read('.codex/config.toml'), `[mcp_servers.backlog]\nurl = "${URL_}"\n`);
  assert.match(r.out, /codex mcp login backlog/);
  assert.match(s.run(['--url', URL_, '--agent', 'codex-cli']).out, /nothing to change/);
});

test('codex-cli: merges into a config with comments, other servers and subtables; replaces only its own tables', () => {
  const s = sandbox();
  const original = [
    '# my codex settings',
    'model = "gpt-5"  # inline comment',
    'notify = [',
    '  "a", # first',
    '  "b",',
    ']',
    '',
    '[mcp_servers.docs]',
    'command = "npx"',
    "args = ['-y', \"docs-mcp\"]",
    'env = { "TOKEN" = "x", other = 1 }',
    '',
    '[mcp_servers.backlog]',
    'url = "http://old.example/p/x/mcp"',
    'startup_timeout_sec = 20',
    '',
    '[mcp_servers.backlog.http_headers]',
    '"X-Old" = "1"',
    '',
    '# profiles below',
    '[profiles.fast]',
    'model = """',
    'gpt-5-mini',
    '"""',
    '',
  ].join('\n');
  s.write('~/.codex/config.toml', original);
  const r = s.run(['--url', URL_, '--agent', 'codex-cli', '--scope', 'user']);
  assert.equal(r.code, 0, r.err);
  const expected = original
    .replace('url = "http://old.example/p/x/mcp"\nstartup_timeout_sec = 20\n\n[mcp_servers.backlog.http_headers]\n"X-Old" = "1"\n',
      `url = "${URL_}"\n`);
  assert.equal(s.read('~/.codex/config.toml'), expected);
  assert.match(s.run(['--url', URL_, '--agent', 'codex-cli', '--scope', 'user']).out, /nothing to change/);
});

test('codex-cli: appended after the last table with a blank line; API key by environment variable name', () => {
  const s = sandbox();
  s.write('.codex/config.toml', '[mcp_servers.docs]\nurl = "http://docs"');
  const r = s.run(['--url', URL_, '--agent', 'codex-cli', '--api-key-env', 'BACKLOG_API_KEY']);
  assert.equal(r.code, 0, r.err);
  assert.equal(s.read('.codex/config.toml'),
    `[mcp_servers.docs]\nurl = "http://docs"\n\n[mcp_servers.backlog]\nurl = "${URL_}"\nbearer_token_env_var = "BACKLOG_API_KEY"\n`);
});

for (const [name, broken, message] of [
  ['an unterminated string', '[mcp_servers.docs]\nurl = "http://docs\n', /line 2: unterminated string/],
  ['a duplicate table', '[a]\nx = 1\n[a]\ny = 2\n', /line 3: table \[a\] is defined twice/],
  ['a duplicate key', 'x = 1\nx = 2\n', /line 2: key "x" is defined twice/],
  ['a line that is no statement', 'model gpt\n', /line 1: expected "=" after the key/],
  ['an unclosed array', 'a = [1, 2\n', /expected "," or "\]" in an array/],
  ['the entry written as a key', '[mcp_servers]\nbacklog = { url = "http://x" }\n', /line 2: "mcp_servers.backlog" is written as a key/],
]) {
  test(`codex-cli: ${name} is reported and the file left untouched`, () => {
    const s = sandbox();
    s.write('.codex/config.toml', broken);
    const r = s.run(['--url', URL_, '--agent', 'codex-cli']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, message);
    assert.match(r.err, /config\.toml/);
    assert.equal(s.read('.codex/config.toml'), broken);
  });
}

test('codex-cli: dry run shows the diff, writes nothing', () => {
  const s = sandbox();
  s.write('.codex/config.toml', 'model = "x"\n');
  const r = s.run(['--url', URL_, '--agent', 'codex-cli', '--dry-run']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /would update .*config\.toml/);
  assert.match(r.out, /\+ \[mcp_servers\.backlog\]/);
  assert.equal(s.read('.codex/config.toml'), 'model = "x"\n');
});

// ---- API keys ----

test('API key: each agent references the environment variable where it can, in its own syntax', () => {
  const s = sandbox();
  const r = s.run(['--url', URL_, '--agent', 'claude-code,cursor,vscode,opencode,windsurf', '--api-key-env', 'BACKLOG_API_KEY']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(s.read('.mcp.json')).mcpServers.backlog.headers, { Authorization: 'Bearer ${BACKLOG_API_KEY}' });
  assert.deepEqual(JSON.parse(s.read('.cursor/mcp.json')).mcpServers.backlog.headers, { Authorization: 'Bearer ${env:BACKLOG_API_KEY}' });
  const vscode = JSON.parse(s.read('.vscode/mcp.json'));
  assert.deepEqual(vscode.servers.backlog.headers, { Authorization: 'Bearer ${input:backlog-api-key}' });
  assert.deepEqual(vscode.inputs, [{ type: 'promptString', id: 'backlog-api-key', description: 'Backlog MCP API key (bmcp_…)', password: true }]);
  assert.deepEqual(JSON.parse(s.read('opencode.json')).mcp.backlog,
    { type: 'remote', url: URL_, enabled: true, oauth: false, headers: { Authorization: 'Bearer {env:BACKLOG_API_KEY}' } });
  assert.deepEqual(JSON.parse(s.read('~/.codeium/windsurf/mcp_config.json')).mcpServers.backlog.headers,
    { Authorization: 'Bearer ${env:BACKLOG_API_KEY}' });
  assert.ok(!JSON.stringify(fs.readdirSync(s.project)).includes('bmcp_'));
  const again = s.run(['--url', URL_, '--agent', 'vscode', '--api-key-env', 'BACKLOG_API_KEY']);
  assert.match(again.out, /nothing to change/);
});

test('API key: VS Code adds its input beside the inputs already there', () => {
  const s = sandbox();
  s.write('.vscode/mcp.json', '{\n  "inputs": [\n    { "type": "promptString", "id": "db" }\n  ],\n  "servers": {}\n}\n');
  assert.equal(s.run(['--url', URL_, '--agent', 'vscode', '--api-key-env', 'K']).code, 0);
  const json = JSON.parse(s.read('.vscode/mcp.json'));
  assert.deepEqual(json.inputs.map((i) => i.id), ['db', 'backlog-api-key']);
});

test('API key: Antigravity and Claude Desktop need the value itself; the file becomes private', () => {
  const s = sandbox();
  const missing = s.run(['--url', URL_, '--agent', 'antigravity', '--api-key-env', 'BACKLOG_API_KEY']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /set BACKLOG_API_KEY in this shell/);
  assert.equal(fs.existsSync(s.file('~/.gemini/antigravity/mcp_config.json')), false);
  const env = { BACKLOG_API_KEY: 'bmcp_test_123' };
  const r = s.run(['--url', URL_, '--agent', 'antigravity,claude-desktop', '--api-key-env', 'BACKLOG_API_KEY'], env);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(s.read('~/.gemini/antigravity/mcp_config.json')).mcpServers.backlog,
    { serverUrl: URL_, headers: { Authorization: 'Bearer bmcp_test_123' } });
  assert.deepEqual(JSON.parse(s.read('~/.config/Claude/claude_desktop_config.json')).mcpServers.backlog, {
    command: 'npx', args: ['-y', 'mcp-remote', URL_, '--header', 'Authorization:${AUTH_HEADER}'],
    env: { AUTH_HEADER: 'Bearer bmcp_test_123' },
  });
  if (process.platform !== 'win32') {
    assert.equal(fs.statSync(s.file('~/.gemini/antigravity/mcp_config.json')).mode & 0o777, 0o600);
  }
  assert.ok(!r.out.includes('bmcp_test_123'), 'the key is never printed');
});

test('mcp-remote gets --allow-http only for plain http off loopback', () => {
  const s = sandbox();
  assert.equal(s.run(['--url', 'http://backlog.lan:8080/p/x/mcp', '--agent', 'claude-desktop']).code, 0);
  assert.deepEqual(JSON.parse(s.read('~/.config/Claude/claude_desktop_config.json')).mcpServers.backlog.args,
    ['-y', 'mcp-remote', 'http://backlog.lan:8080/p/x/mcp', '--allow-http']);
});

// ---- choosing agents, arguments ----

test('without --agent every detected agent is configured, and only those', () => {
  const s = sandbox();
  fs.mkdirSync(path.join(s.home, '.cursor'));
  fs.mkdirSync(path.join(s.home, '.codeium', 'windsurf'), { recursive: true });
  fs.writeFileSync(path.join(s.bin, 'codex'), '');
  const r = s.run(['--url', URL_]);
  assert.equal(r.code, 0, r.err);
  assert.ok(fs.existsSync(s.file('.cursor/mcp.json')));
  assert.ok(fs.existsSync(s.file('~/.codeium/windsurf/mcp_config.json')));
  assert.ok(fs.existsSync(s.file('.codex/config.toml')));
  for (const absent of ['.mcp.json', '.vscode/mcp.json', 'opencode.json', '~/.gemini/antigravity/mcp_config.json']) {
    assert.equal(fs.existsSync(s.file(absent)), false, absent);
  }
});

test('nothing detected, unknown agent, bad URL, bad name: usage errors with exit code 2', () => {
  const s = sandbox();
  const none = s.run(['--url', URL_]);
  assert.equal(none.code, 2);
  assert.match(none.err, /no agent detected.*--agent/s);
  for (const [args, message] of [
    [['--url', URL_, '--agent', 'emacs'], /unknown agent "emacs"/],
    [['--url', 'ftp://x', '--agent', 'cursor'], /http\(s\) URL/],
    [['--agent', 'cursor'], /--url is required/],
    [['--url', URL_, '--agent', 'cursor', '--name', 'a b'], /--name/],
    [['--url', URL_, '--agent', 'cursor', '--api-key-env', 'bmcp_secret-value'], /NAME of an environment variable/],
  ]) {
    const r = s.run(args);
    assert.equal(r.code, 2, JSON.stringify(args));
    assert.match(r.err, message);
  }
});

test('one malformed file does not stop the other agents; the exit code says something failed', () => {
  const s = sandbox();
  s.write('.cursor/mcp.json', '{ nope');
  const r = s.run(['--url', URL_, '--agent', 'cursor,claude-code']);
  assert.equal(r.code, 1);
  assert.equal(s.read('.cursor/mcp.json'), '{ nope');
  assert.deepEqual(JSON.parse(s.read('.mcp.json')).mcpServers.backlog, AGENTS['claude-code'].entry);
});

test('--list-agents names every agent and its files', () => {
  const s = sandbox();
  const r = s.run(['--list-agents']);
  assert.equal(r.code, 0);
  for (const id of ALL) assert.match(r.out, new RegExp(`\\b${id}\\b`));
});
