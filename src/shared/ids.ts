/**
 * The id alphabets of the click contract, declared once: the click schema, the stats API's
 * parameters, API key scopes, signed links, the CLI and the OpenAPI route schemas use these.
 */

/** Longest click_id, ad_id or campaign_id. */
export const ID_MAX_LENGTH = 64;

/** click_id: letters, digits, _ and -. */
export const CLICK_ID_CHARS = /^[A-Za-z0-9_-]+$/;
/** ad_id and campaign_id: also . and : (ad servers' own ids often carry them). */
export const AD_ID_CHARS = /^[A-Za-z0-9_.:-]+$/;

/** The alphabets as error messages name them. */
export const CLICK_ID_ALPHABET = 'A-Z a-z 0-9 _ -';
export const AD_ID_ALPHABET = 'A-Z a-z 0-9 _ . : -';

/** Whole ids, length included. */
export const CLICK_ID = new RegExp(`^[A-Za-z0-9_-]{1,${ID_MAX_LENGTH}}$`);
export const AD_ID = new RegExp(`^[A-Za-z0-9_.:-]{1,${ID_MAX_LENGTH}}$`);

/** JSON-schema forms for route schemas (OpenAPI is generated from them). */
export const clickIdJsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: ID_MAX_LENGTH,
  pattern: CLICK_ID_CHARS.source,
} as const;
export const adIdJsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: ID_MAX_LENGTH,
  pattern: AD_ID_CHARS.source,
} as const;
