// The setup page's test chat: each question goes to the setup's test agent (the production turn on the test channel).
(function () {
  var form = document.getElementById('test-chat');
  var list = document.getElementById('test-messages');

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
    var text = input.value;
    show('customer', text);
    input.value = '';
    window.Layercake.call('POST', '/setups/' + form.dataset.setupId + '/test-chat', { text: text })
      .then(function (answer) {
        (answer.replies || []).forEach(function (reply) { show('agent', reply); });
        (answer.pendingApprovals || []).forEach(function (approval) {
          show('agent', approval.kind === 'reply' ? '(a drafted reply waits for a person\'s approval in the inbox)'
            : '(' + approval.toolName + ' waits for a person\'s approval in the inbox)');
        });
        if (!(answer.replies || []).length && !(answer.pendingApprovals || []).length) {
          show('agent', '(no reply yet: ' + answer.status + ')');
        }
      })
      .catch(function (failure) {
        error.textContent = failure.message || String(failure);
        error.hidden = false;
      });
  });
})();
