// The receiving station (templates/rma/agent/receive.html): with HTMX, each scan replaces the result panel only.
// The scan field is emptied as soon as its code is sent and keeps the focus, so the scanner can go on. A code
// scanned while the previous one is still being answered waits in a queue and is sent right after it (htmx
// would drop it otherwise). Each result beeps: high for received, low for refused.
(function () {
  "use strict";
  var waiting = [];
  var audio = null;

  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = ok ? 1320 : 220;
      oscillator.type = ok ? "sine" : "square";
      gain.gain.value = 0.08;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + (ok ? 0.12 : 0.35));
    } catch (error) {
      // No sound here: the flash is enough.
    }
  }

  function scanForm(element) {
    return element && element.id === "scan-form" ? element : null;
  }

  // Capture phase: runs before htmx's own submit handler on the form.
  document.addEventListener("submit", function (event) {
    var form = scanForm(event.target);
    if (form && form.classList.contains("htmx-request")) {
      var code = form.elements.code.value.trim();
      if (code) {
        waiting.push(code);
      }
      form.elements.code.value = "";
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = scanForm(event.detail.elt);
    if (form) {
      form.elements.code.value = ""; // its value is already in the request
      form.elements.code.focus();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = scanForm(event.detail.elt);
    if (!form) {
      return;
    }
    form.elements.code.focus();
    if (waiting.length) {
      window.setTimeout(function () {
        var typed = form.elements.code.value; // a scan being typed now stays in the field
        form.elements.code.value = waiting.shift();
        window.htmx.trigger(form, "submit");
        form.elements.code.value = typed;
      }, 0);
    }
  });

  // The server names the result in an HX-Trigger header (rma.workspace.receiving.receive_scan).
  document.addEventListener("scan-result", function (event) {
    beep(event.detail.value === "ok");
  });
}());
