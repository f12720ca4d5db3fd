/*
 * The channels page's webchat forms: switching chat on or off and the sites that may show it change
 * the agent's configuration through the REST API (everything else in it is kept as it is).
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
})();
