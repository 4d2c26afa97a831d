/**
 * Choosing plausible moments: a working hour on a weekday of a given week, or between two
 * instants. Internal helpers of the generator modules.
 *
 * @since 0.1.0
 */
import type { Random } from "../Random.js"
import { at, DAY } from "../SchoolTime.js"

/**
 * An instant during working hours (`fromMinute`–`toMinute` local) on one of the weekdays
 * `firstDay`…`lastDay` (0 = the Monday `monday`) of a week.
 *
 * @since 0.1.0
 * @category moments
 */
export const inWeek = (
  rng: Random,
  monday: number,
  firstDay = 0,
  lastDay = 4,
  fromMinute = 8 * 60,
  toMinute = 18 * 60
): number => at(monday + rng.int(firstDay, lastDay + 1), rng.int(fromMinute, toMinute))

/**
 * An instant during working hours on a weekday, not before `from` and (as nearly as the
 * calendar allows) before `until`.
 *
 * @since 0.1.0
 * @category moments
 */
export const between = (rng: Random, from: number, until: number): number => {
  const day = Math.floor(rng.between(from, Math.max(from + 1, until)) / DAY)
  const shift = [1, 0, 0, 0, 0, 0, 2][(day + 4) % 7] ?? 0
  return Math.max(from, at(day + shift, rng.int(9 * 60, 17 * 60)))
}
