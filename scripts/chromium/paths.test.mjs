// The order in which a Chromium and its SwiftShader driver are found, on fake machines, and the CLI's message when
// there is none (a fake root, so this machine's own Chromium stays out of sight).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumEnv, findChromium, findSwiftShader, installPlans, isDebianLike, noChromiumMessage } from './paths.mjs';

/** A file system holding `exe` (executables), `files` and `links` (link -> target) only. */
function fakeFs({ exe = [], files = [], links = {} }) {
  const all = [...exe, ...files];
  return {
    isExecutable: (p) => exe.includes(p),
    isFile: (p) => all.includes(p),
    list: (dir) => [
      ...new Set(all.filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0])),
    ],
    realpath: (p) => links[p] ?? p,
  };
}

const machine = (fs, env = {}, more = {}) => ({
  env,
  fs,
  platform: 'linux',
  arch: 'x64',
  home: '/home/me',
  projectDir: '/src/pets',
  ...more,
});
const PW = '/home/me/.cache/ms-playwright';
const DEBIAN = { exe: ['/usr/bin/chromium'], files: ['/usr/lib/chromium/vk_swiftshader_icd.json'] };
const pwChrome = (rev) => `${PW}/chromium-${rev}/chrome-linux64/chrome`;
const pwIcd = (rev) => `${PW}/chromium-${rev}/chrome-linux64/vk_swiftshader_icd.json`;

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, with the SwiftShader beside its real file', () => {
    const fs = fakeFs({
      exe: ['/opt/bin/chrome', '/opt/chrome/chrome', ...DEBIAN.exe],
      files: ['/opt/chrome/vk_swiftshader_icd.json', ...DEBIAN.files],
      links: { '/opt/bin/chrome': '/opt/chrome/chrome' },
    });
    expect(findChromium(machine(fs, { CHROMIUM_PATH: '/opt/bin/chrome' }))).toEqual({
      executable: '/opt/bin/chrome',
      source: 'CHROMIUM_PATH',
      swiftshader: { dir: '/opt/chrome', icd: '/opt/chrome/vk_swiftshader_icd.json' },
    });
  });

  it('refuses a CHROMIUM_PATH that is not an executable instead of picking another browser', () => {
    const found = findChromium(machine(fakeFs(DEBIAN), { CHROMIUM_PATH: '/opt/typo' }));
    expect(found).toEqual({ error: expect.stringContaining('CHROMIUM_PATH is /opt/typo') });
  });

  it("then Debian's /usr/bin/chromium with /usr/lib/chromium's driver, before Playwright's download", () => {
    const fs = fakeFs({ exe: [...DEBIAN.exe, pwChrome(1255)], files: [...DEBIAN.files, pwIcd(1255)] });
    expect(findChromium(machine(fs))).toMatchObject({
      executable: '/usr/bin/chromium',
      source: 'Debian package',
      swiftshader: { dir: '/usr/lib/chromium' },
    });
  });

  it("then Playwright's newest revision (by number, not by text), its driver from its own folder", () => {
    const fs = fakeFs({ exe: [pwChrome(999), pwChrome(1255), pwChrome(1200)], files: [pwIcd(999), pwIcd(1255)] });
    expect(findChromium(machine(fs))).toEqual({
      executable: pwChrome(1255),
      source: "Playwright's download",
      swiftshader: { dir: `${PW}/chromium-1255/chrome-linux64`, icd: pwIcd(1255) },
    });
  });

  it('looks where Playwright itself does: PLAYWRIGHT_BROWSERS_PATH, else XDG_CACHE_HOME', () => {
    const fs = fakeFs({
      exe: ['/pw/chromium-7/chrome-linux64/chrome', '/xdg/ms-playwright/chromium-8/chrome-linux64/chrome'],
    });
    expect(findChromium(machine(fs, { PLAYWRIGHT_BROWSERS_PATH: '/pw', XDG_CACHE_HOME: '/xdg' }))).toMatchObject({
      executable: '/pw/chromium-7/chrome-linux64/chrome',
      swiftshader: null,
    });
    expect(findChromium(machine(fs, { XDG_CACHE_HOME: '/xdg' }))).toMatchObject({
      executable: '/xdg/ms-playwright/chromium-8/chrome-linux64/chrome',
    });
  });

  it('finds nothing on a machine without one; FIND_CHROMIUM_ROOT hides the real /usr', () => {
    expect(findChromium(machine(fakeFs({ files: [`${PW}/chromium-1255/chrome-linux64/README`] })))).toBeNull();
    expect(findChromium(machine(fakeFs(DEBIAN), { FIND_CHROMIUM_ROOT: '/empty' }))).toBeNull();
  });
});

