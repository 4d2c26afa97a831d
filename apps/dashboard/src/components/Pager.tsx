/**
 * Paging for the long tables: previous and next, where we are, and the page size.
 *
 * @since 0.1.0
 */
import { SelectField } from "./Field.js"

/**
 * @since 0.1.0
 * @category components
 */
export const Pager = ({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
  label
}: {
  readonly page: number
  readonly pageSize: number
  readonly total: number
  readonly onPage: (page: number) => void
  readonly onPageSize: (size: number) => void
  readonly label: string
}) => {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1
  const last = Math.min(total, page * pageSize)
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <p aria-live="polite">
        {total === 0
          ? "No rows"
          : `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}
      </p>
      <div className="pager-buttons">
        <button type="button" className="button secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous<span className="sr-only"> page</span>
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" className="button secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Next<span className="sr-only"> page</span>
        </button>
        <SelectField
          label="Rows per page"
          value={String(pageSize)}
          onChange={(value) => onPageSize(Number(value))}
          inline
        >
          {[25, 50, 100, 200].map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </SelectField>
      </div>
    </nav>
  )
}
