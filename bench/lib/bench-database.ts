import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { RunContext } from './targets.js';

let serial = 0;

/** The database of one server start: its URL, what it stored, and its removal. */
export interface BenchDatabase {
  url: string;
  countSamples(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * A fresh database for a server start: a SQLite file in the run's data folder (removed with the
 * folder), or a PostgreSQL database on the admin URL, dropped by `drop()`.
 */
export async function createDatabase(
  context: Pick<RunContext, 'db' | 'dataDir' | 'postgresUrl'>,
  name: string,
): Promise<BenchDatabase> {
  if (context.db === 'sqlite') {
    const path = join(context.dataDir, `${name}.db`);
    return {
      url: `sqlite:${path}`,
      countSamples: async () => {
        const db = new SQLite(path, { readonly: true });
        try {
          return (db.prepare('select count(*) as n from meter_values').get() as { n: number }).n;
        } finally {
          db.close();
        }
      },
      drop: async () => undefined, // the data folder is removed at the end of the run
    };
  }
  const dbName = `cimorings_bench_${process.pid}_${++serial}`;
  const admin = new pg.Client({ connectionString: context.postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${dbName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(context.postgresUrl);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    countSamples: async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const result = await client.query<{ n: string }>('select count(*) as n from meter_values');
        return Number(result.rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const client = new pg.Client({ connectionString: context.postgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${dbName} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
