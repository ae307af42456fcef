// The Node WebGPU tools without the test runner's SwiftShader variables: on a machine with no GPU adapter they rerun
// themselves on Chromium's SwiftShader and say so once; with no SwiftShader to find either, they fail saying what
// to install. A machine with a GPU gets its adapter and no notice. Each case is a child process (a second or two).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'node-webgpu-'));
const probe = join(dir, 'probe.mts');
writeFileSync(
  probe,
  [
    `import { provideNodeWebGpu } from ${JSON.stringify(resolve('scripts/node-webgpu.ts'))};`,
    'await provideNodeWebGpu();',
    'const adapter = await (navigator as unknown as { gpu: GPU }).gpu.requestAdapter();',
    'console.log(JSON.stringify({ architecture: adapter?.info.architecture ?? null, rerun: process.env.PETS_WEBGPU_ON_SWIFTSHADER === "1" }));',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true }));

function runProbe(extra: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  for (const name of ['VK_ICD_FILENAMES', 'LD_LIBRARY_PATH', 'PETS_WEBGPU_ON_SWIFTSHADER', 'CHROMIUM_PATH'])
    delete env[name];
  Object.assign(env, extra);
  return spawnSync(resolve('node_modules/.bin/tsx'), [probe], { env, encoding: 'utf8' });
}

describe('provideNodeWebGpu', () => {
  it('without a GPU adapter, reruns on the SwiftShader npm test would find and says it is a software adapter, once', () => {
    const r = runProbe({});
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
      architecture: string | null;
      rerun: boolean;
    };
    expect(out.architecture).not.toBeNull();
    const notices = r.stderr.split('\n').filter((line) => line.startsWith('WebGPU: '));
    if (out.architecture === 'swiftshader') {
      expect(out.rerun).toBe(true);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/SwiftShader, a software adapter .*slow/);
    } else {
      expect(out.rerun).toBe(false); // a GPU machine: its own adapter, no rerun
    }
  });

  it('with no adapter and no SwiftShader anywhere, fails naming what to install', () => {
    const empty = join(dir, 'empty');
    const r = runProbe({ FIND_CHROMIUM_ROOT: empty, PLAYWRIGHT_BROWSERS_PATH: empty });
    if (r.status === 0) {
      expect(r.stdout).toContain('"rerun":false'); // a machine with a GPU adapter never needs SwiftShader
      return;
    }
    expect(r.stderr).toContain('No WebGPU adapter here');
    expect(r.stderr).toContain('apt-get install -y chromium');
  });
});
