/* Search page: loads the prebuilt index on demand and lists matching claims.
   Index files are .js files that call FactcheckSearch.add(name, data), so they load through
   <script> elements, which work from file:// where fetch() does not. No other scripts, no server. */
(function () {
  "use strict";
  var PAGE = 20;
  var store = new Map();
  var pending = new Map();
  var decoded = new Map();
  var api = (window.FactcheckSearch = window.FactcheckSearch || {});
  api.add = function (name, data) { store.set(name, data); };

  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var dataBase = form.getAttribute("data-index").replace(/meta\.js$/, "");
  var root = form.getAttribute("data-root");
  var meta = null;
  var current = { query: "", hits: [], shown: 0 };
  var serial = 0;

  function load(name) {
    if (store.has(name)) return Promise.resolve(store.get(name));
    if (!pending.has(name)) {
      pending.set(name, new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = dataBase + name + ".js";
        script.onload = function () { resolve(store.get(name)); };
        script.onerror = function () { pending.delete(name); reject(new Error("could not load " + name)); };
        document.head.appendChild(script);
      }));
    }
    return pending.get(name);
  }

  // Must match generator/search.py: NFKD, drop combining marks, lowercase, letter/digit runs.
  function tokens(text) {
    var folded = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    return (folded.match(/[\p{L}\p{N}]+/gu) || []).filter(function (t) { return t.length >= meta.min; });
  }

  function shardName(term) {
    var key = term.slice(0, meta.prefix);
    if (!key) return "_all";
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + Array.from(key).map(function (ch) { return ch.codePointAt(0).toString(16); }).join("_");
  }

  function postings(shard, term) {
    var id = shard + " " + term;
    if (!decoded.has(id)) {
      var out = [], last = 0, parts = store.get("t/" + shard)[term].split(",");
      for (var i = 0; i < parts.length; i++) {
        var value = parseInt(parts[i], 36);
        last += Math.floor(value / 2);
        out.push(last, value % 2);
      }
      decoded.set(id, out);
    }
    return decoded.get(id);
  }

  // Every query term must match (as a word or the start of one); exact words and matches in
  // the claimant, rating or topics rank higher; ties keep the site's order (newest first).
  function rank(terms) {
    var total = null;
    terms.forEach(function (term) {
      var shard = shardName(term);
      var vocabulary = store.get("t/" + shard) || {};
      var scores = new Map();
      Object.keys(vocabulary).forEach(function (candidate) {
        if (candidate.lastIndexOf(term, 0) !== 0) return;
        var base = candidate === term ? 2 : 1;
        var list = postings(shard, candidate);
        for (var i = 0; i < list.length; i += 2) {
          var score = base + list[i + 1];
          if (score > (scores.get(list[i]) || 0)) scores.set(list[i], score);
        }
      });
      if (total === null) { total = scores; return; }
      var next = new Map();
      scores.forEach(function (score, doc) { if (total.has(doc)) next.set(doc, total.get(doc) + score); });
      total = next;
    });
    var hits = Array.from(total || new Map());
    hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return hits.map(function (hit) { return hit[0]; });
  }

  function queryTerms(query) {
    var stop = new Set(meta.stop);
    return Array.from(new Set(tokens(query))).filter(function (t) { return !stop.has(t); });
  }

  function say(text) { status.textContent = text; }

  function row(doc) {
    var rating = meta.ratings[doc[3]];
    var li = document.createElement("li");
    var line = li.appendChild(document.createElement("p"));
    line.className = "claim-line";
    var link = line.appendChild(document.createElement("a"));
    link.href = root + doc[0] + "index.html";
    link.textContent = doc[1];
    var info = li.appendChild(document.createElement("p"));
    info.className = "meta";
    var badge = info.appendChild(document.createElement("span"));
    badge.className = "verdict verdict-small";
    badge.style.setProperty("--verdict", rating[1]);
    badge.textContent = rating[0];
    info.appendChild(document.createTextNode(" " + doc[2] + " · " + doc[4]));
    return li;
  }

  function showMore(mine) {
    var ids = current.hits.slice(current.shown, current.shown + PAGE);
    var chunks = Array.from(new Set(ids.map(function (id) { return Math.floor(id / meta.chunk); })));
    return Promise.all(chunks.map(function (c) { return load("d/" + c); })).then(function () {
      if (mine !== serial) return;
      var fragment = document.createDocumentFragment();
      ids.forEach(function (id) { fragment.appendChild(row(store.get("d/" + Math.floor(id / meta.chunk))[id % meta.chunk])); });
      list.appendChild(fragment);
      current.shown += ids.length;
      more.hidden = current.shown >= current.hits.length;
    });
  }

  function run(query) {
    var mine = ++serial;
    query = query.trim();
    return load("meta").then(function (m) {
      meta = m;
      var terms = queryTerms(query);
      if (!terms.length) {
        list.textContent = "";
        more.hidden = true;
        current = { query: query, hits: [], shown: 0 };
        say(query ? "Type a longer word to search." : "");
        return;
      }
      var shards = Array.from(new Set(terms.map(shardName))).filter(function (s) { return meta.shards.indexOf(s) >= 0; });
      return Promise.all(shards.map(function (s) { return load("t/" + s); })).then(function () {
        if (mine !== serial) return;
        var started = performance.now();
        var hits = rank(terms);
        api.lastQueryMs = performance.now() - started;
        current = { query: query, hits: hits, shown: 0 };
        list.textContent = "";
        return showMore(mine).then(function () {
          if (mine !== serial) return;
          var n = hits.length;
          say(n === 0 ? "No claims found for “" + query + "”." : n + (n === 1 ? " claim" : " claims") + " found for “" + query + "”" + (n > current.shown ? ", showing " + current.shown + "." : "."));
        });
      });
    }).catch(function () {
      if (mine === serial) say("The search index could not be loaded. Try again, or browse by rating, topic or claimant.");
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim())); } catch (e) { /* file:// may refuse */ }
    run(input.value);
  });
  more.addEventListener("click", function () {
    var first = current.shown;
    showMore(serial).then(function () {
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
      say(current.hits.length + " claims found for “" + current.query + "”, showing " + current.shown + ".");
    });
  });
  api.run = run;
  api.ready = true;

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
