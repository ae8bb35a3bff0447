import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import type { IdTagService } from '../../services/id-tag.service.js';
import { actorOf } from '../access.js';
import {
  IdTagChangesSchema,
  IdTagParams,
  IdTagSchema,
  ImportReportSchema,
  NewIdTagSchema,
  SearchPageQuery,
} from '@cimorings/contracts/rest';
import { BEARER, created, errors, noContent, pageOf, recordRoutes } from '../schemas.js';

/** The largest id tag file accepted: some 200,000 short rows. */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

export const idTagRoutes: FastifyPluginAsyncTypebox<{ idTags: IdTagService }> = async (app, { idTags }) => {
  app.addSchema(IdTagSchema);
  const idTag = recordRoutes('id tags', IdTagParams, 'IdTag');
  // Only in this plugin: the one route that takes CSV.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/id-tags/import',
    {
      config: { access: 'idtags.manage' },
      bodyLimit: IMPORT_BODY_LIMIT,
      preValidation: async (request) => {
        if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? '')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the id tags as text/csv');
        }
      },
      schema: {
        tags: ['id tags'],
        summary: 'Create and change id tags from a CSV file, with a report of the rows rejected',
        description:
          'Header row required: idTag,status,expiryDate,parentIdTag (any order; all but idTag optional). ' +
          'Empty status means Accepted; expiryDate is an ISO 8601 date-time with a time zone. ' +
          'Valid rows are applied; rejected rows change nothing.',
        security: BEARER,
        consumes: ['text/csv'],
        body: Type.String({ description: 'the CSV file' }),
        response: { 200: ImportReportSchema, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request) => idTags.importCsv(actorOf(request), request.body),
  );

  app.get('/api/id-tags', idTag.list('idtags.view', SearchPageQuery(20)), async (request) =>
    idTags.list(actorOf(request), pageOf(request.query), request.query.search),
  );

  app.post(
    '/api/id-tags',
    idTag.create('idtags.manage', NewIdTagSchema, [400, 401, 403, 409]),
    async (request, reply) => {
      const { idTag, ...fields } = request.body;
      return created(reply, idTags.create(actorOf(request), idTag, fields));
    },
  );

  app.get('/api/id-tags/:idTag', idTag.read('idtags.view', [401, 403, 404]), async (request) =>
    idTags.get(actorOf(request), request.params.idTag),
  );

  app.patch(
    '/api/id-tags/:idTag',
    idTag.change('idtags.manage', IdTagChangesSchema, [400, 401, 403, 404]),
    async (request) => idTags.update(actorOf(request), request.params.idTag, request.body),
  );

  app.delete('/api/id-tags/:idTag', idTag.remove('idtags.manage', [401, 403, 404]), async (request, reply) =>
    noContent(reply, idTags.delete(actorOf(request), request.params.idTag)),
  );
};
