// Slack's text codec: escaping and clipping what we post, and turning what a person typed back into plain text.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** Slack reads `& < >` as markup (entities, links, mentions) even inside code: escape them in anything we post. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!)
}

/** Escapes, then cuts so the escaped text fits `max` characters without splitting an entity. */
export function escapeClip(text: string, max: number): string {
  const escaped = escapeMrkdwn(text)
  if (escaped.length <= max) return escaped
  let out = ''
  for (const cp of text) {
    const piece = ESCAPES[cp] ?? cp
    if (out.length + piece.length > max - 1) break
    out += piece
  }
  return `${out}…`
}

/** Escapes everything but the user mentions we put in ourselves (`<@U123>` renders as @name). */
export function escapeKeepingMentions(text: string): string {
  return text
    .split(/(<@[UW][A-Z0-9]+>)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeMrkdwn(part)))
    .join('')
}

/** A code block that can't be closed early by backticks in the content. */
export function codeBlock(escapedText: string): string {
  return `\`\`\`${escapedText.replace(/```/g, '`\u200b``')}\`\`\``
}

/**
 * What a person typed, as the agent should read it: Slack sends links as `<url|label>`, mentions as
 * `<@U1|name>`, channels as `<#C1|name>`, and `& < >` as entities.
 */
export function fromSlackText(text: string): string {
  const plain = text.replace(/<([^<>]+)>/g, (_all, inner: string) => {
    const [target = '', label] = inner.split('|', 2) as [string, string | undefined]
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`
    if (!label) return target.replace(/^mailto:/, '')
    // Slack links what looks like a URL: "example.com" arrives as <http://example.com|example.com>.
    const bare = target.replace(/^(https?:\/\/|mailto:)/, '')
    return bare === label || bare === `${label}/` ? label : `${label} (${target})`
  })
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}
