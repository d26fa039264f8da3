// A seeded generator of hostile requests for the receiver: nesting, size, wrong types, unicode, NUL,
// prototype keys, content types, chunked and slow bodies, bad tokens, unknown events and routes.
// The same seed gives the same requests: a failure reproduces with `npm run fuzz -- --seed S`.
import { payload, payloadKeys } from '../helpers/payloads.ts'

/** mulberry32: small, fast, and good enough to spread the cases. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
  }
}
export type Rng = ReturnType<typeof rng>

export interface FuzzRequest {
  /** What kind of hostility, for the report. */
  kind: string
  method: string
  path: string
  /** Raw header lines (name, value): sent as they are, even when invalid. */
  headers: Array<[string, string]>
  body: Buffer
  /** How the body goes out: in one piece with a Content-Length, chunked, or chunked with pauses. */
  framing: 'length' | 'chunked' | 'slow' | 'none'
  /** A hook event the receiver may store: only then does a 2xx count as an acknowledged event. */
  hook: boolean
}

const STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  '\u202eevil',
  'ﷺ',
  '\r\n\r\nHTTP/1.1 200 OK',
  '<script>alert(1)</script>',
  "'; drop table events; --",
  '../../../../etc/passwd',
  '%00%ff',
  '\\u0000',
  'x'.repeat(70_000),
  '🏳️‍🌈'.repeat(10),
  'ǅ̶̢̧̛̖̗̘̙̜̝̞̟̠̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ',
]
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
]
const EVENTS = [
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SessionStart',
  'SessionEnd',
  'Notification',
  'PermissionRequest',
  'SubagentStop',
  'NoSuchEvent',
  '',
  'stop',
  '__proto__',
]

function hostileValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 9)) {
    case 0:
      return r.pick(STRINGS)
    case 1:
      return r.pick([0, -1, 1e308, -0, 2 ** 53 + 1, 0.1, 1e-320, Number.MAX_SAFE_INTEGER])
    case 2:
      return r.pick([null, true, false])
    case 3:
      return r.pick(STRINGS) + String(r.int(1e6))
    case 4:
      return []
    case 5:
      return {}
    case 6:
      return Array.from({ length: r.int(5) }, () => hostileValue(r, depth + 1))
    case 7:
      return Object.fromEntries(
        Array.from({ length: r.int(5) }, () => [
          r.chance(0.4) ? r.pick(PROTO_KEYS) : r.pick(STRINGS).slice(0, 40),
          hostileValue(r, depth + 1),
        ]),
      )
    default:
      return nest(r, 1 + r.int(150))
  }
}

/** Nested arrays or objects as text (JSON.stringify would overflow first for the deepest). */
function nestText(r: Rng, depth: number): string {
  return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}
function nest(r: Rng, depth: number): unknown {
  return JSON.parse(nestText(r, depth))
}

/** Session ids: a small pool (so events land on the same agents) and sometimes a fresh one. */
function sessionId(r: Rng): unknown {
  if (r.chance(0.05)) return hostileValue(r)
  return r.chance(0.9) ? `fuzz-${r.int(40)}` : `fuzz-new-${r.int(1e9)}`
}

