import { describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('id tag CSV import on %s', (dialect) => {
  const app = useTestApp(dialect);

  const importCsv = (csv: string, token = app.admin, contentType = 'text/csv; charset=utf-8') =>
    app.request('POST', '/api/id-tags/import', {
      token,
      body: csv,
      headers: { 'content-type': contentType },
    });
  const tag = async (idTag: string) =>
    (await app.request('GET', `/api/id-tags/${idTag}`, { token: app.admin })).body;

  it('creates and changes tags, and leaves alone rows that change nothing', async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'IMP-OLD', status: 'Blocked', allowConcurrent: true },
    });
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'IMP-SAME' } });
    const csv = [
      'idTag,status,expiryDate,parentIdTag',
      'IMP-PARENT,,,',
      'IMP-1,Accepted,2027-01-31T23:59:59+07:00,IMP-PARENT',
      '"IMP-2",blocked,,',
      'IMP-OLD,Accepted,,IMP-PARENT',
      'IMP-SAME,Accepted,,',
    ].join('\r\n');
    const response = await importCsv(csv);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ created: 3, updated: 1, unchanged: 1, rejected: [], rejectedCount: 0 });
    expect(await tag('IMP-1')).toMatchObject({
      status: 'Accepted',
      expiryDate: '2027-01-31T16:59:59.000Z',
      parentIdTag: 'IMP-PARENT',
    });
    expect(await tag('IMP-2')).toMatchObject({ status: 'Blocked', expiryDate: null, parentIdTag: null });
    // Changed by the file; what the file does not carry (the concurrency flag) stays.
    expect(await tag('IMP-OLD')).toMatchObject({
      status: 'Accepted',
      parentIdTag: 'IMP-PARENT',
      allowConcurrent: true,
    });
  });

  it('keeps the stored value of a column the file lacks', async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'IMP-KEEP', status: 'Blocked', expiryDate: '2030-01-01T00:00:00Z' },
    });
    const response = await importCsv('idtag,PARENTIDTAG\nIMP-KEEP,IMP-PARENT\nIMP-NEWKEEP,\n');
    expect(response.body).toEqual({ created: 1, updated: 1, unchanged: 0, rejected: [], rejectedCount: 0 });
    expect(await tag('IMP-KEEP')).toMatchObject({
      status: 'Blocked',
      expiryDate: '2030-01-01T00:00:00.000Z',
      parentIdTag: 'IMP-PARENT',
    });
    expect(await tag('IMP-NEWKEEP')).toMatchObject({ status: 'Accepted', expiryDate: null });
  });

  it('reports each bad row with its line and reason, and applies only the good ones', async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'BAD-KEPT', status: 'Accepted' },
    });
    const csv = [
      'idTag,status,expiryDate,parentIdTag', // 1
      'GOOD-1,Accepted,,', // 2
      'BAD-KEPT,Maybe,,', // 3: bad status of a stored tag: it stays as it is
      'BAD-DATE,Accepted,tomorrow,', // 4
      'BAD-DATE2,Accepted,2027-01-31,', // 5: no time
      'THIS-ID-TAG-IS-TOO-LONG,,,', // 6
      ',Accepted,,', // 7
      'BAD-FIELDS,Accepted', // 8
      'GOOD-1,Blocked,,', // 9: twice in the file
      'BAD-SELF,,,BAD-SELF', // 10
      'BAD-ORPHAN,,,NO-SUCH-TAG', // 11
      'BAD-CHILD,,,BAD-DATE', // 12: its parent is rejected, so it is too
      '"GOOD-2, quoted",,,GOOD-1', // 13
      '', // blank lines are skipped
      'GOOD-3,Expired,2020-01-01T00:00:00Z,', // 15
    ].join('\n');
    const response = await importCsv(csv);
    expect(response.status).toBe(200);
    expect(response.body.created).toBe(3);
    expect(response.body.updated).toBe(0);
    const rejected = response.body.rejected as { line: number; idTag: string | null; reason: string }[];
    expect(rejected.map((r) => [r.line, r.idTag])).toEqual([
      [3, 'BAD-KEPT'],
      [4, 'BAD-DATE'],
      [5, 'BAD-DATE2'],
      [6, 'THIS-ID-TAG-IS-TOO-LONG'],
      [7, null],
      [8, 'BAD-FIELDS'],
      [9, 'GOOD-1'],
      [10, 'BAD-SELF'],
      [11, 'BAD-ORPHAN'],
      [12, 'BAD-CHILD'],
    ]);
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('status'),
      expect.stringContaining('expiryDate'),
      expect.stringContaining('expiryDate'),
      expect.stringContaining('idTag'),
      'idTag is empty',
      'expected 4 fields, found 2',
      expect.stringContaining('line 2'),
      expect.stringContaining('own parent'),
      expect.stringContaining('NO-SUCH-TAG'),
      expect.stringContaining('BAD-DATE'),
    ]);
    expect(await tag('BAD-KEPT')).toMatchObject({ status: 'Accepted' });
    expect(await tag('GOOD-1')).toMatchObject({ status: 'Accepted' });
    expect(await tag('GOOD-2, quoted')).toMatchObject({ parentIdTag: 'GOOD-1' });
    expect(await tag('GOOD-3')).toMatchObject({ status: 'Expired' });
    for (const idTag of ['BAD-DATE', 'BAD-SELF', 'BAD-ORPHAN', 'BAD-CHILD', 'BAD-FIELDS']) {
      expect((await app.request('GET', `/api/id-tags/${idTag}`, { token: app.admin })).status, idTag).toBe(
        404,
      );
    }
  });

  it('refuses a file it cannot read with 400, changing nothing', async () => {
    for (const csv of [
      '',
      'IMP-X,Accepted\n',
      'idTag,colour\nIMP-X,red\n',
      'idTag,idTag\nIMP-X,IMP-X\n',
      'idTag\n"IMP-X\n',
    ]) {
      const response = await importCsv(csv);
      expect(response.status, JSON.stringify(csv)).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { fields: ['body'] } });
    }
    expect((await app.request('GET', '/api/id-tags/IMP-X', { token: app.admin })).status).toBe(404);
  });

  it('takes only text/csv, within a size limit', async () => {
    const json = await app.request('POST', '/api/id-tags/import', {
      token: app.admin,
      body: { idTag: 'IMP-J' },
    });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await importCsv(`idTag\n${'X'.repeat(5 * 1024 * 1024)}\n`);
    expect(huge.status).toBe(413);
  });

  it('answers 401 without a token and 403 without idtags.manage', async () => {
    expect((await importCsv('idTag\nIMP-P\n', '')).status).toBe(401);
    const viewer = await userToken(app, app.admin, { username: 'imp-viewer', roles: ['viewer'] });
    expect((await importCsv('idTag\nIMP-P\n', viewer)).status).toBe(403);
    expect((await app.request('GET', '/api/id-tags/IMP-P', { token: app.admin })).status).toBe(404);
  });
});
