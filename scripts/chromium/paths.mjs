// Where a Chromium and its SwiftShader Vulkan driver are on this machine, and how one could be installed: pure
// functions of the environment and a file-system view passed in, so the order can be tested with fake machines.
// The CLI that acts on them is scripts/find-chromium.mjs; the Node WebGPU tools use findChromium() for SwiftShader.

/**
 * @typedef {{ isExecutable(path: string): boolean, isFile(path: string): boolean, list(dir: string): string[], realpath(path: string): string }} FsView
 * @typedef {{ env: Record<string, string | undefined>, fs: FsView, platform: string, arch: string, home: string, projectDir: string }} Machine
 * @typedef {{ dir: string, icd: string }} SwiftShader
 * @typedef {{ executable: string, source: string, swiftshader: SwiftShader | null }} Found
 */

const ICD = 'vk_swiftshader_icd.json';

/** `path` under the folder standing in for `/` (FIND_CHROMIUM_ROOT, for tests; empty means the real root). */
function rooted(m, path) {
  const root = m.env.FIND_CHROMIUM_ROOT;
  return root ? `${root.replace(/\/+$/, '')}${path}` : path;
}

function dirOf(path) {
  const i = path.replace(/[\\/]+$/, '').search(/[\\/][^\\/]*$/);
  return i <= 0 ? '/' : path.slice(0, i);
}

function join(...parts) {
  return parts.join('/').replace(/\/+/g, '/');
}

/** Where Playwright keeps the browsers it downloads (its own rule: PLAYWRIGHT_BROWSERS_PATH, else the cache folder). */
export function playwrightRoot(m) {
  const set = m.env.PLAYWRIGHT_BROWSERS_PATH;
  if (set === '0') return join(m.projectDir, 'node_modules/playwright-core/.local-browsers');
  if (set) return set;
  if (m.platform === 'darwin') return join(m.home, 'Library/Caches/ms-playwright');
  if (m.platform === 'win32') return join(m.env.LOCALAPPDATA ?? join(m.home, 'AppData/Local'), 'ms-playwright');
  return join(m.env.XDG_CACHE_HOME || join(m.home, '.cache'), 'ms-playwright');
}

