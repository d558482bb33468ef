// Keeps the Simulador chat current: every 2 seconds it asks for the conversation
// and, when anything changed (the bot answered, a message was delivered or read),
// draws the bubbles again as the page does. Data only goes in through textContent
// and attributes, never as markup. Without this script, reloading the page does the same.
(function () {
  'use strict';
  var list = document.getElementById('sim-bubbles');
  if (!list) return;
  var phone = list.getAttribute('data-phone');
  var csrfInput = document.querySelector('.sim-composer input[name="_csrf"]');
  var csrf = csrfInput ? csrfInput.value : '';

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function hidden(name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    return input;
  }

  function pollForm(poll) {
    var form = element('form', 'sim-poll' + (poll.multiple ? '' : ' single'));
    form.method = 'post';
    form.action = '/simulator/vote';
    form.appendChild(hidden('_csrf', csrf));
    form.appendChild(hidden('phone', phone));
    form.appendChild(hidden('poll', poll.id));
    if (poll.multiple) {
      form.appendChild(element('span', 'muted', list.getAttribute('data-multiple')));
      poll.options.forEach(function (option) {
        var label = element('label', 'sim-option');
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.name = 'option';
        box.value = option.name;
        box.checked = option.chosen;
        label.appendChild(box);
        label.appendChild(document.createTextNode(' ' + option.name));
        form.appendChild(label);
      });
      var vote = element('button', null, list.getAttribute('data-vote'));
      vote.type = 'submit';
      form.appendChild(vote);
    } else {
      poll.options.forEach(function (option) {
        var button = element('button', 'sim-option' + (option.chosen ? ' chosen' : ''), option.name);
        button.type = 'submit';
        button.name = 'option';
        button.value = option.name;
        button.setAttribute('aria-pressed', option.chosen ? 'true' : 'false');
        form.appendChild(button);
      });
    }
    return form;
  }

  function bubble(b) {
    var item = element('li', 'sim-bubble ' + (b.mine ? 'mine' : 'theirs'));
    item.setAttribute('data-id', b.id);
    if (b.label) item.appendChild(element('span', 'sim-label', b.label));
    if (b.note) item.appendChild(element('span', 'sim-note', b.note));
    if (b.image) {
      var image = element('img', 'sim-image');
      image.src = b.image.src;
      image.alt = b.image.alt;
      image.width = 800;
      image.height = 500;
      image.loading = 'lazy';
      item.appendChild(image);
    }
    if (b.text !== null) item.appendChild(element('span', 'sim-text', b.text));
    if (b.poll) item.appendChild(pollForm(b.poll));
    var meta = element('span', 'sim-meta');
    meta.appendChild(element('time', null, b.time));
    if (b.ticks) {
      meta.appendChild(document.createTextNode(' '));
      var ticks = element('span', 'sim-ticks ' + b.ticks.status);
      ticks.title = b.ticks.label;
      var marks = element('span', null, b.ticks.marks);
      marks.setAttribute('aria-hidden', 'true');
      ticks.appendChild(marks);
      ticks.appendChild(element('span', 'sr-only', b.ticks.label));
      meta.appendChild(ticks);
    }
    item.appendChild(meta);
    return item;
  }

  function draw(conversation) {
    var items = [];
    if (conversation.bubbles.length === 0) items.push(element('li', 'sim-empty muted', list.getAttribute('data-empty')));
    conversation.bubbles.forEach(function (b) {
      if (b.dayBreak) {
        var day = element('li', 'sim-day');
        day.appendChild(element('span', null, b.dayBreak));
        items.push(day);
      }
      items.push(bubble(b));
    });
    list.replaceChildren.apply(list, items);
    list.setAttribute('data-version', conversation.version);
  }

  function refresh() {
    // A vote being chosen in a multiple-choice poll is not redrawn away under the thumb.
    if (list.contains(document.activeElement) && document.activeElement.type === 'checkbox') return;
    fetch('/simulator/conversation?phone=' + encodeURIComponent(phone), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (conversation) {
        if (conversation && conversation.version !== list.getAttribute('data-version')) draw(conversation);
      })
      .catch(function () {
        // The service restarting: try again at the next tick.
      });
  }

  setInterval(refresh, 2000);
})();
