/*
 * An agent's page: saving the settings replaces the agent's configuration through the REST API
 * (what the form does not show, such as the FAQ and business hours, is kept as it is), then the
 * preview chat restarts with the new settings; a document uploads with its progress, and the
 * knowledge list refreshes until its text is extracted.
 */
(function () {
  'use strict';
  var api = window.Layercake;
  var form = document.getElementById('agent-form');
  var agentId = form.dataset.agentId;

  function fail(scope, error) {
    var box = scope.querySelector('[role=alert]');
    box.textContent = error.message;
    box.hidden = false;
  }

  function field(name) {
    return form.elements[name] ? form.elements[name].value.trim() : '';
  }

  function restartPreview() {
    var old = document.querySelector('[data-layercake-webchat]');
    if (old) old.remove();
    var previous = document.getElementById('preview-widget');
    var script = document.createElement('script');
    script.src = previous.src;
    script.id = 'preview-widget';
    script.setAttribute('data-agent-id', agentId);
    previous.remove();
    document.body.appendChild(script);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var saved = document.getElementById('saved');
    form.querySelector('[role=alert]').hidden = true;
    api.call('GET', '/agents/' + encodeURIComponent(agentId))
      .then(function (agent) {
        var body = Object.assign({}, agent.config || agent);
        body.name = field('name');
        body.greeting = field('greeting') || null;
        body.persona = field('persona') || null;
        body.model = Object.assign({}, body.model, { provider: field('model.provider'), model: field('model.model') });
        body.autonomy = field('autonomy');
        body.doubleTexting = field('doubleTexting');
        body.tools = Array.prototype.filter.call(form.querySelectorAll('input[name=tools]'), function (box) { return box.checked; })
          .map(function (box) { return box.value; });
        body.knowledgeTags = field('knowledgeTags').split(',').map(function (tag) { return tag.trim(); }).filter(Boolean);
        body.webchat = Object.assign({}, body.webchat, { brandColor: field('webchat.brandColor'), position: field('webchat.position') });
        return api.call('PUT', '/agents/' + encodeURIComponent(agentId), body);
      })
      .then(function (agent) {
        var config = agent.config || agent;
        document.getElementById('agent-title').textContent = config.name;
        saved.textContent = 'Saved. The preview chat now uses the new settings.';
        restartPreview();
        document.body.dispatchEvent(new CustomEvent('knowledge-changed'));
      })
      .catch(function (error) { fail(form, error); });
  });

  var upload = document.getElementById('upload-form');
  if (upload) {
    upload.addEventListener('submit', function (event) {
      event.preventDefault();
      upload.querySelector('[role=alert]').hidden = true;
      var file = upload.elements.file.files[0];
      var query = '?title=' + encodeURIComponent(upload.elements.title.value.trim())
        + '&tags=' + encodeURIComponent(upload.elements.tags.value.split(',').map(function (tag) { return tag.trim(); })
          .filter(Boolean).join(','));
      var progress = document.getElementById('upload-progress');
      var request = new XMLHttpRequest();
      request.open('POST', '/api/v1/knowledge/documents' + query);
      var all = api.headers({ 'Content-Type': file.type || 'text/plain',
        'Idempotency-Key': String(Date.now()) + '-' + Math.random().toString(36).slice(2) });
      Object.keys(all).forEach(function (name) { request.setRequestHeader(name, all[name]); });
      request.upload.addEventListener('progress', function (step) {
        if (step.lengthComputable) progress.value = Math.round(100 * step.loaded / step.total);
      });
      request.addEventListener('load', function () {
        progress.hidden = true;
        if (request.status >= 200 && request.status < 300) {
          upload.reset();
          document.body.dispatchEvent(new CustomEvent('knowledge-changed'));
        } else {
          var message = 'HTTP ' + request.status;
          if ((request.getResponseHeader('Content-Type') || '').indexOf('json') >= 0) {
            var json = JSON.parse(request.responseText);
            message = (json.error && json.error.message) || message;
          }
          fail(upload, new Error(message));
        }
      });
      request.addEventListener('error', function () {
        progress.hidden = true;
        fail(upload, new Error('The upload did not reach the server; check the connection and try again.'));
      });
      progress.value = 0;
      progress.hidden = false;
      request.send(file);
    });
  }

  var sequence = document.getElementById('sequence-form');
  if (sequence) {
    sequence.addEventListener('submit', function (event) {
      event.preventDefault();
      var alert = sequence.querySelector('[role=alert]');
      alert.hidden = true;
      var steps = sequence.elements.steps.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean)
        .map(function (line) {
          var bar = line.indexOf('|');
          return bar < 0 ? { delay: '', text: line } : { delay: line.slice(0, bar).trim(), text: line.slice(bar + 1).trim() };
        });
      api.call('PUT', '/agents/' + encodeURIComponent(sequence.dataset.agentId) + '/sequences/'
          + encodeURIComponent(sequence.elements.name.value.trim()), {
        trigger: sequence.elements.trigger.value, steps: steps,
        stopOnReply: sequence.elements.stopOnReply.checked, stopOnBooking: sequence.elements.stopOnBooking.checked
      })
        .then(function () { window.location.reload(); })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  }
  var replay = document.getElementById('replay-form');
  if (replay) {
    replay.addEventListener('submit', function (event) {
      event.preventDefault();
      var alert = replay.querySelector('[role=alert]');
      alert.hidden = true;
      var candidate = {
        persona: replay.elements.persona.value.trim(),
        model: { provider: replay.elements.provider.value.trim(), model: replay.elements.model.value.trim(), temperature: 0 }
      };
      var faq = replay.elements.faq.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean)
        .map(function (line) {
          var bar = line.indexOf('|');
          return bar < 0 ? { question: line, answer: '' } : { question: line.slice(0, bar).trim(), answer: line.slice(bar + 1).trim() };
        });
      if (faq.length) candidate.faq = faq;
      var agent = replay.dataset.agentId;
      api.call('POST', '/agents/' + encodeURIComponent(agent) + '/replays', {
        filter: { limit: Number(replay.elements.limit.value) }, candidate: candidate, budget: Number(replay.elements.budget.value)
      })
        .then(function (started) {
          window.location.assign('/app/agents/' + encodeURIComponent(agent) + '/replays/' + encodeURIComponent(started.replayId)
            + window.location.search);
        })
        .catch(function (error) { alert.textContent = error.message; alert.hidden = false; });
    });
  }
})();
