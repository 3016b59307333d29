/* Parley query page: a SPARQL editor (CodeMirror when the vendored copy is present, else the
   plain textarea), example queries, and results rendered as a table whose IRIs under the
   dataset's base link to their pages. Without JavaScript the form submits to /sparql as is. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  if (!form || !window.fetch) { return; }
  var base = form.getAttribute("data-base");
  var textarea = document.getElementById("query");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  var editor = null;
  var notes = document.querySelectorAll(".js-only");
  for (var i = 0; i < notes.length; i++) { notes[i].hidden = false; }

  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "application/sparql-query", lineNumbers: true, indentUnit: 2, viewportMargin: Infinity
    });
  }
  function getQuery() { return editor ? editor.getValue() : textarea.value; }
  function setQuery(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }

  var texts = JSON.parse(document.getElementById("example-queries").textContent);
  var names = JSON.parse(document.getElementById("example-names").textContent);
  var links = document.querySelectorAll("a[data-example]");
  for (var j = 0; j < links.length; j++) {
    links[j].addEventListener("click", function (event) {
      var index = names.indexOf(this.getAttribute("data-example"));
      if (index < 0) { return; }
      event.preventDefault();
      setQuery(texts[index]);
      for (var k = 0; k < links.length; k++) { links[k].removeAttribute("aria-current"); }
      this.setAttribute("aria-current", "true");
      form.scrollIntoView();
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = el("a");
      if (base && term.value.indexOf(base) === 0) {
        var rest = term.value.substring(base.length);
        a.href = "/" + (rest === "dataset" ? ".well-known/void" : rest);
        a.textContent = rest;
      } else {
        a.href = term.value;
        a.textContent = term.value;
        a.className = "external";
      }
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value, "bnode"));
    } else {
      td.appendChild(el("span", term.value, "literal"));
      if (term["xml:lang"]) { td.appendChild(el("span", " @" + term["xml:lang"], "lang")); }
      else if (term.datatype && term.datatype.slice(-7) !== "#string") {
        td.appendChild(el("span", " " + term.datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:"), "datatype"));
      }
    }
    return td;
  }

  function renderTable(data) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      results.appendChild(el("p", "Answer: " + (data.boolean ? "yes" : "no"), "answer"));
      return;
    }
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    results.appendChild(el("p", rows.length + " row" + (rows.length === 1 ? "" : "s"), "muted"));
    var table = el("table", null, "list results");
    var thead = el("thead");
    var tr = el("tr");
    vars.forEach(function (v) { var th = el("th", "?" + v); th.scope = "col"; tr.appendChild(th); });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var r = el("tr");
      vars.forEach(function (v) { r.appendChild(cell(row[v])); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    var wrap = el("div", null, "table-wrap");
    wrap.appendChild(table);
    results.appendChild(wrap);
  }

  function renderError(status_, body) {
    results.textContent = "";
    var box = el("div", null, "error-box");
    var message = body;
    try {
      var parsed = JSON.parse(body);
      if (parsed.error) {
        message = parsed.error.title + ": " + parsed.error.message + (parsed.error.hint ? " (" + parsed.error.hint + ")" : "");
      }
    } catch (e) { /* not the JSON error shape: show the body as text */ }
    box.appendChild(el("p", "The query failed (" + status_ + ")."));
    box.appendChild(el("pre", message));
    results.appendChild(box);
  }

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.hasAttribute("data-share")) {
      if (editor) { editor.save(); }  // the permalink carries the editor's text
      return;  // the share button opens /query?release=...&query=..., the permalink
    }
    event.preventDefault();
    var body = new URLSearchParams();
    body.set("query", getQuery());
    status.textContent = "Running…";
    var started = Date.now();
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: body.toString()
    }).then(function (response) {
      return response.text().then(function (text) {
        var seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          status.textContent = "Failed after " + seconds + " s";
          renderError(response.status, text);
          return;
        }
        status.textContent = "Done in " + seconds + " s";
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("json") >= 0) {
          renderTable(JSON.parse(text));
        } else {
          results.textContent = "";
          results.appendChild(el("pre", text, "rdf"));
        }
      });
    }).catch(function (error) {
      status.textContent = "Failed";
      renderError("network", String(error));
    });
  });
}());
