/**
 * A table of groups as the dashboard shows it: the groups with a row of their own, then
 * "Other" (the groups too small to show, or hidden so that a small one cannot be worked out
 * from the total, summed by the server, which lists them), then the total. The CSV export
 * holds the same rows, so it adds up as the screen does.
 *
 * It must never compute a number of its own: "Other" and the total are the server's.
 *
 * @since 0.2.0
 */

/**
 * What a row of a table of groups is.
 *
 * @since 0.2.0
 * @category models
 */
export type Kind = "group" | "other" | "total"

/**
 * A row with its kind.
 *
 * @since 0.2.0
 * @category models
 */
export type Grouped<Row> = Row & { readonly kind: Kind }

/**
 * The rows of a table: its groups, "Other" when there is one, and the total.
 *
 * @since 0.2.0
 * @category constructors
 */
export const rows = <Row>(
  groups: ReadonlyArray<Row>,
  other: Row | null,
  total: Row | null
): ReadonlyArray<Grouped<Row>> => [
  ...groups.map((row) => ({ ...row, kind: "group" as const })),
  ...(other === null ? [] : [{ ...other, kind: "other" as const }]),
  ...(total === null ? [] : [{ ...total, kind: "total" as const }])
]

/**
 * A key for a row, unique even if a group were called "Other".
 *
 * @since 0.2.0
 * @category getters
 */
export const key = (row: { readonly kind: Kind }, name: string): string => `${row.kind}:${name}`

/**
 * The label of "Other": how many groups it sums, in the table's words.
 *
 * @since 0.2.0
 * @category formatting
 */
export const otherLabel = (members: ReadonlyArray<unknown>, one: string, many: string): string =>
  members.length === 0 ? "Other" : `Other (${members.length} ${members.length === 1 ? one : many})`

/**
 * The sentence under a table with an "Other" row: which groups it sums and why.
 *
 * @since 0.2.0
 * @category formatting
 */
export const otherSentence = (members: ReadonlyArray<string>, threshold: number): string =>
  `Other sums ${members.join(", ")}: groups of fewer than ${threshold} people are combined (with the next smallest where one alone would still be small) so that no one can be singled out or worked out from the total.`
