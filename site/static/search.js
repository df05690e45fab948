// aiwire search: filters window.AIWIRE_SEARCH (search/data.js) and the story shards of
// every week (search/weeks/<week>.js, loaded here by script tags) in the browser.
// Results are built with DOM methods and textContent only, never innerHTML.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) { return; }
  var LIMIT = 50;
  var WEEK = /^\d{4}-W\d{2}$|^undated$/;
  var prepared = [];

  function prepare() {
    var data = (window.AIWIRE_SEARCH || []).slice();
    (window.AIWIRE_SEARCH_PARTS || []).forEach(function (part) { data = data.concat(part); });
    prepared = data.map(function (e) {
      return { entry: e, title: e.t.toLowerCase(), text: (e.t + " " + e.x + " " + e.m).toLowerCase() };
    });
  }

  // One script tag per week's shard; searching starts when every shard answered.
  function loadShards(done) {
    var weeks = (window.AIWIRE_SEARCH_WEEKS || []).filter(function (w) { return WEEK.test(w); });
    var waiting = weeks.length;
    if (!waiting) { done(); return; }
    status.textContent = "Loading the search index\u2026";
    weeks.forEach(function (week) {
      var script = document.createElement("script");
      script.src = "weeks/" + week + ".js";
      script.onload = script.onerror = function () {
        waiting -= 1;
        if (waiting === 0) { done(); }
      };
      document.body.appendChild(script);
    });
  }

  function terms(query) {
    return query.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function score(item, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      if (item.text.indexOf(words[i]) < 0) { return -1; }
      total += item.title.indexOf(words[i]) >= 0 ? 3 : 1;
    }
    return total;
  }

  function show(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var words = terms(query);
    if (!words.length) { status.textContent = "Type a name, a company, a technique or a word from a headline."; return; }
    var hits = [];
    prepared.forEach(function (item) {
      var s = score(item, words);
      if (s >= 0) { hits.push({ s: s, item: item }); }
    });
    hits.sort(function (a, b) { return b.s - a.s || (a.item.entry.t < b.item.entry.t ? -1 : a.item.entry.t > b.item.entry.t ? 1 : 0); });
    status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" +
      (hits.length > LIMIT ? " (showing " + LIMIT + ")" : "");
    hits.slice(0, LIMIT).forEach(function (hit) {
      var e = hit.item.entry;
      var li = document.createElement("li");
      li.className = "result " + e.k;
      var a = document.createElement("a");
      a.href = "../" + e.u;
      a.textContent = e.t;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + e.k + " \u00b7 " + e.m;
      li.appendChild(a);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  loadShards(function () {
    prepare();
    show(input.value);
  });
  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "index.html?q=" + encodeURIComponent(input.value));
    }
  });
}());
