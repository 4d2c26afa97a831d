/**
 * The top of every view: its title, one sentence on what it answers, when its numbers were
 * computed ("as of"), and, for aggregate-only access, the suppression in force.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import type { ReactNode } from "react"
import { useSignedIn } from "../api/SessionContext.js"
import * as Client from "../api/Client.js"
import { formatInstant } from "../lib/Labels.js"

/**
 * @since 0.1.0
 * @category components
 */
export const PageHeader = ({
  title,
  lead,
  meta,
  actions
}: {
  readonly title: string
  readonly lead: ReactNode
  readonly meta?: Views.Overview["meta"] | undefined
  readonly actions?: ReactNode
}) => {
  const session = useSignedIn()
  const aggregateOnly = !Client.seesIndividuals(session)
  return (
    <header className="page-header">
      <div className="page-title">
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        <p className="lead">{lead}</p>
      </div>
      <div className="page-meta">
        {meta === undefined ? null : (
          <p className="as-of" data-as-of={meta.asOf}>
            Data as of <time dateTime={meta.asOf}>{formatInstant(meta.asOf)}</time>
          </p>
        )}
        {aggregateOnly ? (
          <p className="badge" title="Groups smaller than the threshold are hidden in every chart, table and export.">
            Aggregate access
            {meta !== undefined && meta.suppressionThreshold > 0
              ? ` · groups under ${meta.suppressionThreshold} hidden`
              : ""}
          </p>
        ) : null}
        {actions}
      </div>
    </header>
  )
}
