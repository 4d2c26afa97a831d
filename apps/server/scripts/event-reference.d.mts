/** Each type's summary and example, read from the text of docs/events.md. */
export declare const referenceOf: (page: string) => Record<string, { summary: string; example: unknown }>
/** The text of src/ingest/EventReference.ts for a reference. */
export declare const render: (reference: Record<string, { summary: string; example: unknown }>) => string
