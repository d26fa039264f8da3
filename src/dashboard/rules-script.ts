// The Rules view's script (served as /ui/assets/rules.js, after dashboard.js, whose requests with the
// CSRF token and write key, notices and error wording it uses): add, remove, accept a suggestion, test a call.
export const rulesScript = String.raw`(function () {
  'use strict'
  var tend = window.tend
  var risky = document.getElementById('risky-toggle')
  function riskyQuery() {
    var box = document.getElementById('risky-toggle')
    return box && box.checked ? '?risky=1' : ''
  }
  function replace(res) {
    var body = document.getElementById('rules-body')
    if (body && res.body.html) body.innerHTML = res.body.html
  }
  function fields(form) {
    var out = {}
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value.trim()) out[el.name] = el.value.trim()
    })
    return out
  }

  document.addEventListener('submit', function (e) {
    var form = e.target
    if (form.id === 'rule-add') {
      e.preventDefault()
      tend.send('POST', '/ui/rules' + riskyQuery(), fields(form)).then(function (res) {
        if (!res.ok) return tend.notice('Rule not added: ' + tend.failure(res), true)
        var r = res.body.rule
        tend.notice('Rule #' + r.id + ' added: ' + r.kind + ' ' + r.rule)
        form.reset()
        replace(res)
      })
    } else if (form.id === 'rule-test') {
      e.preventDefault()
      var out = document.getElementById('rule-test-result')
      tend.send('POST', '/ui/rules/test', fields(form)).then(function (res) {
        out.className = res.ok ? 'decision-' + (res.body.decision || 'none') : 'error'
        out.textContent = res.ok ? res.body.text : tend.failure(res)
      })
    }
  })

  document.addEventListener('click', function (e) {
    var t = e.target
    if (!t.getAttribute) return
    var id = t.getAttribute('data-remove-rule')
    var rule = t.getAttribute('data-accept-rule')
    if (id) {
      t.disabled = true
      tend.send('DELETE', '/ui/rules/' + encodeURIComponent(id) + riskyQuery()).then(function (res) {
        t.disabled = false
        if (!res.ok) return tend.notice(tend.failure(res), true)
        tend.notice('Rule #' + id + ' removed')
        replace(res)
      })
    } else if (rule) {
      t.disabled = true
      var body = { kind: 'allow', rule: rule, scope: t.getAttribute('data-accept-path'), origin: 'suggestion' }
      tend.send('POST', '/ui/rules' + riskyQuery(), body).then(function (res) {
        t.disabled = false
        if (!res.ok) return tend.notice('Not accepted: ' + tend.failure(res), true)
        tend.notice('Rule #' + res.body.rule.id + ' added: allow ' + res.body.rule.rule)
        replace(res)
      })
    }
  })

  document.addEventListener('change', function (e) {
    if (e.target.id === 'risky-toggle') location.href = '/ui/rules' + (e.target.checked ? '?risky=1' : '')
  })
})()
`
