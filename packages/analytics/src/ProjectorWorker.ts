/**
 * The projector in a `worker_thread` of its own, behind the same `Projector` interface as
 * `Projector.make`. The thread owns the in-memory folds and its own connections: the
 * event store opened by path or URL (SQLite or PostgreSQL) and the read-model database.
 * The caller's thread keeps only the checkpoint it was last told and the waiters on it,
 * so folding and writing read models never hold up its event loop (HTTP requests,
 * appends), and on two cores the two run side by side. If the thread dies, it is started
 * again after a second (it resumes from its checkpoint, like a restarted process).
 *
 * The thread loads the store adapter in use on demand: `@rapport/event-store-sqlite` or
 * `@rapport/event-store-postgres` (optional peer dependencies: install the one you use).
 * How the two sides talk is internal (internal/ProjectorClient.ts, ProjectorEntry.ts).
 *
 * @since 0.1.0
 */
import type { Projector } from "./Projector.js"
import * as ProjectorClient from "./internal/ProjectorClient.js"
import type * as Protocol from "./internal/ProjectorProtocol.js"

/**
 * Where the thread finds a database: a SQLite file or a PostgreSQL URL and schema.
 *
 * @since 0.1.0
 * @category models
 */
export type Location = Protocol.Location

/**
 * What the thread needs, as plain data (it crosses the thread boundary).
 *
 * @since 0.1.0
 * @category models
 */
export type Settings = Protocol.Settings

/**
 * The settings, and the call-backs that stay on the caller's thread.
 *
 * @since 0.1.0
 * @category models
 */
export type WorkerOptions = ProjectorClient.WorkerOptions

/**
 * A projector running in its own thread. The thread starts with the first call
 * (`start`, `catchUp`); `position()` is the last checkpoint it reported.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: WorkerOptions) => Projector = ProjectorClient.make
