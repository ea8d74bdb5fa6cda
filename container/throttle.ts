import { DEFAULT_THROTTLE, type Throttle, routeThrottles } from '../shared/deployment/functions.js';

/**
 * The gateway's route throttles, in the container: the same rate and burst per route as the
 * catalogue gives API Gateway (shared/deployment/functions.ts), a token bucket per route key
 * in this process. Each replica holds its own buckets, so N replicas admit N times the rate:
 * a deployment in front of several replicas divides the rates (THROTTLE_SCALE) or throttles
 * at its load balancer. Answered 429 RATE_LIMITED, a problem with Retry-After.
 */
export interface RouteThrottle {
  /** Takes one request from the route's bucket; the seconds to wait when it is empty. */
  take(routeKey: string, now?: number): { admitted: true } | { admitted: false; retryAfterSeconds: number };
}

interface Bucket {
  tokens: number;
  at: number;
  throttle: Throttle;
}

export const routeThrottle = ({ scale = 1, throttles = routeThrottles() }: { scale?: number; throttles?: Record<string, Throttle> } = {}): RouteThrottle => {
  const buckets = new Map<string, Bucket>();
  const bucketOf = (routeKey: string, now: number): Bucket => {
    let bucket = buckets.get(routeKey);
    if (!bucket) {
      const declared = throttles[routeKey] ?? DEFAULT_THROTTLE;
      const throttle = { ratePerSecond: declared.ratePerSecond * scale, burst: Math.max(1, Math.round(declared.burst * scale)) };
      bucket = { tokens: throttle.burst, at: now, throttle };
      buckets.set(routeKey, bucket);
    }
    return bucket;
  };
  return {
    take: (routeKey, now = Date.now()) => {
      const bucket = bucketOf(routeKey, now);
      // Refilled at the route's rate since the last request, never above its burst.
      bucket.tokens = Math.min(bucket.throttle.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.throttle.ratePerSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { admitted: true };
      }
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / bucket.throttle.ratePerSecond)) };
    },
  };
};
