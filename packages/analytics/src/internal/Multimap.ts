/**
 * Sets kept under keys, as the projector marks rows (per student, the faculty or months
 * that changed).
 *
 * @since 0.2.0
 */

/**
 * Adds `value` to the set kept under `key`.
 *
 * @since 0.2.0
 * @category operations
 */
export const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => {
  let set = map.get(key)
  if (set === undefined) {
    set = new Set()
    map.set(key, set)
  }
  set.add(value)
}
