// Nova campanha: only the fields of the kind of message chosen (texto, imagem, pergunta) and of the
// number of variants (A/B) are shown. Without this script every field shows, and those of another
// kind or of a variant not asked for are ignored when the form is read.
(function () {
  'use strict';
  var form = document.querySelector('form.campaign-form');
  if (!form) return;
  var count = form.querySelector('select[name="variants"]');

  function kind() {
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : 'text';
  }

  function update() {
    var chosen = kind();
    ['text', 'image', 'question'].forEach(function (one) {
      Array.prototype.forEach.call(form.querySelectorAll('.only-' + one), function (part) {
        part.hidden = one !== chosen;
      });
    });
    var variants = Number(count.value) || 1;
    Array.prototype.forEach.call(form.querySelectorAll('fieldset.campaign-variant'), function (box) {
      box.hidden = Number(box.getAttribute('data-variant')) > variants;
    });
    var sendAt = form.querySelector('input[name="send_at"]');
    var later = form.querySelector('input[name="when"][value="later"]');
    if (sendAt && later) sendAt.disabled = !later.checked;
  }

  form.addEventListener('change', update);
  update();
})();
