/** The commands an operator administers with: API keys, click links, campaigns, blocklists. */
import type { Command } from './command.ts';

export const adminCommands: Record<string, Command> = {
  keys: {
    summary: 'API keys: each shown once when created, stored as a hash',
    subcommands: {
      create: {
        summary: 'create a key (stats API scopes, or ingest for a server that sends clicks) and print it',
        options: {
          scope: {
            type: 'string',
            value: 'all|campaigns:C1,C2|ad-prefixes:P1,P2|ingest',
            required: true,
            describe: 'what the key may read, or `ingest`',
          },
          name: { type: 'string', value: 'NAME', describe: 'the name to list and revoke it by' },
          sender: {
            type: 'string',
            value: 'SENDER',
            describe: 'ingest keys: the sender its clicks belong to (default: its name); keys of one sender share ids',
          },
          campaigns: {
            type: 'string',
            value: 'C1,C2',
            describe: 'ingest keys: the only campaigns its clicks may name (default: any)',
          },
        },
      },
      list: { summary: 'names, ids, creation times and scopes (never the keys)' },
      revoke: { summary: 'remove a key', args: 'NAME', arity: [1, 1] },
    },
    quiet: true,
    load: () => import('../commands/keys.ts'),
  },
  links: {
    summary: 'signed click links',
    subcommands: {
      sign: {
        summary: 'print a signed click link (an expired one still redirects; its clicks are invalid)',
        options: {
          ad: { type: 'string', value: 'AD_ID', required: true, describe: 'the ad clicked' },
          url: { type: 'string', value: 'URL', required: true, describe: 'the landing page (absolute http(s))' },
          campaign: { type: 'string', value: 'CAMPAIGN_ID', describe: "the ad's campaign" },
          expires: { type: 'string', value: 'DURATION', describe: '30d, 12h, 90m or 3600s (default: never)' },
          base: { type: 'string', value: 'URL', describe: "the ingest's public base URL (default its own address)" },
        },
      },
    },
    quiet: true,
    load: () => import('../commands/links.ts'),
  },
  campaigns: {
    summary: 'which campaign each ad belongs to',
    subcommands: {
      set: { summary: 'put an ad in a campaign', args: 'AD CAMPAIGN', arity: [2, 2] },
      unset: { summary: "remove an ad's campaign", args: 'AD', arity: [1, 1] },
      list: { summary: 'every ad with its campaign' },
    },
    quiet: true,
    load: () => import('../commands/campaigns.ts'),
  },
  blocklist: {
    summary: 'the IP and user blocklists (their clicks get the verdict `blocked`)',
    subcommands: {
      add: { summary: 'block an IP address or a user id', args: 'ip|user VALUE', arity: [2, 2] },
      remove: { summary: 'unblock an IP address or a user id', args: 'ip|user VALUE', arity: [2, 2] },
      list: { summary: 'the blocked IP addresses or user ids', args: 'ip|user', arity: [1, 1] },
    },
    quiet: true,
    load: () => import('../commands/blocklist.ts'),
  },
};
