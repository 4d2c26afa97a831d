/**
 * Callers waiting for the projector's checkpoint to reach a log position (a client that
 * wants to read its own write). Shared by the projector on the caller's thread and by
 * the caller's side of the projector in a thread (ProjectorClient.ts).
 *
 * @since 0.2.0
 */

interface Waiter {
  readonly position: number
  readonly resolve: (reached: boolean) => void
}

/**
 * @since 0.2.0
 * @category models
 */
export class Waiters {
  private readonly waiting = new Set<Waiter>()
  private readonly onChange: () => void

  /** `onChange`: called when a waiter comes or goes (the worker keeps its thread referenced meanwhile) */
  constructor(onChange: () => void = () => undefined) {
    this.onChange = onChange
  }

  /**
   * How many wait.
   *
   * @since 0.2.0
   */
  get size(): number {
    return this.waiting.size
  }

  /**
   * Resolves true once {@link Waiters.reached} reports `position` or later, false after `timeoutMs`.
   *
   * @since 0.2.0
   */
  wait(position: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter = { position, resolve }
      this.waiting.add(waiter)
      this.onChange()
      setTimeout(() => {
        if (this.waiting.delete(waiter)) resolve(false)
        this.onChange()
      }, timeoutMs)
    })
  }

  /**
   * The checkpoint reached `position`: those waiting for it or less are answered.
   *
   * @since 0.2.0
   */
  reached(position: number): void {
    for (const waiter of this.waiting) {
      if (position >= waiter.position) {
        this.waiting.delete(waiter)
        waiter.resolve(true)
      }
    }
  }

  /**
   * Whether someone waits for `position` or less (a batch that holds it ends sooner).
   *
   * @since 0.2.0
   */
  waitsFor(position: number): boolean {
    for (const waiter of this.waiting) if (waiter.position <= position) return true
    return false
  }
}
