// The baseline: raw node:sqlite inserts of the same events, measured in the same run. A
// table with the envelope's columns and a unique index on the event id, WAL with
// synchronous=FULL (every commit on disk, as the store's), 500 rows a transaction (one
// POST body each), prepared statement reused. Rows are built from each body before the
// clock starts: the timed part is the bare insert loop and its commits.
import { DatabaseSync } from "node:sqlite"

export const openRaw = (path) => {
  const db = new DatabaseSync(path)
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, v INTEGER NOT NULL,
    occurred_at TEXT NOT NULL, source TEXT, data TEXT NOT NULL);
    CREATE UNIQUE INDEX events_id ON events (id)`)
  const insert = db.prepare(
    "INSERT INTO events (id, type, v, occurred_at, source, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
  )
  let rows = 0
  let timedMs = 0
  return {
    /** inserts one body's events in one transaction */
    insertBatch: (body) => {
      const values = JSON.parse(body).map((e) => [
        e.id,
        e.type,
        e.v ?? 1,
        e.occurredAt,
        e.source ?? null,
        JSON.stringify(e.data)
      ])
      const started = performance.now()
      db.exec("BEGIN")
      for (const row of values) insert.run(...row)
      db.exec("COMMIT")
      timedMs += performance.now() - started
      rows += values.length
    },
    stats: () => ({ rows, timedMs }),
    close: () => db.close()
  }
}
