/**
 * A tiny deterministic pseudo-random generator (mulberry32 over a 32-bit state) so that generated data,
 * random mutations and fault draws are reproducible from a seed. Not for anything security related.
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A key of `weights` drawn proportionally to its weight (non-positive weights never win). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

/** 32-bit FNV-1a hash of a string seed. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates a generator; the same seed always yields the same sequence. */
export function createPrng(seed: number | string): Prng {
  // Typed-array state keeps the 32-bit arithmetic unboxed (a plain `let` of uint32 values allocates heap numbers).
  const state = new Uint32Array([typeof seed === 'number' ? seed >>> 0 : hashSeed(seed)]);
  const next = (): number => {
    state[0] = state[0]! + 0x6d2b79f5;
    let t = state[0]! | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const prng: Prng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (weights) => {
      const entries = (Object.entries(weights) as [keyof typeof weights, number][]).filter(([, w]) => w > 0);
      const total = entries.reduce((s, [, w]) => s + w, 0);
      if (entries.length === 0) throw new Error('weighted pick needs a positive weight');
      let r = next() * total;
      for (const [k, w] of entries) {
        r -= w;
        if (r < 0) return k;
      }
      return entries[entries.length - 1]![0];
    },
  };
  return prng;
}
