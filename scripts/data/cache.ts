// Where downloads are kept between runs: $XDG_CACHE_HOME/pets-companion, else ~/.cache/pets-companion
// (PETS_CACHE_DIR overrides both).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PETS_CACHE_DIR']) return env['PETS_CACHE_DIR'];
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'pets-companion');
}
