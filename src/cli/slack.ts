// tend slack setup: prints the Slack app manifest and the steps from "create the app" to "tend doctor says ok".
import { readFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { loadConfig, type Config } from '../config.ts'
import { slackMissing } from '../slack/settings.ts'
import { guard } from './errors.ts'
import { packageFile } from '../package-files.ts'

/** slack/ sits at the package root, beside src/ (tsx) and beside dist/ (built), and ships in the package. */
export const MANIFEST_PATH = packageFile('slack', 'manifest.yml')

function status(config: Config | null): string {
  if (!config) return ''
  const s = config.file.slack
  const mark = (ok: boolean) => (ok ? 'set' : 'missing')
  const missing = slackMissing(s)
  const where = s.channel ? `channel ${s.channel}` : s.user ? `DM to ${s.user}` : 'no slack.user or slack.channel'
  const next = missing.length
    ? `still missing: ${missing.length} of 3 (see below)`
    : 'all set: restart `tend serve`, then run `tend doctor`'
  return [
    `Right now (${config.paths.configFile} and the environment):`,
    `  bot token ${mark(Boolean(s.botToken))} · app-level token ${mark(Boolean(s.appToken))} · ${where}`,
    `  ${next}`,
    '',
  ].join('\n')
}

export function setupText(config: Config | null): string {
  const file = config?.paths.configFile ?? '~/.config/tend/config.json'
  return `Slack for tend: the most-blocked agent pings you in Slack, and your reply there unblocks it.
Slack talks to tend over Socket Mode: no public URL, no tunnel; the receiver (\`tend serve\`) holds the connection.

${status(config)}1. Create the app: open https://api.slack.com/apps?new_app=1, choose "From a manifest",
   pick your workspace, and paste the manifest printed below (also at ${MANIFEST_PATH}).

2. App-level token: in the app's Basic Information → App-Level Tokens → "Generate Token and Scopes",
   add the scope connections:write and copy the token (xapp-…). This is SLACK_APP_TOKEN.

3. Install: Install App → "Install to Workspace" → allow. Copy the Bot User OAuth Token (xoxb-…).
   This is SLACK_BOT_TOKEN.

4. Who gets the pings: in Slack, open your profile → ⋮ → "Copy member ID" (U…). Only the people in
   slack.allowedUsers may answer; by default that is just slack.user.
   To post in a channel instead of a DM: invite the bot there (/invite @tend) and set slack.channel (C…).

5. Tell tend, in ${file}:
     {
       "slack": { "user": "U…", "allowedUsers": ["U…"] },
       "notify": { "slack": { "enabled": true, "afterMin": 5 } }
     }
   and the tokens, either in the environment of \`tend serve\` (preferred; they override the file):
     export SLACK_BOT_TOKEN=xoxb-…  SLACK_APP_TOKEN=xapp-…
   or in the file as slack.botToken / slack.appToken (keep it private: chmod 600).
   notify.slack.afterMin: Slack follows the desktop after this many minutes (at once when you are away: \`tend away\`).

6. Restart \`tend serve\` and run \`tend doctor\`: the slack line shows the bot (auth.test) and "socket: connected".
   Then, when an agent waits: reply in the thread of its message to instruct it, or press Approve / Deny.

----- ${MANIFEST_PATH} -----
${readFileSync(MANIFEST_PATH, 'utf8')}`
}

const setup = defineCommand({
  meta: { name: 'setup', description: 'Print the Slack app manifest and the steps to connect tend to Slack' },
  args: {
    manifest: { type: 'boolean', description: 'Print only the manifest (YAML)' },
    verbose: { type: 'boolean' },
  },
  run({ args }) {
    return guard(Boolean(args.verbose), () => {
      if (args.manifest) return void process.stdout.write(readFileSync(MANIFEST_PATH, 'utf8'))
      let config: Config | null = null
      try {
        config = loadConfig()
      } catch (err) {
        process.stderr.write(`tend: (config not readable: ${(err as Error).message})\n`)
      }
      process.stdout.write(setupText(config))
    })
  },
})

export default defineCommand({
  meta: { name: 'slack', description: 'Slack: pings in a DM or channel, answers from threads and buttons' },
  subCommands: { setup },
})
