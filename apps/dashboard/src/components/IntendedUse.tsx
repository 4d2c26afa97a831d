/**
 * The intended-use statement, where a dean reads it: on the sign-in page, the overview and in
 * the footer of every view.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category text
 */
export const intendedUse =
  "Rapport is for formative outreach: finding students who lack faculty connections and nudging relationships along. It is not for grading, promoting or evaluating students or faculty."

/**
 * @since 0.1.0
 * @category components
 */
export const IntendedUse = ({ compact }: { readonly compact?: boolean }) =>
  compact ? (
    <p className="intended-use compact">{intendedUse}</p>
  ) : (
    <aside className="intended-use" aria-label="Intended use">
      <h2>How to use these numbers</h2>
      <p>{intendedUse}</p>
      <p>
        A score describes the contact on record between two people, not their worth. An isolated student may simply be
        at a site that sends no data: check Data coverage before reaching out.
      </p>
    </aside>
  )
