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
  // The page's language and its texts (the theme's string tables, written into the page by the build).
  var lang = form.getAttribute("data-lang") || "en";
  var texts = JSON.parse(form.getAttribute("data-strings") || "{}");
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
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

  // Must match generator/site/search.py: NFKD, drop marks, lowercase, figures ("3.2", "1,500"), letter/digit runs, and runs of
  // Chinese, Japanese kana or Thai (written without spaces) as overlapping pairs of characters.
  var UNSPACED = /[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  function split(word) {
    var out = [], last = 0, run;
    UNSPACED.lastIndex = 0;
    while ((run = UNSPACED.exec(word)) !== null) {
      out.push(word.slice(last, run.index));
      var chars = Array.from(run[0]);
      if (chars.length === 1) out.push(chars[0]);
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      last = run.index + run[0].length;
    }
    out.push(word.slice(last));
    return out;
  }
  function tokens(text) {
    var folded = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    var words = folded.match(/[0-9]+(?:[.,][0-9]+)+|[\p{L}\p{N}]+/gu) || [];
    var out = [];
    words.forEach(function (word) { split(word).forEach(function (t) { if (Array.from(t).length >= meta.min) out.push(t); }); });
    return out;
  }

  // A text of the page's language: plural form chosen by `count`, {name} values filled in.
  function text(key, values) {
    var entry = texts[key] || "";
    if (typeof entry !== "string") {
      var form = plurals && typeof values.count === "number" ? plurals.select(values.count) : "other";
      entry = entry[form] || entry.other || "";
    }
    return entry.replace(/\{([a-z_]+)\}/g, function (all, name) {
      var value = values[name];
      if (value === undefined) return all;
      return typeof value === "number" ? value.toLocaleString(lang) : value;
    });
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
    if (rating[2]) badge.style.setProperty("--verdict-ink", rating[2]);  // dark text on a light rating colour
    badge.textContent = rating[0];
    info.appendChild(document.createTextNode(" " + doc[2] + " · " + text("checked", {date: doc[5]})));  // the report's date as its pages write it (the index's sixth field)
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
        say(query ? text("short", {}) : "");
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
          say(n === 0 ? text("none", { query: query }) : text(n > current.shown ? "found_some" : "found", { count: n, query: query, shown: current.shown }));
        });
      });
    }).catch(function () {
      if (mine === serial) say(text("failed", {}));
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
      say(text("found_some", { count: current.hits.length, query: current.query, shown: current.shown }));
    });
  });
  api.run = run;
  api.tokens = tokens; // the terms of a text, as the index has them (tests hold it to search.py)
  api.ready = true;

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
