// Real Claude Code hook payloads (2.1.197, some 2.1.330), recorded from real sessions.
import { readFileSync } from 'node:fs'
import type { HookEvent } from '../../src/core/hook-event.ts'
import { packageFile } from '../../src/package-files.ts'

const FILE = packageFile('test', 'fixtures', 'payloads.jsonl')

const byKey = new Map<string, HookEvent>(
  readFileSync(FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { key, input } = JSON.parse(line) as { key: string; input: HookEvent }
      return [key, input]
    }),
)

/** A recorded payload by key (e.g. 'PreToolUse', 'Stop:active'), with fields overridden. */
export function payload(key: string, overrides: Partial<HookEvent> & Record<string, unknown> = {}): HookEvent {
  const base = byKey.get(key)
  if (!base) throw new Error(`no recorded payload '${key}' (have: ${[...byKey.keys()].join(', ')})`)
  return { ...structuredClone(base), ...overrides } as HookEvent
}

export const payloadKeys = () => [...byKey.keys()]
