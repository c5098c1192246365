/**
 * An open-addressing hash table from integer keys (0 ≤ key < 2^53, stored as float64) to int32
 * values, on typed arrays. A Map<number, number> of the ~900k distinct 1–2-grams of 45,000
 * EURLEX57K documents costs several times the memory and is slower to fill; this keeps 12 bytes
 * a slot and grows by doubling.
 */
const EMPTY = -1;

function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyTable {
  #keys: Float64Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;

  constructor(capacityHint = 1024) {
    let cap = 16;
    while (cap < capacityHint * 2) cap *= 2;
    this.#keys = new Float64Array(cap).fill(EMPTY);
    this.#values = new Int32Array(cap);
    this.#mask = cap - 1;
  }

  get size(): number {
    return this.#size;
  }

  #slot(key: number): number {
    let i = hashKey(key) & this.#mask;
    const keys = this.#keys;
    while (keys[i] !== EMPTY && keys[i] !== key) i = (i + 1) & this.#mask;
    return i;
  }

  /** The value of key, or `missing` when absent. */
  get(key: number, missing = -1): number {
    const i = this.#slot(key);
    return this.#keys[i] === key ? this.#values[i]! : missing;
  }

  has(key: number): boolean {
    return this.#keys[this.#slot(key)] === key;
  }

  set(key: number, value: number): void {
    this.#values[this.#claim(key)] = value;
  }

  /** values[key] += delta (absent keys start at 0). */
  add(key: number, delta = 1): void {
    this.#values[this.#claim(key)]! += delta;
  }

  /** The slot holding `key`, taken (value 0) when the key is new. */
  #claim(key: number): number {
    let i = this.#slot(key);
    if (this.#keys[i] !== key) {
      if ((this.#size + 1) * 2 > this.#keys.length) {
        this.#grow();
        i = this.#slot(key);
      }
      this.#keys[i] = key;
      this.#values[i] = 0;
      this.#size++;
    }
    return i;
  }

  /** Calls f(key, value) for every entry (in slot order). */
  forEach(f: (key: number, value: number) => void): void {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) f(keys[i]!, this.#values[i]!);
  }

  /** Removes every entry whose value fails `keep`; returns how many were removed. */
  retain(keep: (key: number, value: number) => boolean): number {
    const kept: [number, number][] = [];
    this.forEach((k, v) => {
      if (keep(k, v)) kept.push([k, v]);
    });
    const removed = this.#size - kept.length;
    this.#keys.fill(EMPTY);
    this.#size = 0;
    for (const [k, v] of kept) this.set(k, v);
    return removed;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    this.#keys = new Float64Array(oldKeys.length * 2).fill(EMPTY);
    this.#values = new Int32Array(oldKeys.length * 2);
    this.#mask = this.#keys.length - 1;
    this.#size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.set(oldKeys[i]!, oldValues[i]!);
  }
}
