/**
 * A bound on the image pixels being worked on at once across concurrent claims. Normalising a page
 * and the fraud signals decode the photo at full size (about 4.5 and 9 bytes a pixel at their
 * peaks), so a run of large photos in a row would otherwise hold several of them at once. Work asks
 * for its pixels (at most the whole budget, so one image too large for it still runs, alone) and
 * waits in arrival order until they are free.
 */
export class PixelBudget {
  private inUse = 0;
  private readonly waiting: Array<{ pixels: number; start: () => void }> = [];

  constructor(private readonly capacity: number) {}

  async run<T>(pixels: number, work: () => Promise<T>): Promise<T> {
    const share = Math.min(pixels, this.capacity);
    await this.acquire(share);
    try {
      return await work();
    } finally {
      this.inUse -= share;
      this.startWaiting();
    }
  }

  private acquire(pixels: number): Promise<void> {
    if (this.waiting.length === 0 && this.inUse + pixels <= this.capacity) {
      this.inUse += pixels;
      return Promise.resolve();
    }
    return new Promise((start) => this.waiting.push({ pixels, start }));
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0]!.pixels <= this.capacity) {
      const next = this.waiting.shift()!;
      this.inUse += next.pixels;
      next.start();
    }
  }
}
