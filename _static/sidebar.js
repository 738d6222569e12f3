// The theme scrolls the sidebar whenever the current chapter's link sits in the lower half
// of the window, which scrolls the logo out of view although the link would be visible
// anyway. Scroll back to the top whenever the current link is visible from there.
window.addEventListener("load", function () {
  var sidebar = document.querySelector(".bd-sidebar-primary");
  if (!sidebar) return;
  var current = sidebar.querySelector(".bd-docs-nav a.current, .bd-docs-nav li.active > a");
  if (!current) return;
  var bottom = current.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().top
    + sidebar.scrollTop;
  if (bottom < sidebar.clientHeight) sidebar.scrollTop = 0;
});
