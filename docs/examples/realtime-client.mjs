// A complete real-time client: logs in over REST, connects to Socket.IO with the token, joins a
// room and prints every event it receives. Run it with Node.js 22.12 or later next to an installed
// socket.io-client (npm install socket.io-client):
//   CIMORINGS_URL=http://localhost:3000 CIMORINGS_USERNAME=admin CIMORINGS_PASSWORD=secret \
//   CIMORINGS_ROOM=dashboard node realtime-client.mjs
import { io } from 'socket.io-client';

const url = process.env.CIMORINGS_URL ?? 'http://localhost:3000';
const room = process.env.CIMORINGS_ROOM ?? 'dashboard';

const login = await fetch(`${url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    username: process.env.CIMORINGS_USERNAME ?? 'admin',
    password: process.env.CIMORINGS_PASSWORD ?? '',
  }),
});
if (!login.ok) {
  const { error } = await login.json();
  console.error(`login failed: ${login.status} ${error.code}`);
  process.exit(1);
}
const { token } = await login.json();

const socket = io(url, { auth: { token } });

socket.on('connect', () => {
  // Rooms are left when the connection drops: join again after every (re)connection.
  socket.emit('join_room', { room }, (answer) => {
    if (answer.ok) console.log(`joined ${room}`);
    else console.error(`join_room ${room} refused: ${answer.error}`);
  });
});

socket.on('connect_error', (error) => {
  // "Unauthorized": the token is missing, forged or expired; log in again.
  console.error(`connect_error: ${error.message}`);
});

socket.on('disconnect', (reason) => {
  // "io server disconnect": the server closed it (token expired, user disabled or changed);
  // Socket.IO does not reconnect by itself then.
  console.log(`disconnected: ${reason}`);
  if (reason === 'io server disconnect') process.exit(0);
});

// Every event the server sends, whatever its name (docs/realtime-api.md lists them): a client
// that names none misses none.
socket.onAny((name, payload) => console.log(`${name} ${JSON.stringify(payload)}`));
