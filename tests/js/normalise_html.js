// The HTML strings given, each parsed the way a page parses it inside a <div> and serialised back,
// so that markup from Anki and markup read back from a page can be compared string for string.
(htmls) => htmls.map((html) => {
  const holder = document.createElement("div");
  holder.innerHTML = html;
  return holder.innerHTML;
})
