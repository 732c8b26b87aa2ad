/**
 * What one request may carry: an ingest key's server sends large batches, an anonymous caller
 * a few clicks. Decided from the Authorization header, before a byte of the body is read.
 */
import type { Config } from '../../shared/config.ts';

export interface RequestLimits {
  maxClicks: number;
  maxBytes: number;
  /** The 413 text, naming the limits that apply. */
  tooLarge: string;
}

export interface CallerLimits {
  keyed: RequestLimits;
  anonymous: RequestLimits;
}

/** 262144 -> "256 KB", 5242880 -> "5 MB": how the docs and the 413 name sizes. */
export function sizeText(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

export function callerLimits(ingest: Config['ingest']): CallerLimits {
  const keyed = { maxClicks: ingest.maxClicksPerRequest, maxBytes: ingest.maxBodyBytes };
  // An anonymous caller never gets more than a key would.
  const anonymous = {
    maxClicks: Math.min(ingest.anonymousMaxClicksPerRequest, keyed.maxClicks),
    maxBytes: Math.min(ingest.anonymousMaxBodyBytes, keyed.maxBytes),
  };
  const names = (l: { maxClicks: number; maxBytes: number }) => `${l.maxClicks} clicks and ${sizeText(l.maxBytes)}`;
  return {
    keyed: { ...keyed, tooLarge: `a request may carry at most ${names(keyed)}` },
    anonymous: {
      ...anonymous,
      tooLarge:
        `an anonymous request may carry at most ${names(anonymous)}; ` +
        `a server with an ingest key may send ${names(keyed)}`,
    },
  };
}
