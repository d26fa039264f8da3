// What the application layer refuses, and why. Every front end shows the message as it is (the CLI,
// Slack, a desktop popup); the HTTP adapter maps the code to a status (server/errors.ts).
export type RefusalCode = 'not_found' | 'ambiguous' | 'conflict' | 'wait_ended' | 'no_hold' | 'too_many_agents'

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** Facts a client may act on (how a wait ended, the candidates of an ambiguous id). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'Refusal'
  }
}
