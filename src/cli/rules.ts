// tend rules list | add | rm | test | suggest | accept: permission rules in Claude Code's syntax, per
// agent, project path glob or everywhere; and the ones tend learned from the person's approvals.
import { defineCommand } from 'citty'
import { parsePermissionRule, RULE_KINDS, type RuleKind } from '../core/rules/permission-rule.ts'
import { call, connect } from './client.ts'
import { CliError, guard } from './errors.ts'
import { enumOption, intOption } from './options.ts'
import { printJson, table } from './output.ts'

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? `${process.env['HOME'] ?? ''}${p.slice(1)}` : p)
const common = { json: { type: 'boolean', description: 'Print JSON' }, verbose: { type: 'boolean' } } as const

function scopeText(r: { scope: string; target: string | null }): string {
  if (r.scope === 'everywhere') return 'everywhere'
  if (r.scope === 'agent') return `agent ${r.target?.slice(0, 8)}`
  return r.target ?? ''
}

const list = defineCommand({
  meta: { name: 'list', description: 'List the rules (deny wins over ask, ask over allow)' },
  args: common,
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const { client, config } = connect()
      const { rules } = await call(config, () => client.v1.rules.$get())
      if (args.json) return printJson(rules)
      if (rules.length === 0) return void process.stdout.write("No rules: Claude Code's own permissions apply.\n")
      const rows = rules.map((r) => [
        `#${r.id}`,
        r.kind,
        r.rule,
        scopeText(r),
        r.reason ?? '',
        r.origin === 'suggestion' ? 'suggested' : '',
      ])
      process.stdout.write(`${table(['ID', 'KIND', 'RULE', 'WHERE', 'REASON', ''], rows)}\n`)
    })
  },
})

const add = defineCommand({
  meta: { name: 'add', description: "Add a rule: tend rules add deny 'Write(/etc/**)' --reason 'never touch /etc'" },
  args: {
    kind: { type: 'positional', required: true, description: 'allow | ask | deny' },
    rule: {
      type: 'positional',
      required: true,
      description: "Claude Code's syntax: 'Bash(npm test:*)', 'Edit(src/**)'",
    },
    agent: { type: 'string', description: 'Only for this agent (short id, project name)' },
    path: { type: 'string', description: 'Only for agents working under this path glob (~/work/api/**)' },
    reason: { type: 'string', description: 'What the agent is told when it is denied' },
    ...common,
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      enumOption('KIND', args.kind, RULE_KINDS)
      const parsed = parsePermissionRule(args.rule)
      if (!parsed.ok) throw new CliError(parsed.error)
      if (args.agent && args.path) throw new CliError('give --agent or --path, not both')
      if (args.reason && args.kind !== 'deny') throw new CliError('only a deny rule has a --reason')
      const { client, config } = connect()
      const { rule } = await call(config, () =>
        client.v1.rules.$post({
          json: {
            kind: args.kind as RuleKind,
            rule: args.rule,
            ...(args.agent ? { agent: args.agent } : {}),
            ...(args.path ? { path: expandHome(args.path) } : {}),
            ...(args.reason ? { reason: args.reason } : {}),
          },
        }),
      )
      if (args.json) return printJson(rule)
      process.stdout.write(`rule #${rule.id}: ${rule.kind} ${rule.rule} (${scopeText(rule)})\n`)
    })
  },
})

const rm = defineCommand({
  meta: { name: 'rm', description: 'Remove a rule by its id' },
  args: { id: { type: 'positional', required: true, description: 'The rule id (#3 or 3)' }, ...common },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const id = String(
        intOption('ID', args.id.replace(/^#/, ''), { expected: 'a rule id, as tend rules list shows it' }) ?? '',
      )
      const { client, config } = connect()
      const { removed } = await call(config, () => client.v1.rules[':id'].$delete({ param: { id } }))
      if (args.json) return printJson(removed)
      process.stdout.write(`removed rule #${removed.id}: ${removed.kind} ${removed.rule}\n`)
    })
  },
})

const test = defineCommand({
  meta: {
    name: 'test',
    description: "What the rules decide: tend rules test <agent|/dir> 'Bash(npm test && rm -rf /)'",
  },
  args: {
    target: { type: 'positional', required: true, description: 'An agent (short id, project) or a directory' },
    call: { type: 'positional', required: true, description: "The call: 'Bash(command)', 'Write(path)', 'Read(path)'" },
    ...common,
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const { client, config } = connect()
      const target = args.target.startsWith('~') || args.target.startsWith('.') ? absolute(args.target) : args.target
      const res = await call(config, () => client.v1.rules.test.$post({ json: { target, call: args.call } }))
      if (args.json) return printJson(res)
      if (!res.decision || !res.rule) {
        return void process.stdout.write("no rule applies: Claude Code's own permissions decide\n")
      }
      process.stdout.write(
        `${res.decision} by rule #${res.rule.id} ${res.rule.kind} ${res.rule.rule} (${scopeText(res.rule)})\n`,
      )
      if (res.subject) process.stdout.write(`  matched: ${res.subject}\n`)
      if (res.message) process.stdout.write(`  Claude Code is told: ${res.message}\n`)
    })
  },
})

