/**
 * Demo traffic: plausible clicks for a handful of ads and campaigns, with the mix a real feed
 * has (retries, bots, a user who clicks too often), so every verdict shows up on the dashboard.
 */
import { randomUUID } from 'node:crypto';

export interface DemoClick {
  click_id: string;
  ad_id: string;
  campaign_id: string;
  user_id: string;
  ts: number;
  ip: string;
  user_agent: string;
}

const ADS = ['summer-sale', 'winter-boots', 'city-bikes', 'garden-tools', 'coffee-club', 'road-trip'];
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Skewed popularity: the first ads get most clicks, like a real campaign mix. */
function pickAd(r: number): string {
  return ADS[Math.min(ADS.length - 1, Math.floor(-Math.log(1 - r) * 1.6))] ?? 'summer-sale';
}

export class DemoTraffic {
  private recent: DemoClick[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** `n` clicks at time `now`: about 3% retries, 2% bots, one heavy clicker. */
  batch(n: number, now: number): DemoClick[] {
    return Array.from({ length: n }, () => this.next(now));
  }

  private next(now: number): DemoClick {
    const r = this.random();
    const retry = this.recent[Math.floor(this.random() * this.recent.length)];
    if (r < 0.03 && retry !== undefined) return retry;
    const ad = pickAd(this.random());
    const heavy = r > 0.97;
    const user = heavy ? 'user-heavy' : `user-${Math.floor(this.random() * 5000)}`;
    const click: DemoClick = {
      click_id: randomUUID(),
      ad_id: ad,
      campaign_id: `camp-${ad.split('-')[0]}`,
      user_id: user,
      // Up to a second of client clock skew and network delay.
      ts: now - Math.floor(this.random() * 1000),
      ip: heavy ? '203.0.113.7' : `198.51.100.${Math.floor(this.random() * 250)}`,
      user_agent: r < 0.05 && r >= 0.03 ? BOT : BROWSER,
    };
    this.recent = [...this.recent.slice(-199), click];
    return click;
  }
}
