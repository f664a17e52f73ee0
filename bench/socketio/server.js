// A minimal Socket.IO room server for `gyre bench --format socketio`: clients emit "sub" with a
// room name (acknowledged), and every body POSTed to /pub is emitted as "pub" to the room named
// by ?room= (default "bench"). Usage: node server.js PORT
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] || 3000);
const http = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/pub')) {
    res.writeHead(404).end();
    return;
  }
  const room = new URL(req.url, 'http://x').searchParams.get('room') || 'bench';
  let body = '';
  req.on('data', c => (body += c));
  req.on('end', () => {
    io.to(room).emit('pub', JSON.parse(body));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
});
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', socket => {
  socket.on('sub', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') ack('ok');
  });
});
http.listen(port, '127.0.0.1', () => console.log(`socket.io room server on ${port}`));
