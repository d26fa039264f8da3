// tend away / tend back: while away, Stops are held for replies; back releases them.
import { defineCommand } from 'citty'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'

function setAway(away: boolean, verbose: boolean) {
  return guard(verbose, async () => {
    const { client, config } = connect()
    const res = await call(config, () => client.v1.presence.$put({ json: { away } }))
    if (away) process.stdout.write('away: agents that stop now wait for your reply (tend reply, Slack)\n')
    else
      process.stdout.write(`back: ${res.released} held Stop${res.released === 1 ? '' : 's'} released to the terminal\n`)
  })
}

export const away = defineCommand({
  meta: { name: 'away', description: 'Mark yourself away: stopped agents are held for a reply from elsewhere' },
  args: { verbose: { type: 'boolean' } },
  run: ({ args }) => setAway(true, Boolean(args.verbose)),
})

export const back = defineCommand({
  meta: { name: 'back', description: 'Mark yourself back: every held Stop returns to its terminal' },
  args: { verbose: { type: 'boolean' } },
  run: ({ args }) => setAway(false, Boolean(args.verbose)),
})
