// Generates src/generated/*.ts from the official OCPP JSON schemas that ocpp-rpc ships.
// `npm run generate -w @cimorings/ocpp` rewrites the files; test/generated.test.ts fails when a
// regeneration would change them. The generated files are committed and never edited by hand.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderProtocol } from './render.js';
import { PROTOCOLS } from '../src/schemas.js';

const outDir = fileURLToPath(new URL('../src/generated/', import.meta.url));

for (const protocol of PROTOCOLS) {
  const file = `${outDir}${protocol.module}.ts`;
  await writeFile(file, await renderProtocol(protocol));
  process.stdout.write(`wrote ${file}\n`);
}
