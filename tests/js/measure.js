// Measures one card page as rendered: width, every visible text node's size, line height and
// contrast against the background it is painted on, and anything that breaks the card rules.
// Evaluated by Playwright as a function; it measures only — the tests decide what passes.
() => {
  const WHITE = { r: 255, g: 255, b: 255, a: 1 };  // the browser's canvas under every page

  const parse = (value) => {
    const match = /^rgba?\(([^)]*)\)$/.exec(value.trim());
    if (!match) return null;
    const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const classes = [...e.classList].map((c) => "." + c).join("");
      parts.unshift(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes);
    }
    return parts.join(" > ");
  };

  const unknown = [];  // colours or backgrounds this script cannot compute
  const effectiveBackground = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== "none") unknown.push(describe(e) + ": background-image " + style.backgroundImage);
      const colour = parse(style.backgroundColor);
      if (colour === null) unknown.push(describe(e) + ": background-color " + style.backgroundColor);
      else if (colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), WHITE);
  };
  const hidden = (el) => {
    // checkVisibility also sees what a closed <details> hides (WebKit still lays its content out).
    if (el.checkVisibility && !el.checkVisibility()) return true;
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.opacity === "0") return true;
    }
    return getComputedStyle(el).visibility !== "visible";
  };

  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el || el.closest("style, script, template") || hidden(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (rects.length === 0) continue;
    const style = getComputedStyle(el);
    const ink = parse(style.webkitTextFillColor) || parse(style.color);
    if (ink === null) unknown.push(describe(el) + ": color " + style.color);
    const background = effectiveBackground(el);
    const fontSize = parseFloat(style.fontSize);
    texts.push({
      text: node.data.trim().slice(0, 60),
      where: describe(el),
      secondary: el.closest("figcaption, small") !== null,
      fontSize,
      lineHeight: style.lineHeight === "normal" ? null : parseFloat(style.lineHeight) / fontSize,
      contrast: ink === null ? 0 : contrast(over(ink, background), background),
      backgroundLuminance: luminance(background),
      left: Math.min(...rects.map((r) => r.left)),
      right: Math.max(...rects.map((r) => r.right)),
    });
  }

  const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [onclick]")]
    .filter((el) => !hidden(el))
    .map((el) => ({ where: describe(el), width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height }));
  const inlineColours = [...document.querySelectorAll("#qa [style], #qa font, #qa [color], #qa [bgcolor]")]
    .map((el) => describe(el) + " " + el.outerHTML.slice(0, 80));

  const rgb = (value) => { const c = parse(value); return c && [c.r, c.g, c.b, c.a]; };
  const styleOf = (el) => {
    const style = getComputedStyle(el);
    const background = effectiveBackground(el);
    return {
      color: rgb(style.color),
      background: [background.r, background.g, background.b],
      fontWeight: parseFloat(style.fontWeight) || style.fontWeight,
      textDecorationLine: style.textDecorationLine || style.webkitTextDecorationsInEffect || "",
      cursor: style.cursor,
    };
  };
  // The revealed (or blanked) cloze deletions, each with the style of the cloze text around it.
  const clozes = [...document.querySelectorAll("#qa .cloze")].filter((el) => !hidden(el)).map((el) => ({
    where: describe(el),
    text: el.textContent.trim().slice(0, 60),
    own: styleOf(el),
    around: styleOf(el.parentElement),
  }));
  // The question and the answer blocks as wholes: where they sit, and how much weight and contrast they carry.
  const block = (selector) => {
    const el = document.querySelector("#qa " + selector);
    if (!el || hidden(el)) return null;
    const style = getComputedStyle(el);
    const ink = parse(style.color);
    const background = effectiveBackground(el);
    const box = el.getBoundingClientRect();
    return {
      fontWeight: parseFloat(style.fontWeight) || 400,
      fontSize: parseFloat(style.fontSize),
      contrast: ink === null ? 0 : contrast(over(ink, background), background),
      top: box.top,
      height: box.height,
    };
  };
  const citations = [...document.querySelectorAll("#qa .citation")];
  const visibleText = (selector) => [...document.querySelectorAll(selector)].filter((el) => !hidden(el))
    .map((el) => el.textContent.replace(/\s+/g, " ").trim());

  return {
    clozes,
    question: block(".question"),
    answer: block(".answer"),
    citations: citations.length,
    citationsShown: citations.filter((el) => !hidden(el)).length,
    details: [...document.querySelectorAll("#qa details")].map((el) => ({
      where: describe(el),
      open: el.open,
      citations: el.querySelectorAll(".citation").length,
      summary: el.querySelector("summary") ? el.querySelector("summary").textContent.trim() : "",
    })),
    clozeText: visibleText("#qa .cloze-text").join(" "),
    quotes: visibleText("#qa .citation-quote"),
    captions: visibleText("#qa .citation-source"),
    bodyClasses: document.body.className,
    viewportWidth: document.documentElement.clientWidth,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    texts,
    controls,
    inlineColours,
    unknown,
  };
}
