document.title = "from page.js";
