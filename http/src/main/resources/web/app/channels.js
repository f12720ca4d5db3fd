/*
 * The channels page's webchat forms: switching chat on or off and the sites that may show it change
 * the agent's configuration through the REST API (everything else in it is kept as it is). The
 * "write to a new customer" form starts a WhatsApp conversation with a template and opens it in the inbox.
 */
(function () {
  'use strict';
  var api = window.Layercake;

  Array.prototype.forEach.call(document.querySelectorAll('form.webchat-form'), function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var path = '/agents/' + encodeURIComponent(form.dataset.agentId);
      var alert = form.querySelector('[role=alert]');
      alert.hidden = true;
      api.call('GET', path)
        .then(function (agent) {
          var body = Object.assign({}, agent.config);
          body.webchat = Object.assign({}, body.webchat, {
            enabled: form.elements.enabled.checked,
            allowedOrigins: form.elements.allowedOrigins.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean)
          });
          return api.call('PUT', path, body);
        })
        .then(function () { form.querySelector('output').textContent = 'Saved.'; })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  });

  var start = document.getElementById('start-conversation');
  if (start) {
    start.addEventListener('submit', function (event) {
      event.preventDefault();
      var alert = start.querySelector('[role=alert]');
      alert.hidden = true;
      var chosen = start.elements.template.value.split('|');
      api.call('POST', '/conversations', {
        agentId: start.elements.agentId.value,
        contact: start.elements.contact.value.trim(),
        template: { name: chosen[0], language: chosen[1],
          parameters: start.elements.values.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean) }
      })
        .then(function (started) {
          var org = document.body.dataset.org;
          var open = function () {
            window.location.assign('/app/inbox/' + encodeURIComponent(started.sessionId) + (org ? '?org=' + encodeURIComponent(org) : ''));
          };
          // the inbox reads a list that trails the new conversation by a moment: open it once the list has it (or after ~5 s)
          var tries = 0;
          var look = function () {
            api.call('GET', '/conversations/' + encodeURIComponent(started.sessionId)).then(open).catch(function () {
              tries += 1;
              if (tries >= 20) open(); else window.setTimeout(look, 250);
            });
          };
          look();
        })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  }
})();
