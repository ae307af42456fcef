// src/lib is framework-free and DOM-free: the engine runs in a Web Worker, in Node tools and in the tests alike. No
// file in it (tests aside) may reach for the page (`document`, `window`), Astro's virtual modules (`astro:*`) or
// Node's built-ins (`node:*`, or their bare names). Site code belongs in src/site, Node-only code in scripts/.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LIB = fileURLToPath(new URL('.', import.meta.url));

/** The text without its comments (block and line comments; a `//` right after a quote or colon is kept, as in URLs). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

const RULES: [string, RegExp][] = [
  ['document', /\bdocument\b/],
  ['window', /\bwindow\b/],
  ['an astro: import', /(?:from\s*|import\s*\(?\s*)['"]astro:/],
  ['a node: import', /(?:from\s*|import\s*\(?\s*)['"]node:/],
];

/** What in `text` src/lib must not have, by rule name. */
function offences(text: string): string[] {
  const body = code(text);
  const found = RULES.filter(([, re]) => re.test(body)).map(([name]) => name);
  const specifiers = [...body.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
  const bare = specifiers.filter((s) => builtinModules.includes(s));
  if (bare.length) found.push(`a Node built-in (${bare.join(', ')})`);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs|svelte)$/.test(e.name) && !/\.test\.[mc]?[jt]s$/.test(e.name) ? [path] : [];
  });
}

describe('src/lib is framework-free', () => {
  it('the check sees each kind of reference in code and none in comments', () => {
    expect(offences('const el = document.querySelector("a");')).toEqual(['document']);
    expect(offences('if (typeof window !== "undefined") {}')).toEqual(['window']);
    expect(offences("import { getCollection } from 'astro:content';")).toEqual(['an astro: import']);
    expect(offences("const fs = await import('node:fs');")).toEqual(['a node: import']);
    expect(offences("import { join } from 'path';")).toEqual(['a Node built-in (path)']);
    expect(
      offences(
        "// the document's window\n/* node:fs */ const url = 'https://example.org'; import * as tf from '@tensorflow/tfjs-core';",
      ),
    ).toEqual([]);
  });

  it('no file under src/lib but tests references document, window, astro: or Node built-ins', () => {
    const files = sources(LIB);
    expect(files.length).toBeGreaterThan(50);
    const bad = files.flatMap((f) => {
      const found = offences(readFileSync(f, 'utf8'));
      return found.length ? [`${relative(LIB, f)}: ${found.join(', ')}`] : [];
    });
    expect(bad, 'site code goes to src/site, Node-only code to scripts/').toEqual([]);
  });
});
