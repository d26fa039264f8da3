// The tend command: one subcommand per file, dispatched by citty.
import { defineCommand, runMain } from 'citty'
import { approve, deny, reply } from './answer.ts'
import { install, uninstall } from './install.ts'
import { away, back } from './presence.ts'
import doctor from './doctor.ts'
import pings from './pings.ts'
import priority from './priority.ts'
import stats from './stats.ts'
import serve from './serve.ts'
import slack from './slack.ts'
import status from './status.ts'

const main = defineCommand({
  meta: {
    name: 'tend',
    version: '0.1.0',
    description: 'Tend a fleet of Claude Code agents: who is blocked on you, and for how long',
  },
  subCommands: {
    serve,
    status,
    reply,
    approve,
    deny,
    away,
    back,
    priority,
    pings,
    stats,
    doctor,
    slack,
    install,
    uninstall,
  },
})

void runMain(main)
