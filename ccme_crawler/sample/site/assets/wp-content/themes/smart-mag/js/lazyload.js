/* SmartMag lazy loading (stand-in): images keep the real file in data-src / data-srcset. */
(function () {
  function load(img) {
    if (img.dataset.srcset) { img.srcset = img.dataset.srcset; }
    if (img.dataset.src) { img.src = img.dataset.src; }
    img.classList.remove("lazyload");
    img.classList.add("lazyloaded");
  }
  function all() { document.querySelectorAll("img.lazyload").forEach(load); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
