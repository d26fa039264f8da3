// Links to an agent's page: the session id is agent-supplied text, so it is URL-encoded as one path
// segment (a `#`, `?` or `/` in it no longer cuts the link short) and then HTML-escaped.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { agentHref } from '../../src/dashboard/agent-href.ts'
import { batchHtml, type BatchView } from '../../src/dashboard/batch-list.ts'
import { pingsHtml } from '../../src/dashboard/pings-log.ts'
import type { PingRow } from '../../src/store/agent-history.ts'

const SID = `a#b?c/d&e"f<g> h'`
const ENCODED = 'a%23b%3Fc%2Fd%26e%22f%3Cg%3E%20h'

/** The href attributes of a piece of HTML, decoded as a browser reads the attribute. */
const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&#39;', "'").replaceAll('&amp;', '&'))

describe('agentHref', () => {
  it('encodes the id as one path segment', () => {
    assert.equal(agentHref('5e55a0b1-aaaa'), '/ui/agents/5e55a0b1-aaaa')
    assert.equal(agentHref(SID), `/ui/agents/${ENCODED}'`)
    assert.equal(decodeURIComponent(new URL(agentHref(SID), 'http://x').pathname.split('/')[3]!), SID)
  })

  it('keeps an older-page cursor as the query', () => {
    assert.equal(agentHref('a#b', '1700000000000.12'), '/ui/agents/a%23b?before=1700000000000.12')
  })
})

describe('links to an agent in the dashboard', () => {
  it('the pings log and the review batch link to the id itself, escaped', async () => {
    const ping = { sessionId: SID, at: 0, channel: 'desktop', step: 0, outcome: 'sent', reason: 'r' } as PingRow
    const batch = {
      enabled: true,
      nextAt: null,
      waits: [{ sessionId: SID, label: 'x', project: 'p', startedAt: 0 }],
    } as unknown as BatchView
    for (const [what, html] of [
      ['pings', String(await pingsHtml([ping]))],
      ['batch', String(await batchHtml(batch, 0))],
    ] as const) {
      assert.deepEqual(hrefs(html), [`/ui/agents/${ENCODED}'`], what)
      const url = new URL(hrefs(html)[0]!, 'http://127.0.0.1')
      assert.equal(url.hash, '', `${what}: no fragment`)
      assert.equal(url.search, '', `${what}: no query`)
      assert.equal(decodeURIComponent(url.pathname.slice('/ui/agents/'.length)), SID, what)
    }
  })
})
