/* The site's search worker: Material's search box and result list, Pagefind's index.
 *
 * Material's search talks to a web worker in four messages (SETUP 0, READY 1, QUERY 2,
 * RESULT 3; "custom search" in its docs). Its own worker is handed the whole lunr index up
 * front (77 MiB at province scale, on every page view). This one answers with Pagefind
 * (pagefind/, written by the build), which fetches only the index chunks of the words
 * searched for and the text of the results shown: a page view pays nothing for search.
 * The offline zip (file://, where a worker cannot fetch) keeps Material's worker and index.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var WARM = 100; // from the theme (main.html): the search box was opened, load Pagefind now
var SHOWN = 10; // results whose text is fetched: Material lists ten before scrolling
var pagefind = null;
var latest = 0;

function escape(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

/* Pagefind's URLs start at the site root ("/counties/puxian/"); Material's locations are
 * relative to the site's base, which may be a sub-path. */
function relative(url) {
  return url.replace(/^\//, "");
}

/* Words of the query for Material's ?h= highlighting on the page opened. */
function terms(query) {
  var found = {};
  query.split(/\s+/).forEach(function (word) {
    if (word) found[word] = true;
  });
  return found;
}

/* A page named as typed comes first (集贤县 or 集贤 find the county's own page before the
 * pages that mention it), then one whose title holds it, then one whose text holds it as
 * typed (a phrase copied from a case); otherwise Pagefind's order. */
var ENDING = /^(自治县|自治州|县|市|区|省|旗|盟)$/;

function rank(query, results) {
  var typed = query.replace(/\s+/g, "");
  function score(data) {
    var title = (data.meta && data.meta.title) || "";
    if (title === typed || title.startsWith(typed) && ENDING.test(title.slice(typed.length)))
      return 3;
    if (title.indexOf(typed) >= 0) return 2;
    return (data.content || "").indexOf(typed) >= 0 ? 1 : 0;
  }
  return results
    .map(function (data, i) { return { data: data, i: i, s: score(data) }; })
    .sort(function (a, b) { return b.s - a.s || a.i - b.i; })
    .map(function (r) { return r.data; });
}

/* Pagefind joins the blocks of a page, a table's cells too, with ". ": a row of a ledger reads
 * "蒲县安居房屋建筑有限公司 · 新经济组织 · 建筑业" (Chinese text ends its sentences with 。). */
function preview(excerpt) {
  return String(excerpt || "").replace(/\.(\s|$)/g, " · ").replace(/^\s*·\s*|\s*·\s*$/g, "");
}

function item(query, data) {
  var title = escape((data.meta && data.meta.title) || data.url);
  var words = terms(query);
  var page = { location: relative(data.url), title: title, text: preview(data.excerpt), score: 1,
               terms: words };
  var sections = (data.sub_results || [])
    .filter(function (sub) { return sub.url.indexOf("#") > 0 && sub.title !== data.meta.title; })
    .slice(0, 3)
    .map(function (sub) {
      return { location: relative(sub.url), title: escape(sub.title), text: preview(sub.excerpt),
               score: 1, terms: words };
    });
  return [page].concat(sections);
}

async function answer(engine, query) {
  var found = await engine.search(query);
  var shown = await Promise.all(found.results.slice(0, SHOWN).map(function (r) {
    return r.data();
  }));
  return rank(query, shown).map(function (data) { return item(query, data); });
}

/* Pagefind is loaded when the search box is opened (WARM) or with the first query typed, not
 * with the page (Material sends an empty query as soon as the page loads): a page view that
 * never searches fetches this file only. */
function load() {
  if (!pagefind) {
    var root = new URL("../../", self.location.href).href;
    var base = root + "pagefind/";
    pagefind = Promise.all([
      import(base + "pagefind.js"),
      fetch(base + "shards.json").then(function (r) { return r.ok ? r.json() : { shards: [] }; }),
    ]).then(async function (loaded) {
      var module = loaded[0];
      // Pagefind runs in this worker, not in a worker of its own (one file less to fetch)
      await module.options({ basePath: base, excerptLength: 24, noWorker: true });
      /* the pages of each group of counties are a shard of their own (publish.pagefind_index:
       * a rebuild indexes again only the shards that changed); one search covers them all */
      await Promise.all(loaded[1].shards.map(function (name) {
        return module.mergeIndex(root + name + "/", { excerptLength: 24, noWorker: true });
      }));
      await module.init();
      return module;
    });
  }
  return pagefind;
}

addEventListener("message", async function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === WARM) {
    load().catch(function (err) { console.warn("search failed:", err); });
  } else if (message.type === QUERY) {
    var mine = ++latest;
    var query = String(message.data || "").trim();
    var items = [];
    try {
      if (query) items = await answer(await load(), query);
    } catch (err) {
      console.warn("search failed:", err);
    }
    if (mine === latest) postMessage({ type: RESULT, data: { items: items } });
  }
});
