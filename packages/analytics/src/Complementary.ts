/**
 * Complementary (secondary) suppression for one table: which of its groups are shown as
 * rows of their own and which roll into "Other", so that no group smaller than the
 * threshold can be worked out by subtraction. A table whose total is shown gives away
 * `total − Σ shown rows`: the people behind that difference (the rolled groups, plus those
 * no row lists, such as students without a graduation year) must number 0 or at least the
 * threshold. Small groups roll into "Other" first; while "Other" holds between 1 and
 * threshold − 1 people, the smallest shown group joins it (the "next smallest cell" of the
 * NCES and CalPASS practice; CalPASS LaunchBoard calls the sum "All Masked Values").
 *
 * Pure: it counts people, never interactions (a class of three with fifty interactions is
 * still three), and it must never show a group below the threshold, nor leave "Other"
 * between 1 and threshold − 1.
 *
 * @since 0.2.0
 */

/**
 * Why a group has no row of its own: it is below the threshold, or it is hidden so that a
 * smaller one cannot be computed from the total.
 *
 * @since 0.2.0
 * @category models
 */
export type HiddenBecause = "small-group" | "complementary"

/**
 * A group a table can show: its key and how many people are behind it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Group<K> {
  readonly key: K
  readonly population: number
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Plan<K> {
  /** the groups shown as rows, in the order given */
  readonly shown: ReadonlyArray<K>
  /** the groups rolled into "Other", in the order given, with why */
  readonly rolled: ReadonlyArray<readonly [K, HiddenBecause]>
  /** the people behind "Other": the rolled groups and those no group lists */
  readonly otherPopulation: number
  /** whether "Other" may show its numbers (it is empty, or holds at least the threshold) */
  readonly otherShown: boolean
}

/**
 * @since 0.2.0
 * @category models
 */
export interface PlanOptions<K> {
  readonly threshold: number
  /** people in the total whom no group lists (students without a graduation year, say) */
  readonly unlisted?: number
  /**
   * The people behind several groups together, those no group lists included, when groups
   * overlap (a student with follow-ups of two rules). Default: the sum of the populations
   * and `unlisted`, right for groups that partition the total.
   */
  readonly populationOf?: (keys: ReadonlyArray<K>) => number
}

/**
 * Plans a table whose total is shown (or whose rows can be added up to a total the reader
 * sees elsewhere). Groups of fewer people than the threshold roll into "Other"; then, while
 * "Other" holds between 1 and threshold − 1 people and a group is still shown, the smallest
 * shown group (ties: the later one in the order given) rolls in too. When every group has
 * rolled, "Other" is the total itself, shown only when the total is.
 *
 * @since 0.2.0
 * @category constructors
 */
export const plan = <K>(groups: ReadonlyArray<Group<K>>, options: PlanOptions<K>): Plan<K> => {
  const { threshold } = options
  const unlisted = options.unlisted ?? 0
  const rolled = new Map<K, HiddenBecause>()
  for (const group of groups) if (group.population < threshold) rolled.set(group.key, "small-group")
  const populationOf =
    options.populationOf ??
    ((keys: ReadonlyArray<K>) => {
      const wanted = new Set(keys)
      return groups.reduce((sum, group) => (wanted.has(group.key) ? sum + group.population : sum), unlisted)
    })
  const otherOf = () => populationOf(groups.filter((g) => rolled.has(g.key)).map((g) => g.key))
  let other = otherOf()
  while (other > 0 && other < threshold) {
    let smallest: Group<K> | undefined
    for (const group of groups) {
      if (rolled.has(group.key)) continue
      if (smallest === undefined || group.population <= smallest.population) smallest = group
    }
    if (smallest === undefined) break
    rolled.set(smallest.key, "complementary")
    other = otherOf()
  }
  return {
    shown: groups.filter((g) => !rolled.has(g.key)).map((g) => g.key),
    rolled: groups.flatMap((g): Array<readonly [K, HiddenBecause]> => {
      const because = rolled.get(g.key)
      return because === undefined ? [] : [[g.key, because]]
    }),
    otherPopulation: other,
    otherShown: other === 0 || other >= threshold
  }
}

/**
 * Every group shown, nothing rolled: for readers from whom nothing is hidden.
 *
 * @since 0.2.0
 * @category constructors
 */
export const showAll = <K>(groups: ReadonlyArray<Group<K>>, unlisted = 0): Plan<K> => ({
  shown: groups.map((g) => g.key),
  rolled: [],
  otherPopulation: unlisted,
  otherShown: true
})

/**
 * Why a group has no row of its own, or `undefined` when it is shown.
 *
 * @since 0.2.0
 * @category getters
 */
export const hiddenBecause = <K>(plan: Plan<K>, key: K): HiddenBecause | undefined =>
  plan.rolled.find(([rolled]) => rolled === key)?.[1]

/**
 * The keys of the groups rolled into "Other".
 *
 * @since 0.2.0
 * @category getters
 */
export const rolledKeys = <K>(plan: Plan<K>): ReadonlyArray<K> => plan.rolled.map(([key]) => key)

/**
 * Whether a table has an "Other" row at all (some group rolled, or people no group lists).
 *
 * @since 0.2.0
 * @category getters
 */
export const hasOther = <K>(plan: Plan<K>): boolean => plan.rolled.length > 0 || plan.otherPopulation > 0
