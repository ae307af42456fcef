import type { Machine } from './paths.mjs';
export const projectDir: string;
export function thisMachine(env?: Record<string, string | undefined>, root?: string): Machine;
