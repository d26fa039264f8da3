// What an agent waits for, in one line: the tool and its command, the question, the error.
import type { WaitKind } from './agent-state.ts'

interface WaitLike {
  kind: WaitKind
  detail:
    | { toolName?: string; toolInput?: Record<string, unknown>; message?: string; error?: string }
    | Record<string, unknown>
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The tool's most telling argument: a shell command, a file, a URL, a pattern. */
export function toolTarget(input: Record<string, unknown> | undefined): string {
  const what =
    input?.['command'] ?? input?.['file_path'] ?? input?.['url'] ?? input?.['pattern'] ?? input?.['description'] ?? ''
  return typeof what === 'string' ? what : ''
}

export function waitSummary(wait: WaitLike, max = 200): string {
  const d = wait.detail as { toolName?: string; toolInput?: Record<string, unknown>; message?: string; error?: string }
  switch (wait.kind) {
    case 'permission':
      return oneLine(`${d.toolName ?? 'a tool'}: ${toolTarget(d.toolInput)}`.replace(/: $/, ''), max)
    case 'question':
      return oneLine(d.message || 'a question', max)
    case 'error':
      return oneLine(`API error: ${d.error ?? 'unknown'}`, max)
    case 'done':
      return oneLine(d.message ? `done: ${d.message}` : 'done, waiting for the next instruction', max)
  }
}
