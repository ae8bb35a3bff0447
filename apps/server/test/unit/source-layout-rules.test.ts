import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layout rules of issue 11 that a reader relies on, kept true by the suite rather than by
 * memory: no product file over 300 lines (generated ones excepted), a composition root you can
 * read (`buildApp` under 80 lines), and no server class taking more than five collaborators.
 */
const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
/** The product's sources: the apps, the shared packages, and the tools run beside them. */
const APPS = ['apps/server/src', 'apps/web/src', 'apps/simulator/src'];
const PACKAGES = ['packages/contracts/src', 'packages/ocpp/src', 'packages/ocpp/scripts'];
const TOOLS = ['bench', 'scripts'];
const PRODUCT_FOLDERS = [...APPS, ...PACKAGES, ...TOOLS];
/** Written by `npm run generate -w @cimorings/ocpp` from the official schemas, never by hand. */
const GENERATED = 'packages/ocpp/src/generated/';
const MAX_FILE_LINES = 300;
const SOURCE = /\.(ts|vue|mjs|js)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)))
    .filter((file) => !/(^|\/)(node_modules|dist|test|results)\//.test(file));
}

function lineCount(file: string): number {
  return readFileSync(join(REPO_ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;
}

function parsed(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Every node of `source` (depth first), for the few structural questions asked here. */
function nodesOf(source: ts.SourceFile): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the source layout', () => {
  it(`has no product file over ${MAX_FILE_LINES} lines except generated ones`, () => {
    const files = PRODUCT_FOLDERS.flatMap(sourceFiles).filter((file) => !file.startsWith(GENERATED));
    expect(files.length).toBeGreaterThan(300);
    const long = files
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it('builds the app in a composition root under 80 lines (apps/server/src/app.ts buildApp)', () => {
    const source = parsed('apps/server/src/app.ts');
    const buildApp = nodesOf(source).find(
      (node): node is ts.FunctionDeclaration =>
        ts.isFunctionDeclaration(node) && node.name?.text === 'buildApp',
    );
    expect(buildApp).toBeDefined();
    const start = source.getLineAndCharacterOfPosition(buildApp!.getStart(source)).line;
    const end = source.getLineAndCharacterOfPosition(buildApp!.getEnd()).line;
    expect(end - start + 1).toBeLessThan(80);
  });

  it('gives no server class more than five collaborators', () => {
    const files = sourceFiles('apps/server/src').filter((file) => file.endsWith('.ts'));
    const crowded = files.flatMap((file) =>
      nodesOf(parsed(file))
        .filter((node): node is ts.ConstructorDeclaration => ts.isConstructorDeclaration(node))
        .filter((constructor) => constructor.parameters.length > 5)
        .map((constructor) => `${file}: ${constructor.parameters.map((p) => p.name.getText()).join(', ')}`),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(crowded).toEqual([]);
  });
});
