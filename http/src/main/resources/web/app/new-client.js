/*
 * The "New client" form: creates the sub-organization and invites its owner through the REST API
 * (the same validation and Idempotency-Key as every other client of the API), then goes back to
 * the clients. The session cookie authenticates; the CSRF token rides in X-CSRF-Token.
 */
(function () {
  'use strict';
  var form = document.getElementById('new-client-form');
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
    api('/organizations/children', body, '-client')
      .then(function (client) {
        return owner ? api('/invitations', { email: owner, role: 'client_owner', orgId: client.orgId }, '-owner') : null;
      })
      .then(function () { window.location.assign('/app'); })
      .catch(function (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        form.querySelector('button').disabled = false;
      });
  });
})();
