// The dashboard's stylesheet (served as /ui/assets/dashboard.css): one column on a phone, the queue
// beside the rest from 1100px up; light and dark.
export const dashboardStyles = `
:root { color-scheme: light dark; --bg: #fafafa; --fg: #1d1d1f; --muted: #6b6b70; --card: #fff; --line: #e3e3e6;
  --accent: #2d5bd7; --perm: #b35c00; --question: #2d5bd7; --error: #c0262d; --done: #2f7d32; --sel: #ffd24d; }
@media (prefers-color-scheme: dark) { :root { --bg: #16171a; --fg: #e9e9ec; --muted: #9a9aa2; --card: #1f2024;
  --line: #33343a; --accent: #7aa2ff; --sel: #b38f00; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--accent); }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { white-space: pre-wrap; word-break: break-word; margin: .3rem 0; padding: .4rem .6rem; background: rgba(127,127,127,.1); border-radius: 4px; }
header.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center;
  padding: .5rem 1rem; background: var(--card); border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: var(--fg); }
header.top nav { display: flex; gap: .8rem; flex: 1; }
header.top nav a { text-decoration: none; }
.presence, .live { font-size: 12px; color: var(--muted); }
.live.on::before { content: "● "; color: var(--done); }
.live.off::before { content: "● "; color: var(--error); }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: 5px; background: var(--card); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); }
button.approve { background: var(--done); color: #fff; border-color: var(--done); }
button.deny { background: var(--error); color: #fff; border-color: var(--error); }
button[type=submit] { background: var(--accent); color: #fff; border-color: var(--accent); }
main { padding: .8rem 1rem 3rem; display: grid; gap: 1rem 1.5rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1100px) { main { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr); }
  #queue { grid-row: span 4; } #agent { grid-column: 1 / -1; } }
section { min-width: 0; }
h2 { font-size: 1rem; margin: .4rem 0 .6rem; }
.count { display: inline-block; min-width: 1.6em; padding: 0 .4em; border-radius: 1em; background: var(--accent); color: #fff; text-align: center; font-size: 12px; }
.empty { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--question); border-radius: 6px;
  padding: .6rem .8rem; margin-bottom: .7rem; }
.card.kind-permission { border-left-color: var(--perm); }
.card.kind-error { border-left-color: var(--error); }
.card.kind-done { border-left-color: var(--done); }
.card.selected { outline: 2px solid var(--sel); outline-offset: 1px; }
.card header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; }
.card h3 { margin: 0; font-size: 1rem; }
.card .rank { color: var(--muted); font-weight: 600; }
.card .kind { color: var(--muted); }
.card .clock { margin-left: auto; font-variant-numeric: tabular-nums; font-weight: 600; }
.card .asks p { margin: .35rem 0; white-space: pre-wrap; word-break: break-word; }
.card .why { margin: .2rem 0; color: var(--muted); font-size: 12.5px; }
.meta { display: flex; flex-wrap: wrap; gap: .3rem 1rem; color: var(--muted); font-size: 12.5px; align-items: center; }
.answer { display: flex; gap: .5rem; margin-top: .5rem; align-items: flex-start; flex-wrap: wrap; }
.answer textarea { flex: 1; min-width: 12rem; font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 5px; background: var(--bg); color: var(--fg); resize: vertical; }
.hint { color: var(--muted); font-size: 12.5px; align-self: center; }
select { font: inherit; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; font-size: 13px; }
th { color: var(--muted); font-weight: 500; }
td.wide { word-break: break-word; }
.state { font-weight: 600; }
tr.state-stale .state { color: var(--perm); }
tr.state-working .state { color: var(--done); }
tr.outcome-failed td { color: var(--error); }
tr.outcome-suppressed td, tr.outcome-cancelled td { color: var(--muted); }
@media (max-width: 700px) { th:nth-child(5), td:nth-child(5), .others th.wide, .others td.wide { display: none; } }
.figures { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 .8rem; }
.figures div { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .35rem .7rem; }
.figures dt { color: var(--muted); font-size: 12px; }
.figures dd { margin: 0; font-size: 1.15rem; font-weight: 600; }
.charts { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
.charts figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .4rem; min-width: 0; }
.charts figcaption { font-size: 12.5px; color: var(--muted); margin-bottom: .2rem; }
.timeline { list-style: none; padding: 0; margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
.timeline li { display: grid; grid-template-columns: 5.5rem minmax(0, 1fr); gap: 0 .6rem; padding: .25rem .6rem; border-bottom: 1px solid var(--line); }
.timeline .text { grid-column: 2; color: var(--muted); word-break: break-word; }
.timeline .t-wait .title { color: var(--perm); }
.timeline .t-answer .title { color: var(--done); font-weight: 600; }
.timeline .t-ping .title { color: var(--accent); }
.timeline li.subagent { padding-left: 1.6rem; }
.badge { font-size: 11px; padding: 0 .35em; border-radius: 3px; background: rgba(127,127,127,.2); }
.pager { display: flex; gap: 1rem; margin-top: .5rem; }
#notices { position: fixed; right: 1rem; bottom: 1rem; z-index: 3; display: flex; flex-direction: column; gap: .4rem; max-width: min(30rem, calc(100vw - 2rem)); }
.notice { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--done); border-radius: 6px; padding: .5rem .7rem; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
.notice.error { border-left-color: var(--error); }
dialog { border: 1px solid var(--line); border-radius: 8px; background: var(--card); color: var(--fg); }
dialog dl { display: grid; grid-template-columns: auto 1fr; gap: .2rem 1rem; }
dialog dt { font-family: ui-monospace, monospace; font-weight: 600; }
dialog dd { margin: 0; }
body.signed-out main { display: block; max-width: 36rem; margin: 10vh auto; }
.banner:empty { display: none; }
.banner { margin: .6rem 1rem 0; padding: .5rem .8rem; border: 1px solid var(--perm); border-left: 4px solid var(--perm); border-radius: 6px; background: var(--card); }
.banner p { margin: 0; }
.rule-form { display: flex; flex-wrap: wrap; gap: .5rem .8rem; align-items: flex-end; margin-bottom: .6rem; }
.rule-form label { display: flex; flex-direction: column; font-size: 12.5px; color: var(--muted); gap: .15rem; }
.rule-form label.grow { flex: 1; min-width: 12rem; }
.rule-form input { font: inherit; padding: .3rem .45rem; border: 1px solid var(--line); border-radius: 5px; background: var(--bg); color: var(--fg); }
#rule-test-result { display: block; min-height: 1.4em; font-weight: 600; }
#rule-test-result.decision-deny, #rule-test-result.error { color: var(--error); }
#rule-test-result.decision-allow { color: var(--done); }
tr.rule-deny .rule-kind { color: var(--error); } tr.rule-allow .rule-kind { color: var(--done); } tr.rule-ask .rule-kind { color: var(--perm); }
.toggle { display: inline-flex; gap: .3rem; align-items: center; margin-bottom: .4rem; color: var(--muted); }
.batch { list-style: none; padding: 0; margin: 0 0 .8rem; } .batch li { display: flex; gap: .6rem; align-items: baseline; }
.batch .clock { margin-left: auto; }
#report h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
#rule-forms, #rules-body { grid-column: 1 / -1; }
#rules-body { display: grid; gap: 0 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr)); }
#rules-body #rules { grid-column: 1 / -1; }
`
