// Types for paths.mjs (plain JavaScript so `npm test` can run it before anything is compiled).
export interface FsView {
  isExecutable(path: string): boolean;
  isFile(path: string): boolean;
  list(dir: string): string[];
  realpath(path: string): string;
}
export interface Machine {
  env: Record<string, string | undefined>;
  fs: FsView;
  platform: string;
  arch: string;
  home: string;
  projectDir: string;
}
export interface SwiftShader {
  dir: string;
  icd: string;
}
export interface Found {
  executable: string;
  source: string;
  swiftshader: SwiftShader | null;
}
export interface HostFacts {
  platform: string;
  isRoot: boolean;
  hasAptGet: boolean;
  osRelease: string;
  online: boolean;
}
export function playwrightRoot(m: Machine): string;
export function playwrightChromiums(m: Machine): string[];
export function findChromium(m: Machine): Found | { error: string } | null;
export function findSwiftShader(m: Machine): SwiftShader | null;
export function chromiumEnv(
  found: { executable?: string; swiftshader: SwiftShader | null },
  env: Record<string, string | undefined>,
  options?: { forceIcd?: boolean },
): Record<string, string>;
export function isDebianLike(osRelease: string): boolean;
export function installPlans(h: HostFacts): { what: string; commands: string[][] }[];
export function noChromiumMessage(m: Machine, h: Omit<HostFacts, 'online'>): string;
