// The setup page's test chat: the conversation stays in the page; every question asks the generated agent again.
(function () {
  var form = document.getElementById('test-chat');
  var list = document.getElementById('test-messages');
  var messages = [];

  function show(role, text) {
    var item = document.createElement('li');
    item.className = 'setup-message ' + (role === 'customer' ? 'owner' : 'agent');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = role === 'customer' ? 'Customer' : 'Agent (test)';
    var body = document.createElement('p');
    body.textContent = text;
    item.appendChild(who);
    item.appendChild(body);
    list.appendChild(item);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = form.elements.text;
    var error = form.querySelector('.error');
    error.hidden = true;
    messages.push({ role: 'customer', text: input.value });
    show('customer', input.value);
    input.value = '';
    window.Layercake.call('POST', '/setups/' + form.dataset.setupId + '/test-chat', { messages: messages })
      .then(function (answer) {
        var tools = (answer.toolCalls || []).map(function (call) {
          return '(would call ' + call.name + (call.needsApproval ? ', once a person approves' : '') + ')';
        }).join(' ');
        var approval = answer.replyNeedsApproval ? '(a person approves this reply before it is sent)' : '';
        var text = [answer.reply, tools, approval].filter(Boolean).join(' ');
        messages.push({ role: 'agent', text: answer.reply || '' });
        show('agent', text);
      })
      .catch(function (failure) {
        messages.pop();
        error.textContent = failure.message || String(failure);
        error.hidden = false;
      });
  });
})();
