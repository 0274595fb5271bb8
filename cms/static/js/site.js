// 大字版 (larger-text mode, 适老化): toggles html.large-text and remembers the choice.
(function () {
    var root = document.documentElement;
    root.classList.remove("no-js");
    document.querySelectorAll("[data-text-size-toggle]").forEach(function (button) {
        var sync = function () {
            var on = root.classList.contains("large-text");
            button.setAttribute("aria-pressed", on ? "true" : "false");
            button.textContent = on ? "标准版" : "大字版";
        };
        sync();
        button.addEventListener("click", function () {
            root.classList.toggle("large-text");
            try { localStorage.setItem("portal-large-text", root.classList.contains("large-text") ? "1" : "0"); } catch (e) {}
            sync();
        });
    });
})();
