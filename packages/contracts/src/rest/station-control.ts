/**
 * The operations every station offers whatever its OCPP version (CONTRACT section 7), and its
 * device model: `POST /api/stations/{id}/remote-start|remote-stop|reset|unlock|availability`,
 * `GET|PATCH /api/stations/{id}/variables`.
 */
import { Type, type Static } from 'typebox';
import { MAX_CONNECTOR_ID } from '../lists.js';
import { Body, IdToken, Literals, Nullable } from './common.js';

const ConnectorId = (minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: MAX_CONNECTOR_ID, description });

export const RemoteStartSchema = Body({
  connectorId: Type.Optional(
    ConnectorId(1, 'the connector (the EVSE of a 2.x station); absent: the station chooses'),
  ),
  idTag: IdToken,
});
export type RemoteStart = Static<typeof RemoteStartSchema>;

export const RemoteStopSchema = Body({
  transactionId: Type.Integer({
    minimum: 1,
    maximum: 2147483647,
    description: 'the integer transactionId of the API (for a 2.x station, its own id is sent)',
  }),
});

export const ResetSchema = Body({
  type: Literals(['Soft', 'Hard'] as const, {
    description: 'Soft: once idle (2.x OnIdle); Hard: at once (2.x Immediate)',
  }),
});

export const UnlockSchema = Body({
  connectorId: ConnectorId(1, 'the connector (2.x: the EVSE; its connector 1 is unlocked)'),
});

export const AvailabilitySchema = Body({
  connectorId: ConnectorId(0, '0: the whole station'),
  type: Literals(['Operative', 'Inoperative'] as const),
});

/** The station's answer: its status and whatever else it said. */
export const StationAnswerSchema = Type.Object(
  { status: Type.String({ description: 'the station’s status, as it sent it' }) },
  { additionalProperties: true },
);

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 50, description });
const EvseId = Type.Integer({ minimum: 0, maximum: MAX_CONNECTOR_ID });
const VariableConnectorId = Type.Integer({ minimum: 0, maximum: MAX_CONNECTOR_ID });
const AttributeType = Literals(['Actual', 'Target', 'MinSet', 'MaxSet'] as const);

/** One variable of a station's device model (a 1.6 configuration key is component "OCPP16"). */
const VariableIdentity = {
  component: Name('the component name; "OCPP16" for the configuration keys of a 1.6 station'),
  componentInstance: Type.Optional(Name('the component instance, when it has one')),
  evseId: Type.Optional(EvseId),
  connectorId: Type.Optional(VariableConnectorId),
  variable: Name('the variable name; the configuration key of a 1.6 station'),
  variableInstance: Type.Optional(Name('the variable instance, when it has one')),
};

export const VariableSchema = Type.Object({
  ...VariableIdentity,
  attributeType: Type.String(),
  value: Nullable(Type.String()),
  mutability: Nullable(Type.String()),
});
export type StationVariable = Static<typeof VariableSchema>;

/** The most variables one PATCH changes. */
export const MAX_VARIABLE_CHANGES = 100;

export const VariableChangesSchema = Type.Array(
  Body({
    ...VariableIdentity,
    value: Type.String({ maxLength: 1000, description: 'OCPP 2.0.1 attributeValue (1.6: at most 500)' }),
    attributeType: Type.Optional(AttributeType),
  }),
  { minItems: 1, maxItems: MAX_VARIABLE_CHANGES },
);
export type VariableChanges = Static<typeof VariableChangesSchema>;

export const VariableResultsSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      ...VariableIdentity,
      attributeType: Type.String(),
      attributeStatus: Type.String({
        description: 'the station’s answer: Accepted, Rejected, RebootRequired, UnknownComponent, ...',
      }),
    }),
  ),
});

export const VariableFilterSchema = Type.Object({
  component: Type.Optional(Name('only the variables of this component')),
});
