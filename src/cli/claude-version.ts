// Which Claude Code the hooks are installed for: `claude --version`, so tend hooks only events it knows.
import { execFileSync } from 'node:child_process'

export interface ClaudeVersion {
  /** The binary asked ("claude": found on PATH). */
  bin: string
  /** "2.1.332", or null when it could not be run or said something else. */
  version: string | null
}

/** Parses `claude --version` output ("2.1.332 (Claude Code)"). */
export function parseClaudeVersion(output: string): string | null {
  return /^\s*(\d+\.\d+\.\d+)\b/.exec(output)?.[1] ?? null
}

export function detectClaudeVersion(bin = 'claude'): ClaudeVersion {
  try {
    const out = execFileSync(bin, ['--version'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    return { bin, version: parseClaudeVersion(out) }
  } catch {
    return { bin, version: null }
  }
}
