#!/usr/bin/env node
// Backlog MCP installer: writes (or merges) one remote MCP server entry into the configuration file of each coding
// agent, in that agent's own documented format. Served by auth-service at /install/backlog-mcp.cjs, so the connect page
// can offer one line:
//
//   curl -fsSL <issuer>/install/backlog-mcp.cjs | node - --url https://host/p/<projectId>/mcp [--agent cursor]
//
// It needs nothing but Node.js 18 or newer (no npm packages), so it runs wherever the agents themselves run. That is
// also why the JSONC and TOML editing below is hand-written: a library would need an `npm install` first. The file is
// CommonJS (.cjs) because `node -` reads a piped script as CommonJS on every supported Node version.
//
// Rules it keeps: other servers and keys are never dropped; comments and layout survive where the format allows them
// (VS Code's and OpenCode's JSONC, Codex's TOML); running it twice changes nothing the second time; a file it cannot
// parse is reported with its line and left untouched; --dry-run prints the change and writes nothing.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HELP = `Usage: node backlog-mcp.cjs --url <MCP URL> [options]

Adds the Backlog MCP server to your coding agents' configuration files.

Options:
  --url URL            the project's MCP endpoint, e.g. https://backlog.example.com/p/prj_123/mcp (required)
  --agent LIST         comma-separated: AGENT_IDS
                       (default: every agent detected on this machine or in this project)
  --name NAME          the server's name in the agent (default: backlog)
  --scope SCOPE        project (the agent's file in this project, where it has one) or user (default: project)
  --project DIR        the project directory for project files (default: the current directory)
  --api-key-env VAR    authenticate with an API key read from environment variable VAR instead of OAuth
  --dry-run            print what would change, write nothing
  --list-agents        list the agents, their files and whether they were detected
  -h, --help           this help
`;

class InstallError extends Error {
}

// ---------------------------------------------------------------------------------------------------------------
// Agents: where each keeps its MCP servers and what an entry looks like (see docs/agents.md for the sources).
// ---------------------------------------------------------------------------------------------------------------

function platformDirs(home) {
  const appData = process.env.APPDATA || path.join(home, 'AppData', 'Roaming');
  if (process.platform === 'darwin') return { config: path.join(home, 'Library', 'Application Support') };
  if (process.platform === 'win32') return { config: appData };
  return { config: process.env.XDG_CONFIG_HOME || path.join(home, '.config') };
}

function bearer(apiKeyEnv, style) {
  if (!apiKeyEnv) return undefined;
  return { Authorization: `Bearer ${style(apiKeyEnv)}` };
}

/** The key's value itself, for the two agents whose files cannot reference an environment variable. */
function literalKey(opts, agentLabel) {
  const value = process.env[opts.apiKeyEnv];
  if (!value) {
    throw new InstallError(`${agentLabel} cannot read environment variables in its MCP configuration, so the key itself ` +
      `goes into the file: set ${opts.apiKeyEnv} in this shell and run again`);
  }
  return value;
}

/** mcp-remote: a local stdio bridge that speaks Streamable HTTP and runs the OAuth flow in the browser. */
function mcpRemoteArgs(url) {
  const args = ['-y', 'mcp-remote', url];
  const u = new URL(url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol === 'http:' && !loopback) args.push('--allow-http');
  return args;
}

const AGENTS = [
  {
    id: 'claude-code', label: 'Claude Code', format: 'json', container: ['mcpServers'],
    files: (ctx) => ({ project: path.join(ctx.project, '.mcp.json'), user: path.join(ctx.home, '.claude.json') }),
    detect: (ctx) => exists(path.join(ctx.home, '.claude')) || exists(path.join(ctx.home, '.claude.json')) ||
      onPath('claude') || exists(path.join(ctx.project, '.mcp.json')),
    entry: (o) => pruned({ type: 'http', url: o.url, headers: bearer(o.apiKeyEnv, (v) => `\${${v}}`) }),
    verify: (o) => [`claude mcp list`,
      o.apiKeyEnv ? `export ${o.apiKeyEnv}=bmcp_… before starting claude` : `in claude: /mcp → ${o.name} → Authenticate`,
      ...(o.scope === 'project' ? ['Claude Code asks you to approve a project .mcp.json server the first time'] : [])],
  },
  {
    id: 'codex-cli', label: 'Codex CLI', format: 'toml', container: ['mcp_servers'],
    files: (ctx) => ({
      project: path.join(ctx.project, '.codex', 'config.toml'),
      user: path.join(process.env.CODEX_HOME || path.join(ctx.home, '.codex'), 'config.toml'),
    }),
    detect: (ctx) => exists(process.env.CODEX_HOME || path.join(ctx.home, '.codex')) || onPath('codex') ||
      exists(path.join(ctx.project, '.codex')),
    entry: (o) => pruned({ url: o.url, bearer_token_env_var: o.apiKeyEnv }),
    verify: (o) => [`codex mcp list`,
      o.apiKeyEnv ? `export ${o.apiKeyEnv}=bmcp_… before starting codex` : `codex mcp login ${o.name}`,
      ...(o.scope === 'project' ? ['Codex reads .codex/config.toml only in a project you have trusted'] : [])],
  },
  {
    id: 'cursor', label: 'Cursor', format: 'json', container: ['mcpServers'],
    files: (ctx) => ({ project: path.join(ctx.project, '.cursor', 'mcp.json'), user: path.join(ctx.home, '.cursor', 'mcp.json') }),
    detect: (ctx) => exists(path.join(ctx.home, '.cursor')) || exists(path.join(ctx.project, '.cursor')) || onPath('cursor'),
    entry: (o) => pruned({ url: o.url, headers: bearer(o.apiKeyEnv, (v) => `\${env:${v}}`) }),
    verify: (o) => [`Cursor Settings → MCP lists "${o.name}"${o.apiKeyEnv ? '' : ' (choose Connect/Login to sign in)'}`,
      `or, with Cursor's CLI: cursor-agent mcp list`],
  },
  {
    id: 'vscode', label: 'VS Code (Copilot)', format: 'jsonc', container: ['servers'],
    files: (ctx) => ({
      project: path.join(ctx.project, '.vscode', 'mcp.json'),
      user: path.join(platformDirs(ctx.home).config, 'Code', 'User', 'mcp.json'),
    }),
    detect: (ctx) => exists(path.join(platformDirs(ctx.home).config, 'Code')) || exists(path.join(ctx.project, '.vscode')) ||
      onPath('code'),
    entry: (o) => pruned({ type: 'http', url: o.url, headers: bearer(o.apiKeyEnv, () => `\${input:${o.name}-api-key}`) }),
    // The API key is prompted for once and kept in VS Code's secret storage instead of the file.
    inputs: (o) => (o.apiKeyEnv ? [{ type: 'promptString', id: `${o.name}-api-key`, description: 'Backlog MCP API key (bmcp_…)', password: true }] : []),
    verify: (o) => [`Command Palette → "MCP: List Servers" shows "${o.name}"; start it${o.apiKeyEnv ? ' and paste the key when asked' : ' and sign in when asked'}`],
  },
  {
    id: 'opencode', label: 'OpenCode', format: 'jsonc', container: ['mcp'],
    files: (ctx) => ({
      project: firstExisting([path.join(ctx.project, 'opencode.jsonc')], path.join(ctx.project, 'opencode.json')),
      user: firstExisting([path.join(ctx.home, '.config', 'opencode', 'opencode.jsonc')], path.join(ctx.home, '.config', 'opencode', 'opencode.json')),
    }),
    newFile: { $schema: 'https://opencode.ai/config.json' },
    detect: (ctx) => exists(path.join(ctx.home, '.config', 'opencode')) || onPath('opencode') ||
      exists(path.join(ctx.project, 'opencode.json')) || exists(path.join(ctx.project, 'opencode.jsonc')),
    entry: (o) => (o.apiKeyEnv
      ? { type: 'remote', url: o.url, enabled: true, oauth: false, headers: bearer(o.apiKeyEnv, (v) => `{env:${v}}`) }
      : { type: 'remote', url: o.url, enabled: true }),
    verify: (o) => [`opencode mcp list`, o.apiKeyEnv ? `export ${o.apiKeyEnv}=bmcp_… before starting opencode` : `opencode mcp auth ${o.name}`],
  },
  {
    id: 'antigravity', label: 'Antigravity', format: 'json', container: ['mcpServers'], userOnly: true,
    files: (ctx) => ({ user: path.join(ctx.home, '.gemini', 'antigravity', 'mcp_config.json') }),
    detect: (ctx) => exists(path.join(ctx.home, '.gemini', 'antigravity')) || onPath('antigravity'),
    // Antigravity documents no OAuth for remote servers: OAuth goes through the mcp-remote bridge, an API key
    // through serverUrl + headers (its file has no environment-variable syntax, so the key is written as is).
    entry: (o) => (o.apiKeyEnv
      ? { serverUrl: o.url, headers: { Authorization: `Bearer ${literalKey(o, 'Antigravity')}` } }
      : { command: 'npx', args: mcpRemoteArgs(o.url) }),
    secret: (o) => Boolean(o.apiKeyEnv),
    verify: (o) => [`Agent panel → … → MCP Servers → Manage MCP Servers → Refresh; "${o.name}" is listed`,
      ...(o.apiKeyEnv ? [] : ['the browser opens to sign in the first time (mcp-remote needs Node.js 18+)'])],
  },
  {
    id: 'windsurf', label: 'Windsurf', format: 'json', container: ['mcpServers'], userOnly: true,
    files: (ctx) => ({ user: path.join(ctx.home, '.codeium', 'windsurf', 'mcp_config.json') }),
    detect: (ctx) => exists(path.join(ctx.home, '.codeium', 'windsurf')) || onPath('windsurf'),
    entry: (o) => pruned({ serverUrl: o.url, headers: bearer(o.apiKeyEnv, (v) => `\${env:${v}}`) }),
    verify: (o) => [`Cascade → MCP servers → refresh; "${o.name}" is listed${o.apiKeyEnv ? '' : ' (sign in when the browser opens)'}`],
  },
  {
    id: 'claude-desktop', label: 'Claude Desktop', format: 'json', container: ['mcpServers'], userOnly: true,
    files: (ctx) => ({ user: path.join(platformDirs(ctx.home).config, 'Claude', 'claude_desktop_config.json') }),
    detect: (ctx) => exists(path.join(platformDirs(ctx.home).config, 'Claude')),
    // A custom connector is reached from Anthropic's cloud; mcp-remote runs locally, so it also reaches a local stack.
    // The header is written without a space after the colon: Claude Desktop on Windows does not escape spaces in args.
    entry: (o) => (o.apiKeyEnv
      ? { command: 'npx', args: [...mcpRemoteArgs(o.url), '--header', 'Authorization:${AUTH_HEADER}'],
        env: { AUTH_HEADER: `Bearer ${literalKey(o, 'Claude Desktop')}` } }
      : { command: 'npx', args: mcpRemoteArgs(o.url) }),
    secret: (o) => Boolean(o.apiKeyEnv),
    verify: (o) => [`quit and restart Claude Desktop; Settings → Developer shows "${o.name}" running`,
      ...(o.apiKeyEnv ? [] : ['the browser opens to sign in the first time (mcp-remote needs Node.js 18+)'])],
  },
];

