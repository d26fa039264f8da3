// Does the agent's last message ask the person something? Decides blocked:question vs blocked:done.

const ASKING_PHRASES =
  /\b(should i|shall i|do you want|would you like|want me to|let me know|which (one|option)|please (confirm|choose|advise|tell me))\b/i

/**
 * True when the final paragraph of the message asks the human something: it ends with a
 * question mark (ignoring trailing markdown and code fences), or it uses an asking phrase.
 */
export function isQuestion(message: string): boolean {
  const text = message.replace(/```[\s\S]*?```/g, ' ').trim()
  if (!text) return false
  const paragraphs = text.split(/\n\s*\n/)
  const last = (paragraphs[paragraphs.length - 1] ?? '').trim()
  const stripped = last.replace(/[\s*_`)\]>]+$/u, '')
  if (stripped.endsWith('?')) return true
  return ASKING_PHRASES.test(last)
}
