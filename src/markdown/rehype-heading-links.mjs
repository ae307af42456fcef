// Rehype plugin: gives every h2-h4 that has an id a visible "copy link" anchor, so readers can link one concept.
// Runs after the heading-id plugin; without JavaScript the anchor is a plain link to the section.
import { visit } from 'unist-util-visit';

/** @param {import('hast').Element} node */
function textOf(node) {
  let text = '';
  visit(node, 'text', (t) => {
    text += t.value;
  });
  return text.trim();
}

export function rehypeHeadingLinks() {
  /** @param {import('hast').Root} tree */
  return (tree) => {
    visit(tree, 'element', (node) => {
      if (!/^h[2-4]$/.test(node.tagName)) return;
      const id = node.properties?.id;
      if (typeof id !== 'string' || id === '') return;
      node.children.push({
        type: 'element',
        tagName: 'a',
        properties: {
          className: ['heading-link', 'copy-link'],
          href: `#${id}`,
          'aria-label': `Copy link to “${textOf(node)}”`,
          dataCopyLink: '',
        },
        children: [{ type: 'text', value: '#' }],
      });
    });
  };
}
