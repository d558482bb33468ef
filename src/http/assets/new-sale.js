// Nova venda: the phone is written the Brazilian way as it is typed ("(11) 91234-5678"), and once it
// is a whole number the page asks who it is (the customer's name, or a new number that needs one).
// A product picked from the shop's recent items fills its SKU and, when empty, its price.
(function () {
  'use strict';
  var form = document.getElementById('new-sale');
  if (!form) return;
  var phone = document.getElementById('phone');
  var buyer = document.getElementById('buyer');
  var nameRow = document.getElementById('name-row');
  var nameInput = document.getElementById('name');
  var lookupUrl = form.getAttribute('data-lookup');
  var timer = null;
  var asked = '';

  /** Brazilian numbers as people write them; anything international (+ and not +55) is left as typed. */
  function formatPhone(value) {
    var trimmed = value.replace(/^\s+/, '');
    if (trimmed.charAt(0) === '+' && trimmed.slice(0, 3) !== '+55') return value;
    var digits = value.replace(/\D/g, '');
    var prefix = '';
    if (trimmed.slice(0, 3) === '+55' || (digits.length > 11 && digits.slice(0, 2) === '55')) {
      prefix = '+55 ';
      digits = digits.slice(2);
    }
    digits = digits.slice(0, 11);
    if (digits.length === 0) return prefix.trim();
    if (digits.length <= 2) return prefix + '(' + digits;
    var area = '(' + digits.slice(0, 2) + ') ';
    var rest = digits.slice(2);
    // Mobiles have 9 digits after the area code (4+4 for landlines and old numbers).
    var split = rest.length > 8 ? 5 : 4;
    if (rest.length <= split) return prefix + area + rest;
    return prefix + area + rest.slice(0, split) + '-' + rest.slice(split);
  }

  function showBuyer(answer) {
    buyer.textContent = answer ? answer.text : '';
    buyer.classList.toggle('known', Boolean(answer && answer.known));
    var known = Boolean(answer && answer.known);
    nameRow.hidden = known && nameInput.value === '';
    if (answer && answer.phone && !answer.known && document.activeElement === phone) nameInput.focus();
  }

  function lookUp() {
    var digits = phone.value.replace(/\D/g, '');
    if (digits.length < 10) {
      asked = '';
      showBuyer(null);
      return;
    }
    if (digits === asked) return;
    asked = digits;
    fetch(lookupUrl + '?phone=' + encodeURIComponent(phone.value), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (asked === digits) showBuyer(answer);
      })
      .catch(function () {
        asked = '';
      });
  }

  phone.addEventListener('input', function () {
    var atEnd = phone.selectionStart === phone.value.length;
    var formatted = formatPhone(phone.value);
    if (formatted !== phone.value && atEnd) phone.value = formatted;
    clearTimeout(timer);
    timer = setTimeout(lookUp, 250);
  });
  phone.addEventListener('blur', lookUp);

  var options = {};
  document.querySelectorAll('#recent-items option').forEach(function (option) {
    options[option.value.toLowerCase()] = option;
  });
  form.addEventListener('change', function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains('sale-item-name')) return;
    var line = input.closest('.sale-line');
    var option = options[input.value.trim().toLowerCase()];
    if (!line) return;
    // A name typed by hand is a product without a SKU, even after one was picked.
    line.querySelector('.sale-item-sku').value = option ? option.getAttribute('data-sku') || '' : '';
    if (!option) return;
    var price = line.querySelector('.sale-item-price');
    if (price.value === '') price.value = option.getAttribute('data-price') || '';
  });
})();
