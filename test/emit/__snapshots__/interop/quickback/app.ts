/**
 * Your code in the generated app. This file is yours: the compiler never overwrites it. src/index.ts
 * imports it, so when it is missing the next compile writes this example back. `extend` receives
 * the Hono app after the generated routes are mounted and before the error handler, so what you add
 * here runs behind the same CORS, body limits and error envelope, and under /api/* the same auth
 * chain: `c.get("ctx")` is the caller (see AppContext). Throw apiError(code) for the envelope.
 */
import { apiError, type QuickbackApp } from '#quickback';

export default function extend(app: QuickbackApp): void {
  // An example: the signed-in user, or 401 AUTH_MISSING.
  app.get('/api/v1/me', (c) => {
    const ctx = c.get('ctx');
    if (!ctx.authenticated) throw apiError('AUTH_MISSING', { hint: 'Sign in first: POST /auth/v1/sign-in/email' });
    return c.json({ userId: ctx.userId, user: ctx.user });
  });
}
