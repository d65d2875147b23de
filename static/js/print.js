// The case sheet (templates/rma/agent/case_print.html): its Print button opens the browser's print dialog.
(function () {
  "use strict";
  var button = document.getElementById("print-now");
  if (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  }
}());
