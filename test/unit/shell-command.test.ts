// The shell reader: every command a line runs is found, however it is written.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseShell } from '../../src/core/rules/shell-command.ts'

const texts = (src: string) => parseShell(src).commands.map((c) => c.text)
const writes = (src: string) =>
  parseShell(src)
    .commands.flatMap((c) => c.redirects)
    .filter((r) => r.mode === 'write' && r.target !== null)
    .map((r) => r.target)

describe('parseShell: the commands of a line', () => {
  const table: Array<[string, string[]]> = [
    ['npm test', ['npm test']],
    ['npm test && rm -rf /', ['npm test', 'rm -rf /']],
    ['npm test || rm -rf /', ['npm test', 'rm -rf /']],
    ['npm test; rm -rf /', ['npm test', 'rm -rf /']],
    ['npm test | sh', ['npm test', 'sh']],
    ['npm test |& tee log', ['npm test', 'tee log']],
    ['npm test & rm -rf /', ['npm test', 'rm -rf /']],
    ['npm test\nrm -rf /', ['npm test', 'rm -rf /']],
    ['(cd /tmp && rm -rf x)', ['cd /tmp', 'rm -rf x']],
    ['{ npm test; rm x; }', ['npm test', 'rm x']],
    ['if true; then rm -rf /; fi', ['true', 'rm -rf /']],
    ['while true; do curl evil; done', ['true', 'curl evil']],
    ['for f in *; do rm "$f"; done', ["rm '$f'"]],
    ['npm test # && rm -rf /', ['npm test']],
    ['npm test #comment\nrm x', ['npm test', 'rm x']],
    ['echo "a && rm -rf /"', ["echo 'a && rm -rf /'"]],
    ["echo 'a; rm -rf /'", ["echo 'a; rm -rf /'"]],
    ['echo a\\;rm', ["echo 'a;rm'"]],
    ['npm\\ test', ["'npm test'"]],
    ['np""m test', ['npm test']],
    ["'npm' test", ['npm test']],
    ['npm te\\\nst', ['npm test']],
    ['FOO=1 npm test', ['npm test']],
    ['A=1 B="x y" npm test', ['npm test']],
    ['echo $(rm -rf /)', ['rm -rf /', "echo '$(rm -rf /)'"]],
    ['echo "$(rm -rf /)"', ['rm -rf /', "echo '$(rm -rf /)'"]],
    ['echo `rm -rf /`', ['rm -rf /', "echo '`rm -rf /`'"]],
    ['echo $(echo $(rm x))', ['rm x', "echo '$(rm x)'", "echo '$(echo $(rm x))'"]],
    ["echo '$(rm x)'", ["echo '$(rm x)'"]],
    ['diff <(ls a) >(rm b)', ['ls a', 'rm b', "diff '<(ls a)' '>(rm b)'"]],
    ["sh -c 'npm test && rm -rf /'", ["sh -c 'npm test && rm -rf /'", 'npm test', 'rm -rf /']],
    ['bash -lc "curl x | sh"', ["bash -lc 'curl x | sh'", 'curl x', 'sh']],
    ['/bin/sh -c "rm x"', ["/bin/sh -c 'rm x'", 'rm x']],
    ['eval "rm -rf /"', ["eval 'rm -rf /'", 'rm -rf /']],
    ['xargs rm < list', ['xargs rm', 'rm']],
    ['find . -name "*.o" -exec rm {} \\;', ["find . -name *.o -exec rm {} ';'", 'rm {}']],
    ['sudo rm -rf /', ['sudo rm -rf /', 'rm -rf /']],
    ['cat <<EOF\nrm -rf /\nEOF\nls', ['cat', 'ls']],
    ['cat <<EOF\n$(rm -rf /)\nEOF', ['cat', 'rm -rf /']],
    ["cat <<'EOF'\n$(rm -rf /)\nEOF", ['cat']],
    ["echo $'\\''; rm x #'", ["echo ''\\'''", 'rm x']],
    ["$'\\x72m' -rf $'\\057'", ['rm -rf /']],
    ["echo $'a\\tb\\n'", ["echo 'a\tb\n'"]],
    ['echo $((1+$(rm x)))', ['rm x', "echo '$(rm x)'", "echo '$((1+$(rm x)))'"]],
  ]
  for (const [src, expected] of table) {
    it(JSON.stringify(src), () => assert.deepEqual(texts(src), expected))
  }
})

describe('parseShell: redirections', () => {
  it('a write is any >, >>, >|, &> or <> to a file; descriptors and /dev/null-like dups are no file', () => {
    assert.deepEqual(writes('npm test > /etc/x'), ['/etc/x'])
    assert.deepEqual(writes('npm test >> out 2>&1'), ['out'])
    assert.deepEqual(writes('npm test 2> err.log'), ['err.log'])
    assert.deepEqual(writes('npm test &> all.log'), ['all.log'])
    assert.deepEqual(writes('npm test &>> all.log'), ['all.log'])
    assert.deepEqual(writes('npm test >| x'), ['x'])
    assert.deepEqual(writes('npm test >&2'), [])
    assert.deepEqual(writes('echo >"/etc/a b"'), ['/etc/a b'])
    assert.deepEqual(writes('(echo x) > /etc/y'), ['/etc/y'])
    assert.deepEqual(writes('cat <<EOF > /etc/passwd\nroot\nEOF'), ['/etc/passwd'])
  })

  it('a target named by an expansion is dynamic', () => {
    const r = parseShell('echo x > "$HOME/x"').commands[0]!.redirects[0]!
    assert.equal(r.dynamic, true)
  })

  it('a read is <', () => {
    const r = parseShell('wc -l < ~/.ssh/id_rsa').commands[0]!.redirects[0]!
    assert.deepEqual([r.mode, r.target], ['read', '~/.ssh/id_rsa'])
  })
})

describe('parseShell: env prefixes, wrappers, what it cannot read', () => {
  it('keeps env prefixes apart from the command', () => {
    const [c] = parseShell('FOO=1 PATH=/tmp npm test').commands
    assert.deepEqual(c!.env, ['FOO=1', 'PATH=/tmp'])
    assert.deepEqual(c!.argv, ['npm', 'test'])
  })

  it('sees through transparent wrappers', () => {
    assert.equal(parseShell('timeout 60 npm test').commands[0]!.unwrapped, 'npm test')
    assert.equal(parseShell('nice -n 5 npm test').commands[0]!.unwrapped, 'npm test')
    assert.equal(parseShell('nohup npm test').commands[0]!.unwrapped, 'npm test')
  })

  it('an unterminated quote, a case clause or a function makes the reading opaque', () => {
    assert.notDeepEqual(parseShell('echo "oops').opaque, [])
    assert.notDeepEqual(parseShell("echo 'oops").opaque, [])
    assert.notDeepEqual(parseShell('case $x in a) rm x;; esac').opaque, [])
    assert.notDeepEqual(parseShell('f() { rm -rf /; }; f').opaque, [])
    assert.deepEqual(parseShell('npm test && git status').opaque, [])
  })

  it('never throws on garbage', () => {
    for (const s of ['', ')', '((', '$(', '`', '<<', '>', '|||', '"\\', "'", '$((1+', '${', 'a=(b']) {
      assert.doesNotThrow(() => parseShell(s), s)
    }
  })
})
