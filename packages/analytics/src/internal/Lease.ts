/**
 * The projector's lease: one projector works at a time on a read-model database. The
 * lease is a row of `rm_meta` (tables/Meta.ts), renewed while its holder works and checked
 * inside every write transaction (a fence), so that a second process takes over within
 * seconds when the first dies and a paused one can never write after losing it.
 *
 * A lease found not ours while we held it (expired, or released by a projector that
 * stopped) means another projector may have written since our last renewal: what we
 * remember of the rows is no longer to be trusted, and `onTakenOver` says so.
 *
 * @since 0.2.0
 */
import * as Meta from "./tables/Meta.js"
import type { SqlDatabase, SqlExecutor } from "./SqlTypes.js"

/**
 * The lease was lost: the write it fenced rolled back.
 *
 * @since 0.2.0
 * @category errors
 */
export class LeaseLost extends Error {
  constructor() {
    super("the projector lease was lost")
  }
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** who we are (unique per projector) */
  readonly holder: string
  /** how long the lease lasts without renewal */
  readonly leaseMs: number
  /** the lease was found not ours while we held it */
  readonly onTakenOver: () => void
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * @since 0.2.0
 * @category models
 */
export class Lease {
  private readonly options: Options
  /** whether the last renewal held the lease */
  private held = false
  private lastRenewalMs = 0

  constructor(options: Options) {
    this.options = options
  }

  /**
   * Renews the lease, or takes it when nobody holds it or it expired, inside `tx`;
   * whether we hold it now.
   *
   * @since 0.2.0
   */
  async renew(tx: SqlExecutor, nowMs: number): Promise<boolean> {
    const stored = await Meta.readLease(tx)
    const current = stored === undefined ? undefined : Meta.parseLease(stored)
    const wasOurs = current?.holder === this.options.holder
    const mayTake = stored === undefined || wasOurs || current === undefined || current.expiresMs < nowMs
    const got =
      mayTake &&
      (await Meta.replaceLease(tx, stored, { holder: this.options.holder, expiresMs: nowMs + this.options.leaseMs }))
    if (got && this.held && !wasOurs) this.options.onTakenOver()
    this.held = got
    if (got) this.lastRenewalMs = nowMs
    return got
  }

  /**
   * Waits until the lease is ours (or `stopping()`).
   *
   * @since 0.2.0
   */
  async acquire(db: SqlDatabase, now: () => number, stopping: () => boolean): Promise<void> {
    for (;;) {
      if (stopping()) return
      if (await db.transaction((tx) => this.renew(tx, now()))) return
      await sleep(Math.min(1000, this.options.leaseMs / 4))
    }
  }

  /**
   * While idle: renews the lease a third of its length after the last renewal, so that a
   * waiting projector does not take over. Throws LeaseLost when it is no longer ours.
   *
   * @since 0.2.0
   */
  async keepAlive(db: SqlDatabase, nowMs: number): Promise<void> {
    if (nowMs - this.lastRenewalMs <= this.options.leaseMs / 3) return
    const held = await db.transaction((tx) => this.renew(tx, nowMs))
    if (!held) throw new LeaseLost()
  }

  /**
   * Inside a write transaction: renews the lease or throws LeaseLost (the write rolls back).
   *
   * @since 0.2.0
   */
  async fence(tx: SqlExecutor, nowMs: number): Promise<void> {
    if (!(await this.renew(tx, nowMs))) throw new LeaseLost()
  }

  /**
   * Gives the lease up (a stopping projector), so that another takes over at once.
   *
   * @since 0.2.0
   */
  async release(db: SqlExecutor): Promise<void> {
    await Meta.releaseLease(db, this.options.holder).catch(() => undefined)
  }
}
