/** A command of the registry: its spec (options and usage) and, loaded only to run it, its code. */
import type { Config } from '../../shared/config.ts';
import type { CommandSpec, Invocation } from '../args.ts';

export type Run = (inv: Invocation, config: Config) => Promise<number>;

export interface Command extends CommandSpec {
  load: () => Promise<{ run: Run }>;
  /** It reports what matters itself: the libraries' logs (pino, kafkajs) only with --verbose. */
  quiet?: boolean;
}

/** As many arguments as given. */
export const ANY = [0, Number.POSITIVE_INFINITY] as const;
