/**
 * The in-run anchor: a bare Node `ws` server doing what websocket-shootout's
 * Node server does, broadcasting a small JSON message to every client, so our
 * gateway's numbers stand next to a floor measured on this machine, this run.
 * A client sends `broadcast:<seq>`; every other client gets `{seq, sentAt}`.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { now } from './clock.js';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket: WebSocket) => {
  socket.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('broadcast:')) return;
    // Serialized once, sent to each socket: what a broadcast costs at its cheapest.
    const message = JSON.stringify({ seq: Number(text.slice('broadcast:'.length)), sentAt: now() });
    for (const client of wss.clients) if (client !== socket) client.send(message);
  });
});
wss.on('listening', () => {
  const { port } = wss.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ ready: 'anchor', url: `ws://127.0.0.1:${port}` })}\n`);
});
