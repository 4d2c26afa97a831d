/**
 * What a request costs against its key's rate limit, in tokens of the bucket (an ordinary
 * request is one token). Work that a valid request does not cause is charged on top:
 * decoding a batch only to reject it, parsing a body that is not JSON, folding a person's
 * history. Valid batches cost one token whatever their size, so the limits of normal use
 * are unchanged (docs/api.md, "Limits").
 *
 * @since 0.2.0
 */

/**
 * A rejected JSON batch: a tenth of a token per item (a batch of 1,000 invalid events
 * costs 100 tokens more, half a key's burst).
 *
 * @since 0.2.0
 * @category constants
 */
export const ofRejectedEvents = (items: number): number => items / 10

/**
 * A body refused as malformed (not JSON, or nested too deep): a token per 16 KiB.
 *
 * @since 0.2.0
 * @category constants
 */
export const ofRejectedBytes = (bytes: number): number => bytes / 16_384

/**
 * A person's page: a token per 500 stored events it read to fold the page.
 *
 * @since 0.2.0
 * @category constants
 */
export const ofPageRead = (events: number): number => events / 500
