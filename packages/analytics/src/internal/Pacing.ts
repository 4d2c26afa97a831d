/**
 * How long the projector folds before it writes. The rows a write costs depend on the
 * students touched, not on the events, so while events keep coming a batch folds for at
 * least four times as long as the last write took (writing then takes at most a fifth of
 * the projector's time), and a log gone quiet is written once that time is up.
 *
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 * @category models
 */
export class Pacing {
  /** how long the last write took, and when it ended */
  private lastWriteMs = 0
  private lastWriteEnded = 0

  /**
   * The least a batch folds for (a paced batch: four times the last write).
   *
   * @since 0.2.0
   */
  minFoldMs(paced: boolean): number {
    return paced ? 4 * this.lastWriteMs : 0
  }

  /**
   * When a batch at the log's end may write (epoch milliseconds).
   *
   * @since 0.2.0
   */
  writeAfter(): number {
    return this.lastWriteEnded + 4 * this.lastWriteMs
  }

  /**
   * A write that started at `startedMs` (`performance.now()`) ended now; how long it took.
   *
   * @since 0.2.0
   */
  wrote(startedMs: number): number {
    this.lastWriteMs = performance.now() - startedMs
    this.lastWriteEnded = Date.now()
    return this.lastWriteMs
  }
}
