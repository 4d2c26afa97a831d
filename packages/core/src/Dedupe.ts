/**
 * Duplicate detection for tools that fold raw input themselves (importers, notebooks,
 * tests). The event store deduplicates on append; folds assume each event once, so
 * anything that folds events it did not read from a store passes them through here.
 *
 * Two events with the same id are the same event when their canonical content (see
 * Canonical.ts: `{type, v, occurredAt as a UTC instant, data}`, without `source`) is
 * equal: the repeat is dropped and counted. The same id with other content is a
 * conflict: the first occurrence wins and the pair is reported, never silently merged.
 * This module must never reorder the events it keeps.
 *
 * @since 0.1.0
 */
import { canonicalContent } from "./Canonical.js"
import type { RapportEvent } from "./Event.js"

/**
 * Two events with the same id and different content.
 *
 * @since 0.1.0
 * @category models
 */
export interface DedupeConflict {
  readonly id: string
  readonly first: RapportEvent
  readonly other: RapportEvent
}

/**
 * What {@link dedupe} found: the events to fold (first occurrences, in input order), how
 * many exact repeats were dropped, and every conflicting repeat (also dropped).
 *
 * @since 0.1.0
 * @category models
 */
export interface DedupeResult {
  readonly events: Array<RapportEvent>
  readonly duplicates: number
  readonly conflicts: ReadonlyArray<DedupeConflict>
}

/**
 * Keeps the first event of each id. Ids are compared as given; decoded events have
 * lower-case ids, so two spellings of one UUID are the same id once decoded.
 *
 * @since 0.1.0
 * @category operations
 */
export const dedupe = (events: Iterable<RapportEvent>): DedupeResult => {
  const seen = new Map<string, { readonly event: RapportEvent; content: string | undefined }>()
  const kept: Array<RapportEvent> = []
  const conflicts: Array<DedupeConflict> = []
  let duplicates = 0
  for (const event of events) {
    const first = seen.get(event.id)
    if (first === undefined) {
      // The canonical form is computed only when an id repeats: most input has no repeats.
      seen.set(event.id, { event, content: undefined })
      kept.push(event)
      continue
    }
    if (first.content === undefined) first.content = canonicalContent(first.event)
    if (canonicalContent(event) === first.content) duplicates++
    else conflicts.push({ id: event.id, first: first.event, other: event })
  }
  return { events: kept, duplicates, conflicts }
}
