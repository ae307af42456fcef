#!/usr/bin/env node
// `npm start`: build the site (preparing the data when it is missing) and serve it at a printed local URL.
import { spawnSync } from 'node:child_process';
import { serve } from './serve.mjs';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

// The build prepares the pets pack first when it is missing (scripts/ensure-data.ts).
run('npm', ['run', '--silent', 'build']);

const port = Number(process.env.PORT ?? 4321);
const host = process.env.HOST ?? '127.0.0.1';
serve({ port, host }).then(
  () =>
    console.log(`\nThe site is ready at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/  (Ctrl+C to stop)`),
  (error) => {
    console.error(`Could not serve on ${host}:${port}: ${error.message}. Set PORT to use another port.`);
    process.exit(1);
  },
);
