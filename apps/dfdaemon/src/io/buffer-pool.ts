/**
 * BufferPool recycles buffers of one size, so a busy data path reuses memory instead of
 * allocating per read or per piece (1 MiB allocations churn the allocator and drive GC). A
 * buffer goes back only once nothing uses its bytes any more: written to disk or taken by the
 * socket. At most `keep` spare buffers are kept; the rest are left to the GC.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  /** take returns a spare buffer or a new one, `size` bytes, contents undefined. */
  take = (): Buffer => this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);

  /** give returns a buffer, or any view of one, that came from `take`; others are ignored. */
  give(b: Buffer): void {
    if (b.buffer.byteLength !== this.size || this.free.length >= this.keep) return;
    this.free.push(b.byteOffset === 0 && b.length === this.size ? b : Buffer.from(b.buffer));
  }
}
