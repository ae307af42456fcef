#!/usr/bin/env node
// Finds the Chromium the tests need (scripts/chromium/paths.mjs: CHROMIUM_PATH, Debian's, Playwright's download),
// installs one when there is none and it can (apt-get as root on Debian/Ubuntu, else Playwright's download where
// the internet answers), or stops with one message saying what to run.
//   node scripts/find-chromium.mjs                  find (or install) and say which, in one line
//   node scripts/find-chromium.mjs -- <command...>  then run the command with CHROMIUM_PATH, VK_ICD_FILENAMES and
//                                                    LD_LIBRARY_PATH set for it (Playwright and Dawn read them)
//   node scripts/find-chromium.mjs --env            print those variables as `export` lines, for a shell to eval
// CHROMIUM_NO_INSTALL=1 never installs. FIND_CHROMIUM_ROOT=<dir> looks for Debian's files under <dir> (tests).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { chromiumEnv, findChromium, installPlans, noChromiumMessage } from './chromium/paths.mjs';
import { projectDir, thisMachine as machine } from './chromium/this-machine.mjs';

/** Whether Playwright's download host resolves within 3 s (no internet: stop at once rather than hang). */
async function online() {
  const timeout = new Promise((res) => setTimeout(() => res(false), 3000).unref());
  return Promise.race([
    lookup('cdn.playwright.dev').then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

function hostFacts(isOnline) {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  return { platform: process.platform, isRoot: process.getuid?.() === 0, hasAptGet, osRelease, online: isOnline };
}

/** Runs one install plan's commands in turn; false at the first that fails. */
function runPlan(plan) {
  console.error(`find-chromium: no Chromium found; installing ${plan.what}`);
  for (const [cmd, ...args] of plan.commands) {
    const r = spawnSync(cmd, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: projectDir,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) {
      console.error(`find-chromium: ${[cmd, ...args].join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
      return false;
    }
  }
  return true;
}

async function locate() {
  let found = findChromium(machine());
  if (found && 'error' in found) return found;
  if (!found && process.env.CHROMIUM_NO_INSTALL !== '1') {
    for (const plan of installPlans(hostFacts(await online()))) {
      if (runPlan(plan)) found = findChromium(machine());
      if (found) break;
    }
  }
  return found ?? { error: noChromiumMessage(machine(), hostFacts(false)) };
}

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const command = dash === -1 ? [] : argv.slice(dash + 1);
const options = dash === -1 ? argv : argv.slice(0, dash);
const unknown = options.filter((o) => o !== '--env');
if (unknown.length || (dash !== -1 && command.length === 0)) {
  console.error('usage: node scripts/find-chromium.mjs [--env] [-- <command> [args...]]');
  process.exit(2);
}

const found = await locate();
if ('error' in found) {
  console.error(found.error);
  process.exit(1);
}
const vars = chromiumEnv(found, process.env);
if (options.includes('--env')) {
  for (const [k, v] of Object.entries(vars)) console.log(`export ${k}='${v.replace(/'/g, "'\\''")}'`);
} else {
  const ss = found.swiftshader
    ? `SwiftShader driver in ${found.swiftshader.dir}`
    : 'no SwiftShader driver beside it (the WebGPU kernel tests then need a GPU adapter)';
  console.error(`Chromium: ${found.executable} (${found.source}); ${ss}`);
}
if (command.length) {
  const [cmd, ...args] = command;
  const child = spawn(/** @type {string} */ (cmd), args, { stdio: 'inherit', env: { ...process.env, ...vars } });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`find-chromium: could not run ${cmd}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
