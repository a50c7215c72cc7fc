/* newsloom's service worker (served as /sw.js so that its scope is the whole site). No build step.
 *
 * Offline reading: every reader page opened while online is kept (the newest PAGE_LIMIT of them); the top stories'
 * pages, and the lead article of each, are fetched ahead whenever the home page loads, and the articles listed on
 * the reader's saved page whenever it loads. Pages go to the network first and fall back to the kept copy, marked
 * data-offline-copy on <html> so that site.js can say the reader is offline; a page never kept falls back to the
 * offline page. Static files are served from the cache first. The API, the admin and anything but GET pass through.
 */
"use strict";

var VERSION = "1";
var SHELL = "newsloom-shell-" + VERSION;
var PAGES = "newsloom-pages";
var PAGE_LIMIT = 150;
var TOP_STORIES = 12;
var OFFLINE = "/static/newsloom/offline.html";
var SHELL_FILES = [
  OFFLINE, "/static/newsloom/site.css", "/static/newsloom/site.js", "/static/newsloom/htmx.min.js",
  "/static/newsloom/favicon.svg", "/static/newsloom/icons/icon-192.png"
];
var HOME = "/en/";
var WARMED = "/__newsloom_warmed__";  // not a page: the time the top stories were last fetched ahead
var WARM_EVERY = 10 * 60 * 1000;
var READER_PAGE = /^\/[a-z]{2}(-[a-z]+)?\/(|article\/[0-9a-f]{32}|story\/[0-9a-f]{32}|source\/[^/]+|hashtag\/[^/]+|saved|following)$/;
var SAVED_PAGE = /^\/[a-z]{2}(-[a-z]+)?\/saved$/;
var HOME_PAGE = /^\/[a-z]{2}(-[a-z]+)?\/$/;
var ARTICLE_LINK = /href="(\/[a-z]{2}(?:-[a-z]+)?\/article\/[0-9a-f]{32})"/g;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SHELL_FILES);
  }).then(function () { return fetchAndKeep(HOME); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("newsloom-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }).then(warmTopStories));
});

function keep(request, response) {
  return caches.open(PAGES).then(function (cache) {
    return cache.put(request, response).then(function () { return cache.keys(); }).then(function (keys) {
      var extra = keys.length - PAGE_LIMIT;
      return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (key) { return cache.delete(key); }));
    });
  });
}

function fetchAndKeep(url) {
  return fetch(url, {cache: "no-cache", credentials: "same-origin"}).then(function (response) {
    if (response.ok) { return keep(url, response); }
  }).catch(function () { /* offline again: try next time */ });
}

/* One after another, so that fetching ahead never crowds the reader's own requests. */
function keepEach(urls) {
  return urls.reduce(function (done, url) {
    return done.then(function () { return fetchAndKeep(url); });
  }, Promise.resolve());
}

/* The top stories' pages and their lead articles (a story's id is its earliest article's), through the JSON API;
 * at most every WARM_EVERY milliseconds (the time of the last round is kept in the cache, which outlives the worker). */
function warmTopStories() {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(WARMED).then(function (last) {
      return last ? last.text() : "0";
    }).then(function (when) {
      if (Date.now() - Number(when) < WARM_EVERY) { return null; }
      return cache.put(WARMED, new Response(String(Date.now()))).then(function () {
        return fetch("/api/v1/stories?limit=" + TOP_STORIES);
      }).then(function (response) {
        return response.ok ? response.json() : {items: []};
      }).then(function (page) {
        var urls = [];
        page.items.forEach(function (story) {
          urls.push(story.web_url, story.web_url.replace("/story/", "/article/"));
        });
        return keepEach(urls);
      });
    });
  }).catch(function () { /* offline: the copies kept last time stay */ });
}

/* The articles a page links to (the saved page): fetched and kept, unless already kept. */
function warmLinked(html) {
  var urls = [], match;
  ARTICLE_LINK.lastIndex = 0;
  while ((match = ARTICLE_LINK.exec(html)) !== null && urls.length < PAGE_LIMIT / 2) { urls.push(match[1]); }
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (found) { return found ? null : url; });
    }));
  }).then(function (missing) { return keepEach(missing.filter(Boolean)); });
}

/* A kept copy, marked so that the page can tell the reader it is offline and when the copy was made. */
function offlineCopy(response) {
  var saved = response.headers.get("Date") || "";
  return response.text().then(function (html) {
    var marked = html.replace(/<html\b/i, '<html data-offline-copy="1" data-saved-at="' + saved.replace(/"/g, "") + '"');
    return new Response(marked, {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
  });
}

function page(event, url) {
  // always asked of the server (a 304 when unchanged), so an online reader gets the news of the minute and an offline
  // one the kept copy, never a copy the HTTP cache still holds
  var fresh = fetch(url.href, {cache: "no-cache", credentials: "same-origin"}).then(function (response) {
    if (response.redirected) { return Response.redirect(response.url, 302); }
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(keep(url.pathname, copy.clone()).then(function () {
        if (HOME_PAGE.test(url.pathname)) { return warmTopStories(); }
        if (SAVED_PAGE.test(url.pathname)) { return copy.text().then(warmLinked); }
      }));
    }
    return response;
  });
  return fresh.catch(function () {
    return caches.match(url.pathname, {ignoreSearch: false}).then(function (kept) {
      if (kept) { return offlineCopy(kept); }
      return caches.match(OFFLINE).then(function (fallback) {
        return fallback || new Response("You are offline.", {status: 503, headers: {"Content-Type": "text/plain"}});
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.put(request, copy); }));
        }
        return response;
      });
    }));
    return;
  }
  var htmx = request.headers.get("HX-Request");
  if (!htmx && !url.search && READER_PAGE.test(url.pathname)) {
    event.respondWith(page(event, url));
  }
});