function hookBody(r: Rng): { text: string; kind: string } {
  const base: Record<string, unknown> = payload(r.pick(payloadKeys()), {}) as unknown as Record<string, unknown>
  base['session_id'] = sessionId(r)
  switch (r.int(12)) {
    case 0:
      return { kind: 'valid', text: JSON.stringify(base) }
    case 1: {
      // Very deep somewhere inside (past the 100-level bound, or just under it).
      const depth = r.pick([99, 100, 101, 500, 5000, 20_000])
      const text = JSON.stringify({ ...base, tool_response: '@@' })
      return { kind: `deep-${depth}`, text: text.replace('"@@"', nestText(r, depth)) }
    }
    case 2:
      base[r.pick(['session_id', 'hook_event_name', 'cwd', 'tool_name', 'prompt', 'transcript_path', 'tool_input'])] =
        hostileValue(r)
      return { kind: 'wrong-type', text: JSON.stringify(base) }
    case 3:
      base['hook_event_name'] = r.pick(EVENTS)
      return { kind: 'event-name', text: JSON.stringify(base) }
    case 4: {
      // Prototype keys at the top and inside, as raw JSON (an object literal would not keep __proto__).
      const key = r.pick(PROTO_KEYS)
      const text = JSON.stringify(base).replace(/^\{/, `{"${key}":{"polluted":true,"isAdmin":1},`)
      return { kind: 'proto', text: text.replace('"tool_input":', `"tool_input":{"__proto__":{"polluted":2}},"x":`) }
    }
    case 5:
      base['prompt'] = r.pick(STRINGS) + r.pick(STRINGS)
      base['last_assistant_message'] = r.pick(STRINGS)
      return { kind: 'unicode', text: JSON.stringify(base) }
    case 6: {
      const text = JSON.stringify(base)
      const cut = r.int(text.length)
      const broken = r.pick([
        text.slice(0, cut),
        `${text}garbage`,
        `\ufeff${text}`,
        text.replace(/:/, ':NaN,"y":'),
        text.replace('{', '{/* c */'),
        `${text}\u0000`,
        text.replace(/"([^"]*)"/, '"$1\u0000"'),
        '',
        'null',
        '[]',
        '"just a string"',
        '1e999',
        `[${text}]`,
      ])
      return { kind: 'malformed', text: broken }
    }
    case 7:
      // Duplicate keys: the last one wins in JSON.parse.
      return { kind: 'dup-keys', text: JSON.stringify(base).replace(/^\{/, '{"session_id":"fuzz-dup",') }
    case 8: {
      // Big: mostly 64–256 KiB; one in twenty 3 MiB (under the 4 MiB bound) or just over the bound.
      const size = r.chance(0.05) ? r.pick([3 << 20, (4 << 20) + 10]) : r.pick([64 << 10, 256 << 10])
      return { kind: `big-${size}`, text: JSON.stringify({ ...base, tool_response: 'z'.repeat(size) }) }
    }
    case 9:
      for (let i = 0; i < 1 + r.int(30); i++) base[`extra_${i}_${r.pick(STRINGS).slice(0, 8)}`] = hostileValue(r)
      return { kind: 'extra-fields', text: JSON.stringify(base) }
    case 10:
      return { kind: 'scalars', text: JSON.stringify(hostileValue(r)) }
    default: {
      delete base[r.pick(['session_id', 'hook_event_name', 'cwd'])]
      return { kind: 'missing', text: JSON.stringify(base) }
    }
  }
}

const OTHER_ROUTES: Array<[string, string]> = [
  ['GET', '/v1/agents'],
  ['GET', '/v1/agents/fuzz-1'],
  ['GET', '/v1/agents/%00'],
  ['GET', '/v1/agents/..%2f..%2fetc'],
  ['GET', '/v1/agents/fuzz-1?limit=-5&before=zz'],
  ['GET', '/v1/agents?limit=1e9'],
  ['POST', '/v1/waits/w_nope/answer'],
  ['POST', '/v1/waits/%ff/answer'],
  ['GET', '/v1/pings?limit=abc'],
  ['GET', '/v1/metrics?days=-1'],
  ['GET', '/v1/doctor'],
  ['PUT', '/v1/hooks'],
  ['DELETE', '/v1/agents/fuzz-1'],
  ['GET', '/healthz'],
  ['GET', '/open?sig=a&sig=b&exp=1'],
  ['GET', '/open/%2e%2e/%2e%2e'],
  ['POST', '/v1/priorities'],
  ['GET', '/nope/' + 'a'.repeat(5000)],
  ['OPTIONS', '/v1/hooks'],
]

export function hostileRequest(r: Rng, ctx: { port: number; token: string }): FuzzRequest {
  const host = `127.0.0.1:${ctx.port}`
  const headers: Array<[string, string]> = [['Host', host]]
  let hook = true
  let method = 'POST'
  let path = '/v1/hooks'
  let kind: string
  let text: string
  if (r.chance(0.12)) {
    ;[method, path] = r.pick(OTHER_ROUTES)
    hook = false
    kind = `route ${method} ${path.slice(0, 40)}`
    text = method === 'GET' || method === 'OPTIONS' ? '' : JSON.stringify(hostileValue(r))
  } else ({ kind, text } = hookBody(r))

  // Who is asking: usually with the token, sometimes without, wrong, or mangled.
  const auth = r.int(20)
  if (auth === 0) hook = false
  else if (auth === 1) (headers.push(['Authorization', `Bearer ${ctx.token}x`]), (hook = false))
  else if (auth === 2) (headers.push(['Authorization', 'Bearer '], ['X-Fuzz', 'empty-token']), (hook = false))
  else if (auth === 3)
    (headers.push(['Authorization', `Basic ${Buffer.from(`u:${ctx.token}`).toString('base64')}`]), (hook = false))
  else if (auth === 4)
    headers.push(['Authorization', `bearer ${ctx.token}`]) // the scheme is case-insensitive
  else headers.push(['Authorization', `Bearer ${ctx.token}`])
  if (auth <= 3) kind = `no-token ${kind}`

  // What it claims to be.
  const ct = r.int(16)
  const contentType =
    ct === 0
      ? null
      : ct === 1
        ? 'text/plain'
        : ct === 2
          ? 'application/x-www-form-urlencoded'
          : ct === 3
            ? 'multipart/form-data; boundary=x'
            : ct === 4
              ? 'application/json; charset=latin1'
              : ct === 5
                ? 'application/JSON'
                : ct === 6
                  ? 'application/json, text/html'
                  : 'application/json'
  if (contentType !== null) headers.push(['Content-Type', contentType])
  if (r.chance(0.1))
    headers.push(['X-Tend-Time', r.pick(['-1', 'abc', '1e20', '0', String(Date.now() + 1e9), '\u00ff'])])
  if (r.chance(0.05)) headers.push(['X-Tend-Pid', r.pick(['-1', '99999999999', '1', 'x'])])
  if (r.chance(0.05)) headers.push(['X-Tend-Hold', r.pick(['0', '-5', 'abc', ''])])
  if (r.chance(0.05)) headers.push(['Origin', r.pick(['http://evil.example', `http://${host}`, 'null'])])
  if (r.chance(0.03)) headers[0] = ['Host', r.pick(['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io'])]
  if (r.chance(0.02)) headers.push(['X-Fuzz-Bin', 'a\u0001b'])

  const framing = r.chance(0.1) ? 'chunked' : r.chance(0.02) ? 'slow' : text === '' ? 'none' : 'length'
  if (framing !== 'length' && framing !== 'none') kind += ` ${framing}`
  return { kind, method, path, headers, body: Buffer.from(text, 'utf8'), framing, hook }
}
