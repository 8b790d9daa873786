/**
 * @module quickback/addons/realtime/addon
 * Realtime as an add-on: tickets and the websocket at /broadcast/v1 (realtime-routes.ts), and the
 * publishing of CRUD writes to the channel of each row's tenant.
 */
import type { QuickbackAddon } from '../../core/addon.js';
import { REALTIME_BASE, realtimeListener, realtimeRoutes, type RealtimeOptions } from './realtime-routes.js';

export function realtimeAddon(options: RealtimeOptions): QuickbackAddon {
  return {
    id: 'realtime',
    basePath: REALTIME_BASE,
    routes: () => realtimeRoutes(options),
    listener: realtimeListener(options),
  };
}