function pruned(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function exists(p) {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function firstExisting(candidates, fallback) {
  return candidates.find(exists) || fallback;
}

function onPath(command) {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  return (process.env.PATH || '').split(path.delimiter).filter(Boolean)
    .some((dir) => exts.some((ext) => exists(path.join(dir, command + ext))));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON and JSONC: a parser that remembers where every value is, so an edit touches only the text it replaces.
// ---------------------------------------------------------------------------------------------------------------

function parseJson(text, { jsonc, file }) {
  let i = 0;
  const fail = (message, at = i) => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new InstallError(`${file}: line ${line}, column ${column}: ${message}`);
  };
  const skip = () => {
    for (;;) {
      while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i])) i++;
      if (text.startsWith('//', i) || text.startsWith('/*', i)) {
        if (!jsonc) fail('comments are not allowed in this file (the agent reads it as plain JSON)');
        if (text[i + 1] === '/') {
          while (i < text.length && text[i] !== '\n') i++;
        } else {
          const end = text.indexOf('*/', i + 2);
          if (end < 0) fail('unterminated comment');
          i = end + 2;
        }
      } else {
        return;
      }
    }
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('unterminated string', start);
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      return fail('invalid string', start);
    }
  };
  const value = () => {
    skip();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members = [];
      const seen = new Set();
      skip();
      while (text[i] !== '}') {
        if (text[i] !== '"') fail(i >= text.length ? 'unexpected end of file, expected "}"' : 'expected a "quoted" key');
        const keyStart = i;
        const key = string();
        if (seen.has(key)) fail(`duplicate key "${key}"`, keyStart);
        seen.add(key);
        skip();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        const v = value();
        members.push({ key, keyStart, value: v });
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === '}' && !jsonc) fail('trailing comma');
        } else if (text[i] !== '}') {
          fail(i >= text.length ? 'unexpected end of file, expected "}"' : 'expected "," or "}"');
        }
      }
      i++;
      return { kind: 'object', start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items = [];
      skip();
      while (text[i] !== ']') {
        if (i >= text.length) fail('unexpected end of file, expected "]"');
        items.push(value());
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === ']' && !jsonc) fail('trailing comma');
        } else if (text[i] !== ']') {
          fail('expected "," or "]"');
        }
      }
      i++;
      return { kind: 'array', start, end: i, items };
    }
    if (c === '"') return { kind: 'value', start, value: string(), end: i };
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail(i >= text.length ? 'unexpected end of file' : `unexpected "${text[i]}"`);
    i += m[0].length;
    return { kind: 'value', start, end: i, value: JSON.parse(m[0]) };
  };
  skip();
  if (i >= text.length) return null; // an empty file is an empty configuration
  const root = value();
  skip();
  if (i < text.length) fail('unexpected text after the end of the JSON value');
  if (root.kind !== 'object') fail('the file must contain a JSON object', root.start);
  return root;
}

