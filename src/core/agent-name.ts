// How a person names an agent: its project directory plus a short session id.

export function projectName(cwd: string | null | undefined): string {
  if (!cwd) return '?'
  const parts = cwd.split(/[\\/]+/).filter(Boolean)
  return parts[parts.length - 1] ?? '/'
}

export function shortId(sessionId: string): string {
  return sessionId.replace(/-/g, '').slice(0, 8)
}

export function agentLabel(agent: { cwd: string | null; sessionId: string }): string {
  return `${projectName(agent.cwd)}·${shortId(agent.sessionId)}`
}
