// Local profile: EventSource on /api/live. The browser resumes by itself with Last-Event-ID after a
// network error; after a fatal one (the stream refused) we open a new one from the last id seen.
import type { LiveTransport } from './live-transport.ts';

export function sseTransport(url = '/api/live', retryMaxMs = 30_000): LiveTransport {
  return {
    connect({ onPayload, onState, lastId }) {
      let es: EventSource | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let retryMs = 1_000;
      let stopped = false;

      const open = () => {
        const since = lastId();
        es = new EventSource(since === null ? url : `${url}?since=${encodeURIComponent(since)}`);
        es.addEventListener('alert', (e) => onPayload((e as MessageEvent<string>).data));
        es.addEventListener('ready', () => {
          retryMs = 1_000;
          onState('live');
        });
        es.onerror = () => {
          if (stopped || !es) return;
          if (es.readyState === EventSource.CLOSED) {
            onState('offline');
            es.close();
            timer = setTimeout(open, retryMs);
            retryMs = Math.min(retryMs * 2, retryMaxMs);
          } else onState('reconnecting');
        };
      };

      // The browser's own network events: an open stream may outlive a network switch unnoticed (it
      // would stay 'offline' after the browser is back), so close on offline and reopen on online.
      const offline = () => {
        if (stopped) return;
        clearTimeout(timer);
        es?.close();
        onState('offline');
      };
      const online = () => {
        if (stopped) return;
        clearTimeout(timer);
        es?.close();
        retryMs = 1_000;
        onState('reconnecting');
        open();
      };
      const win = typeof window === 'undefined' ? undefined : window;
      win?.addEventListener('offline', offline);
      win?.addEventListener('online', online);

      onState('connecting');
      open();
      return () => {
        stopped = true;
        clearTimeout(timer);
        win?.removeEventListener('offline', offline);
        win?.removeEventListener('online', online);
        es?.close();
      };
    },
  };
}
