// Answering one wait from outside the terminal (CLI, Slack, desktop, dashboard): one wait, one answer.
import { formatDuration } from '../core/duration.ts'
import { endingPhrase } from '../core/wait-ending.ts'
import type { Answer } from '../core/answer.ts'
import { atPrompt, type ReplyPath } from '../core/reply-path.ts'
import { getWait, recordDelivery, recordRefusal, type ReplyRecord } from '../store/replies.ts'
import { Refusal } from './errors.ts'
import type { Services } from './services.ts'

export interface AnswerRequest {
  waitId: string
  answer: Answer
  /** core/answer.ts CHANNELS: cli | slack | desktop | dashboard | api | mcp */
  via: string
  by: string | null
}

export interface Delivered {
  outcome: 'delivered'
  waitId: string
  sessionId: string
  /** mod: it reaches the agent as the person's own prompt; hook: as a held hook's answer. */
  path: ReplyPath
}

/**
 * Delivers an answer to the held hook of one wait, or throws a Refusal saying why not
 * (404 unknown wait, 409 wait_ended / wrong kind / no_hold). Refusals are recorded too.
 * Synchronous from the check to the delivery, so of two answers the first always wins.
 */
export function answerWait(services: Services, req: AnswerRequest): Delivered {
  const { db } = services.store
  const at = services.now()
  const wait = getWait(db, req.waitId)
  if (!wait) throw new Refusal('not_found', `no wait '${req.waitId}'`)
  const record: ReplyRecord = {
    waitId: wait.id,
    sessionId: wait.sessionId,
    action: req.answer.action,
    text:
      req.answer.action === 'reply'
        ? req.answer.text
        : req.answer.action === 'deny'
          ? (req.answer.message ?? null)
          : null,
    via: req.via,
    by: req.by,
    at,
  }

  if (wait.endedAt !== null) {
    recordRefusal(db, record, 'wait_ended')
    const ago = formatDuration(at - wait.endedAt)
    const how = `${wait.endedBy === 'reply' ? 'already ' : ''}${endingPhrase(wait)}`
    throw new Refusal('wait_ended', `that wait has ended: ${how}, ${ago} ago; nothing was sent to the agent`, {
      endedBy: wait.endedBy,
      endedVia: wait.endedVia,
      answeredBy: wait.answeredBy,
      endedAt: wait.endedAt,
    })
  }

  const isPermission = wait.kind === 'permission'
  if (isPermission !== (req.answer.action !== 'reply')) {
    recordRefusal(db, record, 'wrong_kind')
    throw new Refusal(
      'conflict',
      isPermission
        ? 'the agent waits for a permission: approve or deny it'
        : `the agent waits for ${wait.kind === 'question' ? 'an answer' : 'its next instruction'}, not a permission: reply with text`,
    )
  }

  const hold = services.holds.get(wait.id)
  // A reply goes through the session's mod, as the person's own prompt, unless a hook is already held
  // for it (an agent that stopped before its mod was polling): then that hook answers.
  if (!hold && atPrompt(wait) && services.replyPathOf(wait.sessionId) === 'mod') {
    if (!recordDelivery(db, { ...record, path: 'mod' })) {
      throw new Refusal('wait_ended', 'that wait ended just now; nothing was sent to the agent')
    }
    services.inbox.wake(wait.sessionId)
    services.bus.emit('change', { sessionId: wait.sessionId, cause: 'answer', waitId: wait.id })
    return { outcome: 'delivered', waitId: wait.id, sessionId: wait.sessionId, path: 'mod' }
  }
  if (!hold) {
    recordRefusal(db, record, 'no_hold')
    const hint = isPermission
      ? 'its permission dialog was not held (or its hold window ended): answer it in the terminal'
      : services.presence().awayNow
        ? 'its Stop hook had already returned when you went away: answer in the terminal (later Stops will be held)'
        : 'you were present, so its Stop was not held: answer in the terminal, or run `tend away` before leaving so the next Stop waits for a reply'
    throw new Refusal('no_hold', `nothing sent: ${hint}`)
  }

  if (!recordDelivery(db, { ...record, path: 'hook' })) {
    throw new Refusal('wait_ended', 'that wait ended just now; nothing was sent to the agent')
  }
  if (hold.event === 'Stop') services.countStopBlock(wait.sessionId)
  services.holds.answer(wait.id, req.answer)
  services.bus.emit('change', { sessionId: wait.sessionId, cause: 'answer', waitId: wait.id })
  return { outcome: 'delivered', waitId: wait.id, sessionId: wait.sessionId, path: 'hook' }
}
