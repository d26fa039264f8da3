// tend restart / stop / logs / uninstall --all on a receiver run as a background process (the way
// install.sh runs it where there is no user service manager), in a private HOME and TEND_HOME.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runTend, TEND_BIN } from '../helpers/cli.ts'
import { freePort } from '../helpers/hook.ts'
import { waitFor } from '../helpers/wait-for.ts'

async function portFree(port: number): Promise<boolean> {
  const server = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
    return true
  } catch {
    return false
  } finally {
    server.close()
  }
}

describe('tend restart, stop, logs and uninstall --all', () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-service-'))
  let env: Record<string, string>
  let port: number

  before(async () => {
    port = await freePort()
    env = {
      HOME: home,
      TEND_HOME: join(home, 'tend'),
      TEND_PORT: String(port),
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_BIN_HOME: join(home, 'bin'),
    }
  })
  after(async () => {
    await runTend(['stop'], env)
    rmSync(home, { recursive: true, force: true })
  })

  it('restart starts the receiver in the background and waits until it listens', async () => {
    const run = await runTend(['restart'], env)
    assert.equal(run.code, 0, run.stderr)
    assert.match(
      run.stdout,
      new RegExp(`receiver running on http://127\\.0\\.0\\.1:${port} \\(background process, pid \\d+`),
    )
    assert.equal((await runTend(['status'], env)).code, 0)
  })

  it('restart again replaces it with a new process', async () => {
    const first = (await runTend(['restart'], env)).stdout
    const second = await runTend(['restart'], env)
    assert.equal(second.code, 0, second.stderr)
    assert.notEqual(/pid (\d+)/.exec(first)![1], /pid (\d+)/.exec(second.stdout)![1])
  })

  it('logs shows the last lines of serve.log; -f follows it until Ctrl-C', async () => {
    const run = await runTend(['logs', '-n', '2'], env)
    assert.equal(run.code, 0, run.stderr)
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 2)
    assert.match(lines[0]!, /"msg":"tend receiver listening"/)
    assert.match(lines[1]!, /^tend: listening on http/)
    const follow = spawn(process.execPath, [TEND_BIN, 'logs', '-f', '-n', '1'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    })
    let out = ''
    follow.stdout.on('data', (d) => (out += d))
    // Its last line printed: the follower has its starting point.
    await waitFor(() => out.includes('listening on'), 10_000, 'the follower to print the last line')
    // Stopping the receiver writes to its log: the follower prints it.
    const stopped = await runTend(['stop'], env)
    assert.match(stopped.stdout, /^receiver stopped \(pid \d+\)/)
    await waitFor(() => /"msg":"stopping"/.test(out), 10_000, 'the follower to print the stop')
    const code = new Promise((resolve) => follow.once('exit', resolve))
    follow.kill('SIGINT')
    assert.equal(await code, 0)
  })

  it('stop leaves the port free, and says so when nothing runs', async () => {
    assert.equal(await portFree(port), true)
    const again = await runTend(['stop'], env)
    assert.equal(again.code, 0)
    assert.match(again.stdout, /no receiver runs for/)
  })

  it('stop never signals another program that has the pid a receiver left in serve.pid or tend.pid', async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      await new Promise((resolve) => other.once('spawn', resolve))
      mkdirSync(env.TEND_HOME!, { recursive: true })
      writeFileSync(join(env.TEND_HOME!, 'serve.pid'), `${other.pid}\n`)
      writeFileSync(join(env.TEND_HOME!, 'tend.pid'), JSON.stringify({ pid: other.pid, startedAt: 0 }))
      const run = await runTend(['stop'], env)
      assert.equal(run.code, 0)
      assert.match(run.stdout, /no receiver runs for/)
      assert.deepEqual([other.exitCode, other.signalCode], [null, null], 'the other program still runs')
    } finally {
      other.kill('SIGKILL')
      rmSync(join(env.TEND_HOME!, 'tend.pid'), { force: true })
    }
  })

  it('uninstall --all keeps the data unless asked (not a terminal), --yes removes it, the service and the link', async () => {
    mkdirSync(env['XDG_BIN_HOME']!, { recursive: true })
    symlinkSync(TEND_BIN, join(env['XDG_BIN_HOME']!, 'tend'))
    assert.equal((await runTend(['install', '--claude', '/nonexistent/claude'], env)).code, 0)
    assert.equal((await runTend(['restart'], env)).code, 0)

    const kept = await runTend(['uninstall', '--all'], env)
    assert.equal(kept.code, 0, kept.stderr)
    assert.match(kept.stdout, /tend hooks and plugin removed from/)
    assert.match(kept.stdout, /receiver stopped \(pid \d+\)/)
    assert.match(kept.stdout, /removed the link/)
    assert.match(kept.stdout, /kept tend's data .* \(not a terminal: --yes removes it\)/)
    assert.equal(existsSync(env['TEND_HOME']!), true)
    assert.equal(existsSync(join(env['XDG_BIN_HOME']!, 'tend')), false)
    assert.equal(await portFree(port), true)

    const removed = await runTend(['uninstall', '--all', '--yes'], env)
    assert.equal(removed.code, 0, removed.stderr)
    assert.match(removed.stdout, /removed .*tend/)
    assert.equal(existsSync(env['TEND_HOME']!), false)
  })
})
