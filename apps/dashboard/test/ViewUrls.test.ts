import { describe, expect, it } from "vitest"
import * as ViewUrls from "../src/api/ViewUrls.js"

describe("ViewUrls.forLocation", () => {
  it("asks for what each view asks for, filters and paging included", () => {
    expect(ViewUrls.forLocation("/", "", true)).toEqual([
      "/v1/dashboard/overview",
      "/v1/dashboard/trends",
      "/v1/dashboard/overview/context"
    ])
    expect(ViewUrls.forLocation("/", "?graduationYear=2027", true)[2]).toBe(
      "/v1/dashboard/overview/context?graduationYear=2027"
    )
    expect(ViewUrls.forLocation("/students", "?tier=strong&sort=tier", true)[0]).toBe(
      "/v1/dashboard/students?tier=strong&sort=tier&order=asc&page=1&pageSize=25"
    )
    expect(ViewUrls.forLocation("/follow-ups", "?state=overdue&page=3", true)).toEqual([
      "/v1/dashboard/follow-ups?state=overdue&page=3&pageSize=25"
    ])
    expect(ViewUrls.forLocation("/students/s%2F1", "?asOf=2026-01-31", true)).toEqual([
      "/v1/students/s%2F1?asOf=2026-01-31&timelineLimit=50"
    ])
  })

  it("asks nothing about individuals for aggregate access, nor for unknown paths", () => {
    expect(ViewUrls.forLocation("/students", "", false)).toEqual([])
    expect(ViewUrls.forLocation("/students/s-1", "", false)).toEqual([])
    expect(ViewUrls.forLocation("/faculty", "", false)).toEqual([
      "/v1/dashboard/faculty?status=active&page=1&pageSize=25"
    ])
    expect(ViewUrls.forLocation("/nowhere", "", true)).toEqual([])
  })

  it("builds the same URL the view builds from the same address", () => {
    const params = new URLSearchParams("?department=Surgery&sort=load&order=desc&page=2")
    expect(ViewUrls.forLocation("/faculty", params.toString(), true)).toEqual([ViewUrls.faculty(params)])
  })
})