describe('findSwiftShader', () => {
  it('takes the driver from any Chromium that has one when the chosen one has none', () => {
    const fs = fakeFs({ exe: ['/opt/chrome', pwChrome(1255)], files: [pwIcd(1255)] });
    expect(findSwiftShader(machine(fs, { CHROMIUM_PATH: '/opt/chrome' }))).toEqual({
      dir: `${PW}/chromium-1255/chrome-linux64`,
      icd: pwIcd(1255),
    });
    expect(findSwiftShader(machine(fakeFs({ exe: ['/opt/chrome'] }), { CHROMIUM_PATH: '/opt/chrome' }))).toBeNull();
  });
});

describe('chromiumEnv', () => {
  const found = {
    executable: '/usr/bin/chromium',
    swiftshader: { dir: '/usr/lib/chromium', icd: '/usr/lib/chromium/vk_swiftshader_icd.json' },
  };
  it('puts the driver folder first on LD_LIBRARY_PATH once, and keeps a VK_ICD_FILENAMES already set unless forced', () => {
    expect(chromiumEnv(found, { LD_LIBRARY_PATH: '/a:/usr/lib/chromium', VK_ICD_FILENAMES: '/gpu.json' })).toEqual({
      CHROMIUM_PATH: '/usr/bin/chromium',
      VK_ICD_FILENAMES: '/gpu.json',
      LD_LIBRARY_PATH: '/usr/lib/chromium:/a',
    });
    expect(chromiumEnv(found, { VK_ICD_FILENAMES: '/gpu.json' }, { forceIcd: true })).toMatchObject({
      VK_ICD_FILENAMES: found.swiftshader.icd,
      LD_LIBRARY_PATH: '/usr/lib/chromium',
    });
    expect(chromiumEnv({ executable: '/c', swiftshader: null }, {})).toEqual({ CHROMIUM_PATH: '/c' });
  });
});

describe('installing', () => {
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n';
  const ubuntu = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
  it('uses apt-get only as root on Debian or Ubuntu, then Playwright where online', () => {
    expect(isDebianLike(debian) && isDebianLike(ubuntu) && !isDebianLike('ID=fedora\n')).toBe(true);
    const root = installPlans({ platform: 'linux', isRoot: true, hasAptGet: true, osRelease: ubuntu, online: true });
    expect(root.map((p) => p.commands)).toEqual([
      [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
      [['npx', 'playwright', 'install', '--with-deps', 'chromium']],
    ]);
    expect(
      installPlans({ platform: 'linux', isRoot: false, hasAptGet: true, osRelease: debian, online: true }).map(
        (p) => p.commands,
      ),
    ).toEqual([[['npx', 'playwright', 'install', 'chromium']]]);
    expect(installPlans({ platform: 'darwin', isRoot: false, hasAptGet: false, osRelease: '', online: false })).toEqual(
      [],
    );
  });

  it('names the exact command when it cannot install', () => {
    const m = machine(fakeFs({}));
    expect(noChromiumMessage(m, { platform: 'linux', isRoot: false, hasAptGet: true, osRelease: debian })).toContain(
      'Run: sudo apt-get install -y chromium',
    );
    expect(noChromiumMessage(m, { platform: 'darwin', isRoot: false, hasAptGet: false, osRelease: '' })).toContain(
      'Run: npx playwright install chromium',
    );
  });

  it('the CLI stops at once with that message and exit 1 when none is found and installing is off', () => {
    const empty = mkdtempSync(join(tmpdir(), 'find-chromium-'));
    try {
      const env = {
        ...process.env,
        FIND_CHROMIUM_ROOT: empty,
        PLAYWRIGHT_BROWSERS_PATH: join(empty, 'pw'),
        CHROMIUM_NO_INSTALL: '1',
      };
      delete env.CHROMIUM_PATH;
      const r = spawnSync(process.execPath, ['scripts/find-chromium.mjs', '--', 'true'], { env, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`there is no ${empty}/usr/bin/chromium`);
      expect(r.stderr).toMatch(/Run: (sudo )?(apt-get install -y chromium|npx playwright install chromium)/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
