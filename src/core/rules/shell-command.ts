// A small shell reader: splits a Bash tool command into the simple commands it runs, with their
// redirections, so that a rule for `npm test` never covers `npm test && rm -rf /`. Pure.
//
// It reads POSIX sh / bash syntax as far as a permission decision needs: lists and pipelines
// (&& || ; | |& & and newlines), subshells and groups, $( ) and backticks, <( ) and >( ), quotes and
// escapes, comments, env prefixes, redirections and here-documents. What it cannot follow (case,
// function definitions, an unterminated quote) makes the parse `opaque`: no allow rule applies then.

/** A redirection of one simple command. `target` is null when it names no file (a dup, a here-doc). */
export interface Redirect {
  /** write: >, >>, >|, &>, &>>, <>; read: <, <> */
  mode: 'read' | 'write'
  op: string
  /** The file, after quote removal; null for `>&2`, `<<EOF`, `<<<word`. */
  target: string | null
  /** The target has an expansion ($VAR, $(…), a glob): which file it is is not known here. */
  dynamic: boolean
}

/** One command the shell would run. */
export interface SimpleCommand {
  /** The words after quote removal, without the env prefix. */
  argv: string[]
  /** `NAME=value` prefixes, as written (after quote removal). */
  env: string[]
  /** argv joined by single spaces; a word with blanks or shell syntax in it is single-quoted. */
  text: string
  /** The command as written in the source, without a trailing comment. */
  raw: string
  redirects: Redirect[]
  /** Found inside another command (sh -c, eval, $( ), xargs, find -exec): it runs too. */
  nested: boolean
  /**
   * For a transparent wrapper (`timeout 5 X`, `nice X`, `nohup X`, `command X`, `time X`…): the wrapped
   * command's text. A rule for X covers the wrapper too.
   */
  unwrapped?: string
}

export interface ParsedShell {
  commands: SimpleCommand[]
  /** Why the reading is incomplete; empty when every command was found. */
  opaque: string[]
}

interface Word {
  value: string
  raw: string
  start: number
  end: number
  /** Parts outside quotes: an unquoted `=`, `~` or glob means something to the shell. */
  quoted: boolean
  dynamic: boolean
}

const RESERVED_LEADING = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until'])
const RESERVED_OPAQUE = new Set(['case', 'esac', 'function', 'select', '[[', '((', 'coproc'])
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'busybox'])
const MAX_DEPTH = 8

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/

/** Parses a command line; never throws. */
export function parseShell(source: string): ParsedShell {
  const out: ParsedShell = { commands: [], opaque: [] }
  parseInto(source, out, 0, false)
  return out
}

function parseInto(src: string, out: ParsedShell, depth: number, nested: boolean): void {
  if (depth > MAX_DEPTH) {
    out.opaque.push('nested too deeply')
    return
  }
  new Reader(src, out, depth, nested).run()
}

class Reader {
  private i = 0
  private words: Word[] = []
  private redirects: Redirect[] = []
  private pendingRedirect: { op: string; mode: Redirect['mode'] | null } | null = null
  private heredocs: Array<{ delim: string; stripTabs: boolean; expands: boolean }> = []

  constructor(
    private readonly src: string,
    private readonly out: ParsedShell,
    private readonly depth: number,
    private readonly nested: boolean,
  ) {}

