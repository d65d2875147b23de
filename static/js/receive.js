// The receiving station (templates/rma/agent/receive.html): with HTMX, each scan replaces the result panel only.
// The scan field is emptied as soon as its code is sent and keeps the focus, so the scanner can go on; a scan
// that arrives while the previous one is still being answered is sent right after it (htmx drops it otherwise).
// Each result beeps: high for received, low for refused.
(function () {
  "use strict";
  var pending = false;
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
      // No sound available: the flash is enough.
    }
  }

  function scanForm(element) {
    return element && element.id === "scan-form" ? element : null;
  }

  document.addEventListener("submit", function (event) {
    var form = scanForm(event.target);
    if (form && form.classList.contains("htmx-request")) {
      pending = true; // htmx drops this one: send it when the answer to the previous scan is in
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = scanForm(event.detail.elt);
    if (form) {
      form.elements.code.value = "";
      form.elements.code.focus();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = scanForm(event.detail.elt);
    if (!form) {
      return;
    }
    form.elements.code.focus();
    if (pending && form.elements.code.value.trim()) {
      pending = false;
      window.htmx.trigger(form, "submit");
    }
  });

  // The server names the result in an HX-Trigger header (rma.workspace.receiving.receive_scan).
  document.addEventListener("scan-result", function (event) {
    beep(event.detail.value === "ok");
  });
}());
