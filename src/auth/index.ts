export { createRateLimiter, type RateLimiter } from './rate-limit.ts';
export {
  createToken,
  createTokenResolver,
  hashToken,
  hasScope,
  type NewToken,
  TOKEN_PREFIX,
  type TokenResolver,
} from './tokens.ts';
