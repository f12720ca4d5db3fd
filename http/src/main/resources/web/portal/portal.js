/*
 * A client's portal: asks for an emailed sign-in link, signs out back to the portal's sign-in page,
 * and opens another client's portal from the switcher. Changes go through app.js's API forms.
 */
(function () {
  'use strict';
  var base = document.body.dataset.base;

  var form = document.getElementById('portal-sign-in');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var sent = document.getElementById('link-sent');
      var error = document.getElementById('page-error');
      error.hidden = true;
      fetch(form.dataset.action, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: form.elements.email.value.trim() }) })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (json) {
            if (!response.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + response.status));
            sent.textContent = json.message;
            sent.hidden = false;
          });
        })
        .catch(function (failure) {
          error.textContent = failure.message;
          error.hidden = false;
        });
    });
  }

  var signOut = document.getElementById('portal-sign-out');
  if (signOut) {
    signOut.addEventListener('click', function () {
      fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin',
        headers: { 'X-CSRF-Token': document.body.dataset.csrf } })
        .then(function () { window.location.assign(base + '/sign-in'); });
    });
  }

  var switcher = document.getElementById('portal-switch');
  if (switcher) {
    switcher.addEventListener('change', function () { window.location.assign(switcher.value); });
  }
})();
