import type { Kysely, Selectable } from 'kysely';
import type { Database, StationVariablesTable } from '../db/schema.js';
import type { StationVariable, StationVariableFilter } from '../domain/device-model.js';
import { countOf, pageOfQuery, type Page, type PageRequest } from './paging.js';

/** Stored for an absent instance, EVSE or connector: part of the key, which NULL cannot be. */
const NO_TEXT = '';
const NO_NUMBER = -1;

/** Rows per insert: under SQLite's 32,766 bound variables with 13 columns each. */
const ROWS_PER_INSERT = 500;

/** The columns that identify an attribute's row besides its station: its primary key (007). */
function identityColumns(v: StationVariable) {
  return {
    component: v.component,
    component_instance: v.componentInstance ?? NO_TEXT,
    evse_id: v.evseId ?? NO_NUMBER,
    connector_id: v.connectorId ?? NO_NUMBER,
    variable: v.variable,
    variable_instance: v.variableInstance ?? NO_TEXT,
    attribute_type: v.attributeType,
  };
}

/**
 * One attribute per identity, in the order first named: the value of its last mention, and the
 * mutability, data type and unit the last mention that has them says (as a later report does).
 */
function lastOfEach(variables: readonly StationVariable[]): StationVariable[] {
  const byIdentity = new Map<string, StationVariable>();
  for (const v of variables) {
    const identity = JSON.stringify(identityColumns(v));
    const earlier = byIdentity.get(identity);
    byIdentity.set(
      identity,
      earlier
        ? {
            ...v,
            mutability: v.mutability ?? earlier.mutability,
            dataType: v.dataType ?? earlier.dataType,
            unit: v.unit ?? earlier.unit,
          }
        : v,
    );
  }
  return [...byIdentity.values()];
}

/** The device models of stations (migration 007). Queries only. */
export class StationVariableRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores each attribute, replacing what was kept for the same identity. An attribute named
   * twice is stored as its last mention says (PostgreSQL refuses one insert that updates a row
   * twice, so a station's report naming an attribute twice must be merged first).
   */
  async upsert(stationId: number, named: readonly StationVariable[], now: string): Promise<void> {
    const variables = lastOfEach(named);
    for (let start = 0; start < variables.length; start += ROWS_PER_INSERT) {
      const rows = variables.slice(start, start + ROWS_PER_INSERT).map((v) => ({
        station_id: stationId,
        ...identityColumns(v),
        value: v.value,
        mutability: v.mutability,
        data_type: v.dataType,
        unit: v.unit,
        updated_at: now,
      }));
      await this.db
        .insertInto('station_variables')
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns([
              'station_id',
              'component',
              'component_instance',
              'evse_id',
              'connector_id',
              'variable',
              'variable_instance',
              'attribute_type',
            ])
            .doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              // A later report without them keeps what an earlier one said.
              mutability: eb.fn.coalesce('excluded.mutability', 'station_variables.mutability'),
              data_type: eb.fn.coalesce('excluded.data_type', 'station_variables.data_type'),
              unit: eb.fn.coalesce('excluded.unit', 'station_variables.unit'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
        )
        .execute();
    }
  }

  /** A station's attributes ordered by component, EVSE, connector, variable and attribute type. */
  async list(
    stationId: number,
    page: PageRequest,
    filter: StationVariableFilter = {},
  ): Promise<Page<StationVariable>> {
    let query = this.db.selectFrom('station_variables').where('station_id', '=', stationId);
    if (filter.component !== undefined) query = query.where('component', '=', filter.component);
    if (filter.variable !== undefined) query = query.where('variable', '=', filter.variable);
    if (filter.evseId !== undefined) query = query.where('evse_id', '=', filter.evseId);
    const ordered = query
      .selectAll()
      .orderBy('component')
      .orderBy('component_instance')
      .orderBy('evse_id')
      .orderBy('connector_id')
      .orderBy('variable')
      .orderBy('variable_instance')
      .orderBy('attribute_type');
    return pageOfQuery(ordered, page, (rows) => rows.map(toVariable));
  }

  async count(stationId: number): Promise<number> {
    return countOf(this.db.selectFrom('station_variables').where('station_id', '=', stationId).selectAll());
  }
}

function toVariable(row: Selectable<StationVariablesTable>): StationVariable {
  return {
    component: row.component,
    componentInstance: row.component_instance === NO_TEXT ? null : row.component_instance,
    evseId: row.evse_id === NO_NUMBER ? null : row.evse_id,
    connectorId: row.connector_id === NO_NUMBER ? null : row.connector_id,
    variable: row.variable,
    variableInstance: row.variable_instance === NO_TEXT ? null : row.variable_instance,
    attributeType: row.attribute_type,
    value: row.value,
    mutability: row.mutability,
    dataType: row.data_type,
    unit: row.unit,
  };
}
