export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  title: string;
  detail?: string | undefined;
}

/** Short-lived notices in a corner (training finished, metric change). Each one goes after `ttlMs`. */
export class Toasts {
  items = $state.raw<Toast[]>([]);
  #next = 1;

  show(kind: Toast['kind'], title: string, detail?: string, ttlMs = 9000): number {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, title, detail }].slice(-4);
    if (ttlMs > 0) setTimeout(() => this.dismiss(id), ttlMs);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}
