// The Slack part of config.json, read: is it set up enough to ping, where pings go, who may answer.
import type { FileConfig } from '../config-file.ts'

export type SlackSettings = FileConfig['slack']

/** Whether config.json (or the environment) says anything about Slack, complete or not. */
export const slackMentioned = (s: SlackSettings): boolean =>
  Object.values(s).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)))

/** What is still missing before Slack can be wired in (empty: ready). */
export function slackMissing(s: SlackSettings): string[] {
  const missing: string[] = []
  if (!s.botToken) missing.push('a bot token (SLACK_BOT_TOKEN or slack.botToken, xoxb-…)')
  if (!s.appToken) missing.push('an app-level token (SLACK_APP_TOKEN or slack.appToken, xapp-…)')
  if (!s.user && !s.channel) missing.push('where to post: slack.user (your member id, U…) or slack.channel (C…)')
  return missing
}

/** Allow-listed Slack user ids: slack.allowedUsers, else the DM recipient. */
export function answerers(s: SlackSettings): Set<string> {
  return new Set(s.allowedUsers.length ? s.allowedUsers : s.user ? [s.user] : [])
}

export function destinationText(s: SlackSettings): string {
  return s.channel
    ? `pings go to channel ${s.channel} (the bot must be invited: /invite @tend)`
    : `pings go to a DM with ${s.user}`
}
