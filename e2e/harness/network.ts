import type { BrowserContext, WebSocketRoute } from 'playwright-core';

/**
 * A person's network that the test can cut and restore. Chromium's offline emulation does not end a
 * websocket that is already open, so the live connection is routed through the test: cutting
 * closes it (both sides, as a dropped network would) and refuses new ones until restored.
 */
export interface CuttableNetwork {
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export async function cuttableNetwork(context: BrowserContext): Promise<CuttableNetwork> {
  const open = new Set<WebSocketRoute>();
  let isCut = false;
  await context.routeWebSocket(/\/graphql$/, (route) => {
    if (isCut) {
      void route.close({ code: 1001, reason: 'network cut' });
      return;
    }
    const server = route.connectToServer();
    open.add(route);
    route.onClose(() => {
      open.delete(route);
      void server.close().catch(() => undefined);
    });
  });
  return {
    async cut() {
      isCut = true;
      await context.setOffline(true);
      await Promise.all([...open].map((route) => route.close({ code: 1001, reason: 'network cut' }).catch(() => undefined)));
      open.clear();
    },
    async restore() {
      isCut = false;
      await context.setOffline(false);
    },
  };
}
