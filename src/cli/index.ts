// The tend command: one subcommand per file, dispatched by citty.
import { defineCommand, runMain } from 'citty'
import { install, uninstall } from './install.ts'
import serve from './serve.ts'
import status from './status.ts'

const main = defineCommand({
  meta: { name: 'tend', version: '0.1.0', description: 'Tend a fleet of Claude Code agents: who is blocked on you, and for how long' },
  subCommands: { serve, status, install, uninstall },
})

void runMain(main)
