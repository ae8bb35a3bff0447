/**
 * The configuration in words, written from its schema: what each variable accepts, the error
 * phrase for a bad value, the Markdown table of the README and docs/configuration.md, and the
 * server's `--help`. Edit the schema, then run `npm run docs:config`; a test fails until the
 * documents match.
 */

import { IsEnum, IsInteger, IsNull, IsUnion, type TSchema } from 'typebox';
import { CONFIG_SCHEMA } from './schema.js';
import type { Variable } from './variables.js';

/** Every variable, in the order of the schema. */
export const VARIABLES: readonly Variable[] = Object.values(CONFIG_SCHEMA.properties);

/** The schema a value must match when set: for a variable that may stay unset, the non-null part. */
function whenSet(schema: TSchema): TSchema {
  if (!IsUnion(schema)) return schema;
  return schema.anyOf.find((member) => !IsNull(member)) ?? schema;
}

function numberKeyword(schema: TSchema, keyword: 'minimum' | 'maximum' | 'minLength'): number | undefined {
  const value: unknown = Reflect.get(schema, keyword);
  return typeof value === 'number' ? value : undefined;
}

/** The accepted values in words, completing "must be ...": "a whole number from 1 to 3600". */
export function accepts(variable: Variable): string {
  if (variable.accepts !== undefined) return variable.accepts;
  const schema = whenSet(variable);
  if (IsInteger(schema)) {
    return `a whole number from ${numberKeyword(schema, 'minimum')} to ${numberKeyword(schema, 'maximum')}`;
  }
  if (IsEnum(schema)) return `one of ${schema.enum.join(', ')}`;
  const minLength = numberKeyword(schema, 'minLength');
  return minLength === undefined ? 'text' : `at least ${minLength} characters`;
}

/** The error phrase for a bad value, starting with the variable's name; a secret is never repeated. */
export function problemOf(variable: Variable, text: string): string {
  if (variable.problem) return `${variable.env} ${variable.problem(text)}`;
  const got = variable.secret ? '' : ` (got "${text}")`;
  return `${variable.env} must be ${accepts(variable)}${got}`;
}

/** The default in Markdown: a value in backticks, "unset", or the schema's words. */
function defaultOf(variable: Variable): string {
  if (variable.defaultText !== undefined) return variable.defaultText;
  return variable.default === null ? 'unset' : `\`${String(variable.default)}\``;
}

/** A Markdown table laid out as Prettier lays it out, so that the formatter leaves it alone. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(3, ...all.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The configuration table (Markdown) the README and docs/configuration.md carry. */
export function configTable(): string {
  return markdownTable(
    ['variable', 'accepts', 'default', 'meaning'],
    VARIABLES.map((variable) => [
      `\`${variable.env}\``,
      accepts(variable).replaceAll('|', '\\|'),
      defaultOf(variable),
      variable.description,
    ]),
  );
}

/** Words of `text` in lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

const plain = (markdown: string) => markdown.replaceAll('`', '');

/** What `main.ts --help` prints: the variables, what each accepts, its default and meaning. */
export function configHelp(): string {
  const indent = ' '.repeat(6);
  const variables = VARIABLES.flatMap((variable) => [
    `  ${variable.env}`,
    ...wrap(`${plain(accepts(variable))}; default: ${plain(defaultOf(variable))}.`, 92).map(
      (line) => indent + line,
    ),
    ...wrap(plain(variable.description), 92).map((line) => indent + line),
    '',
  ]);
  return [
    'CIMORINGS server. --help prints this text and exits.',
    '',
    ...wrap(
      'Starts the CIMORINGS server: REST API, real-time API, OCPP endpoint and dashboard on one port. ' +
        'It is configured by environment variables; a .env file in the working directory is read if present. ' +
        'A bad value stops start-up with one line naming every bad variable, and exit code 1.',
      98,
    ),
    '',
    'Environment variables:',
    '',
    ...variables,
  ].join('\n');
}

/** The documents that carry the configuration table, relative to the repository's root. */
export const CONFIG_DOCUMENTS = ['README.md', 'docs/configuration.md'] as const;

const TABLE_BEGIN =
  '<!-- config-table:begin (written by npm run docs:config from apps/server/src/config/schema.ts) -->';
const TABLE_END = '<!-- config-table:end -->';

function tableRegion(document: string): { start: number; end: number } {
  const begin = document.indexOf(TABLE_BEGIN);
  const end = document.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`no ${TABLE_BEGIN} ... ${TABLE_END} section`);
  return { start: begin + TABLE_BEGIN.length, end };
}

/** The configuration table a document carries between its markers. */
export function configTableIn(document: string): string {
  const { start, end } = tableRegion(document);
  return document.slice(start, end).trim();
}

/** The document with the table between its markers replaced by the one the schema gives. */
export function withConfigTable(document: string): string {
  const { start, end } = tableRegion(document);
  return `${document.slice(0, start)}\n\n${configTable()}\n\n${document.slice(end)}`;
}
