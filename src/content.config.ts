// The chapters collection: one MDX file per chapter in ./content, validated by this schema at build time.
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { glob } from 'astro/loaders';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug is lower-case words joined by hyphens');

const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content' }),
  schema: z.object({
    title: z.string().min(3),
    /** Short name for the sidebar and prev/next links. */
    short: z.string().min(2),
    description: z.string().min(20).max(200),
    order: z.number().int().positive(),
    /** The ideas this chapter teaches; each slug is the id of a heading on the page (checked at build time). */
    concepts: z.array(z.object({ slug, title: z.string() })).min(1),
    /** 'chapter': a part of the book's chapter 5; 'aside': a short linkable page on a question readers ask. */
    kind: z.enum(['chapter', 'aside']).default('chapter'),
  }),
});

export const collections = { chapters };
