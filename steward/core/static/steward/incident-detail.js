// The incident page's small enhancements (the page works without them): picking a saved reply
// adds its text to the note box, where it can be edited before sending.
(function () {
  "use strict";
  if (window.stewardIncidentDetail) return; // htmx may run this file again after a swap
  window.stewardIncidentDetail = true;

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-canned-target]")) return;
    var option = select.options[select.selectedIndex];
    var box = document.getElementById(select.dataset.cannedTarget);
    if (!option || !option.dataset.body || !box) return;
    box.value = box.value.trim() ? box.value.replace(/\s+$/, "") + "\n\n" + option.dataset.body : option.dataset.body;
    select.selectedIndex = 0;
    box.focus();
  });
})();
