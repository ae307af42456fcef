import { describe, expect, it } from 'vitest';
import { staticImports } from './check-budget.mjs';

describe('staticImports', () => {
  it('finds static imports and re-exports in minified code, not dynamic import()', () => {
    const code =
      'import{a as b}from"./chunk.js";import"./side.js";export*from"./re.js";const x=()=>import("./lazy.js");';
    expect(staticImports(code)).toEqual(['./chunk.js', './side.js', './re.js']);
  });
  it('handles line breaks and default imports', () => {
    expect(staticImports('import React from "react"\nimport { x } from \'./y.js\'')).toEqual(['react', './y.js']);
  });
});
