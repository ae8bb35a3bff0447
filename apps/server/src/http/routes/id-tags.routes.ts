import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import type { IdTagService } from '../../services/id-tag.service.js';
import { actorOf } from '../access.js';
import { errors, PageQuery, pageOf, PageSchema, RowId } from '../schemas.js';

const security = [{ bearer: [] }];
/** OCPP 1.6 IdToken: CiString20Type. */
const IdToken = Type.String({ minLength: 1, maxLength: 20, pattern: '^[\\x20-\\x7E]+$' });
const Params = Type.Object({ idTag: IdToken });
const Fields = {
  status: Type.Optional(
    Type.Union([Type.Literal('Accepted'), Type.Literal('Blocked'), Type.Literal('Expired')]),
  ),
  expiryDate: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  parentIdTag: Type.Optional(Type.Union([IdToken, Type.Null()])),
  userId: Type.Optional(Type.Union([RowId(), Type.Null()])),
  allowConcurrent: Type.Optional(
    Type.Boolean({ description: 'may hold several active transactions at once' }),
  ),
};

const IdTagSchema = Type.Object(
  {
    idTag: Type.String(),
    status: Type.String(),
    expiryDate: Type.Union([Type.String(), Type.Null()]),
    parentIdTag: Type.Union([Type.String(), Type.Null()]),
    userId: Type.Union([Type.Integer(), Type.Null()]),
    createdBy: Type.Union([Type.Integer(), Type.Null()], {
      description: 'the user who created the tag; null when unknown',
    }),
    allowConcurrent: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'IdTag' },
);

/** The largest id tag file accepted: some 200,000 short rows. */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

const ImportReportSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer({ description: 'rows that matched the stored tag already' }),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'line of the file, the header being line 1' }),
      idTag: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
    }),
    { description: 'the first 1,000 rejected rows, in file order' },
  ),
  rejectedCount: Type.Integer({ description: 'how many rows were rejected in all' }),
});

export const idTagRoutes: FastifyPluginAsyncTypebox<{ idTags: IdTagService }> = async (app, { idTags }) => {
  app.addSchema(IdTagSchema);
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
        security,
        consumes: ['text/csv'],
        body: Type.String({ description: 'the CSV file' }),
        response: { 200: ImportReportSchema, ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request) => idTags.importCsv(actorOf(request), request.body),
  );

  app.get(
    '/api/id-tags',
    {
      config: { access: 'idtags.view' },
      schema: {
        tags: ['id tags'],
        security,
        querystring: Type.Object({
          ...PageQuery.properties,
          search: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { 200: PageSchema(Type.Ref('IdTag')), ...errors(400, 401, 403) },
      },
    },
    async (request) => idTags.list(actorOf(request), pageOf(request.query), request.query.search),
  );

  app.post(
    '/api/id-tags',
    {
      config: { access: 'idtags.manage' },
      schema: {
        tags: ['id tags'],
        security,
        body: Type.Object({ idTag: IdToken, ...Fields }, { additionalProperties: false }),
        response: { 201: Type.Ref('IdTag'), ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { idTag, ...fields } = request.body;
      return reply.status(201).send(await idTags.create(actorOf(request), idTag, fields));
    },
  );

  app.get(
    '/api/id-tags/:idTag',
    {
      config: { access: 'idtags.view' },
      schema: {
        tags: ['id tags'],
        security,
        params: Params,
        response: { 200: Type.Ref('IdTag'), ...errors(401, 403, 404) },
      },
    },
    async (request) => idTags.get(actorOf(request), request.params.idTag),
  );

  app.patch(
    '/api/id-tags/:idTag',
    {
      config: { access: 'idtags.manage' },
      schema: {
        tags: ['id tags'],
        security,
        params: Params,
        body: Type.Object(Fields, { additionalProperties: false }),
        response: { 200: Type.Ref('IdTag'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => idTags.update(actorOf(request), request.params.idTag, request.body),
  );

  app.delete(
    '/api/id-tags/:idTag',
    {
      config: { access: 'idtags.manage' },
      schema: {
        tags: ['id tags'],
        security,
        params: Params,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await idTags.delete(actorOf(request), request.params.idTag);
      return reply.status(204).send(null);
    },
  );
};
