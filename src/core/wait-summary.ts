// What an agent waits for, in one line: the tool and its command, the question, the error.
import type { WaitKind } from './agent-state.ts'
import { oneLine } from './clip.ts'

interface WaitLike {
  kind: WaitKind
  detail:
    | { toolName?: string; toolInput?: Record<string, unknown>; message?: string; error?: string }
    | Record<string, unknown>
}

/** What a blocked agent does, after its name: "api·aaaa1111 asks you something". */
export const KIND_TEXT: Record<WaitKind, string> = {
  permission: 'needs your permission',
  question: 'asks you something',
  error: 'stopped on an error',
  done: 'is done and waits for you',
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
