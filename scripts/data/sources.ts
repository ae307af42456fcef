// Where a dataset comes from: its official archives (downloaded and cached like fastai's untar_data), a local
// .tar.gz, or a folder already in the official layout.
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, rmSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cacheDir } from './cache';
import { download } from './download';
import { extractTarGz } from './extract';
import type { Dataset } from './scan';

export interface Archive {
  url: string;
  md5?: string;
}

export const OFFICIAL: Record<Dataset, { archives: Archive[]; page: string }> = {
  pets: {
    page: 'https://www.robots.ox.ac.uk/~vgg/data/pets/',
    archives: [
      { url: 'https://www.robots.ox.ac.uk/~vgg/data/pets/data/images.tar.gz', md5: '5c4f3ee8e5d25df40f4fd59a7f44e54c' },
      {
        url: 'https://www.robots.ox.ac.uk/~vgg/data/pets/data/annotations.tar.gz',
        md5: '95a8c909bbe2e81eed6a22bccdf3f68f',
      },
    ],
  },
  imagenette: {
    page: 'https://github.com/fastai/imagenette',
    archives: [{ url: 'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz' }],
  },
};

const isArchive = (p: string) => /\.(tar\.gz|tgz)$/i.test(p);
const isUrl = (p: string) => /^https?:\/\//i.test(p);
const stem = (p: string) => basename(p).replace(/\.(tar\.gz|tgz)$/i, '');

/** The dataset's root inside an extracted folder: descend through a single top-level folder if that is all there is. */
function datasetRoot(dir: string): string {
  const entries = readdirSync(dir).filter((n) => !n.startsWith('.'));
  const layout = ['images', 'annotations', 'train', 'val'];
  if (entries.some((n) => layout.includes(n))) return dir;
  if (entries.length === 1 && statSync(join(dir, entries[0]!)).isDirectory())
    return datasetRoot(join(dir, entries[0]!));
  return dir;
}

async function fetchArchive(a: Archive, dataset: Dataset): Promise<string> {
  const file = join(cacheDir(), 'downloads', basename(new URL(a.url).pathname));
  await download(a.url, file, {
    md5: a.md5,
    hint: `Without internet, pass a copy: npm run data -- --dataset ${dataset} --source <folder or .tar.gz>.`,
  });
  return extractTarGz(file, join(cacheDir(), 'extracted', stem(file)));
}

/** Resolves `source` (undefined: the official archives) to a folder in the dataset's layout. */
export async function resolveSource(
  dataset: Dataset,
  source: string | undefined,
): Promise<{ root: string; label: string }> {
  if (source === undefined) {
    const roots = [];
    for (const a of OFFICIAL[dataset].archives) roots.push(datasetRoot(await fetchArchive(a, dataset)));
    if (roots.length === 1) return { root: roots[0]!, label: OFFICIAL[dataset].archives[0]!.url };
    // Pets ships images and annotations separately: link both into one folder.
    const merged = join(cacheDir(), 'extracted', `${dataset}-merged`);
    if (!existsSync(merged)) {
      const tmp = `${merged}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      for (const r of roots) for (const n of readdirSync(r)) symlinkSync(join(r, n), join(tmp, n));
      renameSync(tmp, merged);
    }
    return { root: merged, label: OFFICIAL[dataset].page };
  }
  if (isUrl(source)) return { root: datasetRoot(await fetchArchive({ url: source }, dataset)), label: source };
  const path = resolve(source);
  if (!existsSync(path)) throw new Error(`--source ${source}: no such file or folder.`);
  if (isArchive(path))
    return { root: datasetRoot(await extractTarGz(path, join(cacheDir(), 'extracted', stem(path)))), label: source };
  if (!statSync(path).isDirectory()) throw new Error(`--source ${source}: expected a folder, a .tar.gz or a URL.`);
  return { root: datasetRoot(path), label: source };
}
