// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Mark the current page's link in the navigation.
  document.querySelectorAll("nav a[href]").forEach(function (link) {
    if (link.getAttribute("href") === window.location.pathname) {
      link.setAttribute("aria-current", "page");
    }
  });

  // Chapters play from their start in the page's own player (without this script the link
  // opens the audio file at that time).
  var player = document.getElementById("player");
  if (player) {
    document.querySelectorAll("a[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        player.currentTime = Number(link.getAttribute("data-seek"));
        player.play();
      });
    });
  }

  // Times stored in UTC read in the reader's own zone, to the minute: "19 May 2025, 19:04 CEST".
  document.querySelectorAll("time[data-local-minute]").forEach(function (time) {
    var at = new Date(time.getAttribute("datetime"));
    if (isNaN(at.getTime())) {
      return;
    }
    time.title = time.textContent;
    time.textContent = at.toLocaleString(undefined, {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  });

  var csrf = document.body.getAttribute("data-csrf-token");
  if (!csrf) {
    return; // The rest is for the admin editor.
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin"
    });
  }

  // Live preview of markdown, rendered by the server's own renderer.
  document.querySelectorAll("textarea[data-preview]").forEach(function (area) {
    var preview = document.createElement("div");
    preview.className = "preview notes";
    // A labelled region screen readers can find, announcing politely when it follows the text.
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-label", "Preview of " + (area.labels && area.labels[0] ? area.labels[0].textContent.trim() : "the text"));
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("data-preview-of", area.id);
    area.insertAdjacentElement("afterend", preview);
    var timer = null;
    function render() {
      post("/admin/preview", { markdown: area.value }).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (html) {
        // The server sanitizes this HTML with the same rules as the public page.
        preview.innerHTML = html;
      });
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 250);
    });
    if (area.value) {
      render();
    }
  });

  // "Already covered in episode N" while typing a link.
  document.querySelectorAll("input[data-link-check]").forEach(function (input) {
    var hint = document.getElementById(input.id + "-hint");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!/^https?:\/\//.test(input.value)) {
          hint.textContent = "";
          return;
        }
        fetch("/admin/links/check?url=" + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (covered) {
            hint.textContent = covered.length
              ? "Already covered in " + covered.map(function (e) { return "episode " + e.number + " (" + e.title + ")"; }).join(", ")
              : "";
          });
      }, 300);
    });
  });

  // Drag to reorder segments; the position fields carry the order, so the
  // form also works by typing positions, or with the keyboard (Alt+Up/Down).
  document.querySelectorAll("[data-sortable]").forEach(function (list) {
    function renumber() {
      list.querySelectorAll("[data-segment]").forEach(function (item, index) {
        var position = item.querySelector("input.position");
        if (position) {
          position.value = String(index + 1);
        }
      });
    }
    var dragged = null;
    list.querySelectorAll("[data-segment]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        event.dataTransfer.effectAllowed = "move";
        item.classList.add("dragging");
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
        renumber();
      });
      item.addEventListener("dragover", function (event) {
        event.preventDefault();
        if (!dragged || dragged === item) {
          return;
        }
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("keydown", function (event) {
        if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
          return;
        }
        event.preventDefault();
        var sibling = event.key === "ArrowUp" ? item.previousElementSibling : item.nextElementSibling;
        if (sibling) {
          list.insertBefore(item, event.key === "ArrowUp" ? sibling : sibling.nextSibling);
          renumber();
          event.target.focus();
        }
      });
    });
  });
})();
