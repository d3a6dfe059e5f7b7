const EMPTY = -1;

/**
 * Maps attempt ids to row numbers without keeping the id strings: each id is reduced to two
 * independent 53-bit hashes (106 bits). Keeping a million id strings alive was the largest
 * garbage-collection cost of reading a large history; with 106 bits the chance that any two of
 * a million distinct ids collide is about 6·10⁻²¹ (docs/decisions.md).
 */
export class IdIndex {
  #slots = new Int32Array(1 << 12).fill(EMPTY);
  #mask = (1 << 12) - 1;
  #high = new Float64Array(1 << 11);
  #low = new Float64Array(1 << 11);
  #size = 0;
  // Written by #hash, read right after: avoids allocating a pair per lookup.
  #h1 = 0;
  #h2 = 0;

  get size(): number {
    return this.#size;
  }

  #hash(text: string): void {
    let a = 0x811c9dc5 | 0;
    let b = 0x9747b28c | 0;
    let c = 0x2545f491 | 0;
    let d = 0x61c88647 | 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      a = Math.imul(a ^ ch, 16777619);
      b = Math.imul(b ^ ch, 0x5bd1e995) ^ (b >>> 15);
      c = Math.imul(c + ch, 0x85ebca6b) ^ (c >>> 13);
      d = Math.imul(d ^ (ch + i), 0xc2b2ae35) ^ (d >>> 16);
    }
    // Mix the length in so ids that differ only by trailing zero characters differ.
    d = Math.imul(d ^ text.length, 0x27d4eb2f);
    this.#h1 = (a >>> 0) * 2_097_152 + ((b >>> 0) & 0x1fffff);
    this.#h2 = (c >>> 0) * 2_097_152 + ((d >>> 0) & 0x1fffff);
  }

  /** The row of `id`, or -1. */
  get(id: string): number {
    this.#hash(id);
    const h1 = this.#h1;
    const h2 = this.#h2;
    for (let p = h1 % (this.#mask + 1); ; p = (p + 1) & this.#mask) {
      const row = this.#slots[p] ?? EMPTY;
      if (row === EMPTY) return EMPTY;
      if (this.#high[row] === h1 && this.#low[row] === h2) return row;
    }
  }

  /** Whether the last getOrAdd added its id (a field rather than a pair: no allocation per call). */
  lastAdded = false;

  /** The row of `id`, adding it as the next row (`size` before the call) when new. */
  getOrAdd(id: string): number {
    this.#hash(id);
    const h1 = this.#h1;
    const h2 = this.#h2;
    let p = h1 % (this.#mask + 1);
    for (; ; p = (p + 1) & this.#mask) {
      const row = this.#slots[p] ?? EMPTY;
      if (row === EMPTY) break;
      if (this.#high[row] === h1 && this.#low[row] === h2) {
        this.lastAdded = false;
        return row;
      }
    }
    const row = this.#size++;
    if (row === this.#high.length) {
      const high = new Float64Array(row * 2);
      const low = new Float64Array(row * 2);
      high.set(this.#high);
      low.set(this.#low);
      this.#high = high;
      this.#low = low;
    }
    this.#high[row] = h1;
    this.#low[row] = h2;
    this.#slots[p] = row;
    // Keep the load factor under one half so probe runs stay short.
    if (this.#size * 2 > this.#mask + 1) this.#rehash();
    this.lastAdded = true;
    return row;
  }

  #rehash(): void {
    const size = (this.#mask + 1) * 2;
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let row = 0; row < this.#size; row++) {
      let p = (this.#high[row] ?? 0) % size;
      while (slots[p] !== EMPTY) p = (p + 1) & mask;
      slots[p] = row;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
