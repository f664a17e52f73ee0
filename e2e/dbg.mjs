import WebSocket from 'ws';
import { execSync } from 'node:child_process';
const token = execSync('java -jar ../target/gyre.jar gentoken -c ../conf/config.json -u alice -q').toString();
const ws = new WebSocket('ws://localhost:8000/connection/websocket');
ws.on('open', () => ws.send(JSON.stringify({connect:{token, name:'js'}, id:1}) + '\n' + JSON.stringify({subscribe:{channel:'chat:room-42', flag:1}, id:2})));
ws.on('message', (d, bin) => console.log('msg', bin, d.toString()));
ws.on('close', (c, r) => console.log('close', c, r.toString()));
setTimeout(() => process.exit(0), 2000);