function absolute(p: string): string {
  const e = expandHome(p)
  return e.startsWith('/') ? e : `${process.cwd()}/${e}`
}

const suggest = defineCommand({
  meta: { name: 'suggest', description: 'Allow rules learned from the prompts you approve again and again' },
  args: {
    'include-risky': { type: 'boolean', description: 'Also commands that delete, push, publish, use the network…' },
    ...common,
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const { client, config } = connect()
      const risky = args['include-risky'] ? '1' : '0'
      const { suggestions } = await call(config, () => client.v1.rules.suggestions.$get({ query: { risky } }))
      if (args.json) return printJson(suggestions)
      if (suggestions.length === 0) return void process.stdout.write('No suggestions yet.\n')
      for (const s of suggestions) {
        const days = s.days === 1 ? '1 day' : `${s.days} days`
        process.stdout.write(
          `${s.n}. allow ${s.rule} in ${s.path}: approved ${s.approvals} of ${s.approvals + s.denials} times over ${days}` +
            `${s.risk ? ` (risky: ${s.risk})` : ''}\n`,
        )
      }
      process.stdout.write('Accept one with `tend rules accept N`.\n')
    })
  },
})

const accept = defineCommand({
  meta: { name: 'accept', description: 'Turn suggestion N (from tend rules suggest) into an allow rule' },
  args: {
    n: { type: 'positional', required: true, description: 'The number tend rules suggest shows' },
    'include-risky': {
      type: 'boolean',
      description: 'N counts the risky suggestions too (as suggest --include-risky)',
    },
    ...common,
  },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const n = intOption('N', args.n, { expected: 'the number tend rules suggest shows' })!
      const { client, config } = connect()
      const risky = args['include-risky'] ? '1' : '0'
      const { suggestions } = await call(config, () => client.v1.rules.suggestions.$get({ query: { risky } }))
      const s = suggestions.find((x) => x.n === n)
      if (!s) throw new CliError(`no suggestion ${n}: tend rules suggest lists ${suggestions.length}`)
      const { rule } = await call(config, () =>
        client.v1.rules.$post({ json: { kind: 'allow', rule: s.rule, path: s.path, origin: 'suggestion' } }),
      )
      if (args.json) return printJson(rule)
      process.stdout.write(`rule #${rule.id}: allow ${rule.rule} (${scopeText(rule)})\n`)
    })
  },
})

const effects = defineCommand({
  meta: {
    name: 'effects',
    description: 'What the rules did: dialogs spared per day, T_work before and after each rule',
  },
  args: { days: { type: 'string', description: 'Days back (default 7)' }, ...common },
  run({ args }) {
    return guard(Boolean(args.verbose), async () => {
      const days = String(intOption('--days', args.days, { max: 366 }) ?? 7)
      const tz = String(-new Date().getTimezoneOffset())
      const { client, config } = connect()
      const res = await call(config, () => client.v1.rules.effects.$get({ query: { days, tz } }))
      if (args.json) return printJson(res)
      process.stdout.write(
        `${res.decisions} automatic decisions (${res.byKind.allow} allowed, ${res.byKind.ask} asked, ${res.byKind.deny} denied); ` +
          `${res.interruptionsAvoided} permission dialogs answered for you\n`,
      )
      for (const d of res.days) {
        const date = new Date(d.day).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })
        process.stdout.write(`  ${date.padEnd(12)} ${d.interruptionsAvoided} avoided, ${d.decisions} decisions\n`)
      }
      if (res.rules.length === 0) return
      const min = (ms: number | null) => (ms === null ? '–' : `${(ms / 60_000).toFixed(1)}m`)
      const rows = res.rules.map((r) => [
        `#${r.id}`,
        `${r.kind} ${r.rule}`,
        String(r.decisions),
        String(r.interruptionsAvoided),
        `${min(r.tWorkBeforeMs)} (${r.samplesBefore})`,
        `${min(r.tWorkAfterMs)} (${r.samplesAfter})`,
      ])
      process.stdout.write(`${table(['ID', 'RULE', 'DECISIONS', 'AVOIDED', 'T_WORK BEFORE', 'T_WORK AFTER'], rows)}\n`)
    })
  },
})

export default defineCommand({
  meta: { name: 'rules', description: 'Permission rules for your agents: allow, ask or deny, in Claude Code syntax' },
  subCommands: { list, add, rm, test, suggest, accept, effects },
})
