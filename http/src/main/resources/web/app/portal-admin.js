/*
 * A client's portal as the agency sets it up: the branding form (PUT .../portal, its checkboxes as
 * true/false) and the logo and favicon, sent as the image file itself. Domains go through app.js.
 */
(function () {
  'use strict';
  var form = document.getElementById('branding-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var fields = form.elements;
      var body = { slug: fields.slug.value.trim(), name: fields.name.value.trim(), primaryColor: fields.primaryColor.value,
        accentColor: fields.accentColor.value, supportEmail: fields.supportEmail.value.trim(),
        supportPhone: fields.supportPhone.value.trim(), enabled: fields.enabled.checked };
      if (!fields.poweredBy.disabled) body.poweredBy = fields.poweredBy.checked;
      var error = form.querySelector('[role=alert]');
      error.hidden = true;
      window.Layercake.call('PUT', '/organizations/children/' + encodeURIComponent(form.dataset.client) + '/portal', body)
        .then(function () { window.location.reload(); })
        .catch(function (failure) { error.textContent = failure.message; error.hidden = false; });
    });
  }
  document.querySelectorAll('input[data-image]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files[0];
      if (!file) return;
      fetch('/api/v1/organizations/children/' + encodeURIComponent(input.dataset.client) + '/portal/' + input.dataset.image,
        { method: 'PUT', credentials: 'same-origin', headers: window.Layercake.headers({ 'Content-Type': file.type || 'application/octet-stream' }),
          body: file })
        .then(window.Layercake.answer)
        .then(function () { window.location.reload(); })
        .catch(function (failure) {
          var error = document.getElementById('page-error');
          error.textContent = failure.message;
          error.hidden = false;
        });
    });
  });
})();
