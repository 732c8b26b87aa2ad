/**
 * API keys: generated with 256 random bits, stored only as a SHA-256 hash. A slow hash
 * (scrypt) protects guessable passwords; a 256-bit random key cannot be guessed, so a fast
 * hash loses nothing and keeps every request's check in microseconds.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { keyScopeSchema } from './scope.ts';

const KEY_PREFIX = 'tb_';

/** Key names and senders: safe in listings, Redis keys and Kafka records. */
export const KEY_NAME = /^[A-Za-z0-9_.:@-]{1,100}$/;

export const storedKeySchema = z
  .object({
    name: z.string().min(1).max(100),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits>'),
    scope: keyScopeSchema,
    /**
     * Who sends with an ingest key: its click_ids and user_ids live in this sender's namespace,
     * shared by every key of the sender (a rotated key, a key per region). Absent (keys made
     * before senders existed, or created without --sender): the key's name.
     */
    sender: z.string().regex(KEY_NAME, 'must be 1-100 characters of A-Z a-z 0-9 _ . : @ -').optional(),
    created_at: z.string(),
  })
  .strict();

export type StoredKey = z.infer<typeof storedKeySchema>;

/** What a key lookup tells about the caller: enough to name its sender and scope. */
export type KeyIdentity = Pick<StoredKey, 'name' | 'sender' | 'scope'>;

/** The sender a key sends as: its own, or its name. */
export function senderOf(key: KeyIdentity): string {
  return key.sender ?? key.name;
}

/** A new key as the client will send it: `tb_` and 43 base64url characters. */
export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** The stored key whose hash matches, compared in constant time. */
export function findKey(keys: readonly StoredKey[], key: string): StoredKey | undefined {
  const presented = Buffer.from(hashKey(key));
  return keys.find((k) => {
    const stored = Buffer.from(k.hash);
    return stored.length === presented.length && timingSafeEqual(stored, presented);
  });
}

/** A short, non-secret handle for listings: the first hex digits of the hash. */
export function keyId(stored: StoredKey): string {
  return stored.hash.slice('sha256:'.length, 'sha256:'.length + 8);
}
