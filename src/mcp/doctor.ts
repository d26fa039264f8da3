// What `tend doctor` says about tend's MCP server: registered for Claude Code, and answering as Claude Code
// would start it (the registered command, an MCP handshake, and one needs_me through the receiver).
import { accessSync, constants } from 'node:fs'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { DoctorCheck } from '../core/channel.ts'
import { claudeConfigFile, findTendRegistrations, type FoundRegistration } from './registration.ts'
import type { NeedsMe } from './shapes.ts'

const NAME = 'mcp (Claude Code)'

export async function mcpCheck(
  opts: { file?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<DoctorCheck> {
  const env = opts.env ?? process.env
  const file = opts.file ?? claudeConfigFile(env)
  const found = findTendRegistrations(file)
  if (found.length === 0)
    return {
      name: NAME,
      status: 'ok',
      lines: [
        `not registered in ${file} (optional): \`tend install --mcp\` lets any Claude Code session ask which agent needs you`,
      ],
    }
  const checks = await Promise.all(found.map((r) => probe(r, env, opts.timeoutMs ?? 15_000)))
  const lines = checks.flatMap((c) => c.lines)
  const status = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'warn')
      ? 'warn'
      : 'ok'
  return { name: NAME, status, lines }
}

/** Starts the registered command as Claude Code would, and asks it needs_me. */
async function probe(
  r: FoundRegistration,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ status: DoctorCheck['status']; lines: string[] }> {
  const head = `${r.name}: \`${[r.server.command, ...r.server.args].join(' ')}\`, answers ${r.allowAnswers ? 'ON (--allow-answers: its clients may answer agents)' : 'off'}`
  try {
    accessSync(r.server.command, constants.X_OK)
  } catch {
    return {
      status: 'fail',
      lines: [head, `${r.server.command} is missing or not executable: run \`tend install --mcp\` again`],
    }
  }
  const merged: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...env, ...r.server.env })) if (v !== undefined) merged[k] = v
  const transport = new StdioClientTransport({
    command: r.server.command,
    args: r.server.args,
    env: merged,
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const client = new Client({ name: 'tend-doctor', version: '1' })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs)
  })
  try {
    return await Promise.race([
      (async () => {
        await client.connect(transport)
        const { tools } = await client.listTools()
        const result = (await client.callTool({ name: 'needs_me', arguments: {} })) as CallToolResult
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ')
        if (result.isError)
          return { status: 'warn' as const, lines: [head, `it starts (${tools.length} tools), but: ${text}`] }
        const blocked = (result.structuredContent as NeedsMe | undefined)?.blocked ?? 0
        return {
          status: 'ok' as const,
          lines: [head, `it answers: ${tools.length} tools; needs_me lists ${blocked} agent(s) waiting for you`],
        }
      })(),
      timeout,
    ])
  } catch (err) {
    const said = stderr.trim().split('\n').at(-1)
    return {
      status: 'fail',
      lines: [head, `it does not answer over MCP: ${(err as Error).message}${said ? ` (it said: ${said})` : ''}`],
    }
  } finally {
    clearTimeout(timer)
    await client.close().catch(() => undefined)
  }
}
