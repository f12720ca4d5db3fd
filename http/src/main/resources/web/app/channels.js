/*
 * The channels page's webchat forms: switching chat on or off and the sites that may show it change
 * the agent's configuration through the REST API (everything else in it is kept as it is). The
 * "write to a new customer" form starts a WhatsApp conversation with a template and opens it in the inbox.
 * "Connect WhatsApp with Facebook" runs Meta's Embedded Signup: Facebook's SDK signs the owner in and
 * returns a code, Meta's window says which business account and number were chosen (a message from
 * facebook.com), and with both the server finishes the connection.
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

  var signup = document.getElementById('embedded-signup');
  if (signup) {
    var found = {};
    var result = signup.querySelector('output');
    var signupAlert = signup.querySelector('[role=alert]');
    var failSignup = function (message) { signupAlert.textContent = message; signupAlert.hidden = false; };
    var finish = function () {
      if (!found.code || !found.waba || !found.phone) return;
      api.call('POST', '/channels/whatsapp/embedded-signup', { code: found.code, businessAccountId: found.waba,
        phoneNumberId: found.phone, agentId: signup.elements.agentId.value })
        .then(function (connected) {
          result.textContent = 'Connected: number ' + connected.phoneNumberId + ' answers as ' + connected.agentId
            + '. Its two-step verification PIN is ' + connected.pin + ': keep it, it is shown only once.';
          found = {};
        })
        .catch(function (error) { failSignup(error.message); });
    };
    // what Meta's signup window reports (sessionInfoVersion 3)
    var sessionInfo = function (data) {
      if (!data || data.type !== 'WA_EMBEDDED_SIGNUP') return;
      if (data.event === 'FINISH' || data.event === 'FINISH_ONLY_WABA') {
        found.waba = data.data.waba_id;
        found.phone = data.data.phone_number_id;
        if (!found.phone) failSignup('Meta created the business account without a phone number: add one in WhatsApp Manager and connect again.');
        finish();
      } else if (data.event === 'CANCEL') {
        failSignup('The signup was left at "' + (data.data.current_step || 'an early step') + '": nothing was connected.');
      } else if (data.event === 'ERROR') {
        failSignup('Meta reported: ' + data.data.error_message);
      }
    };
    window.addEventListener('message', function (event) {
      if (!/^https:\/\/([\w-]+\.)*facebook\.com$/.test(event.origin)) return;
      var data;
      try {
        data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
      } catch (notJson) {
        return; // Facebook's own messages that are not JSON carry nothing for us
      }
      sessionInfo(data);
    });
    // tests stand in for Meta's window through this
    window.LayercakeEmbeddedSignup = { sessionInfo: sessionInfo };
    var withSdk = function (then) {
      if (window.FB) { then(window.FB); return; }
      window.fbAsyncInit = function () {
        window.FB.init({ appId: signup.dataset.appId, autoLogAppEvents: true, xfbml: false, version: signup.dataset.graphVersion });
        then(window.FB);
      };
      var script = document.createElement('script');
      script.src = 'https://connect.facebook.net/en_US/sdk.js';
      script.async = true;
      script.crossOrigin = 'anonymous';
      script.onerror = function () { failSignup('Facebook\'s sign-in could not be loaded: check the connection, or connect with a token below.'); };
      document.head.appendChild(script);
    };
    signup.addEventListener('submit', function (event) {
      event.preventDefault();
      signupAlert.hidden = true;
      result.textContent = '';
      found = {};
      withSdk(function (fb) {
        fb.login(function (response) {
          if (response && response.authResponse && response.authResponse.code) {
            found.code = response.authResponse.code;
            finish();
          } else {
            failSignup('Signing in with Facebook was cancelled: nothing was connected.');
          }
        }, { config_id: signup.dataset.configId, response_type: 'code', override_default_response_type: true,
          extras: { setup: {}, featureType: '', sessionInfoVersion: '3' } });
      });
    });
  }
})();
