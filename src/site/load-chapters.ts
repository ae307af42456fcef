// Reads the chapters collection into plain, sorted records for navigation.
import { getCollection } from 'astro:content';
import { sortChapters, type ChapterInfo } from './chapters';

export async function loadChapters(): Promise<ChapterInfo[]> {
  const entries = await getCollection('chapters');
  return sortChapters(
    entries.map((e) => ({
      id: e.id,
      title: e.data.title,
      short: e.data.short,
      description: e.data.description,
      order: e.data.order,
      concepts: e.data.concepts,
      kind: e.data.kind,
    })),
  );
}
