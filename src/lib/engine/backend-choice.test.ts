// The backend decision as pure functions: which GPUs are software ones, which backends are passed over, and the
// sentence a demo shows about it.
import { describe, expect, it } from 'vitest';
import { softwareGpu } from './software-gpu';
import { softwareSkip } from './backend';
import { backendNotice } from './backend-notice';

const SWIFTSHADER_ADAPTER = { vendor: 'google', architecture: 'swiftshader', device: '', description: '' };
const REAL_ADAPTER = { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3070' };

describe('software GPUs', () => {
  it('recognises SwiftShader, llvmpipe and a fallback adapter; a real GPU is not one', () => {
    expect(softwareGpu(SWIFTSHADER_ADAPTER)).toBe('SwiftShader');
    expect(
      softwareGpu('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'),
    ).toBe('SwiftShader');
    expect(softwareGpu({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe('llvmpipe');
    expect(softwareGpu({ isFallbackAdapter: true, vendor: 'unknown' })).toBe('a fallback adapter');
    expect(softwareGpu(REAL_ADAPTER)).toBeNull();
    expect(softwareGpu('ANGLE (NVIDIA, NVIDIA GeForce RTX 3070 Direct3D11 vs_5_0 ps_5_0)')).toBeNull();
    expect(softwareGpu(null)).toBeNull();
  });
  it('passes over a software WebGPU or WebGL unless that backend is forced', () => {
    expect(softwareSkip('webgpu', undefined, SWIFTSHADER_ADAPTER)).toMatchObject({
      name: 'webgpu',
      software: 'SwiftShader',
    });
    expect(softwareSkip('webgl', undefined, 'SwiftShader driver')).toMatchObject({
      name: 'webgl',
      software: 'SwiftShader',
    });
    expect(softwareSkip('webgpu', 'webgpu', SWIFTSHADER_ADAPTER)).toBeNull();
    expect(softwareSkip('webgl', 'webgl', 'SwiftShader driver')).toBeNull();
    expect(softwareSkip('webgpu', undefined, REAL_ADAPTER)).toBeNull();
    expect(softwareSkip('wasm', undefined, 'SwiftShader')).toBeNull();
  });
});

describe("the demo's notice about its backend", () => {
  it('says why a software WebGPU was passed over and how to force it', () => {
    const text = backendNotice('wasm', [
      { name: 'webgpu', why: 'x', software: 'SwiftShader' },
      { name: 'webgl', why: 'y', software: 'SwiftShader' },
    ]);
    expect(text).toContain('software one (SwiftShader)');
    expect(text).toContain('runs on wasm');
    expect(text).toContain('?backend=webgpu');
  });
  it('says when a forced backend could not start, and why', () => {
    expect(backendNotice('wasm', [{ name: 'webgl', why: 'initialisation failed' }], 'webgl')).toBe(
      'You asked for webgl (?backend=webgl), but it could not start here (initialisation failed), so this runs on wasm instead.',
    );
    expect(backendNotice('webgl', [], 'webgl')).toBe('');
  });
  it('explains a missing WebGPU, and says nothing on WebGPU', () => {
    expect(backendNotice('webgl', [{ name: 'webgpu', why: 'WebGPU is not available in this browser' }])).toBe(
      'WebGPU is not available here (WebGPU is not available in this browser), so this runs on webgl: the same maths, only slower.',
    );
    expect(backendNotice('webgpu', [])).toBe('');
  });
  it('says on wasm how many threads it computes on, and why only one where the page is not isolated', () => {
    const missing = [{ name: 'webgpu' as const, why: 'WebGPU is not available in this browser' }];
    expect(backendNotice('wasm', missing, undefined, { threads: 4, isolated: true })).toBe(
      'WebGPU is not available here (WebGPU is not available in this browser), so this runs on wasm: the same maths, only slower. WebAssembly computes on 4 CPU threads.',
    );
    const alone = backendNotice('wasm', [], 'wasm', { threads: 1, isolated: false });
    expect(alone).toMatch(/^WebAssembly computes on one CPU thread: threads need a cross-origin isolated page/);
    expect(alone).toContain('no COOP/COEP headers');
    expect(alone).toContain('service worker');
    // Isolated but one thread (one core, or ?threads=1): no excuse to give.
    expect(backendNotice('wasm', [], 'wasm', { threads: 1, isolated: true })).toBe(
      'WebAssembly computes on one CPU thread.',
    );
    // Not on wasm: nothing about threads.
    expect(backendNotice('webgl', [], 'webgl', { threads: 4, isolated: true })).toBe('');
  });
});
