// Keeps stored payloads small: large tool inputs and outputs are cut, with a marker saying so.

/** Identity fields are never cut: the state machine and the timeline need them whole. */
const KEPT_WHOLE = new Set(['session_id', 'hook_event_name', 'cwd', 'prompt_id', 'agent_id', 'tool_use_id'])

export interface TruncatedMarker {
  _truncated: true
  /** Size of the original JSON, in bytes. */
  bytes: number
  preview: string
}

/** Returns a copy of the payload in which each large field (tool_input, tool_response …) is replaced by a marker. */
export function truncatePayload<T extends Record<string, unknown>>(payload: T, maxBytes: number): T {
  let copy: Record<string, unknown> | null = null
  for (const [key, value] of Object.entries(payload)) {
    if (KEPT_WHOLE.has(key) || value === undefined) continue
    const json = JSON.stringify(value)
    const bytes = Buffer.byteLength(json)
    if (bytes <= maxBytes) continue
    copy ??= { ...payload }
    if (typeof value === 'string') {
      // A long string (a pasted prompt, a long answer) keeps its beginning, so it still reads as itself.
      copy[key] = `${value.slice(0, maxBytes / 2)}… [truncated: ${bytes} bytes]`
      continue
    }
    const marker: TruncatedMarker = { _truncated: true, bytes, preview: json.slice(0, Math.min(2000, maxBytes)) }
    copy[key] = marker
  }
  return (copy ?? payload) as T
}
