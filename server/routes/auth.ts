import { Hono } from 'hono';
import { loginBodySchema, type LoginAnswer } from '../../shared/schemas/auth';
import { branchIdsOfUser, findUserByEmail, insertSession, revokeSession } from '../db/auth-queries';
import type { Database } from '../db/database';
import { hashToken, newToken, SESSION_TOKEN_PREFIX, verifyPassword } from '../auth/secrets';
import { authenticate, requireUser, type AppEnv } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';

const SESSION_HOURS = 12;

export function authRoutes(db: Database, hooks: { onSessionEnded(tokenHash: string): void }) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const body = await parseJsonBody(c, loginBodySchema);
      const user = await findUserByEmail(db, body.email);
      // Same answer for an unknown email and a wrong password, so emails can't be probed.
      const isValid = !!user?.active && !!user.password_hash && (await verifyPassword(body.password, user.password_hash));
      if (!user || !isValid) throw new HttpProblem('invalid-credentials', 'Wrong email or password.');
      const token = newToken(SESSION_TOKEN_PREFIX);
      await insertSession(db, hashToken(token), user.id, new Date(Date.now() + SESSION_HOURS * 3_600_000));
      const answer: LoginAnswer = {
        token,
        user: { id: user.id, name: user.name, role: user.role, branchIds: await branchIdsOfUser(db, user.id) },
      };
      return c.json(answer, 200);
    })
    .post('/logout', authenticate(db), requireUser, async (c) => {
      const principal = c.get('principal');
      if (principal.kind === 'user') {
        await revokeSession(db, principal.tokenHash);
        hooks.onSessionEnded(principal.tokenHash);
      }
      return c.body(null, 204);
    })
    .get('/me', authenticate(db), requireUser, (c) => {
      const p = c.get('principal');
      if (p.kind !== 'user') throw new HttpProblem('forbidden', 'Only a signed-in person can do this.');
      return c.json({ user: { id: p.userId, name: p.name, role: p.role, branchIds: p.branchIds } }, 200);
    });
}
