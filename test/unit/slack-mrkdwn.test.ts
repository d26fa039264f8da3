// The Slack text codec: escaping what tend sends, and reading back what a person typed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { codeBlock, escapeClip, escapeKeepingMentions, escapeMrkdwn, fromSlackText } from '../../src/slack/mrkdwn.ts'

describe('slack mrkdwn', () => {
  it('escapes & < > and nothing else', () => {
    assert.equal(escapeMrkdwn('a && b < c > d *bold* _i_'), 'a &amp;&amp; b &lt; c &gt; d *bold* _i_')
  })

  it('clips escaped text without splitting an entity, within the limit', () => {
    const out = escapeClip('&'.repeat(100), 22)
    assert.ok(out.length <= 22)
    assert.match(out, /^(&amp;)+…$/)
    assert.equal(escapeClip('short & sweet', 100), 'short &amp; sweet')
  })

  it('keeps our own mentions live and escapes the rest', () => {
    assert.equal(
      escapeKeepingMentions('approved by <@U0HUMAN01> via slack <script>'),
      'approved by <@U0HUMAN01> via slack &lt;script&gt;',
    )
  })

  it('a code block can not be closed early by backticks in the content', () => {
    assert.equal(codeBlock('a```b'), '```a`\u200b``b```')
  })

  it('turns what a person typed back into plain text', () => {
    assert.equal(fromSlackText('run it &amp;&amp; deploy &lt;now&gt;'), 'run it && deploy <now>')
    assert.equal(fromSlackText('see <https://example.com/a|example.com/a>'), 'see example.com/a')
    assert.equal(fromSlackText('see <https://x.dev/pr/1>'), 'see https://x.dev/pr/1')
    assert.equal(fromSlackText('see <https://x.dev/pr/1|the PR>'), 'see the PR (https://x.dev/pr/1)')
    assert.equal(fromSlackText('ask <@U0ADA|ada> in <#C0DEV|dev>, cc <!here>'), 'ask @ada in #dev, cc @here')
    assert.equal(fromSlackText('mail <mailto:a@b.c|a@b.c>'), 'mail a@b.c')
  })
})
