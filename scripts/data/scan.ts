// Finds the items of a dataset folder (official layouts) with their labels and official split, and lists the files
// that cannot be items, each with the reason.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PETS_LABEL_PATTERN, petLabel } from '../../src/lib/data/labellers';

export type Dataset = 'pets' | 'imagenette';

export interface ScannedItem {
  path: string;
  name: string;
  label: string;
  /** Membership in the dataset's own split, when it has one. */
  official: 'train' | 'valid' | null;
}

export interface Skipped {
  name: string;
  reason: string;
  detail?: string;
}

export interface Scan {
  items: ScannedItem[];
  skipped: Skipped[];
}

const IMAGE_EXT = /\.(jpe?g|png)$/i;

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Oxford-IIIT Pet: images/<Breed>_<n>.jpg, annotations/{list,trainval,test}.txt (annotations optional). */
export function scanPets(root: string): Scan {
  const imagesDir = existsSync(join(root, 'images')) ? join(root, 'images') : root;
  if (!existsSync(imagesDir) || !statSync(imagesDir).isDirectory()) throw new Error(`No images folder at ${imagesDir}`);
  const annotations = join(root, 'annotations');
  const trainval = existsSync(join(annotations, 'trainval.txt'))
    ? new Set(readLines(join(annotations, 'trainval.txt')).map((l) => l.split(/\s+/)[0]!))
    : null;
  const test = existsSync(join(annotations, 'test.txt'))
    ? new Set(readLines(join(annotations, 'test.txt')).map((l) => l.split(/\s+/)[0]!))
    : null;
  const items: ScannedItem[] = [];
  const skipped: Skipped[] = [];
  const present = new Set<string>();
  for (const name of readdirSync(imagesDir).sort()) {
    const path = join(imagesDir, name);
    if (!statSync(path).isFile()) continue;
    present.add(name.replace(/\.[^.]+$/, ''));
    if (!IMAGE_EXT.test(name)) {
      skipped.push({ name, reason: 'not an image', detail: 'file extension' });
      continue;
    }
    const label = petLabel(name);
    if (!label) {
      skipped.push({ name, reason: 'name does not match the label pattern', detail: String(PETS_LABEL_PATTERN) });
      continue;
    }
    const stem = name.replace(/\.[^.]+$/, '');
    const official = trainval?.has(stem) ? 'train' : test?.has(stem) ? 'valid' : null;
    items.push({ path, name, label: label.breed, official });
  }
  const listFile = join(annotations, 'list.txt');
  if (existsSync(listFile)) {
    for (const line of readLines(listFile)) {
      const stem = line.split(/\s+/)[0]!;
      if (!present.has(stem)) skipped.push({ name: `${stem}.jpg`, reason: 'listed in the annotations but missing' });
    }
  }
  return { items, skipped };
}

/** Imagenette: {train,val}/<wnid>/*.JPEG and classes.txt ("<wnid> <name>" per line). */
export function scanImagenette(root: string): Scan {
  const names = new Map<string, string>();
  const classesFile = join(root, 'classes.txt');
  if (existsSync(classesFile)) {
    for (const line of readLines(classesFile)) {
      const [wnid, ...rest] = line.split(/\s+/);
      if (wnid && rest.length > 0) names.set(wnid, rest.join(' '));
    }
  }
  const items: ScannedItem[] = [];
  const skipped: Skipped[] = [];
  for (const [folder, official] of [
    ['train', 'train'],
    ['val', 'valid'],
  ] as const) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const wnid of readdirSync(dir).sort()) {
      const classDir = join(dir, wnid);
      if (!statSync(classDir).isDirectory()) continue;
      for (const name of readdirSync(classDir).sort()) {
        const path = join(classDir, name);
        if (!IMAGE_EXT.test(name))
          skipped.push({ name: `${folder}/${wnid}/${name}`, reason: 'not an image', detail: 'file extension' });
        else items.push({ path, name: `${folder}/${wnid}/${name}`, label: names.get(wnid) ?? wnid, official });
      }
    }
  }
  if (items.length === 0 && skipped.length === 0)
    throw new Error(`No train/ or val/ folders with images under ${root}`);
  return { items, skipped };
}

export function scan(dataset: Dataset, root: string): Scan {
  return dataset === 'pets' ? scanPets(root) : scanImagenette(root);
}
