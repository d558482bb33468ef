// The flow editor (Fluxos › Editar): each message and question shows, as it is typed, how a sample
// customer gets it, or the loader's error for it (POST /flows/preview, a pause after typing), and a
// picker inserts the Liquid names a text may use at the cursor. The form works without this script.
(function () {
  'use strict';
  var form = document.getElementById('flow-edit');
  if (!form) return;
  var previewUrl = form.getAttribute('data-preview');
  var csrfInput = form.querySelector('input[name="_csrf"]');
  var csrf = csrfInput ? csrfInput.value : '';
  var names = Array.prototype.map.call(document.querySelectorAll('#liquid-names option'), function (option) {
    return option.value;
  });

  function previewFor(textarea) {
    return form.querySelector('.edit-preview[data-for="' + textarea.id + '"]');
  }

  function show(box, answer) {
    var text = box.querySelector('.preview-text');
    var error = box.querySelector('.preview-error');
    if (!answer) return;
    text.hidden = !answer.ok;
    error.hidden = answer.ok;
    if (answer.ok) text.textContent = answer.text;
    else error.textContent = answer.error;
    textareaOf(box).setAttribute('aria-invalid', answer.ok ? 'false' : 'true');
  }

  function textareaOf(box) {
    return document.getElementById(box.getAttribute('data-for'));
  }

  function attach(textarea) {
    var box = previewFor(textarea);
    if (!box) return;
    var timer = null;
    var asked = 0;
    textarea.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++asked;
        var body = new URLSearchParams();
        body.set('_csrf', csrf);
        body.set('text', textarea.value);
        fetch(previewUrl, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: body })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (answer) {
            if (mine === asked) show(box, answer);
          })
          .catch(function () {});
      }, 400);
    });

    // The names a text may use, inserted where the cursor is.
    var row = document.createElement('div');
    row.className = 'name-picker';
    var select = document.createElement('select');
    select.setAttribute('aria-label', form.getAttribute('data-insert'));
    var first = document.createElement('option');
    first.value = '';
    first.textContent = form.getAttribute('data-insert');
    select.appendChild(first);
    names.forEach(function (name) {
      var option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      select.appendChild(option);
    });
    select.addEventListener('change', function () {
      if (!select.value) return;
      var start = textarea.selectionStart == null ? textarea.value.length : textarea.selectionStart;
      var end = textarea.selectionEnd == null ? start : textarea.selectionEnd;
      textarea.value = textarea.value.slice(0, start) + select.value + textarea.value.slice(end);
      var at = start + select.value.length;
      select.value = '';
      textarea.focus();
      textarea.setSelectionRange(at, at);
      textarea.dispatchEvent(new Event('input'));
    });
    row.appendChild(select);
    textarea.parentNode.insertBefore(row, textarea.nextSibling);
  }

  Array.prototype.forEach.call(form.querySelectorAll('textarea.liquid'), attach);
})();