function plain(node) {
  if (node.kind === 'object') return Object.fromEntries(node.members.map((m) => [m.key, plain(m.value)]));
  if (node.kind === 'array') return node.items.map(plain);
  return node.value;
}

function sameValue(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** The file's own layout: line ending and indentation unit (two spaces when it has none yet). */
function layoutOf(text) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let unit = null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m) continue;
    if (m[1].startsWith('\t')) return { eol, unit: '\t' };
    if (unit === null || m[1].length < unit.length) unit = m[1];
  }
  return { eol, unit: unit || '  ' };
}

function lineStart(text, at) {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The indentation of the line holding `at`, and whether `at` is the first thing on that line. */
function lineIndent(text, at) {
  const start = lineStart(text, at);
  const indent = /^[ \t]*/.exec(text.slice(start, at))[0];
  return { indent, first: start + indent.length === at };
}

function render(value, indent, layout) {
  return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + indent);
}

function singleLine(text, node) {
  return !text.slice(node.start, node.end).includes('\n');
}

/** Inserts a member (key: value) or, with key === null, an array item at the end of an object or array node. */
function appendTo(text, node, key, value, layout) {
  const children = node.kind === 'object' ? node.members.map((m) => ({ start: m.keyStart, end: m.value.end })) : node.items;
  const piece = (indent) => (key === null ? '' : `${JSON.stringify(key)}: `) + render(value, indent, layout);
  if (children.length > 0 && singleLine(text, node)) {
    const last = children[children.length - 1];
    return text.slice(0, last.end) + ', ' + (key === null ? '' : `${JSON.stringify(key)}: `) + JSON.stringify(value) + text.slice(last.end);
  }
  const outer = lineIndent(text, node.start).indent;
  if (children.length === 0) {
    const open = node.start + 1;
    const close = node.end - 1;
    const inner = outer + layout.unit;
    if (/^\s*$/.test(text.slice(open, close))) {
      return text.slice(0, open) + layout.eol + inner + piece(inner) + layout.eol + outer + text.slice(close);
    }
    return text.slice(0, open) + layout.eol + inner + piece(inner) + text.slice(open); // keep the comments inside
  }
  const first = lineIndent(text, children[0].start);
  const inner = first.first ? first.indent : outer + layout.unit;
  const last = children[children.length - 1];
  let at = last.end;
  let comma = ',';
  const rest = /^[ \t]*,/.exec(text.slice(at));
  if (rest) {
    at += rest[0].length; // a trailing comma (JSONC) already separates
    comma = '';
  }
  const lineComment = /^[ \t]*\/\/[^\n]*/.exec(text.slice(at));
  if (lineComment) at += lineComment[0].length; // keep a comment on the last line with the member it belongs to
  const before = comma ? text.slice(0, last.end) + comma + text.slice(last.end, at) : text.slice(0, at);
  return before + layout.eol + inner + piece(inner) + text.slice(at);
}

