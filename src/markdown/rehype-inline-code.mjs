// Rehype plugin: short inline code never breaks across lines. Browsers break after a hyphen, so `slice(1e-6, 1e-4)`
// wrapped as "slice(1e-" / "6, 1e-4)"; a token up to MAX_NOWRAP characters is narrower than a 360 px phone's text
// column and stays whole (class "nowrap"). Longer code may still break anywhere (CSS), so it never widens the page.
import { visit } from 'unist-util-visit';

export const MAX_NOWRAP = 28;

/** @param {import('hast').Element} node */
function textOf(node) {
  let text = '';
  visit(node, 'text', (t) => {
    text += t.value;
  });
  return text;
}

export function rehypeInlineCode() {
  /** @param {import('hast').Root} tree */
  return (tree) => {
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName !== 'code' || (parent && parent.type === 'element' && parent.tagName === 'pre')) return;
      if (textOf(node).length > MAX_NOWRAP) return;
      const className = node.properties.className;
      const classes = Array.isArray(className) ? className : typeof className === 'string' ? className.split(' ') : [];
      node.properties.className = [...classes, 'nowrap'];
    });
  };
}
