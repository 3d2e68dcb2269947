// The CSV import page: show the upload's progress, then that the rows are being checked.
// Without JavaScript the form posts as usual and the page answers the same.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form) return;
  var box = document.getElementById("import-progress");
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  form.addEventListener("htmx:beforeRequest", function () {
    box.hidden = false;
    bar.value = 0;
    text.textContent = "";
  });
  form.addEventListener("htmx:xhr:progress", function (event) {
    var d = event.detail;
    if (!d.lengthComputable || !d.total) return;
    var percent = Math.round((d.loaded / d.total) * 100);
    bar.value = percent;
    text.textContent = percent + " %";
    if (d.loaded >= d.total) {
      bar.removeAttribute("value"); // indeterminate while the server checks the rows
      text.textContent = bar.dataset.checking;
    }
  });
  form.addEventListener("htmx:afterRequest", function () {
    box.hidden = true;
  });
})();
