/**
 * The values the filters offer (graduation years, specialties), taken from views the school
 * already has: the graduation years of the trends and the specialties of the letter cycles.
 * Both answers are cached, so the filters cost nothing after the first view.
 *
 * @since 0.1.0
 */
import type { Views } from "@rapport/analytics"
import { useMemo } from "react"
import * as Client from "./Client.js"
import { useResource } from "./useResource.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Facets {
  readonly graduationYears: ReadonlyArray<number>
  readonly specialties: ReadonlyArray<string>
}

/**
 * @since 0.1.0
 * @category hooks
 */
export const useFacets = (): Facets => {
  const trends = useResource<Views.Trends>(Client.routes.trends)
  const letters = useResource<Views.Letters>(Client.routes.letters)
  return useMemo(() => {
    const years = trends.status === "ready" ? trends.data.byGraduationYear.map((g) => g.graduationYear) : []
    const specialties = new Set<string>()
    if (letters.status === "ready") {
      for (const cycle of letters.data.cycles) for (const s of cycle.specialties) specialties.add(s.specialty)
    }
    return {
      graduationYears: [...new Set(years)].sort((a, b) => a - b),
      specialties: [...specialties].sort((a, b) => a.localeCompare(b))
    }
  }, [trends, letters])
}
