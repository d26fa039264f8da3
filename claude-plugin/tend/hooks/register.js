// tend's mod: replies sent to this session from Slack, the tend CLI or the dashboard arrive as the
// person's own prompt. It long-polls the local tend receiver for the replies addressed to this
// session, submits each with asUser, and confirms it. Options come from `tend install`
// (settings.json pluginConfigs): tokenFile, socket (the receiver's unix socket), url.
const MOD_VERSION = '0.1.0'
/** The receiver holds a poll this long when nothing is addressed to the session. */
const POLL_SEC = 25
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 10000

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function register(on, options) {
  on('session.start', async ($, event, next) => {
    // Enabled without `tend install` (no token file to read): there is no receiver to ask.
    if (!options?.tokenFile) return next(event)
    const sessionId = await $.session.id()
    const { version } = await $.session.version()
    const hookEnv = await $.process.hookEnv()
    // `claude -p` ends after its last turn: a reply could never be submitted there, and an open
    // poll would hold its exit up. Such a session only announces itself.
    const attended = hookEnv.CLAUDE_CODE_SESSION_ATTENDED !== '0'
    const base = options.socket ? 'http://localhost' : options.url || 'http://127.0.0.1:4761'
    const prefix = `${base}/v1/mod/${encodeURIComponent(sessionId)}`
    let token = null

    const call = async (method, path, body) => {
      if (token === null) {
        const raw = await $.fs.read(options.tokenFile)
        token = String(typeof raw === 'string' ? raw : (raw?.text ?? '')).trim()
      }
      const res = await $.http.fetch(prefix + path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(options.socket ? { socketPath: options.socket } : {}),
      })
      if (res.status === 401) token = null // the token was replaced: read it again next time
      return res
    }
    const hello = async () => {
      const res = await call('POST', '/hello', { claudeVersion: version, modVersion: MOD_VERSION, attended })
      if (!res.ok) throw new Error(`hello: HTTP ${res.status}`)
      return JSON.parse(res.text).poll === true
    }

    const serve = async () => {
      if (!attended) return void (await hello().catch(() => false))
      const submitted = new Set() // a reply handed twice (a lost confirmation) is confirmed, not sent twice
      let announced = false
      let retryMs = RETRY_MIN_MS
      for (;;) {
        // After /clear another session.start runs its own loop: this one is done.
        if ((await $.session.id()) !== sessionId) return
        try {
          if (!announced && !(announced = await hello())) return
          const res = await call('GET', `/next?waitSec=${POLL_SEC}`)
          if (res.status === 204) continue
          if (!res.ok) throw new Error(`next: HTTP ${res.status}`)
          const { reply } = JSON.parse(res.text)
          let error
          // Taken just as /clear replaced the session: it was meant for the old one.
          if ((await $.session.id()) !== sessionId) error = 'the session changed before it could be submitted'
          else if (!submitted.has(reply.id)) {
            try {
              await $.prompt.submit({ text: reply.text, asUser: true })
              submitted.add(reply.id)
            } catch (err) {
              error = String(err?.message ?? err)
            }
          }
          await call('POST', `/replies/${reply.id}/ack`, { submitted: error === undefined, error })
          retryMs = RETRY_MIN_MS
        } catch (err) {
          // The receiver is down or restarting: announce again once it is back.
          announced = false
          console.error(`tend: ${String(err?.message ?? err)}; retrying in ${retryMs} ms`)
          await sleep(retryMs)
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
        }
      }
    }
    serve()
    return next(event)
  })
}
