/**
 * Synthetic display names for the simulated school's directory (`PUT /v1/directory/...`),
 * so that the demo reads like a school: a name per student and faculty id, drawn from the
 * seed and the id alone. Nothing else the simulator writes depends on it, so adding names
 * leaves every event of a seed exactly as it was.
 *
 * Names are made up from common given names and surnames; they belong to no real person
 * of any school. It must never draw from the simulation's random streams.
 *
 * @since 0.4.0
 */

const givenNames = [
  "Aaliyah",
  "Adrian",
  "Aisha",
  "Alejandro",
  "Amara",
  "Andrew",
  "Anika",
  "Arjun",
  "Beatriz",
  "Benjamin",
  "Camila",
  "Carlos",
  "Chen",
  "Chloe",
  "Daniel",
  "Deepa",
  "Diego",
  "Elena",
  "Elijah",
  "Emeka",
  "Emily",
  "Farah",
  "Fatima",
  "Gabriel",
  "Grace",
  "Hana",
  "Hannah",
  "Hiroshi",
  "Ibrahim",
  "Isabella",
  "Ivan",
  "Jamal",
  "Jasmine",
  "Javier",
  "Jin",
  "Jonah",
  "Julia",
  "Kavya",
  "Kenji",
  "Kwame",
  "Laila",
  "Leah",
  "Lucas",
  "Maya",
  "Mateo",
  "Mei",
  "Michael",
  "Mina",
  "Nadia",
  "Nathan",
  "Nia",
  "Noah",
  "Olivia",
  "Omar",
  "Priya",
  "Rafael",
  "Rosa",
  "Samuel",
  "Sara",
  "Sofia",
  "Tariq",
  "Thomas",
  "Uma",
  "Valentina",
  "Victor",
  "Wei",
  "Yara",
  "Yusuf",
  "Zainab",
  "Zoe"
]

const surnames = [
  "Abbott",
  "Adeyemi",
  "Alvarez",
  "Anderson",
  "Bakshi",
  "Bennett",
  "Brooks",
  "Castillo",
  "Chandra",
  "Chowdhury",
  "Cohen",
  "Dang",
  "Delgado",
  "Edwards",
  "Eze",
  "Fischer",
  "Flores",
  "Garcia",
  "Goldberg",
  "Gupta",
  "Haddad",
  "Hernandez",
  "Hoang",
  "Ibarra",
  "Ito",
  "Jackson",
  "Jensen",
  "Kang",
  "Khan",
  "Kim",
  "Kowalski",
  "Lee",
  "Levin",
  "Lopez",
  "Mahmoud",
  "Martin",
  "Mensah",
  "Morales",
  "Murphy",
  "Nakamura",
  "Nguyen",
  "Novak",
  "Obi",
  "Okafor",
  "Olsen",
  "Park",
  "Patel",
  "Pereira",
  "Quinn",
  "Ramirez",
  "Reyes",
  "Rossi",
  "Sato",
  "Schmidt",
  "Shah",
  "Silva",
  "Singh",
  "Sullivan",
  "Tanaka",
  "Torres",
  "Tran",
  "Turner",
  "Usman",
  "Vargas",
  "Walker",
  "Wang",
  "Williams",
  "Wong",
  "Yilmaz",
  "Zhang"
]

/** FNV-1a over the text, 32 bits: a stable, well-spread hash with no dependency. */
const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/**
 * The synthetic display name of a student or faculty member of a seed's school. The same
 * seed, kind and id always give the same name (given name, middle initial, surname);
 * faculty names carry "Dr.".
 *
 * @since 0.4.0
 * @category constructors
 */
export const displayName = (seed: number, kind: "student" | "faculty", id: string): string => {
  const key = `${seed}:${kind}:${id}`
  const first = hash(key)
  const second = hash(`${key}:surname`)
  const given = givenNames[first % givenNames.length] ?? "Alex"
  const initial = String.fromCharCode(65 + (Math.floor(first / givenNames.length) % 26))
  const surname = surnames[second % surnames.length] ?? "Smith"
  return kind === "faculty" ? `Dr. ${given} ${initial}. ${surname}` : `${given} ${initial}. ${surname}`
}

/**
 * The person an event introduces to the directory (an enrolment, a faculty member joining),
 * if any.
 *
 * @since 0.4.0
 * @category operations
 */
export const personOf = (event: {
  readonly type: string
  readonly data: unknown
}): { readonly kind: "student" | "faculty"; readonly id: string } | undefined => {
  const data = event.data
  if (typeof data !== "object" || data === null) return undefined
  if (event.type === "StudentEnrolled" && "studentId" in data && typeof data.studentId === "string")
    return { kind: "student", id: data.studentId }
  if (event.type === "FacultyJoined" && "facultyId" in data && typeof data.facultyId === "string")
    return { kind: "faculty", id: data.facultyId }
  return undefined
}