function replaceNode(text, node, value, holder, layout) {
  const rendered = singleLine(text, holder) ? JSON.stringify(value) : render(value, lineIndent(text, node.start).indent, layout);
  return text.slice(0, node.start) + rendered + text.slice(node.end);
}

/** Sets root[path...] = value, creating the objects on the way. Answers the new text. */
function jsonSet(text, root, keys, value, layout, file) {
  let node = root;
  for (let depth = 0; depth < keys.length; depth++) {
    const key = keys[depth];
    const member = node.members.find((m) => m.key === key);
    if (!member) {
      let nested = value;
      for (let k = keys.length - 1; k > depth; k--) nested = { [keys[k]]: nested };
      return appendTo(text, node, key, nested, layout);
    }
    if (depth === keys.length - 1) return replaceNode(text, member.value, value, node, layout);
    if (member.value.kind !== 'object') {
      throw new InstallError(`${file}: "${keys.slice(0, depth + 1).join('.')}" is not an object; fix it by hand and run again`);
    }
    node = member.value;
  }
  return text;
}

function editJson(text, agent, opts, file) {
  const jsonc = agent.format === 'jsonc';
  const desired = agent.entry(opts);
  const keys = [...agent.container, opts.name];
  const inputs = agent.inputs ? agent.inputs(opts) : [];
  let root = parseJson(text, { jsonc, file });
  if (!root) {
    const fresh = { ...(agent.newFile || {}) };
    if (inputs.length) fresh.inputs = inputs;
    let target = fresh;
    for (const k of agent.container) target = target[k] = {};
    target[opts.name] = desired;
    return JSON.stringify(fresh, null, 2) + '\n';
  }
  const layout = layoutOf(text);
  let current = plain(root);
  for (const k of keys.slice(0, -1)) {
    const v = current?.[k];
    if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) {
      throw new InstallError(`${file}: "${k}" is not an object; fix it by hand and run again`);
    }
    current = v;
  }
  if (current === undefined || !sameValue(current[opts.name], desired)) {
    text = jsonSet(text, root, keys, desired, layout, file);
  }
  for (const input of inputs) {
    root = parseJson(text, { jsonc, file });
    const member = root.members.find((m) => m.key === 'inputs');
    if (!member) {
      text = appendTo(text, root, 'inputs', [input], layout);
      continue;
    }
    if (member.value.kind !== 'array') throw new InstallError(`${file}: "inputs" is not an array; fix it by hand and run again`);
    const existing = member.value.items.find((n) => n.kind === 'object' && plain(n).id === input.id);
    if (!existing) text = appendTo(text, member.value, null, input, layout);
    else if (!sameValue(plain(existing), input)) text = replaceNode(text, existing, input, member.value, layout);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// TOML (Codex): a line-level reader that knows tables, keys and where each statement ends, enough to replace one
// [mcp_servers.<name>] table and leave every other byte alone. It rejects what TOML rejects in the places it reads.
// ---------------------------------------------------------------------------------------------------------------

function scanToml(text, file) {
  let i = 0;
  let line = 1;
  const fail = (message) => {
    throw new InstallError(`${file}: line ${line}: ${message}`);
  };
  const ws = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const wsNl = () => {
    for (;;) {
      ws();
      if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
      else if (text[i] === '\r' && text[i + 1] === '\n') i++;
      else if (text[i] === '\n') {
        i++;
        line++;
      } else return;
    }
  };
  const basicString = () => {
    if (text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      if (end < 0) fail('unterminated """ string');
      let close = end + 3;
      while (text[close] === '"' && close - end < 5) close++;
      line += (text.slice(i, close).match(/\n/g) || []).length;
      const raw = text.slice(i, close);
      i = close;
      return { raw };
    }
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    let value;
    try {
      value = JSON.parse(text.slice(start, i).replace(/\\U([0-9A-Fa-f]{8})/g, (_, h) => String.fromCodePoint(parseInt(h, 16))));
    } catch {
      fail('invalid escape in string');
    }
    return { value, raw: text.slice(start, i) };
  };
  const literalString = () => {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      if (end < 0) fail("unterminated ''' string");
      line += (text.slice(i, end).match(/\n/g) || []).length;
      const raw = text.slice(i, end + 3);
      i = end + 3;
      return { raw };
    }
    const start = i++;
    while (i < text.length && text[i] !== "'" && text[i] !== '\n') i++;
    if (text[i] !== "'") fail('unterminated string');
    i++;
    return { value: text.slice(start + 1, i - 1), raw: text.slice(start, i) };
  };
  const key = () => {
    const parts = [];
    for (;;) {
      ws();
      if (text[i] === '"') {
        const s = basicString();
        if (s.value === undefined) fail('a key cannot be a multi-line string');
        parts.push(s.value);
      } else if (text[i] === "'") {
        const s = literalString();
        if (s.value === undefined) fail('a key cannot be a multi-line string');
        parts.push(s.value);
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 200));
        if (!m) fail(i >= text.length || text[i] === '\n' ? 'expected a key' : `unexpected "${text[i]}" in a key`);
        parts.push(m[0]);
        i += m[0].length;
      }
      ws();
      if (text[i] !== '.') return parts;
      i++;
    }
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '"') return basicString();
    if (c === "'") return literalString();
    if (c === '[') {
      const start = i++;
      for (;;) {
        wsNl();
        if (text[i] === ']') break;
        value();
        wsNl();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expected "," or "]" in an array');
      }
      i++;
      return { raw: text.slice(start, i) };
    }
    if (c === '{') {
      const start = i++;
      ws();
      if (text[i] === '}') {
        i++;
        return { raw: '{}' };
      }
      const seen = new Set();
      for (;;) {
        const k = key().join('.');
        if (seen.has(k)) fail(`duplicate key "${k}" in an inline table`);
        seen.add(k);
        if (text[i] !== '=') fail('expected "=" in an inline table');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') break;
        fail('expected "," or "}" in an inline table');
      }
      i++;
      return { raw: text.slice(start, i) };
    }
    const m = /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?|\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}(?:\.\d+)?|true|false|[+-]?(?:inf|nan)|[+-]?(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.[\d_]+)?(?:[eE][+-]?\d+)?))/.exec(text.slice(i, i + 100));
    if (!m) fail(i >= text.length || text[i] === '\n' ? 'expected a value' : `unexpected "${text[i]}" where a value belongs`);
    i += m[0].length;
    return { raw: m[0] };
  };
  const endOfLine = () => {
    ws();
    if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
    if (text[i] === '\r') i++;
    if (i < text.length && text[i] !== '\n') fail(`unexpected "${text[i]}" after the value`);
  };

  const tables = []; // {path, array, start}
  const keys = []; // {table (path), key (path), start, end, value}
  const defined = new Set();
  let table = [];
  while (i < text.length) {
    wsNl();
    if (i >= text.length) break;
    const start = lineStart(text, i);
    if (text[i] === '[') {
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      const p = key();
      if (text[i] !== ']' || (array && text[i + 1] !== ']')) fail(`expected "${array ? ']]' : ']'}"`);
      i += array ? 2 : 1;
      endOfLine();
      const id = JSON.stringify(p);
      if (!array && defined.has(id)) fail(`table [${p.join('.')}] is defined twice`);
      defined.add(id);
      tables.push({ path: p, array, start });
      table = p;
    } else {
      const k = key();
      if (text[i] !== '=') fail('expected "=" after the key');
      i++;
      const v = value();
      endOfLine();
      const id = JSON.stringify([...table, ...k]);
      if (defined.has(id)) fail(`key "${k.join('.')}" is defined twice`);
      defined.add(id);
      keys.push({ table, key: k, start, value: v, line });
    }
  }
  return { tables, keys };
}