/** The executable inside one of Playwright's chromium-<revision> folders, for this platform (newer layout first). */
function playwrightExecutables(m) {
  const mac = 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing';
  if (m.platform === 'darwin')
    return [
      `chrome-mac-${m.arch === 'arm64' ? 'arm64' : 'x64'}/${mac}`,
      'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    ];
  if (m.platform === 'win32') return ['chrome-win64/chrome.exe', 'chrome-win/chrome.exe'];
  return [m.arch === 'arm64' ? 'chrome-linux-arm64/chrome' : 'chrome-linux64/chrome', 'chrome-linux/chrome'];
}

/** Chromiums Playwright has downloaded, newest revision first. */
export function playwrightChromiums(m) {
  const root = playwrightRoot(m);
  const revisions = m.fs
    .list(root)
    .map((name) => /^chromium-(\d+)$/.exec(name))
    .filter((match) => match !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  const found = [];
  for (const [name] of revisions) {
    for (const sub of playwrightExecutables(m)) {
      const path = join(root, name, sub);
      if (m.fs.isExecutable(path)) {
        found.push(path);
        break;
      }
    }
  }
  return found;
}

/** The first folder in `dirs` holding SwiftShader's Vulkan driver description, or null. */
function swiftshaderIn(m, dirs) {
  for (const dir of dirs) {
    const icd = join(dir, ICD);
    if (m.fs.isFile(icd)) return { dir, icd };
  }
  return null;
}

/** Folders a Chromium's SwiftShader driver may be in: beside the executable (its real path), then Debian's. */
function swiftshaderDirs(m, executable) {
  let real = executable;
  try {
    real = m.fs.realpath(executable);
  } catch {
    // a broken link: its own folder is still worth a look
  }
  return [...new Set([dirOf(real), dirOf(executable), rooted(m, '/usr/lib/chromium')])];
}

/**
 * The Chromium to use, in this order: CHROMIUM_PATH, Debian's /usr/bin/chromium (its SwiftShader in
 * /usr/lib/chromium), the newest Chromium Playwright downloaded. `{ error }` when CHROMIUM_PATH names no
 * executable (a typo should not quietly pick another browser); null when there is none.
 * @param {Machine} m
 * @returns {Found | { error: string } | null}
 */
export function findChromium(m) {
  const wanted = m.env.CHROMIUM_PATH;
  if (wanted) {
    if (!m.fs.isExecutable(wanted)) return { error: `CHROMIUM_PATH is ${wanted}, which is not an executable file.` };
    return { executable: wanted, source: 'CHROMIUM_PATH', swiftshader: swiftshaderIn(m, swiftshaderDirs(m, wanted)) };
  }
  const debian = rooted(m, '/usr/bin/chromium');
  if (m.fs.isExecutable(debian))
    return { executable: debian, source: 'Debian package', swiftshader: swiftshaderIn(m, swiftshaderDirs(m, debian)) };
  const [playwright] = playwrightChromiums(m);
  if (playwright)
    return {
      executable: playwright,
      source: "Playwright's download",
      swiftshader: swiftshaderIn(m, swiftshaderDirs(m, playwright)),
    };
  return null;
}

/**
 * SwiftShader's driver alone, from whichever Chromium has one (the chosen one first, then Debian's and Playwright's):
 * what Node's WebGPU (Dawn, the `webgpu` package) needs when the machine has no GPU adapter.
 * @param {Machine} m
 * @returns {SwiftShader | null}
 */
export function findSwiftShader(m) {
  const found = findChromium(m);
  const first = found && 'executable' in found ? found.swiftshader : null;
  if (first) return first;
  return swiftshaderIn(m, [rooted(m, '/usr/lib/chromium'), ...playwrightChromiums(m).map(dirOf)]);
}

/**
 * The variables that hand a Chromium to the tests: CHROMIUM_PATH (Playwright's launch), and with SwiftShader the
 * Vulkan driver file and the folder holding its libvulkan (Dawn in Vitest). A VK_ICD_FILENAMES already set is
 * kept unless `forceIcd` (it may name a real GPU's driver).
 * @param {{ executable?: string, swiftshader: SwiftShader | null }} found
 * @param {Record<string, string | undefined>} env
 * @param {{ forceIcd?: boolean }} [options]
 * @returns {Record<string, string>}
 */
export function chromiumEnv(found, env, options = {}) {
  /** @type {Record<string, string>} */
  const out = {};
  if (found.executable) out.CHROMIUM_PATH = found.executable;
  const ss = found.swiftshader;
  if (ss) {
    out.VK_ICD_FILENAMES = !options.forceIcd && env.VK_ICD_FILENAMES ? env.VK_ICD_FILENAMES : ss.icd;
    const rest = (env.LD_LIBRARY_PATH ?? '').split(':').filter((p) => p && p !== ss.dir);
    out.LD_LIBRARY_PATH = [ss.dir, ...rest].join(':');
  }
  return out;
}

/** Whether /etc/os-release's text describes Debian or a distribution built on it (Ubuntu, Mint...). */
export function isDebianLike(osRelease) {
  const field = (name) => new RegExp(`^${name}=["']?([^"'\\n]*)`, 'm').exec(osRelease)?.[1] ?? '';
  return /\bdebian\b/.test(`${field('ID')} ${field('ID_LIKE')}`);
}

/**
 * How a Chromium could be installed here, in the order to try: apt as root on Debian or Ubuntu, then Playwright's
 * download where the internet answers. Each is a list of commands (argv arrays).
 * @param {{ platform: string, isRoot: boolean, hasAptGet: boolean, osRelease: string, online: boolean }} h
 * @returns {{ what: string, commands: string[][] }[]}
 */
export function installPlans(h) {
  const plans = [];
  const apt = h.platform === 'linux' && h.isRoot && h.hasAptGet && isDebianLike(h.osRelease);
  if (apt)
    plans.push({
      what: "Debian's chromium package (apt-get)",
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
    });
  if (h.online)
    plans.push({
      what: "Playwright's Chromium (npx playwright install)",
      commands: [['npx', 'playwright', 'install', ...(apt ? ['--with-deps'] : []), 'chromium']],
    });
  return plans;
}

/** The one message for a machine with no Chromium and no way to install one: what was searched, what to run. */
export function noChromiumMessage(m, h) {
  const apt = h.platform === 'linux' && h.hasAptGet && isDebianLike(h.osRelease);
  const run = apt ? `${h.isRoot ? '' : 'sudo '}apt-get install -y chromium` : 'npx playwright install chromium';
  return [
    'npm test needs Chromium (the end-to-end tests run in it; the WebGPU kernel tests use its SwiftShader driver) and found none:',
    `CHROMIUM_PATH is not set, there is no ${rooted(m, '/usr/bin/chromium')}, and no Chromium under ${playwrightRoot(m)}.`,
    `Run: ${run}${apt ? '   (or: npx playwright install chromium)' : ''}   or set CHROMIUM_PATH to a Chromium or Chrome.`,
  ].join('\n');
}
