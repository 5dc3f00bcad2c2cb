/**
 * The last Engine.IO middleware lets go of an upgraded connection's HTTP request: engine.io's
 * response stand-in for a WebSocket upgrade lives as long as the connection, and without this it
 * keeps the request (headers, parser state) for every spectator. A real long-polling response is
 * left as it is.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { releaseUpgradeRequest } from '../../../server/live/io.ts';

describe('releaseUpgradeRequest', () => {
  it("drops the upgrade response stand-in's request after the middlewares ran, and lets the chain go on", () => {
    const req = new IncomingMessage(new Socket());
    // What engine.io builds for an upgrade: an object with the request, not a ServerResponse.
    const res = { req, socket: req.socket, setHeader: () => undefined };
    const next = vi.fn(() => {
      // Still there while the chain (verify, the handshake) runs on from next().
      expect(res.req).toBe(req);
    });
    releaseUpgradeRequest(req, res as unknown as ServerResponse, next);
    expect(next).toHaveBeenCalledOnce();
    expect(res.req).toBeNull();
  });

  it('leaves a long-polling response alone', () => {
    const req = new IncomingMessage(new Socket());
    const res = new ServerResponse(req);
    const next = vi.fn();
    releaseUpgradeRequest(req, res, next);
    expect(next).toHaveBeenCalledOnce();
    expect(res.req).toBe(req);
  });
});
