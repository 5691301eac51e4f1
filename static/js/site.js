// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Mark the current page's link in the navigation.
  document.querySelectorAll("nav a[href]").forEach(function (link) {
    if (link.getAttribute("href") === window.location.pathname) {
      link.setAttribute("aria-current", "page");
    }
  });
})();
