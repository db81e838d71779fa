import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { editorSessions, editors } from '../db/schema';

export function editorByEmail(db: Db, email: string) {
  return db.select().from(editors).where(eq(editors.email, email)).get();
}

/** Starts a session and records the sign-in on the editor, in one round trip. */
export async function insertSession(db: Db, session: { id: string; editorId: number; now: Date; expiresAt: Date }) {
  await db.batch([
    db.insert(editorSessions).values({
      id: session.id,
      editorId: session.editorId,
      createdAt: session.now,
      lastSeenAt: session.now,
      expiresAt: session.expiresAt,
    }),
    db.update(editors).set({ lastSignedInAt: session.now }).where(eq(editors.id, session.editorId)),
  ]);
}

/** A session and the editor it signs in (never the password hash). */
export function sessionWithEditor(db: Db, id: string) {
  return db
    .select({
      expiresAt: editorSessions.expiresAt,
      lastSeenAt: editorSessions.lastSeenAt,
      editorId: editors.id,
      email: editors.email,
      name: editors.name,
      role: editors.role,
      authorId: editors.authorId,
    })
    .from(editorSessions)
    .innerJoin(editors, eq(editors.id, editorSessions.editorId))
    .where(eq(editorSessions.id, id))
    .get();
}

export async function touchSession(db: Db, id: string, now: Date) {
  await db.update(editorSessions).set({ lastSeenAt: now }).where(eq(editorSessions.id, id));
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(editorSessions).where(eq(editorSessions.id, id));
}
