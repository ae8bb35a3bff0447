/** The id tag resources: `/api/id-tags` and its CSV import. */
import { Type, type Static } from 'typebox';
import { ID_TAG_STATUSES, ID_TOKEN_TYPES } from '../lists.js';
import { Body, IdToken, Literals, Nullable, Resource, RowId, Timestamps } from './common.js';

export const IdTagParams = Type.Object({ idTag: IdToken });

/** What an operator may set on an id tag (`POST` and `PATCH`), besides the tag itself. */
export const IdTagFields = {
  status: Type.Optional(Literals(ID_TAG_STATUSES)),
  expiryDate: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  parentIdTag: Type.Optional(Nullable(IdToken)),
  userId: Type.Optional(Nullable(RowId())),
  allowConcurrent: Type.Optional(
    Type.Boolean({ description: 'may hold several active transactions at once' }),
  ),
  type: Type.Optional(
    Literals(ID_TOKEN_TYPES, {
      description: 'OCPP 2.0.1 IdTokenEnumType, sent with the tag to 2.x stations (default ISO14443)',
    }),
  ),
};
export const NewIdTagSchema = Body({ idTag: IdToken, ...IdTagFields });
export type NewIdTag = Static<typeof NewIdTagSchema>;

export const IdTagChangesSchema = Body(IdTagFields);
export type IdTagChanges = Static<typeof IdTagChangesSchema>;

export const IdTagSchema = Resource('IdTag', {
  idTag: Type.String(),
  status: Type.String(),
  expiryDate: Nullable(Type.String()),
  parentIdTag: Nullable(Type.String()),
  userId: Nullable(Type.Integer()),
  createdBy: Nullable(Type.Integer(), {
    description: 'the user who created the tag; null when unknown',
  }),
  allowConcurrent: Type.Boolean(),
  type: Type.String({ description: 'OCPP 2.0.1 IdTokenEnumType' }),
  ...Timestamps(),
});
export type IdTag = Static<typeof IdTagSchema>;

/** The report of an id tag CSV import: valid rows applied, the others listed with the reason. */
export const ImportReportSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer({ description: 'rows that matched the stored tag already' }),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer({ description: 'line of the file, the header being line 1' }),
      idTag: Nullable(Type.String()),
      reason: Type.String(),
    }),
    { description: 'the first 1,000 rejected rows, in file order' },
  ),
  rejectedCount: Type.Integer({ description: 'how many rows were rejected in all' }),
});
export type ImportReport = Static<typeof ImportReportSchema>;
