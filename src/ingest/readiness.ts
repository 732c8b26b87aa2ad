/** /readyz: can this process reach Redis and Kafka right now? */
import type { Admin } from 'kafkajs';
import type { Cluster, Redis } from 'ioredis';

export interface Readiness {
  redis: boolean;
  kafka: boolean;
}

export type ReadinessCheck = () => Promise<Readiness>;

// A probe must answer before a load balancer's own timeout (commonly 1-5 s).
const PROBE_TIMEOUT_MS = 1500;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function readinessCheck(redis: Redis | Cluster, admin: () => Promise<Admin>): ReadinessCheck {
  const kafkaUp = async (): Promise<boolean> => {
    await (await admin()).describeCluster();
    return true;
  };
  return async () => {
    const [redisOk, kafkaOk] = await Promise.all([
      withTimeout(redis.ping()).then(
        () => true,
        () => false,
      ),
      withTimeout(kafkaUp()).then(
        () => true,
        () => false,
      ),
    ]);
    return { redis: redisOk, kafka: kafkaOk };
  };
}
