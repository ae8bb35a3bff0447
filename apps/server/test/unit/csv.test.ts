import { describe, expect, it } from 'vitest';
import { csvLine, CsvSyntaxError, parseCsv } from '../../src/domain/csv.js';

describe('CSV', () => {
  it.each([
    [
      'a,b\n1,2\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'a,b\r\n1,2',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      '\uFEFFa\n\n\nb\n',
      [
        [1, ['a']],
        [4, ['b']],
      ],
    ],
    ['"x, y","say ""hi"""\n', [[1, ['x, y', 'say "hi"']]]],
    [
      '"two\nlines",z\nnext,1\n',
      [
        [1, ['two\nlines', 'z']],
        [3, ['next', '1']],
      ],
    ],
    ['a,,\n', [[1, ['a', '', '']]]],
    ['""\n', [[1, ['']]]],
    ['a,""', [[1, ['a', '']]]],
  ])('reads %j', (text, expected) => {
    expect(parseCsv(text).map((r) => [r.line, r.fields])).toEqual(expected);
  });

  it.each([
    ['a\n"open\n', 2],
    ['"closed"x\n', 1],
  ])('refuses %j, naming line %i', (text, line) => {
    expect(() => parseCsv(text)).toThrow(CsvSyntaxError);
    try {
      parseCsv(text);
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });

  it.each([
    [['a', 1, null], 'a,1,\r\n'],
    [['x,y', 'q"q', 'l\nl'], '"x,y","q""q","l\nl"\r\n'],
    [['=HYPERLINK("x")', '+1', '-2', '@a', 'plain'], `"'=HYPERLINK(""x"")",'+1,'-2,'@a,plain\r\n`],
    [[-5, 2.5], '-5,2.5\r\n'],
  ])('writes %j', (values, line) => {
    expect(csvLine(values)).toBe(line);
  });

  it('reads back what it writes', () => {
    const values = ['a,b', 'c"d', 'e\nf', ''];
    expect(parseCsv(csvLine(values))[0]?.fields).toEqual(values);
  });
});
