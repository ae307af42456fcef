// This machine as paths.mjs sees it: the real file system, environment, platform and home folder.
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (two levels above this file). */
export const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** @type {import('./paths.mjs').FsView} */
const realFs = {
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  isFile(path) {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  realpath: (path) => realpathSync(path),
};

/**
 * @param {Record<string, string | undefined>} [env]
 * @param {string} [root] the project's folder, where this file's own place cannot tell (a bundle elsewhere)
 * @returns {import('./paths.mjs').Machine}
 */
export function thisMachine(env = process.env, root = projectDir) {
  return { env, fs: realFs, platform: process.platform, arch: process.arch, home: homedir(), projectDir: root };
}
