// The dashboard's link to an agent's page. A session id is agent-supplied text: encoded as one path
// segment first (a `#`, `?` or `/` in it stays part of the id), then HTML-escaped by the template.

export function agentHref(sessionId: string, before?: string): string {
  return `/ui/agents/${encodeURIComponent(sessionId)}${before === undefined ? '' : `?before=${encodeURIComponent(before)}`}`
}
