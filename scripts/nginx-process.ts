// Starts Debian's nginx (/usr/sbin/nginx) as the load balancer in front of the hall's app nodes,
// in a temporary folder on a free port, and stops and removes it again. Used by `npm run cluster`
// (scripts/cluster.ts), the cross-node e2e test and `npm run bench:cluster`. Everything nginx
// writes (pid, error log, temp files of uploads and proxied answers) stays inside that folder, so
// it runs as any user and never touches /etc/nginx or /var/lib/nginx. The settings and why each
// is there: README "Running a city" (the balancer).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './livekit-process.ts';

export const NGINX_BINARY = '/usr/sbin/nginx';

/**
 * A cookie that pins one browser to one app node (its index in `upstreams`), the other nodes
 * standing by as backups: how the cross-node e2e test makes "the citizen's browser on node A,
 * the agent's on node B" deterministic, and how an operator looks at one node through the
 * balancer. Without it every request is balanced round robin; the hall never needs it.
 */
export const PIN_COOKIE = 'hall_node';

/** The balancer's answer header naming the app node that served a request (host:port). */
export const UPSTREAM_HEADER = 'x-hall-upstream';

/** Largest request body the balancer passes on: a document upload (the app's BODY_SIZE_LIMIT, 12M). */
export const CLIENT_MAX_BODY_SIZE = '12m';

export interface Balancer {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	stop(): Promise<void>;
}

export interface BalancerOptions {
	/** the app nodes, 'http://127.0.0.1:<port>' each */
	upstreams: string[];
	/** the port to listen on (default: a free one) */
	port?: number;
	/** nginx's error log, line by line (default: dropped) */
	log?: (line: string) => void;
	timeoutMs?: number;
}

function hostPort(upstream: string): string {
	const url = new URL(upstream);
	if (url.protocol !== 'http:' || !url.port || url.pathname !== '/')
		throw new Error(`upstream must be http://host:port, got ${upstream}`);
	return url.host;
}

/** nginx.conf of the balancer: round robin over the nodes, passive failover, SSE unbuffered. */
export function balancerConfig(dir: string, port: number, upstreams: string[]): string {
	const nodes = upstreams.map(hostPort);
	// a node that refused or dropped one connection is left out for 5 s, then tried again
	const server = (hp: string, backup = false) =>
		`    server ${hp} max_fails=3 fail_timeout=5s${backup ? ' backup' : ''};`;
	const pinned = nodes.map((hp, i) =>
		[
			`  upstream hall_node_${i} {`,
			`    zone hall_node_${i} 64k;`,
			server(hp),
			...nodes.filter((_, j) => j !== i).map((other) => server(other, true)),
			'    keepalive 32;',
			'  }'
		].join('\n')
	);
	return `# written by scripts/nginx-process.ts; see README "Running a city"
worker_processes auto;
pid ${dir}/nginx.pid;
lock_file ${dir}/nginx.lock;
error_log stderr warn;
# every SSE client holds two connections (browser side, app side)
worker_rlimit_nofile 20000;
# after a reload (a node taken out for a rolling restart) the old workers close their
# streams within 30 s instead of lingering as long as one stays open; the browsers reconnect
worker_shutdown_timeout 30s;
events {
  worker_connections 9000;
}
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # zone: one round robin and one record of failed nodes for all workers
  upstream hall {
    zone hall 64k;
${nodes.map((hp) => server(hp)).join('\n')}
    keepalive 64;
  }
${pinned.join('\n')}

  map $cookie_${PIN_COOKIE} $hall_upstream {
    default hall;
${nodes.map((_, i) => `    ${i} hall_node_${i};`).join('\n')}
  }

  # WebSocket upgrades pass through (the hall uses SSE today); otherwise an empty Connection
  # header keeps the upstream connection alive for the next request
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' '';
  }

  server {
    listen 127.0.0.1:${port};
    client_max_body_size ${CLIENT_MAX_BODY_SIZE};
    # a document upload is passed on as it arrives, not spooled to disk first
    proxy_request_buffering off;

    location / {
      proxy_pass http://$hall_upstream;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # the app takes the right-most address (ADDRESS_HEADER=x-forwarded-for, XFF_DEPTH=1):
      # the one nginx appends, which a client cannot forge
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;

      # event streams (SSE): every event goes out at once, and an idle stream stays open
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      add_header X-Accel-Buffering no always;

      # passive failover: a node that refuses, drops or times out a request has it sent to the
      # next node. Not for a POST already sent (no non_idempotent): its retry carries an
      # idempotency key from the page instead, so it lands once.
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout 10s;

      add_header X-Hall-Upstream $upstream_addr always;
    }
  }
}
`;
}

export async function startBalancer(opts: BalancerOptions): Promise<Balancer> {
	if (!fs.existsSync(NGINX_BINARY))
		throw new Error(`nginx is not installed (Debian: apt-get install nginx): no ${NGINX_BINARY}`);
	if (!opts.upstreams.length) throw new Error('the balancer needs at least one app node');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-nginx-'));
	// as root, nginx's workers run as nobody: they must reach the temp folders nginx makes here
	fs.chmodSync(dir, 0o755);
	const port = opts.port ?? (await freeTcpPort());
	const conf = path.join(dir, 'nginx.conf');
	fs.writeFileSync(conf, balancerConfig(dir, port, opts.upstreams));
	const log = opts.log ?? (() => {});
	let stderr = '';
	const child = spawn(NGINX_BINARY, ['-p', dir, '-c', conf, '-e', 'stderr', '-g', 'daemon off;'], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const take = (d: Buffer) => {
		stderr = (stderr + d).slice(-4000);
		for (const line of String(d).split('\n')) if (line.trim()) log(line);
	};
	child.stdout.on('data', take);
	child.stderr.on('data', take);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGQUIT'); // graceful: finish the requests in flight, close the streams
			const late = setTimeout(() => child.kill('SIGTERM'), 3_000);
			const later = setTimeout(() => child.kill('SIGKILL'), 8_000);
			await exited;
			clearTimeout(late);
			clearTimeout(later);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};

	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
	for (;;) {
		if (child.exitCode !== null) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw new Error(`nginx exited (${child.exitCode}): ${stderr}`);
		}
		// listening once a connection is accepted (any answer, even 502 from a node not up yet)
		const up = await new Promise<boolean>((resolve) => {
			const s = new net.Socket();
			s.once('connect', () => (s.destroy(), resolve(true)));
			s.once('error', () => resolve(false));
			s.connect(port, '127.0.0.1');
		});
		if (up) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`nginx did not listen on ${port} in time: ${stderr}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return { url, port, stop };
}
