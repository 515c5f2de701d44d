// Every style rule of the card's own stylesheet(s), with the colour properties it sets and
// anything that would reach outside the card (imports, web fonts, url() references).
() => {
  const COLOUR = /(^|-)color$|^(fill|stroke|box-shadow|text-shadow)$/;
  const rules = [];
  const external = [];
  const visit = (list, media) => {
    for (const rule of list) {
      if (rule instanceof CSSImportRule) external.push("@import " + rule.href);
      else if (rule instanceof CSSFontFaceRule) external.push("@font-face " + rule.cssText.slice(0, 80));
      else if (rule.cssRules && !(rule instanceof CSSStyleRule)) visit(rule.cssRules, media + (rule.conditionText || ""));
      if (!(rule instanceof CSSStyleRule)) continue;
      const colours = {};
      for (let i = 0; i < rule.style.length; i += 1) {
        const name = rule.style[i];
        const value = rule.style.getPropertyValue(name);
        if (/url\(/i.test(value)) external.push(rule.selectorText + " { " + name + ": " + value + " }");
        if (COLOUR.test(name)) colours[name] = value;
      }
      rules.push({ selector: rule.selectorText, media, colours });
    }
  };
  const sheets = [...document.querySelectorAll("#qa style")].map((el) => el.sheet);
  for (const sheet of sheets) visit(sheet.cssRules, "");
  return { sheets: sheets.length, rules, external };
}
