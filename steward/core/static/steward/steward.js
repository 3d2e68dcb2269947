// Steward's small progressive enhancements. The pages work without this file.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="#selector" hidden> appear only when the clipboard works.
  function setUpCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.querySelector(button.dataset.copy);
        if (!source) return;
        navigator.clipboard.writeText(source.value || source.textContent).then(function () {
          button.textContent = button.dataset.copied || "Copied";
        });
      });
    });
  }

  // The user menu (<details>) closes on Escape and when focus or a click leaves it.
  function setUpMenus() {
    document.querySelectorAll("details.user-menu").forEach(function (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
      menu.addEventListener("focusout", function (event) {
        if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons(document);
    setUpMenus();
  });
})();
