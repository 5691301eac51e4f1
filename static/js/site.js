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

  // A feed's page: "Copy the address" where the browser lets a page copy (the button keeps
  // its place while hidden, so showing it moves nothing).
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var name = button.getAttribute("data-copy");
    var field = document.getElementById(name);
    var status = document.querySelector('[data-copy-status="' + name + '"]');
    if (!field || !navigator.clipboard || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = "Copied. Paste it into your podcast app.";
      }, function () {
        field.select();
        status.textContent = "Selected: copy it with your keyboard or menu.";
      });
    });
  });

  // A new event's URL name follows its title as it is typed, until the curator types one of
  // their own. Only a suggestion: the server makes the slug from the title when it is empty
  // (transliterating scripts this leaves out) and checks whatever is sent.
  document.querySelectorAll("input[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!source) {
      return;
    }
    var suggested = slug.value === "";
    slug.addEventListener("input", function () { suggested = slug.value === ""; });
    source.addEventListener("input", function () {
      if (suggested) {
        slug.value = source.value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
          .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80)
          .replace(/-+$/, "");
      }
    });
  });

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
          showStaticResults(query, index.entries, true);
        } else {
          sessionStorage.setItem("shownotes-search", "live");
          searchForm.submit();
        }
      });
    });
    searchFromAddress(searchForm);
  }

  // A search address opened on the static copy (`/search/?q=…`, a bookmark or a shared link)
  // gets the copy's empty search page; a server would have answered it with results and
  // the query in the box. So an empty box under a `q` searches the copy's index at once.
  function searchFromAddress(form) {
    var query = new URLSearchParams(window.location.search).get("q");
    if (!query || !query.trim() || form.elements.q.value) {
      return;
    }
    form.elements.q.value = query;
    loadSearchIndex().then(function (index) {
      // Opened, not typed: the page starts where every page does, focus untouched.
      if (index && Array.isArray(index.entries)) {
        showStaticResults(query, index.entries, false);
      }
    });
  }

  // Suggestions under the header's box as a listener types: the titles of the first hits, in a
  // <datalist> the browser shows under the box (keyboard and screen readers included). Where no
  // server answers /api/v1/search (the static copy) the box simply offers none.
  var searchBox = document.getElementById("site-search-q");
  if (searchBox && window.fetch) {
    var suggestions = document.createElement("datalist");
    suggestions.id = "site-search-suggestions";
    searchBox.parentNode.appendChild(suggestions);
    searchBox.setAttribute("list", suggestions.id);
    var typing = null;
    var asked = 0;
    searchBox.addEventListener("input", function () {
      window.clearTimeout(typing);
      var query = searchBox.value.trim();
      if (query.length < 2) {
        suggestions.replaceChildren();
        return;
      }
      // A pause in typing, not every key, asks the server.
      typing = window.setTimeout(function () {
        var ticket = ++asked;
        fetch("/api/v1/search?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (results) {
            // An answer to an older query than the last one asked is dropped.
            if (ticket === asked && results && Array.isArray(results.groups)) {
              showSuggestions(suggestions, titlesOf(results.groups));
            }
          })
          .catch(function () {});
      }, 150);
    });
  }

  // The distinct titles of the hits, first ones first, as plain text (they come marked up).
  function titlesOf(groups) {
    var titles = [];
    groups.forEach(function (group) {
      (group.hits || []).forEach(function (hit) {
        var title = new DOMParser().parseFromString(hit.title || "", "text/html").body.textContent.trim();
        if (title && titles.indexOf(title) < 0) {
          titles.push(title);
        }
      });
    });
    return titles.slice(0, 8);
  }

  function showSuggestions(list, titles) {
    list.replaceChildren.apply(list, titles.map(function (title) {
      var option = document.createElement("option");
      option.value = title;
      return option;
    }));
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

  function showStaticResults(query, entries, moveFocus) {
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
    if (moveFocus) {
      heading.focus();
    }
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
  // Each episode is named by a link to its editor; the episode being edited is left out.
  function showCovered(hint, covered) {
    hint.textContent = "";
    covered.forEach(function (episode, index) {
      hint.appendChild(document.createTextNode(index === 0 ? "Already covered in " : ", "));
      var link = document.createElement("a");
      link.href = "/admin/episodes/" + episode.id;
      link.textContent = "episode " + episode.number;
      hint.appendChild(link);
      hint.appendChild(document.createTextNode(" (" + episode.title + ")"));
    });
  }
  document.querySelectorAll("input[data-link-check]").forEach(function (input) {
    var hint = document.getElementById(input.id + "-hint");
    var form = input.closest("form");
    var except = form && form.getAttribute("data-episode");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!/^https?:\/\//.test(input.value)) {
          hint.textContent = "";
          return;
        }
        var url = "/admin/links/check?url=" + encodeURIComponent(input.value) + (except ? "&except=" + except : "");
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (covered) { showCovered(hint, covered); });
      }, 300);
    });
  });

  // After a refused save the error summary takes focus, so it is read first; each of its
  // links takes the reader to its field (opening a collapsed segment).
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field-link]");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        var details = target.closest("details");
        if (details) {
          details.open = true;
        }
        target.focus();
      }
    });
  }

  var editor = document.querySelector("form.editor");
  if (editor) {
    setUpEditor(editor);
  }

  // A draft saves itself a few seconds after its host stops typing, with the version it was
  // loaded at: when another host saved in between, nothing is overwritten and the page says
  // so, with the way to compare the two versions.
  function setUpAutosave(form, saved) {
    var url = form.getAttribute("data-autosave");
    var status = document.getElementById("autosave-status");
    var conflict = document.getElementById("autosave-conflict");
    if (!url || !status || !conflict) {
      return;
    }
    var timer = null;
    var stopped = false;
    function save() {
      var body = new URLSearchParams(new FormData(form));
      body.delete("intent");
      fetch(url, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (answer) { return { code: response.status, answer: answer }; });
      }).then(function (result) {
        if (result.code === 200) {
          form.querySelector("[name=version]").value = String(result.answer.version);
          var now = new Date();
          status.textContent = "Draft saved automatically at " + now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
          saved();
        } else if (result.answer.conflict) {
          stopped = true;
          status.textContent = "";
          conflict.hidden = false;
        } else {
          status.textContent = result.answer.message || "Not saved automatically.";
        }
      }).catch(function () {
        status.textContent = "Not saved automatically: the server did not answer. Your text is still here.";
      });
    }
    form.addEventListener("editor:changed", function () {
      if (stopped) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 3000);
    });
    form.addEventListener("submit", function () { window.clearTimeout(timer); });
  }

  // Times are typed and read in the host's own zone: the browser says which, and a time the
  // page opened with (stored in UTC, shown in the episode's zone) moves to this one.
  function useBrowserTimeZone(form) {
    var zoneField = form.querySelector("[data-time-zone]");
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zoneField || !zone || zoneField.value === zone) {
      return;
    }
    var input = form.querySelector("[data-utc]");
    if (input && input.value === input.defaultValue) {
      var at = new Date(input.getAttribute("data-utc"));
      var two = function (n) { return String(n).padStart(2, "0"); };
      input.value = at.getFullYear() + "-" + two(at.getMonth() + 1) + "-" + two(at.getDate()) +
        "T" + two(at.getHours()) + ":" + two(at.getMinutes());
    }
    zoneField.value = zone;
    form.querySelectorAll("[data-zone-name]").forEach(function (name) { name.textContent = zone; });
  }

  // The episode editor: segment cards added, duplicated, removed and reordered in the page,
  // and the whole episode previewed as listeners will read it. Without this script the form
  // still saves what it holds (positions by number, a "delete" box, one blank slot).
  function setUpEditor(form) {
    var list = form.querySelector("[data-sortable]");
    var template = document.getElementById("segment-template");
    var announcer = document.getElementById("segment-announcer");
    var created = 0;

    function cards() {
      return Array.prototype.slice.call(list.querySelectorAll("[data-segment]"));
    }
    function field(card, name) {
      return card.querySelector("[name='" + name + "']");
    }
    function say(text) {
      // Cleared first, so the same words twice are announced twice.
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 50);
    }

    // The card's title, as the episode page will say it (kept in step with SegmentRow::heading).
    function heading(card) {
      var kind = field(card, "seg_kind").value;
      var person = field(card, "seg_person").value.trim().split(/\s+/)[0] || "";
      var number = field(card, "seg_number").value.trim();
      var title = field(card, "seg_title").value.trim();
      var blank = ["seg_person", "seg_number", "seg_title", "seg_url", "seg_notes", "seg_start"].every(function (name) {
        return field(card, name).value.trim() === "";
      });
      if (blank) {
        return "New segment";
      }
      var text;
      if (kind === "topic") {
        var who = person && number ? person + " #" + number : person || (number ? "#" + number : "");
        text = who && title ? who + ": " + title : who || title;
      } else if (kind === "extra") {
        text = person ? "Extras from " + person : "Extras";
      } else if (kind === "joke") {
        text = "Joke: " + title;
      } else if (kind === "sponsor") {
        text = "Sponsor: " + title;
      } else {
        text = title;
      }
      text = text.replace(/[:\s]+$/, "");
      return text || "Untitled segment";
    }
    function retitle(card) {
      card.querySelector("[data-segment-heading]").textContent = heading(card);
    }

    // Positions and "delete" boxes follow the order on screen.
    function renumber() {
      cards().forEach(function (card, index) {
        field(card, "seg_position").value = String(index + 1);
        var remove = field(card, "seg_delete");
        if (remove) {
          remove.value = String(index);
        }
      });
    }

    // A copy of a card gets ids of its own, so every label still points at its field.
    function rekey(card) {
      created += 1;
      var key = "new" + created;
      card.querySelectorAll("[id], [for], [aria-describedby]").forEach(function (element) {
        ["id", "for", "aria-describedby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) {
            element.setAttribute(attribute, value.replace(/seg-[A-Za-z0-9_]+-/g, "seg-" + key + "-"));
          }
        });
      });
      card.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
      card.querySelectorAll("[aria-invalid]").forEach(function (input) {
        input.removeAttribute("aria-invalid");
        var hint = input.id + "-hint";
        if (document.getElementById(hint) || card.querySelector("#" + hint)) {
          input.setAttribute("aria-describedby", hint);
        } else {
          input.removeAttribute("aria-describedby");
        }
      });
      return card;
    }

    function enhance(card) {
      var summary = card.querySelector("summary");
      summary.setAttribute("draggable", "true");
      var noJs = card.querySelector("[data-no-js]");
      if (noJs) {
        noJs.hidden = true;
      }
      var actions = card.querySelector(".segment-actions");
      if (!actions.querySelector("[data-remove]")) {
        actions.insertAdjacentHTML("beforeend",
          '<button type="button" data-duplicate>Duplicate</button> <button type="button" class="danger" data-remove>Remove</button>');
      }
      retitle(card);
    }

    function addCard(card, after) {
      list.insertBefore(card, after ? after.nextSibling : null);
      enhance(card);
      renumber();
      changed();
      return card;
    }

    function newCard(kind) {
      var card = rekey(template.content.firstElementChild.cloneNode(true));
      field(card, "seg_kind").value = kind;
      return card;
    }

    function duplicate(card) {
      var copy = rekey(card.cloneNode(true));
      // A clone keeps the attributes the page was loaded with, not what was typed since.
      var from = card.querySelectorAll("input, select, textarea");
      var to = copy.querySelectorAll("input, select, textarea");
      for (var i = 0; i < from.length; i += 1) {
        if (from[i].type === "checkbox") {
          to[i].checked = false;
        } else {
          to[i].value = from[i].value;
        }
      }
      addCard(copy, card);
      say("Duplicated " + heading(card) + ". The copy is segment " + (cards().indexOf(copy) + 1) + ".");
      copy.querySelector("summary").focus();
    }

    function remove(card) {
      var all = cards();
      var index = all.indexOf(card);
      var name = heading(card);
      card.remove();
      renumber();
      changed();
      say("Removed " + name + ".");
      var next = cards()[Math.min(index, cards().length - 1)];
      (next ? next.querySelector("summary") : addButtons[0]).focus();
    }

    function move(card, step, focus) {
      var all = cards();
      var index = all.indexOf(card);
      var target = index + step;
      if (target < 0 || target >= all.length) {
        return;
      }
      list.insertBefore(card, step < 0 ? all[target] : all[target].nextSibling);
      renumber();
      changed();
      if (focus) {
        focus.focus();
      }
      say("Moved " + heading(card) + " to position " + (target + 1) + " of " + all.length + ".");
    }

    cards().forEach(enhance);
    renumber();
    useBrowserTimeZone(form);

    // "Add segment": a topic, extras, a joke or a sponsor, at the end.
    var adder = document.getElementById("add-segment");
    var addButtons = adder ? Array.prototype.slice.call(adder.querySelectorAll("[data-add-kind]")) : [];
    if (adder) {
      adder.hidden = false;
      addButtons.forEach(function (button) {
        button.addEventListener("click", function () {
          var card = addCard(newCard(button.getAttribute("data-add-kind")), null);
          say("Added segment " + cards().length + ".");
          field(card, "seg_person").focus();
        });
      });
    }

    list.addEventListener("click", function (event) {
      var card = event.target.closest("[data-segment]");
      if (event.target.closest("[data-remove]")) {
        remove(card);
      } else if (event.target.closest("[data-duplicate]")) {
        duplicate(card);
      }
    });
    list.addEventListener("input", function (event) {
      var card = event.target.closest("[data-segment]");
      if (card) {
        retitle(card);
      }
    });
    list.addEventListener("keydown", function (event) {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
        return;
      }
      var card = event.target.closest("[data-segment]");
      if (card) {
        event.preventDefault();
        move(card, event.key === "ArrowUp" ? -1 : 1, event.target);
      }
    });

    // Drag a card by its title bar.
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("[data-segment]");
      if (dragged) {
        event.dataTransfer.effectAllowed = "move";
        dragged.classList.add("dragging");
      }
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("[data-segment]");
      if (!dragged || !over) {
        return;
      }
      event.preventDefault();
      if (over !== dragged) {
        var box = over.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? over.nextSibling : over);
      }
    });
    list.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("dragging");
        say("Moved " + heading(dragged) + " to position " + (cards().indexOf(dragged) + 1) + " of " + cards().length + ".");
        dragged = null;
        renumber();
        changed();
      }
    });

    // The preview of the whole episode page, rendered by the server as listeners will see it.
    var preview = document.getElementById("episode-preview");
    var previewStatus = document.getElementById("preview-status");
    var previewTimer = null;
    function refreshPreview() {
      var body = new URLSearchParams(new FormData(form));
      fetch(preview.getAttribute("data-preview-url"), {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html !== null) {
          // Escaped and sanitized by the server with the public page's own rules.
          preview.innerHTML = html;
          previewStatus.textContent = "Preview updated.";
        }
      });
    }
    function changed() {
      form.dispatchEvent(new CustomEvent("editor:changed"));
      if (preview) {
        window.clearTimeout(previewTimer);
        previewTimer = window.setTimeout(refreshPreview, 300);
      }
    }
    form.addEventListener("input", changed);

    // Leaving with unsaved changes asks first; saving (any button) is not leaving them.
    var dirty = false;
    form.addEventListener("editor:changed", function () { dirty = true; });
    setUpAutosave(form, function () { dirty = false; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
})();
