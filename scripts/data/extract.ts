// Streaming extraction of .tar.gz archives into a folder, atomically: a temp folder renamed when complete.
import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { holdTemp, releaseTemp } from './temp-folders';

/** Extracts `archive` into `dest` (which appears only once everything is out). Returns `dest`. */
export async function extractTarGz(archive: string, dest: string): Promise<string> {
  if (existsSync(dest)) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${Date.now()}-${process.pid}.extracting`);
  holdTemp(tmp); // removed if the process exits or is interrupted mid-extraction
  mkdirSync(tmp, { recursive: true });
  try {
    await tar.x({ file: archive, cwd: tmp, strict: true });
    renameSync(tmp, dest);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Could not extract ${archive}: ${(error as Error).message}`);
  } finally {
    releaseTemp(tmp);
  }
  return dest;
}
