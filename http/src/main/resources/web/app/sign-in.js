/* The sign-in page: asks for an emailed link (POST /auth/email-link) and says it is on its way. */
(function () {
  'use strict';
  var form = document.getElementById('login-form');
  var sent = document.getElementById('link-sent');
  var error = document.getElementById('page-error');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    error.hidden = true;
    fetch('/auth/email-link', { method: 'POST', headers: { 'Content-Type': 'application/json' },
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
})();
