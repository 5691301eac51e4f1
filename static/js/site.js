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

  // On the static copy no server answers /search: the header's box searches the copy's own
  // index (search-index.json, written by `export site`) in the page. Where the index is
  // missing, a server is behind the site and the form goes to /search as usual.
  var searchForm = document.querySelector("form.site-search");
  var searchIndex = null;
  if (searchForm && window.fetch && window.sessionStorage) {
    searchForm.addEventListener("submit", function (event) {
      if (sessionStorage.getItem("shownotes-search") === "live") {
        return;
      }
      event.preventDefault();
      var query = searchForm.elements.q.value;
      loadSearchIndex().then(function (index) {
        if (index && Array.isArray(index.entries)) {
          showStaticResults(query, index.entries);
        } else {
          sessionStorage.setItem("shownotes-search", "live");
          searchForm.submit();
        }
      });
    });
  }

  function loadSearchIndex() {
    searchIndex = searchIndex || fetch("/search-index.json", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
    return searchIndex;
  }

  // Lower case without accents, so "Pokemon" finds "Pokémon".
  function folded(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var STATIC_HITS_SHOWN = 50;

  function showStaticResults(query, entries) {
    var words = folded(query).split(/\s+/).filter(Boolean);
    var hits = words.length === 0 ? [] : entries.filter(function (entry) {
      var text = folded(entry.t + " " + entry.c);
      return words.every(function (word) { return text.indexOf(word) !== -1; });
    });
    var heading = element("h1", "Search: \u201c" + query + "\u201d");
    heading.tabIndex = -1;
    var parts = [heading];
    if (hits.length === 0) {
      parts.push(element("p", "Nothing matches \u201c" + query + "\u201d.", "empty"));
    } else {
      var list = document.createElement("ol");
      hits.slice(0, STATIC_HITS_SHOWN).forEach(function (hit) {
        var item = element("li", "", "hit hit-" + hit.k);
        var link = element("a", hit.t, "hit-title");
        link.href = hit.u;
        item.append(link, " ", element("span", hit.c, "hit-context"));
        list.append(item);
      });
      var section = element("section", "", "results");
      var count = hits.length > STATIC_HITS_SHOWN
        ? "The first " + STATIC_HITS_SHOWN + " of " + hits.length + " titles that match"
        : hits.length + (hits.length === 1 ? " title matches" : " titles match");
      section.append(element("p", count, "hint"), list);
      parts.push(section);
    }
    var main = document.getElementById("main");
    main.replaceChildren.apply(main, parts);
    document.title = "Search: " + query;
    heading.focus();
  }

  // An element holding `text` as text (never as markup).
  function element(name, text, className) {
    var node = document.createElement(name);
    node.textContent = text;
    if (className) {
      node.className = className;
    }
    return node;
  }

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
