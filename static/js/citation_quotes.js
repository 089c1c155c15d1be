// Quoting made easy, in a record's citations (CitationInline, oncoregistry/sources/admin.py):
// choosing a source (or going to a quote) shows the source's text below the citations, and a
// passage selected in it fills that citation's quote, character for character. The server
// still checks every quote against its source on save; without JavaScript the form is the same.
(function () {
  "use strict";

  const QUOTE = "textarea.citation-quote";
  const texts = new Map(); // source id -> {title, text, dataset}
  let current = null; // {quote, panel, node, text}

  function rowOf(element) {
    return element.closest("tr.form-row, .inline-related");
  }

  function sourceOf(row) {
    return row ? row.querySelector('select[name$="-source"]') : null;
  }

  function numberOf(row) {
    const match = /-(\d+)$/.exec(row.id || "");
    return match ? String(Number(match[1]) + 1) : "";
  }

  function words(quote, name, number) {
    return (quote.dataset[name] || "").replace("%(number)s", number);
  }

  function panelFor(quote) {
    const group = quote.closest(".inline-group");
    const home = group.querySelector("fieldset.module") || group;
    let panel = home.querySelector(".source-text-panel");
    if (panel) {
      return panel;
    }
    panel = document.createElement("section");
    panel.className = "source-text-panel";
    panel.hidden = true;
    const heading = document.createElement("h3");
    const help = document.createElement("p");
    help.className = "help source-text-help";
    const body = document.createElement("div");
    body.className = "source-text";
    body.tabIndex = 0;
    const actions = document.createElement("p");
    actions.className = "source-text-actions";
    const use = document.createElement("button");
    use.type = "button";
    use.className = "button source-text-use";
    const status = document.createElement("span");
    status.className = "source-text-status";
    status.setAttribute("role", "status");
    actions.append(use, status);
    panel.append(heading, help, body, actions);
    home.append(panel);
    use.addEventListener("click", () => fillFromSelection(true));
    return panel;
  }

  function part(panel, css) {
    return panel.querySelector(css);
  }

  function show(quote, source, message) {
    const panel = panelFor(quote);
    const number = numberOf(rowOf(quote));
    part(panel, "h3").textContent = source
      ? `${words(quote, "labelTitle", number)}: ${source.title}`
      : words(quote, "labelTitle", number);
    const body = part(panel, ".source-text");
    body.textContent = source && !source.dataset ? source.text : "";
    body.hidden = !(source && !source.dataset);
    const use = part(panel, ".source-text-use");
    use.textContent = words(quote, "labelUse", number);
    use.hidden = body.hidden;
    part(panel, ".source-text-help").textContent =
      message || (source && source.dataset ? words(quote, "labelDataset", number) : words(quote, "labelHelp", number));
    part(panel, ".source-text-status").textContent = "";
    panel.hidden = false;
    panel.dataset.citation = number;
    current = { quote, panel, node: body.firstChild, text: body.hidden ? "" : source.text };
  }

  async function load(quote) {
    const select = sourceOf(rowOf(quote));
    const id = select ? select.value : "";
    if (!id) {
      return;
    }
    if (!texts.has(id)) {
      show(quote, null, words(quote, "labelLoading", ""));
      const url = `${quote.dataset.sourceTextUrl}?id=${encodeURIComponent(id)}`;
      try {
        const response = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        texts.set(id, await response.json());
      } catch (error) {
        show(quote, null, words(quote, "labelFailed", ""));
        return;
      }
    }
    if (sourceOf(rowOf(quote)) && sourceOf(rowOf(quote)).value === id) {
      show(quote, texts.get(id));
    }
  }

  // The selected passage, as offsets in the source's own text (not the browser's rendering
  // of it), without the spaces around it; null when nothing in the text is selected.
  function selectedPassage() {
    if (!current || !current.node) {
      return null;
    }
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const node = current.node;
    if (!range.intersectsNode(node)) {
      return null;
    }
    // A selection running past either end of the text is cut to the text.
    let start = range.startContainer === node ? range.startOffset : 0;
    let end = range.endContainer === node ? range.endOffset : current.text.length;
    while (start < end && /\s/.test(current.text[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(current.text[end - 1])) {
      end -= 1;
    }
    return end > start ? current.text.slice(start, end) : null;
  }

  function fillFromSelection(asked) {
    const passage = selectedPassage();
    if (passage === null) {
      if (asked && current) {
        part(current.panel, ".source-text").focus();
      }
      return;
    }
    const { quote, panel } = current;
    if (quote.value === passage) {
      return;
    }
    quote.value = passage;
    quote.dispatchEvent(new Event("input", { bubbles: true }));
    quote.dispatchEvent(new Event("change", { bubbles: true }));
    part(panel, ".source-text-status").textContent = words(
      quote,
      "labelFilled",
      panel.dataset.citation || ""
    );
  }

  function onSourceChange(event) {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !/-source$/.test(select.name)) {
      return;
    }
    const row = rowOf(select);
    const quote = row ? row.querySelector(QUOTE) : null;
    if (quote) {
      load(quote);
    }
  }

  let pending = 0;
  document.addEventListener("DOMContentLoaded", () => {
    // Select2 (the source's autocomplete) announces a choice through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", 'select[name$="-source"]', onSourceChange);
    } else {
      document.addEventListener("change", onSourceChange);
    }
    document.addEventListener("focusin", (event) => {
      const quote = event.target.closest && event.target.closest(QUOTE);
      if (quote && (!current || current.quote !== quote)) {
        load(quote);
      }
    });
    for (const type of ["mouseup", "keyup", "touchend"]) {
      document.addEventListener(type, (event) => {
        if (current && current.panel.contains(event.target)) {
          fillFromSelection(false);
        }
      });
    }
    // A phone selects by dragging handles: fill once the selection rests.
    document.addEventListener("selectionchange", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => fillFromSelection(false), 400);
    });
  });
})();
