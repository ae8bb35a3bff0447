/**
 * `npm run docs:config`: rewrites the configuration table in the README and docs/configuration.md
 * from the schema (apps/server/src/config/schema.ts). A test fails while they differ.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_DOCUMENTS, withConfigTable } from '../src/config/describe.js';

const root = new URL('../../../', import.meta.url);
for (const document of CONFIG_DOCUMENTS) {
  const path = fileURLToPath(new URL(document, root));
  const before = readFileSync(path, 'utf8');
  const after = withConfigTable(before);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${document}: ${after === before ? 'already up to date' : 'table rewritten'}\n`);
}
