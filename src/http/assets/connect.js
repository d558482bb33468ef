// Keeps the /connect page current: WhatsApp rotates the QR code every 20 to 60
// seconds, and the state changes when the phone scans it.
(function () {
  'use strict';
  var img = document.getElementById('qr');
  var waiting = document.getElementById('qr-waiting');
  var stateText = document.getElementById('state-text');
  var detail = document.getElementById('state-detail');
  var qrSection = document.getElementById('qr-section');
  var linkedSection = document.getElementById('linked-section');
  var trouble = document.getElementById('link-trouble');
  var troubleError = document.getElementById('trouble-error');
  var troubleRetry = document.getElementById('trouble-retry');
  var linkAgain = document.getElementById('link-again');
  // The simulator's page (it has the button that plays the phone) shows its QR only in 'qr':
  // its 'connecting' is a dropped link, and no QR follows its logged_out unless one is shown.
  var simulated = document.getElementById('simulate-scan') !== null;

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });

  function show(element, visible) {
    if (element) element.hidden = !visible;
  }

  function refresh() {
    fetch('/connect/status', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (!status) return;
        stateText.textContent = status.stateText;
        detail.textContent = status.detail || '';
        show(detail, Boolean(status.detail));
        var linking = simulated ? status.state === 'qr' : status.state === 'qr' || status.state === 'connecting' || status.state === 'logged_out';
        // WhatsApp out of reach: no QR and no pairing code can come; the explanation says why instead.
        show(qrSection, linking && !status.trouble);
        show(linkedSection, status.state === 'open');
        // Never an image without a QR: an empty one would show as a broken-image icon.
        if (status.qr) img.src = status.qr;
        else img.removeAttribute('src');
        show(img, Boolean(status.qr));
        // WhatsApp cannot be reached: the explanation, the last error and the next try, not a wait for a QR.
        show(waiting, !status.qr && !status.trouble);
        if (status.trouble) {
          troubleError.textContent = status.trouble.lastError;
          troubleRetry.textContent = status.trouble.retry;
        }
        show(trouble, Boolean(status.trouble));
        show(linkAgain, Boolean(status.linkAgain));
      })
      .catch(function () {
        // The service restarting: try again at the next tick.
      });
  }

  setInterval(refresh, 2000);
})();
