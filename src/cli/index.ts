// The tend command: one subcommand per file, dispatched by citty. Each loads only when run, so
// `tend status` or `tend --version` never load the server, the Slack SDK or the MCP server.
import './help-color.ts'
import { defineCommand, runMain } from 'citty'

const main = defineCommand({
  meta: {
    name: 'tend',
    version: '0.1.0',
    description: 'Tend a fleet of Claude Code agents: who is blocked on you, and for how long',
  },
  subCommands: {
    serve: () => import('./serve.ts').then((m) => m.default),
    demo: () => import('./demo.ts').then((m) => m.default),
    stop: () => import('./service-commands.ts').then((m) => m.stop),
    restart: () => import('./service-commands.ts').then((m) => m.restart),
    logs: () => import('./service-commands.ts').then((m) => m.logs),
    status: () => import('./status.ts').then((m) => m.default),
    reply: () => import('./answer.ts').then((m) => m.reply),
    approve: () => import('./answer.ts').then((m) => m.approve),
    deny: () => import('./answer.ts').then((m) => m.deny),
    away: () => import('./presence.ts').then((m) => m.away),
    back: () => import('./presence.ts').then((m) => m.back),
    priority: () => import('./priority.ts').then((m) => m.default),
    rules: () => import('./rules.ts').then((m) => m.default),
    pings: () => import('./pings.ts').then((m) => m.default),
    stats: () => import('./stats.ts').then((m) => m.default),
    report: () => import('./report.ts').then((m) => m.default),
    doctor: () => import('./doctor.ts').then((m) => m.default),
    slack: () => import('./slack.ts').then((m) => m.default),
    mcp: () => import('./mcp.ts').then((m) => m.default),
    open: () => import('./open.ts').then((m) => m.default),
    install: () => import('./install.ts').then((m) => m.install),
    uninstall: () => import('./install.ts').then((m) => m.uninstall),
  },
})

void runMain(main)