  run(): void {
    const s = this.src
    while (this.i < s.length) {
      const c = s[this.i]!
      if (c === ' ' || c === '\t') {
        this.i++
      } else if (c === '\n') {
        this.i++
        this.endCommand()
        this.readHeredocs()
      } else if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++
      } else if (c === '\\' && s[this.i + 1] === '\n') {
        this.i += 2
      } else if (this.operator()) {
        // consumed
      } else {
        this.word()
      }
    }
    this.endCommand()
    if (this.pendingRedirect) this.opaque('a redirection without a target')
  }

  private opaque(why: string) {
    this.out.opaque.push(why)
  }

  /** Control operators and redirections; returns whether one was read. */
  private operator(): boolean {
    const s = this.src
    const c = s[this.i]!
    const two = s.slice(this.i, this.i + 2)
    const three = s.slice(this.i, this.i + 3)
    if (c === '(' && s[this.i + 1] === '(') {
      this.opaque('arithmetic command')
      this.i = this.matchParen(this.i + 1) + 1
      if (s[this.i] === ')') this.i++
      return true
    }
    if (['&&', '||', ';;', '|&'].includes(two)) {
      if (two === ';;') this.opaque('case clause')
      this.i += 2
      this.endCommand()
      return true
    }
    if (two === '&>') {
      const op = three === '&>>' ? '&>>' : '&>'
      this.i += op.length
      this.startRedirect(op, 'write')
      return true
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      this.i++
      this.endCommand()
      return true
    }
    if (c === '>' || c === '<') {
      // `<(` and `>(` are process substitutions: words, read by word().
      if (s[this.i + 1] === '(') return false
      this.redirection('')
      return true
    }
    return false
  }

  private redirection(fd: string) {
    const s = this.src
    const rest = s.slice(this.i)
    const ops: Array<[string, Redirect['mode'] | null]> = [
      ['<<<', null],
      ['<<-', null],
      ['<<', null],
      ['<>', 'write'],
      ['<&', null],
      ['>>', 'write'],
      ['>|', 'write'],
      ['>&', null],
      ['<', 'read'],
      ['>', 'write'],
    ]
    const [op, mode] = ops.find(([o]) => rest.startsWith(o))!
    this.i += op.length
    this.startRedirect(fd + op, mode)
  }

  private startRedirect(op: string, mode: Redirect['mode'] | null) {
    if (this.pendingRedirect) this.opaque('a redirection without a target')
    this.pendingRedirect = { op, mode }
  }

  private word() {
    const s = this.src
    const start = this.i
    let value = ''
    let quoted = false
    let dynamic = false
    while (this.i < s.length) {
      const c = s[this.i]!
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') break
      if (c === '(' && !(value === '' && this.i === start)) {
        // `f()` (a function definition) or `a=(x y)` (an array): nothing a rule can judge.
        this.opaque('parenthesis inside a word')
        const end = this.matchParen(this.i)
        value += s.slice(this.i, end + 1)
        this.i = end + 1
        dynamic = true
        continue
      }
      if (c === '(') break
      if ((c === '<' || c === '>') && s[this.i + 1] === '(') {
        const end = this.matchParen(this.i + 1)
        this.sub(s.slice(this.i + 2, end))
        value += s.slice(this.i, end + 1)
        this.i = end + 1
        dynamic = true
        continue
      }
      if (c === '<' || c === '>') {
        // `2>file`: the digits before it name a descriptor, not a word.
        if (/^\d+$/.test(value) && !quoted && s.slice(start, this.i) === value) {
          this.redirection(value)
          return
        }
        break
      }
      if (c === '\\') {
        if (s[this.i + 1] === '\n') this.i += 2
        else {
          value += s[this.i + 1] ?? ''
          this.i += 2
          quoted = true
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1)
        if (end < 0) {
          this.opaque('unterminated single quote')
          value += s.slice(this.i + 1)
          this.i = s.length
        } else {
          value += s.slice(this.i + 1, end)
          this.i = end + 1
        }
        quoted = true
      } else if (c === '"') {
        const r = this.doubleQuoted(this.i + 1)
        value += r.value
        dynamic ||= r.dynamic
        this.i = r.end + 1
        quoted = true
      } else if (c === '$' && s[this.i + 1] === "'") {
        // $'…' (ANSI-C quoting): `\'` is a quote inside it, so it ends where bash ends it.
        const r = ansiC(s, this.i + 2)
        if (r.end >= s.length) this.opaque('unterminated single quote')
        value += r.value
        this.i = r.end + 1
        quoted = true
      } else if (c === '$') {
        const r = this.dollar(this.i)
        value += r.text
        dynamic = true
        this.i = r.end
      } else if (c === '`') {
        const end = this.backtick(this.i)
        value += s.slice(this.i, end + 1)
        dynamic = true
        this.i = end + 1
      } else {
        if (c === '*' || c === '?' || c === '[') dynamic = true
        value += c
        this.i++
      }
    }
    const raw = s.slice(start, this.i)
    this.addWord({ value, raw, start, end: this.i, quoted, dynamic })
  }

  /** Reads "…" from `from` (after the quote); returns its value and the index of the closing quote. */
  private doubleQuoted(from: number): { value: string; end: number; dynamic: boolean } {
    const s = this.src
    let value = ''
    let dynamic = false
    let i = from
    while (i < s.length && s[i] !== '"') {
      const c = s[i]!
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1]!
        if (n === '\n') {
          i += 2
          continue
        }
        value += '$`"\\'.includes(n) ? n : `\\${n}`
        i += 2
      } else if (c === '$') {
        const r = this.dollar(i)
        value += r.text
        dynamic = true
        i = r.end
      } else if (c === '`') {
        const end = this.backtick(i)
        value += s.slice(i, end + 1)
        dynamic = true
        i = end + 1
      } else {
        value += c
        i++
      }
    }
    if (i >= s.length) this.opaque('unterminated double quote')
    return { value, end: i, dynamic }
  }

  /** `$(…)`, `$((…))`, `${…}`, `$NAME`, `$1`, `$?`…: returns the text and the index after it. */
  private dollar(at: number): { text: string; end: number } {
    const s = this.src
    const n = s[at + 1]
    if (n === '(' && s[at + 2] === '(') {
      const end = this.matchParen(at + 1)
      this.arithmetic(s.slice(at + 3, end - 1))
      return { text: s.slice(at, end + 1), end: end + 1 }
    }
    if (n === '[') {
      const close = s.indexOf(']', at + 2)
      const end = close < 0 ? s.length : close + 1
      if (close < 0) this.opaque('unterminated $[')
      this.arithmetic(s.slice(at + 2, end - 1))
      return { text: s.slice(at, end), end }
    }
    if (n === '(') {
      const end = this.matchParen(at + 1)
      this.sub(s.slice(at + 2, end))
      return { text: s.slice(at, end + 1), end: end + 1 }
    }
    if (n === '{') {
      let depth = 0
      let i = at + 1
      for (; i < s.length; i++) {
        if (s[i] === '{') depth++
        else if (s[i] === '}' && --depth === 0) break
      }
      if (i >= s.length) this.opaque('unterminated ${')
      // ${x:-$(cmd)} runs cmd: read what is inside too.
      const inner = s.slice(at + 2, i)
      if (/\$\(|`/.test(inner)) this.sub(inner.replace(/^[^$`]*/, 'echo '))
      const why = arithmeticInExpansion(inner)
      if (why) this.opaque(why)
      return { text: s.slice(at, i + 1), end: i + 1 }
    }
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9#?$!*@-])/.exec(s.slice(at))
    if (m) return { text: m[0], end: at + m[0].length }
    return { text: '$', end: at + 1 }
  }

  /**
   * `$((…))` or `$[…]`: the $( ) and backticks inside run; a name inside is evaluated as an expression
   * itself (`x='a[$(rm -rf /)]'; echo $((x))` runs rm), so what it does is not known here.
   */
  private arithmetic(inner: string) {
    if (/\$\(|`/.test(inner)) this.sub(inner.replace(/^[^$`]*/, 'echo '))
    if (/[A-Za-z_]/.test(inner)) this.opaque('arithmetic on a variable')
  }

  /** The index of the `)` matching the `(` at `open`, skipping quotes and nested parens. */
  private matchParen(open: number): number {
    const s = this.src
    let depth = 0
    for (let i = open; i < s.length; i++) {
      const c = s[i]!
      if (c === '\\') i++
      else if (c === '$' && s[i + 1] === "'") i = ansiC(s, i + 2).end
      else if (c === "'") {
        const end = s.indexOf("'", i + 1)
        if (end < 0) break
        i = end
      } else if (c === '"') {
        i = this.skipDouble(i + 1)
      } else if (c === '(') depth++
      else if (c === ')' && --depth === 0) return i
    }
    this.opaque('unterminated parenthesis')
    return s.length
  }

  private skipDouble(from: number): number {
    const s = this.src
    let i = from
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1
    return i
  }

  /** A backtick substitution starting at `at`: reads its commands; returns the closing backtick's index. */
  private backtick(at: number): number {
    const s = this.src
    let i = at + 1
    let inner = ''
    while (i < s.length && s[i] !== '`') {
      if (s[i] === '\\' && i + 1 < s.length) {
        inner += '$`\\'.includes(s[i + 1]!) ? s[i + 1] : s.slice(i, i + 2)
        i += 2
      } else inner += s[i++]
    }
    if (i >= s.length) this.opaque('unterminated backtick')
    this.sub(inner)
    return i
  }

  private sub(inner: string) {
    parseInto(inner, this.out, this.depth + 1, true)
  }

  private addWord(word: Word) {
    const pending = this.pendingRedirect
    if (pending) {
      this.pendingRedirect = null
      this.redirect(pending, word)
      return
    }
    this.words.push(word)
  }

  private redirect(p: { op: string; mode: Redirect['mode'] | null }, word: Word) {
    const base = p.op.replace(/^\d+/, '')
    if (base === '<<' || base === '<<-') {
      this.heredocs.push({ delim: word.value, stripTabs: base === '<<-', expands: !word.quoted })
      this.redirects.push({ mode: 'read', op: p.op, target: null, dynamic: false })
      return
    }
    if (base === '<<<') {
      this.redirects.push({ mode: 'read', op: p.op, target: null, dynamic: false })
      return
    }
    // `>&2`, `2>&1`, `<&0`, `>&-`: descriptors, not files. `>& file` (bash) writes the file.
    if ((base === '>&' || base === '<&') && /^(\d+|-)$/.test(word.value)) {
      this.redirects.push({ mode: base === '>&' ? 'write' : 'read', op: p.op, target: null, dynamic: false })
      return
    }
    const mode = p.mode ?? (base === '>&' ? 'write' : 'read')
    this.redirects.push({ mode, op: p.op, target: word.value, dynamic: word.dynamic })
  }

  private readHeredocs() {
    const s = this.src
    for (const doc of this.heredocs) {
      while (this.i < s.length) {
        const nl = s.indexOf('\n', this.i)
        const lineEnd = nl < 0 ? s.length : nl
        let line = s.slice(this.i, lineEnd)
        this.i = nl < 0 ? s.length : nl + 1
        if (doc.stripTabs) line = line.replace(/^\t+/, '')
        if (line === doc.delim) break
        // An unquoted here-document expands $( ) and backticks: they run.
        if (doc.expands && /\$\(|`/.test(line)) this.subsFrom(line)
      }
    }
    this.heredocs = []
  }

  /** The commands an unquoted here-document line runs through $( ) and backticks (its quotes are text). */
  private subsFrom(line: string) {
    const found: ParsedShell = { commands: [], opaque: [] }
    new Reader(line.replace(/['"\\]/g, '\\$&'), found, this.depth + 1, false).run()
    this.out.commands.push(...found.commands.filter((c) => c.nested))
    this.out.opaque.push(...found.opaque)
  }

  private endCommand() {
    if (this.pendingRedirect) {
      this.opaque('a redirection without a target')
      this.pendingRedirect = null
    }
    if (this.heredocs.length > 0 && this.i >= this.src.length) this.opaque('unterminated here-document')
    let words = this.words
    const redirects = this.redirects
    this.words = []
    this.redirects = []
    if (words.length === 0) {
      if (redirects.length > 0) this.push([], [], redirects, '')
      return
    }
    // Reserved words that lead into a command: `if x`, `then y`, `do z`, `! w`, `{ v`.
    while (words.length > 0 && !words[0]!.quoted && RESERVED_LEADING.has(words[0]!.value)) words = words.slice(1)
    if (words.length > 0 && !words[0]!.quoted && RESERVED_OPAQUE.has(words[0]!.value)) {
      this.opaque(`'${words[0]!.value}' is not read`)
    }
    const env: Word[] = []
    while (words.length > 0 && ENV_ASSIGNMENT.test(words[0]!.raw)) {
      env.push(words[0]!)
      words = words.slice(1)
    }
    // `for x in a b`: the loop header runs nothing itself (its body is read as commands).
    if (words[0]?.value === 'for' && !words[0].quoted) return
    if (words.length === 0 && env.length === 0) {
      if (redirects.length > 0) this.push([], [], redirects, '')
      return
    }
    const all = [...env, ...words]
    const raw = this.src.slice(all[0]!.start, all[all.length - 1]!.end)
    this.push(
      words.map((w) => w.value),
      env.map((w) => w.value),
      redirects,
      raw,
    )
  }

  private push(argv: string[], env: string[], redirects: Redirect[], raw: string, nested = this.nested, depth = 0) {
    const cmd: SimpleCommand = { argv, env, text: commandText(argv), raw, redirects, nested }
    let inner = unwrap(argv)
    // What finally runs, once every transparent layer is off: `nohup nice sh -c '…'` runs sh -c '…'.
    let runs = argv
    for (let layers = 0; inner && inner.transparent && layers < MAX_DEPTH; layers++) {
      cmd.unwrapped = commandText(inner.argv)
      runs = inner.argv
      inner = unwrap(inner.argv)
    }
    this.out.commands.push(cmd)
    // `sudo X`, `xargs X`, `env A=1 X`, `find -exec X`: X is a command of its own, read like any other
    // (its wrappers, its `sh -c` script).
    if (inner && !inner.transparent) {
      if (depth >= MAX_DEPTH) this.opaque('wrapped too deeply')
      else this.push(inner.argv, [], [], inner.argv.join(' '), true, depth + 1)
    }
    const script = shellScript(runs)
    if (script !== null) parseInto(script, this.out, this.depth + 1, true)
  }
}

/**
 * A name inside `${…}` evaluated as an arithmetic expression or a prompt, which can run commands:
 * `${!x}`, `${a[x]}`, `${y:0:x}`, `${x@P}`. Returns why, or null.
 */
function arithmeticInExpansion(inner: string): string | null {
  if (inner.startsWith('!') && !/^![A-Za-z_][A-Za-z0-9_]*[*@]$/.test(inner)) return 'indirect expansion'
  const m = /^#?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[#?$!*@-])/.exec(inner)
  if (!m) return null
  const rest = inner.slice(m[0].length)
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (/[A-Za-z_$`]/.test(rest.slice(1, close < 0 ? undefined : close))) return 'array subscript'
    return null
  }
  if (rest.startsWith(':') && !'-=?+'.includes(rest[1] ?? '-') && /[A-Za-z_$`]/.test(rest.slice(1))) {
    return 'substring offset'
  }
  if (rest.startsWith('@P')) return 'prompt expansion'
  return null
}

const ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
}

/** The value of `$'…'` from `from` (after the opening quote), and the index of its closing quote. */
function ansiC(s: string, from: number): { value: string; end: number } {
  let value = ''
  let i = from
  while (i < s.length && s[i] !== "'") {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      value += s[i++]
      continue
    }
    const n = s[i + 1]!
    let m: RegExpExecArray | null
    if (n in ANSI_C_ESCAPES) {
      value += ANSI_C_ESCAPES[n]
      i += 2
    } else if ((m = /^[0-7]{1,3}/.exec(s.slice(i + 1)))) {
      value += String.fromCharCode(parseInt(m[0], 8) & 0xff)
      i += 1 + m[0].length
    } else if ((m = /^(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8})/.exec(s.slice(i + 1)))) {
      value += String.fromCodePoint(Math.min(parseInt(m[0].slice(1), 16), 0x10ffff))
      i += 1 + m[0].length
    } else if (n === 'c' && i + 2 < s.length) {
      value += String.fromCharCode(s.charCodeAt(i + 2) & 0x1f)
      i += 3
    } else {
      value += s.slice(i, i + 2)
      i += 2
    }
  }
  return { value, end: i }
}

/** argv as one line: words with blanks or shell syntax in them single-quoted, so they stay one word. */
export function commandText(argv: string[]): string {
  return argv.map((w) => (w === '' || /[\s;&|<>()'"\\`$]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ')
}

/** The script of `sh -c '…'`, `bash -lc '…'` or `eval …`, when argv is one. */
function shellScript(argv: string[]): string | null {
  const cmd = basename(argv[0] ?? '')
  if (cmd === 'eval') return argv.slice(1).join(' ')
  if (!SHELLS.has(cmd)) return null
  const args = cmd === 'busybox' ? argv.slice(2) : argv.slice(1)
  if (cmd === 'busybox' && !SHELLS.has(argv[1] ?? '')) return null
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (!a.startsWith('-') && !a.startsWith('+')) return null
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) return args[i + 1] ?? ''
    if (a === '-o' || a === '+o') i++
  }
  return null
}

/** Options of wrappers that take a value as the next word. */
const WRAPPER_VALUE_OPTIONS: Record<string, Set<string>> = {
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  nice: new Set(['-n', '--adjustment']),
  xargs: new Set(['-I', '-n', '-P', '-d', '-L', '-s', '-E', '-a', '--max-args', '--max-procs', '--delimiter']),
  sudo: new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-D', '-r', '-t']),
  doas: new Set(['-u', '-C']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p']),
  // exec -a NAME X runs X (named NAME); GNU time -f FORMAT / -o FILE.
  exec: new Set(['-a']),
  time: new Set(['-f', '--format', '-o', '--output']),
}
/** Wrappers that change nothing about what the wrapped command may do. */
const TRANSPARENT = new Set([
  'timeout',
  'nice',
  'nohup',
  'time',
  'command',
  'builtin',
  'exec',
  'stdbuf',
  'ionice',
  'busybox',
])
/** Wrappers that run the wrapped command with more power or other input: both must be allowed. */
const OPAQUE_WRAPPERS = new Set(['sudo', 'doas', 'xargs', 'env', 'watch', 'parallel'])

/** The command a wrapper runs (`timeout 5 npm test` → npm test; `find . -exec rm {} ;` → rm {}). */
function unwrap(argv: string[]): { argv: string[]; transparent: boolean } | null {
  const cmd = basename(argv[0] ?? '')
  if (cmd === 'find') {
    const at = argv.findIndex((a) => a === '-exec' || a === '-execdir' || a === '-ok' || a === '-okdir')
    if (at < 0) return null
    const rest = argv.slice(at + 1)
    const end = rest.findIndex((a) => a === ';' || a === '+')
    return { argv: end < 0 ? rest : rest.slice(0, end), transparent: false }
  }
  if (!TRANSPARENT.has(cmd) && !OPAQUE_WRAPPERS.has(cmd)) return null
  // `busybox rm x` runs its applet rm.
  if (cmd === 'busybox')
    return argv.length > 1 && !argv[1]!.startsWith('-') ? { argv: argv.slice(1), transparent: true } : null
  const valued = WRAPPER_VALUE_OPTIONS[cmd] ?? new Set<string>()
  let i = 1
  let envAssigned = false
  while (i < argv.length) {
    const a = argv[i]!
    if (cmd === 'env' && ENV_ASSIGNMENT.test(a)) {
      envAssigned = true
      i++
    } else if (a === '--') {
      i++
      break
    } else if (a.startsWith('-') && a.length > 1) {
      i += valued.has(a) ? 2 : 1
    } else break
  }
  // timeout DURATION command
  if (cmd === 'timeout' && i < argv.length) i++
  const inner = argv.slice(i)
  if (inner.length === 0) return null
  return { argv: inner, transparent: TRANSPARENT.has(cmd) || (cmd === 'env' && !envAssigned && i === 1) }
}

function basename(path: string): string {
  const at = path.lastIndexOf('/')
  return at >= 0 ? path.slice(at + 1) : path
}
