// tend priority <agent|glob> <1-5|clear>: weigh an agent or a project tree in the ranking.
import { defineCommand } from 'citty'
import { call, connect } from './client.ts'
import { guard } from './errors.ts'
import { intOption, UsageError } from './options.ts'
import { table } from './output.ts'

export default defineCommand({
  meta: {
    name: 'priority',
    description: 'Set a priority 1-5 (3 is neutral) for an agent or a path glob; no args lists them',
  },
  args: {
    target: {
      type: 'positional',
      required: false,
      description: 'Short id, project name, or a path glob like ~/work/**',
    },
    value: { type: 'positional', required: false, description: '1 (low) … 5 (high), or clear' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const expected = 'a whole number from 1 to 5, or clear'
      const value = args.value === 'clear' ? null : intOption('PRIORITY', args.value, { max: 5, expected })
      if (args.target && value === undefined) throw new UsageError(`PRIORITY: expected ${expected}`)
      const { client, config } = connect()
      if (!args.target) {
        const { rules } = await call(config, () => client.v1.priorities.$get())
        if (rules.length === 0) return void process.stdout.write('No priorities set: every agent counts 3.\n')
        return void process.stdout.write(
          `${table(
            ['TARGET', 'KIND', 'PRIORITY'],
            rules.map((r) => [r.target, r.kind, String(r.priority)]),
          )}\n`,
        )
      }
      const target = args.target.startsWith('~/') ? `${process.env['HOME'] ?? ''}${args.target.slice(1)}` : args.target
      const res = await call(config, () => client.v1.priorities.$put({ json: { target, priority: value ?? null } }))
      process.stdout.write(
        'rule' in res ? `priority ${res.rule.priority} for ${res.rule.target}\n` : `priority cleared for ${target}\n`,
      )
    })
  },
})
