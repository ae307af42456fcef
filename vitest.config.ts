// Unit tests: framework-free code under src/lib and the Node scripts, run in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.{ts,mjs}'],
    environment: 'node',
    testTimeout: 60_000,
    // Every core (Vitest's default leaves one idle: on CI's two cores that runs the files one at a time, and the
    // SwiftShader kernel tests and the wasm training tests each keep a core busy for a minute).
    maxWorkers: '100%',
  },
});
