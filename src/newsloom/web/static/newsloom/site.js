/* After "More stories" loads the next page in place, move keyboard focus to its first new story. */
document.addEventListener("htmx:afterSettle", function (event) {
  var lists = document.querySelectorAll(".story-list.more");
  var last = lists[lists.length - 1];
  var link = last && last.querySelector(".card-title a");
  if (link) { link.focus(); }
});

/* "Too many questions" (429) and a refused comment (422: too long, too fast...) are answers the reader should see,
   with their text still in the form, not errors htmx drops. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 429 || event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

/* The installable app: the service worker (offline reading), "you are offline", and "Install app". */
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline reading in this browser */ });
}

(function () {
  var root = document.documentElement;
  function notice() {
    var offline = root.dataset.offlineCopy === "1" || navigator.onLine === false;
    var banner = document.getElementById("offline-banner");
    if (!offline) {
      if (banner) { banner.remove(); }
      return;
    }
    if (!banner) {
      banner = document.createElement("p");
      banner.id = "offline-banner";
      banner.className = "offline-banner";
      banner.setAttribute("role", "status");
      document.body.insertBefore(banner, document.body.firstChild);
    }
    var saved = root.dataset.savedAt ? new Date(root.dataset.savedAt) : null;
    banner.textContent = "You are offline. " + (root.dataset.offlineCopy === "1"
      ? "This is the copy saved for reading offline" + (saved && !isNaN(saved) ? " on " + saved.toLocaleString() : "") + "."
      : "Pages you have read and the top stories still open.");
  }
  document.addEventListener("DOMContentLoaded", notice);
  window.addEventListener("online", notice);
  window.addEventListener("offline", notice);
})();

var installPrompt = null;
window.addEventListener("beforeinstallprompt", function (event) {
  event.preventDefault();
  installPrompt = event;
  var bar = document.querySelector(".site-header .bar");
  if (!bar || document.getElementById("install-app")) { return; }
  var button = document.createElement("button");
  button.id = "install-app";
  button.type = "button";
  button.className = "install-app";
  button.textContent = "Install app";
  button.addEventListener("click", function () {
    if (!installPrompt) { return; }
    installPrompt.prompt();
    installPrompt.userChoice.then(function () { installPrompt = null; button.remove(); });
  });
  bar.appendChild(button);
});
window.addEventListener("appinstalled", function () {
  var button = document.getElementById("install-app");
  if (button) { button.remove(); }
});

/* iPhone and iPad have no install prompt: say how, once, in the footer (not when already on the home screen). */
document.addEventListener("DOMContentLoaded", function () {
  var ios = /iphone|ipad|ipod/i.test(navigator.userAgent) && !window.navigator.standalone;
  var footer = document.querySelector(".site-footer");
  if (!ios || !footer) { return; }
  var hint = document.createElement("p");
  hint.className = "install-hint";
  hint.textContent = "Add newsloom to your home screen: tap Share, then “Add to Home Screen”.";
  footer.appendChild(hint);
});
