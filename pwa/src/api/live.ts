/**
 * Following a websocket stream (/ws/) opened with a single-use ticket: after a drop,
 * a new ticket and a new socket, resumed from the last position seen (?after=), so
 * that nothing is missed or shown twice.
 */

export const RECONNECT_MS = 5000;

export class LiveStream {
  private socket: WebSocket | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    /** Asks the server for a ticket (its ``url`` is the socket's address). */
    private readonly ticket: () => Promise<{ url: string }>,
    /** The last position of the requests' log seen, 0 for none. */
    private readonly position: () => number,
    private readonly onMessage: (data: unknown) => void,
    /** What the ticket's address is relative to: Guichet's origin (a widget runs on another site's page). */
    private readonly base: string = typeof location === 'undefined' ? 'http://localhost/' : location.href,
  ) {}

  start(): void {
    this.stopped = false;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close();
  }

  private async open(): Promise<void> {
    try {
      const { url: address } = await this.ticket();
      if (this.stopped) return;
      const url = new URL(address, this.base);
      url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
      const after = this.position();
      if (after) url.searchParams.set('after', `submission:${after}`);
      const socket = new WebSocket(url);
      this.socket = socket;
      socket.addEventListener('message', (message) => this.onMessage(message.data));
      socket.addEventListener('close', () => {
        if (this.socket === socket && !this.stopped) this.later();
      });
    } catch {
      if (!this.stopped) this.later();
    }
  }

  private later(): void {
    this.retry = setTimeout(() => void this.open(), RECONNECT_MS);
  }
}
