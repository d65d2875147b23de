/* The agent case page: keyboard shortcuts with their help dialog, and the SLA countdown.
   The page works without this file: every shortcut presses a visible control, and the server writes the
   deadline and its state; this only ticks the remaining time and turns the clock red when it runs out. */
(function () {
  "use strict";

  var help = document.getElementById("shortcuts-help");
  var opener = document.getElementById("shortcuts-open");
  var returnFocus = null;

  function typing(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function openHelp() {
    if (!help || help.open) return;
    returnFocus = document.activeElement;
    help.showModal(); // modal: focus moves into the dialog and stays there; Escape closes it
  }

  if (help) {
    help.addEventListener("close", function () {
      if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
      returnFocus = null;
    });
  }
  if (opener && help) {
    opener.hidden = false;
    opener.addEventListener("click", openHelp);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || (help && help.open)) return;
    if (event.key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
    if (event.key.length !== 1) return;
    var control = document.querySelector('[data-shortcut="' + CSS.escape(event.key) + '"]');
    if (!control) return;
    event.preventDefault();
    if (control.matches("input, textarea, select")) {
      control.scrollIntoView({ block: "center" });
      control.focus();
    } else {
      control.click();
    }
  });

  var clock = document.getElementById("sla-clock");
  if (!clock || !window.Intl || !Intl.RelativeTimeFormat) return;
  var due = new Date(clock.dataset.due);
  if (isNaN(due.getTime())) return;
  var remaining = clock.querySelector(".sla-remaining");
  var flag = clock.querySelector(".sla-flag");
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "always" });

  function tick() {
    var seconds = (due.getTime() - Date.now()) / 1000;
    var size = Math.abs(seconds);
    var text;
    if (size >= 2 * 86400) text = format.format(Math.round(seconds / 86400), "day");
    else if (size >= 2 * 3600) text = format.format(Math.round(seconds / 3600), "hour");
    else text = format.format(Math.round(seconds / 60), "minute");
    if (remaining.textContent !== text) remaining.textContent = text;
    if (seconds < 0) {
      clock.classList.remove("due_today", "ok");
      clock.classList.add("breached");
      flag.hidden = false;
    }
  }

  tick();
  window.setInterval(tick, 15000);
})();
