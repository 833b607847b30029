#!/usr/bin/env node
'use strict';
// The CLI runs the compiled code in dist/ (`npm run build`; `npm start` and `npm test` build first).
try {
  require.resolve('../dist/cli.js');
} catch {
  process.stderr.write('archive-ledger is not built yet: run `npm run build` in the project folder first.\n');
  process.exit(1);
}
require('../dist/cli.js').runCli(process.argv);
