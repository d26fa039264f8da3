// Setting an agent's or a project path's priority, for every front end (API, dashboard).
import type { PriorityRule } from '../core/priority.ts'
import { clearPriority, setPriority } from '../store/priorities.ts'
import { resolveAgent } from './agents.ts'
import type { Services } from './services.ts'

const isGlob = (target: string) => /[/*?]/.test(target)

export type PriorityChange = { rule: PriorityRule } | { removed: boolean; target: string }

/** `target`: an agent (short id, project name) or a path glob (contains / or *); null clears the rule. */
export function changePriority(services: Services, target: string, priority: number | null): PriorityChange {
  const { store, now } = services
  const kind = isGlob(target) ? ('path' as const) : ('agent' as const)
  const resolved = kind === 'path' ? target : resolveAgent(store.db, target, now())
  const change: PriorityChange =
    priority === null
      ? { removed: clearPriority(store.db, resolved), target: resolved }
      : (setPriority(store.db, { target: resolved, kind, priority }, now()),
        { rule: { target: resolved, kind, priority } })
  services.bus.emit('priority', { target: resolved })
  return change
}
