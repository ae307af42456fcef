#!/usr/bin/env node
// JavaScript budget: for every HTML page in dist/, add up the gzip size of the JavaScript the page loads before any
// demo starts: inline scripts, module scripts, island components and renderers, and everything they import
// statically. Dynamic import() (TF.js, the engine, search) is not counted. Prints a table; exits 1 over budget.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative, resolve, dirname, posix } from 'node:path';

const DIST = resolve(process.argv[2] ?? 'dist');
const BUDGET_KB = Number(process.env.JS_BUDGET_KB ?? 60);

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

const gz = (text) => gzipSync(text, { level: 9 }).length;

/** Static imports of an ES module: `import x from "y"`, `import "y"`, `export * from "y"`; not `import("y")`. */
export function staticImports(code) {
  const specs = [];
  const re = /(?:^|[;}\n\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs;
}

function resolveUrl(url, fromFile) {
  if (/^(https?:)?\/\//.test(url)) return null;
  const path = url.startsWith('/') ? join(DIST, url) : join(dirname(fromFile), url);
  return existsSync(path) ? path : null;
}

function moduleClosure(entry, seen) {
  if (!entry || seen.has(entry)) return;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const spec of staticImports(code)) moduleClosure(resolveUrl(spec, entry), seen);
}

export function pageJs(htmlPath) {
  const html = readFileSync(htmlPath, 'utf8');
  let inlineBytes = 0;
  const modules = new Set();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const [, attrs, body] = m;
    if (/type=["']application\/(ld\+)?json["']/.test(attrs)) continue;
    const src = attrs.match(/\bsrc=["']([^"']+)["']/)?.[1];
    if (src) moduleClosure(resolveUrl(src, htmlPath), modules);
    else if (body.trim()) {
      inlineBytes += gz(body);
      for (const spec of staticImports(body)) moduleClosure(resolveUrl(spec, htmlPath), modules);
    }
  }
  for (const m of html.matchAll(/<astro-island\b[^>]*>/g)) {
    for (const attr of ['component-url', 'renderer-url']) {
      const url = m[0].match(new RegExp(`${attr}="([^"]+)"`))?.[1];
      if (url) moduleClosure(resolveUrl(url, htmlPath), modules);
    }
  }
  for (const m of html.matchAll(/<link\b[^>]*rel=["']modulepreload["'][^>]*>/g)) {
    const href = m[0].match(/href=["']([^"']+)["']/)?.[1];
    if (href) moduleClosure(resolveUrl(href, htmlPath), modules);
  }
  let moduleBytes = 0;
  for (const file of modules) moduleBytes += gz(readFileSync(file));
  return { inlineBytes, moduleBytes, modules: modules.size, total: inlineBytes + moduleBytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(DIST)) {
    console.error(`No ${DIST}: run the build first.`);
    process.exit(1);
  }
  const rows = htmlFiles(DIST).map((file) => ({
    page: '/' + relative(DIST, file).split('\\').join(posix.sep),
    ...pageJs(file),
  }));
  rows.sort((a, b) => b.total - a.total);
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  console.log(`JavaScript per page before any demo starts (gzip), budget ${BUDGET_KB} KB:`);
  console.log(
    `${'page'.padEnd(48)} ${'inline'.padStart(7)} ${'modules'.padStart(7)} ${'files'.padStart(5)} ${'total'.padStart(7)}`,
  );
  let over = 0;
  for (const r of rows) {
    const bad = r.total > BUDGET_KB * 1024;
    if (bad) over++;
    console.log(
      `${r.page.padEnd(48)} ${kb(r.inlineBytes)} ${kb(r.moduleBytes)} ${String(r.modules).padStart(5)} ${kb(r.total)}${bad ? '  OVER BUDGET' : ''}`,
    );
  }
  if (rows.length === 0) {
    console.error('No HTML pages found in dist/.');
    process.exit(1);
  }
  if (over > 0) {
    console.error(`${over} page(s) over the ${BUDGET_KB} KB JavaScript budget.`);
    process.exit(1);
  }
  console.log(`All ${rows.length} pages within budget.`);
}
