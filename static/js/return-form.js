// The return form: focus the error summary after a failed submit, and on narrow screens show the form as
// steps (items, reasons, method, summary) with back/next and a progress line. Without this script the form
// is one long page that works the same.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    var form = document.querySelector("form[data-steps]");
    var summary = document.querySelector("[data-error-summary]");
    if (!form) {
      if (summary) summary.focus();
      return;
    }
    var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
    var progress = form.querySelector("[data-step-progress]");
    var narrow = window.matchMedia("(max-width: 40em)");
    var current = 0;

    function chosen(details) {
      var qty = document.getElementById(details.getAttribute("data-line"));
      return qty && parseInt(qty.value || "0", 10) > 0;
    }

    function syncDetails() {
      // Only the items picked in the first step are asked about in the second.
      form.querySelectorAll("fieldset.item-details").forEach(function (details) {
        details.hidden = stepped() && !chosen(details) && !details.querySelector(".errorlist");
      });
    }

    function stepped() {
      return narrow.matches && steps.length > 1;
    }

    function show(index, focus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) {
        step.hidden = stepped() && i !== current;
      });
      form.querySelectorAll(".step-nav").forEach(function (nav) {
        nav.hidden = !stepped();
      });
      progress.hidden = !stepped();
      if (stepped()) {
        var title = steps[current].querySelector("h2");
        progress.textContent = form.getAttribute("data-progress")
          .replace("{current}", String(current + 1))
          .replace("{total}", String(steps.length)) + (title ? " · " + title.textContent.trim() : "");
        syncDetails();
        if (focus && title) title.focus();
      } else {
        syncDetails();
      }
    }

    function stepOf(element) {
      for (var i = 0; i < steps.length; i++) {
        if (steps[i].contains(element)) return i;
      }
      return 0;
    }

    form.addEventListener("click", function (event) {
      var target = event.target.closest("[data-step-next], [data-step-back]");
      if (!target) return;
      if (target.hasAttribute("data-step-next")) {
        if (current === 0 && !form.querySelector("fieldset.item-details") ||
            current === 0 && !Array.prototype.some.call(form.querySelectorAll("fieldset.item-details"), chosen)) {
          var first = form.querySelector(".item-pick input");
          progress.textContent = form.getAttribute("data-none-chosen");
          if (first) first.focus();
          return;
        }
        show(current + 1, true);
      } else {
        show(current - 1, true);
      }
    });

    // A link in the error summary opens the step that holds its field, then moves to the field.
    if (summary) {
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) return;
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        show(stepOf(field), false);
        field.hidden = false;
        var details = field.closest("fieldset.item-details");
        if (details) details.hidden = false;
        field.focus();
      });
    }

    var firstError = form.querySelector(".errorlist");
    show(firstError ? stepOf(firstError) : 0, false);
    narrow.addEventListener("change", function () {
      show(current, false);
    });
    if (summary) summary.focus();
  });
})();
