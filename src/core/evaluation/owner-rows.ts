/**
 * For each attempt (by its index in the deployments table), the run of rows it wrote to one
 * stage or dependency table. An attempt's rows in such a table are appended together, so a
 * start and a count find them all when a later record with the same id replaces it.
 */
export class OwnerRows {
  #first = new Int32Array(1024);
  #count = new Int32Array(1024);

  first(owner: number): number {
    return this.#first[owner] ?? 0;
  }

  count(owner: number): number {
    return this.#count[owner] ?? 0;
  }

  set(owner: number, first: number, count: number): void {
    if (owner >= this.#first.length) {
      let size = this.#first.length * 2;
      while (owner >= size) size *= 2;
      const first2 = new Int32Array(size);
      first2.set(this.#first);
      this.#first = first2;
      const count2 = new Int32Array(size);
      count2.set(this.#count);
      this.#count = count2;
    }
    this.#first[owner] = first;
    this.#count[owner] = count;
  }
}
