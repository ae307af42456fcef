// Site configuration: static output, MDX chapters from ./content, Svelte islands, build-time maths and highlighting.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import sitemap from '@astrojs/sitemap';
import { unified, rehypeHeadingIds } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { rehypeHeadingLinks } from './src/markdown/rehype-heading-links.mjs';
import { rehypeInlineCode } from './src/markdown/rehype-inline-code.mjs';
import { cspConfig } from './src/site/csp.mjs';
import { wasmThreadsPlugin } from './src/site/wasm-threads-plugin.mjs';

// The absolute address the site is served from; canonical links, Open Graph and the sitemap use it.
const site = process.env.SITE_URL ?? 'http://localhost:4321';

export default defineConfig({
  site,
  output: 'static',
  trailingSlash: 'always',
  integrations: [mdx(), svelte(), sitemap()],
  // Content Security Policy: Astro writes a <meta http-equiv> on every page with hashes of the scripts and <style>
  // elements it emits; scripts/serve.mjs sends the same policy as a header (src/site/csp.mjs explains each source).
  security: { csp: cspConfig },
  // Stylesheets as files, never inlined: Astro does not hash every inlined <style> (the CSS of components used inside
  // MDX content is left out), and a file is covered by style-src-elem 'self' without a hash.
  build: { inlineStylesheets: 'never' },
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [
        rehypeHeadingIds,
        [rehypeKatex, { output: 'htmlAndMathml' }],
        rehypeHeadingLinks,
        rehypeInlineCode,
      ],
    }),
    shikiConfig: {
      themes: { light: 'github-light-default', dark: 'github-dark-default' }, // every token colour at least 4.5:1 on its background (axe)
      defaultColor: false,
    },
  },
  devToolbar: { enabled: false },
  vite: {
    // The engine's worker bundle, where TF.js's wasm backend lives, gets the threaded build's minification fix.
    worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
    build: {
      rollupOptions: {
        // Astro's MDX modules carry a "use astro:head-inject" directive that the bundler warns about on every chapter.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('astro:head-inject'))
            return;
          warn(warning);
        },
      },
    },
  },
});
