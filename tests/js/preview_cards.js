// Reads the open preview page: every card article, where it sits, what it says about its source,
// and for each of its phone frames the page the frame shows.
() => [...document.querySelectorAll("article.preview-card")].map((article) => ({
  section: article.closest("section.subdeck")?.getAttribute("data-deck") ?? null,
  heading: article.closest("section.subdeck")?.querySelector("h2")?.firstChild?.textContent.trim() ?? null,
  cardId: article.querySelector(".card-id")?.textContent ?? null,
  number: Number(article.getAttribute("data-card-number")),
  location: article.querySelector(".location")?.textContent ?? null,
  citations: [...article.querySelectorAll(".citation-location")].map((c) => c.textContent),
  frames: [...article.querySelectorAll("iframe")].map((frame) => {
    const doc = frame.contentDocument;
    return {
      side: frame.getAttribute("data-side"),
      width: frame.clientWidth,
      height: frame.clientHeight,
      contentHeight: doc.documentElement.scrollHeight,
      url: doc.URL,
      bodyClasses: doc.body.className,
      background: getComputedStyle(doc.body).backgroundColor,
      html: doc.getElementById("qa")?.innerHTML ?? null,
    };
  }),
}))
