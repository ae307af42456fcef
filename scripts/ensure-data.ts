// Makes sure the site's pets pack exists (npm start and npm run build call this). Source, in order: PETS_SOURCE,
// the shared sample beside the checkout (../shared/data/oxford-iiit-pet-sample), the official archives.
import { existsSync, readFileSync } from 'node:fs';
import { parseManifest } from '../src/lib/data/manifest';
import { preparePack, formatReport } from './data/prepare';
import { resolveSource } from './data/sources';
import { checkOutput } from './data/output-check';

const OUT = 'public/data/pets';
const SAMPLE = '../shared/data/oxford-iiit-pet-sample';

function packIsGood(): boolean {
  try {
    parseManifest(JSON.parse(readFileSync(`${OUT}/manifest.json`, 'utf8')));
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (packIsGood()) return;
  const source = process.env['PETS_SOURCE'] ?? (existsSync(SAMPLE) ? SAMPLE : undefined);
  console.error(`No pets pack in ${OUT}: preparing it from ${source ?? 'the official archives'}.`);
  checkOutput(OUT); // before any download: something other than a pack there is refused, not replaced
  const { root, label } = await resolveSource('pets', source);
  const report = await preparePack({
    dataset: 'pets',
    root,
    out: OUT,
    size: 160,
    split: 'random',
    validPct: 0.2,
    seed: 42,
    source: label,
  });
  console.error(formatReport(report));
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
