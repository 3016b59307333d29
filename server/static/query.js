/* Parley query page: YASGUI (vendored from the npm registry by `make assets`) over the form.
   Without JavaScript, or without the vendored files, the form is what the page is: it sends the
   query to /sparql (or the pinned release's endpoint) in the format chosen. With YASGUI the form is hidden and the editor runs
   queries against this origin's /sparql only (no endpoint catalogue, no prefix.cc, no LOV
   look-ups: the site's Content-Security-Policy allows nothing else); results are a sortable,
   paged table with downloads; the example links load their query; ?query= (a permalink)
   opens the page with that query and runs it; Ctrl+Enter runs a query. The editor's share
   button and the permalink below it both give /query?query=<the editor's text as it is now>
   (YASGUI's own share link is the page's address plus a #fragment, which reloads the example
   the address names), and the address bar follows the edits too. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var holder = document.getElementById("yasgui");
  if (!form || !holder || !window.Yasgui) { return; }
  var Yasgui = window.Yasgui;
  var base = form.getAttribute("data-base");
  var textarea = document.getElementById("query");
  var permalink = document.getElementById("permalink");
  var release = form.getAttribute("data-release");  // a page pinned to a release queries its endpoint
  var endpoint = window.location.origin + form.getAttribute("action");
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  var texts = read("example-queries"), names = read("example-names"), titles = read("example-titles");

  function linkTo(query) {
    return "/query?" + (release ? "release=" + encodeURIComponent(release) + "&" : "") + "query=" + encodeURIComponent(query);
  }

  form.hidden = true;
  holder.hidden = false;
  var yasgui = new Yasgui(holder, {
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle"
    },
    yasqe: {
      value: textarea.value,
      persistenceId: null,
      autocompleters: ["prefixes", "variables"],
      prefixCcApi: null,
      createShareableLink: function (yasqe) { return window.location.origin + linkTo(yasqe.getValue()); },
      createShortLink: undefined
    },
    yasr: { persistenceId: null }
  });

  function tab() { return yasgui.getTab(); }
  function yasqe() { return tab().getYasqe(); }
  function updatePermalink() {
    var link = linkTo(yasqe().getValue());
    permalink.href = link;
    return link;
  }
  function shareLink(editor) { return window.location.origin + linkTo(editor.getValue()); }

  // Results: IRIs of this dataset link to their pages on this site, not to w3id.org.
  function localise(root) {
    var anchors = root.querySelectorAll("a[href^='" + base + "']");
    for (var i = 0; i < anchors.length; i++) {
      var rest = anchors[i].getAttribute("href").substring(base.length);
      anchors[i].setAttribute("href", "/" + (rest === "dataset" ? ".well-known/void" : rest));
      anchors[i].removeAttribute("target");
    }
  }
  function watch(t) {
    var yasr = t.getYasr();
    if (yasr) { yasr.on("drawn", function () { localise(yasr.rootEl); }); }
    var q = t.getYasqe();
    if (q) {
      // the share button reads config.createShareableLink when clicked: the editor's text then
      q.config.createShareableLink = shareLink;
      q.on("change", function () {
        window.history.replaceState(null, "", updatePermalink());
      });
    }
  }
  watch(tab());
  yasgui.on("tabAdd", function (instance, id) { watch(yasgui.getTab(id)); });
  yasgui.on("tabSelect", function () { window.setTimeout(updatePermalink, 0); });
  var observer = new MutationObserver(function () { localise(holder); });
  observer.observe(holder, { childList: true, subtree: true });

  var links = document.querySelectorAll("a[data-example]");
  for (var j = 0; j < links.length; j++) {
    links[j].addEventListener("click", function (event) {
      var index = names.indexOf(this.getAttribute("data-example"));
      if (index < 0) { return; }
      event.preventDefault();
      tab().setQuery(texts[index]);
      tab().setName(titles[index]);
      for (var k = 0; k < links.length; k++) { links[k].removeAttribute("aria-current"); }
      this.setAttribute("aria-current", "true");
      window.history.replaceState(null, "", this.getAttribute("href"));
      updatePermalink();
      holder.scrollIntoView();
    });
  }
  updatePermalink();
  if (form.getAttribute("data-run") === "true") { tab().query(); }
})();
