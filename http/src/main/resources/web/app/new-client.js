/*
 * The "New client" steps, through the REST API (the same validation and Idempotency-Key as every
 * other client of the API): the client with its owner invited, then its agent (the short form is
 * app.js's; a bundle is imported here), then its channels. The session cookie authenticates; the
 * CSRF token rides in X-CSRF-Token.
 */
(function () {
  'use strict';
  var imported = document.getElementById('import-form');
  if (imported) {
    imported.addEventListener('submit', function (event) {
      event.preventDefault();
      var alert = imported.querySelector('[role=alert]');
      alert.hidden = true;
      imported.elements.bundle.files[0].text()
        .then(function (bundle) {
          return fetch('/api/v1/agents/imports', { method: 'POST', credentials: 'same-origin', body: bundle,
            headers: window.Layercake.headers({ 'Content-Type': 'application/json' }) });
        })
        .then(window.Layercake.answer)
        .then(function () { window.location.assign(imported.dataset.then); })
        .catch(function (failure) { alert.textContent = failure.message; alert.hidden = false; });
    });
  }

  var form = document.getElementById('new-client-form');
  if (!form) return;
  var error = document.getElementById('form-error');
  var attempt = String(Date.now()) + '-' + Math.random().toString(36).slice(2);

  function api(path, body, key) {
    return fetch('/api/v1' + path, {
      method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': form.dataset.csrf, 'Idempotency-Key': attempt + key }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
        return json;
      });
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    error.hidden = true;
    var id = form.elements.id.value.trim();
    var owner = form.elements.ownerEmail.value.trim();
    var body = { name: form.elements.name.value.trim() };
    if (id) body.id = id;
    form.querySelector('button').disabled = true;
    var createdId;
    api('/organizations/children', body, '-client')
      .then(function (client) {
        createdId = client.orgId;
        return owner ? api('/invitations', { email: owner, role: 'client_owner', orgId: client.orgId }, '-owner') : null;
      })
      .then(function () { window.location.assign('/app/clients/new/agent?org=' + encodeURIComponent(createdId)); })
      .catch(function (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        form.querySelector('button').disabled = false;
      });
  });
})();
