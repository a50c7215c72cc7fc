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
