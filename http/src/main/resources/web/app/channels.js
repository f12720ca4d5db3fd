/*
 * The channels page's webchat forms: switching chat on or off and the sites that may show it change
 * the agent's configuration through the REST API (everything else in it is kept as it is).
 */
(function () {
  'use strict';
  var csrf = document.body.dataset.csrf;
  var org = document.body.dataset.org;

  function headers(more) {
    var all = { 'X-CSRF-Token': csrf };
    if (org) all['Layercake-Organization'] = org;
    Object.keys(more || {}).forEach(function (name) { all[name] = more[name]; });
    return all;
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (json) {
      if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
      return json;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('form.webchat-form'), function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var path = '/api/v1/agents/' + encodeURIComponent(form.dataset.agentId);
      var alert = form.querySelector('[role=alert]');
      alert.hidden = true;
      fetch(path, { credentials: 'same-origin', headers: headers() })
        .then(answer)
        .then(function (agent) {
          var body = Object.assign({}, agent.config);
          body.webchat = Object.assign({}, body.webchat, {
            enabled: form.elements.enabled.checked,
            allowedOrigins: form.elements.allowedOrigins.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean)
          });
          return fetch(path, { method: 'PUT', credentials: 'same-origin', headers: headers({ 'Content-Type': 'application/json' }),
            body: JSON.stringify(body) }).then(answer);
        })
        .then(function () { form.querySelector('output').textContent = 'Saved.'; })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  });
})();
