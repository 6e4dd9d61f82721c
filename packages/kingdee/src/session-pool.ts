/** The client-side state of one integration user's Kingdee session. Holds credentials-derived secrets: never log it. */
export interface KingdeeSession {
  /** Position in the pool (safe to log). */
  readonly index: number;
  readonly username: string;
  /** KDSVCSessionId, sent back as header `kdservice-sessionid`; undefined until logged in. */
  sessionId: string | undefined;
  /** Cookies the server set (kdservice-sessionid, ASP.NET_SessionId ...), sent back on every call. */
  readonly cookies: Map<string, string>;
}

/** Exclusive use of one session until `release()` (idempotent). */
export interface SessionLease {
  readonly session: KingdeeSession;
  release(): void;
}

export interface SessionPool {
  readonly sessions: readonly KingdeeSession[];
  /**
   * Hands out the least-busy session (fewest calls running or queued; ties go to the lowest index) once every
   * earlier caller of that session has released it: one call in flight per session, FIFO.
   */
  acquire(): Promise<SessionLease>;
  /** Waits for and takes one particular session (logout on close). */
  acquireSession(index: number): Promise<SessionLease>;
  /** Calls running or queued per session (for logs and tests). */
  load(): number[];
}

interface Slot {
  session: KingdeeSession;
  pending: number;
  tail: Promise<void>;
}

/** One session per integration user, each serialised client-side (Kingdee queues per user anyway). */
export function createSessionPool(usernames: readonly string[]): SessionPool {
  if (usernames.length === 0) throw new Error('Kingdee session pool needs at least one user');
  const slots: Slot[] = usernames.map((username, index) => ({
    session: { index, username, sessionId: undefined, cookies: new Map() },
    pending: 0,
    tail: Promise.resolve(),
  }));

  return {
    sessions: slots.map((s) => s.session),
    load: () => slots.map((s) => s.pending),
    acquire() {
      let slot = slots[0];
      for (const s of slots) if (s.pending < slot.pending) slot = s;
      return take(slot);
    },
    acquireSession(index) {
      const slot = slots[index];
      if (!slot) throw new RangeError(`no Kingdee session ${index}`);
      return take(slot);
    },
  };
}

/** Queues for the slot (FIFO) and resolves once every earlier holder released it. */
async function take(slot: Slot): Promise<SessionLease> {
  slot.pending += 1;
  const previous = slot.tail;
  let open!: () => void;
  slot.tail = new Promise<void>((resolve) => {
    open = resolve;
  });
  await previous;
  let released = false;
  return {
    session: slot.session,
    release() {
      if (released) return;
      released = true;
      slot.pending -= 1;
      open();
    },
  };
}
