/*
 * The notifications page: saving the channel choices (one PUT with every cell that is not "by
 * priority", and null for those that are), and subscribing this browser to web push through the
 * service worker at /app/sw.js.
 */
(function () {
  'use strict';
  var api = window.Layercake;

  function fail(scope, error) {
    var box = (scope && scope.querySelector('[role=alert]')) || document.getElementById('page-error');
    box.textContent = error.message;
    box.hidden = false;
  }

  var choices = document.getElementById('choices');
  if (choices) {
    choices.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = { choices: [] };
      choices.querySelectorAll('select[data-channel]').forEach(function (select) {
        body.choices.push({ orgId: select.dataset.orgId, channel: select.dataset.channel,
          enabled: select.value === 'default' ? null : select.value === 'on' });
      });
      api.call('PUT', '/notification-settings', body)
        .then(function () { window.location.reload(); })
        .catch(function (error) { fail(choices, error); });
    });
  }

  function bytes(base64url) {
    var padded = base64url.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }

  var enable = document.getElementById('enable-push');
  if (enable) {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
      enable.disabled = true;
      document.getElementById('push-state').textContent += ' This browser cannot receive pushes.';
      return;
    }
    enable.addEventListener('click', function () {
      enable.disabled = true;
      navigator.serviceWorker.register('/app/sw.js')
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (registration) {
          return registration.pushManager.subscribe({ userVisibleOnly: true,
            applicationServerKey: bytes(enable.dataset.serverKey) });
        })
        .then(function (subscription) { return api.call('POST', '/push-subscriptions', subscription.toJSON()); })
        .then(function () { window.location.reload(); })
        .catch(function (error) { enable.disabled = false; fail(null, error); });
    });
  }
})();