function tomlKey(k) {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function tomlValue(v) {
  if (typeof v === 'string') return JSON.stringify(v); // JSON string escapes are valid TOML basic-string escapes
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  throw new InstallError('internal: unsupported TOML value');
}

function editToml(text, agent, opts, file) {
  const desired = agent.entry(opts);
  const { tables, keys } = scanToml(text, file);
  const own = [...agent.container, opts.name];
  const startsWith = (p, prefix) => prefix.every((seg, n) => p[n] === seg);
  const elsewhere = keys.find((k) => startsWith([...k.table, ...k.key], own) && !startsWith(k.table, own)) ||
    keys.find((k) => startsWith(own, [...k.table, ...k.key]));
  if (elsewhere) {
    throw new InstallError(`${file}: line ${elsewhere.line}: "${[...elsewhere.table, ...elsewhere.key].join('.')}" is written ` +
      `as a key there; this installer only edits the [${own.join('.')}] table form: remove that line (or edit it by hand) and run again`);
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const block = [`[${own.map(tomlKey).join('.')}]`, ...Object.entries(desired).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)]
    .join(eol) + eol;
  const sections = tables.map((t, n) => ({ ...t, end: n + 1 < tables.length ? tables[n + 1].start : text.length }));
  const mine = sections.filter((s) => startsWith(s.path, own));
  if (mine.length === 0) {
    const sep = text.length === 0 ? '' : text.endsWith('\n') ? (text.endsWith(eol + eol) || text === eol ? '' : eol) : eol + eol;
    return text + sep + block;
  }
  const main = mine.find((s) => s.path.length === own.length && !s.array);
  const mainKeys = main ? keys.filter((k) => k.table === main.path || JSON.stringify(k.table) === JSON.stringify(main.path)) : [];
  const current = Object.fromEntries(mainKeys.map((k) => [k.key.join('.'), k.value.value === undefined ? k.value.raw : k.value.value]));
  if (mine.length === 1 && main && sameValue(current, desired)) return text;
  // Replace the first of our sections with the block and drop the others ([<name>.env], [<name>.http_headers] …);
  // comment and blank lines at the end of a section stay, as they usually introduce what follows.
  let result = '';
  let at = 0;
  mine.forEach((s, n) => {
    const lines = text.slice(s.start, s.end).split('\n');
    let cut = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    while (cut > 1 && /^[ \t]*(?:#.*)?\r?$/.test(lines[cut - 1])) cut--;
    const keepFrom = Math.min(s.end, s.start + lines.slice(0, cut).reduce((sum, l) => sum + l.length + 1, 0));
    result += text.slice(at, s.start) + (n === 0 ? block : '');
    let kept = text.slice(keepFrom, s.end);
    if (/\n[ \t]*\r?\n$/.test(result)) kept = kept.replace(/^(?:[ \t]*\r?\n)+/, ''); // one blank line between, not two
    result += kept;
    at = s.end;
  });
  return result + text.slice(at);
}

// ---------------------------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { name: 'backlog', scope: 'project', project: process.cwd(), dryRun: false, agents: null };
  const take = (n) => {
    const v = argv[n + 1];
    if (v === undefined || v.startsWith('--')) throw new InstallError(`${argv[n]} needs a value`);
    return v;
  };
  for (let n = 0; n < argv.length; n++) {
    const a = argv[n];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    const val = () => (inline !== null ? inline : take(n++));
    switch (flag) {
      case '--url': opts.url = val(); break;
      case '--agent': opts.agents = val().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--name': opts.name = val(); break;
      case '--scope': opts.scope = val(); break;
      case '--project': opts.project = path.resolve(val()); break;
      case '--api-key-env': opts.apiKeyEnv = val(); break;
      case '--dry-run': opts.dryRun = true; break;
      case '--list-agents': opts.list = true; break;
      case '-h': case '--help': opts.help = true; break;
      default: throw new InstallError(`unknown option ${a} (see --help)`);
    }
  }
  if (opts.help || opts.list) return opts;
  if (!opts.url) throw new InstallError('--url is required, e.g. --url https://backlog.example.com/p/prj_123/mcp');
  let u;
  try {
    u = new URL(opts.url);
  } catch {
    throw new InstallError(`--url ${opts.url} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InstallError('--url must be an http(s) URL');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(opts.name)) throw new InstallError('--name may use letters, digits, "-" and "_" only');
  if (!['project', 'user'].includes(opts.scope)) throw new InstallError('--scope must be "project" or "user"');
  if (opts.apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.apiKeyEnv)) {
    throw new InstallError('--api-key-env takes the NAME of an environment variable, e.g. BACKLOG_API_KEY');
  }
  const ids = AGENTS.map((a) => a.id);
  for (const id of opts.agents || []) {
    if (!ids.includes(id)) throw new InstallError(`unknown agent "${id}"; one of: ${ids.join(', ')}`);
  }
  return opts;
}

function fileFor(agent, ctx, scope) {
  const files = agent.files(ctx);
  return files[scope] || files.user;
}

function tilde(p, home) {
  return p.startsWith(home + path.sep) ? '~' + p.slice(home.length) : p;
}

/** A line diff of the changed region (config files are small; common head and tail are cut off first). */
function diff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out = [];
  for (let n = Math.max(0, head - 2); n < head; n++) out.push(`  ${a[n]}`);
  for (let n = head; n < a.length - tail; n++) out.push(`- ${a[n]}`);
  for (let n = head; n < b.length - tail; n++) out.push(`+ ${b[n]}`);
  for (let n = a.length - tail; n < Math.min(a.length, a.length - tail + 2); n++) out.push(`  ${a[n]}`);
  return out.map((l) => '    ' + l.replace(/\r$/, '')).join('\n');
}

function writeAtomically(file, text, secret) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let mode = secret ? 0o600 : 0o644;
  try {
    mode = fs.statSync(file).mode & 0o777 & (secret ? 0o600 : 0o777);
  } catch {
    // a new file
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

function install(agent, opts, ctx, out) {
  const scope = agent.userOnly ? 'user' : opts.scope;
  const file = fileFor(agent, ctx, scope);
  const shown = tilde(file, ctx.home);
  const o = { ...opts, scope };
  const before = exists(file) ? fs.readFileSync(file, 'utf8') : '';
  const after = agent.format === 'toml' ? editToml(before, agent, o, shown) : editJson(before, agent, o, shown);
  if (after === before) {
    out(`= ${agent.label}: "${opts.name}" is already set up in ${shown}; nothing to change`);
  } else if (opts.dryRun) {
    out(`~ ${agent.label}: would ${before ? 'update' : 'create'} ${shown}`);
    out(diff(before, after));
  } else {
    writeAtomically(file, after, agent.secret && agent.secret(o));
    out(`✔ ${agent.label}: ${before ? 'updated' : 'created'} ${shown} (server "${opts.name}")`);
    if (agent.secret && agent.secret(o)) out(`  the file now holds the API key: keep it private (mode 600), never commit it`);
  }
  for (const line of agent.verify(o)) out(`  verify: ${line}`);
}

function main(argv) {
  const out = (s) => process.stdout.write(s + '\n');
  const err = (s) => process.stderr.write(s + '\n');
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof InstallError)) throw e;
    err(`backlog-mcp: ${e.message}`);
    return 2;
  }
  const ids = AGENTS.map((a) => a.id);
  if (opts.help) {
    out(HELP.replace('AGENT_IDS', ids.join(', ')));
    return 0;
  }
  const ctx = { home: os.homedir(), project: opts.project };
  if (opts.list) {
    for (const a of AGENTS) {
      const files = a.files(ctx);
      const where = Object.entries(files).map(([s, f]) => `${s}: ${tilde(f, ctx.home)}`).join(', ');
      out(`${a.detect(ctx) ? '*' : ' '} ${a.id.padEnd(15)} ${a.label.padEnd(18)} ${where}`);
    }
    out('(* = detected)');
    return 0;
  }
  const chosen = opts.agents ? AGENTS.filter((a) => opts.agents.includes(a.id)) : AGENTS.filter((a) => a.detect(ctx));
  if (chosen.length === 0) {
    err(`backlog-mcp: no agent detected in ${tilde(ctx.home, ctx.home) || ctx.home} or ${opts.project}; name one with --agent ` +
      `(${ids.join(', ')})`);
    return 2;
  }
  out(`Backlog MCP ${opts.url} as "${opts.name}", ${opts.apiKeyEnv ? `API key from $${opts.apiKeyEnv}` : 'OAuth sign-in'}` +
    `${opts.dryRun ? ' (dry run: nothing is written)' : ''}`);
  let failed = 0;
  for (const agent of chosen) {
    try {
      install(agent, opts, ctx, out);
    } catch (e) {
      if (!(e instanceof InstallError)) throw e;
      failed++;
      err(`✖ ${agent.label}: ${e.message} (the file was not changed)`);
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
