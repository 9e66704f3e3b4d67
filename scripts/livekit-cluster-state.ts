// What a LiveKit cluster keeps in its Redis, read for tests and `npm run cluster`: which node
// hosts a room (hash `room_node_map`: room name → node id) and each node's state (hash `nodes`:
// node id → the livekit.Node protobuf, whose field 6 is its NodeState). A node that got SIGTERM
// turns SHUTTING_DOWN there at once, and LiveKit's node selector places no new room on it.
import { redisCommand, redisCommandBytes } from './redis-process.ts';

export type LiveKitNodeState = 'starting' | 'serving' | 'shutting_down' | 'suspended';

const STATES: LiveKitNodeState[] = ['starting', 'serving', 'shutting_down', 'suspended'];

/** The id of the node hosting the room, or null when LiveKit has placed it nowhere (yet). */
export async function roomHost(redisAddress: string, room: string): Promise<string | null> {
	const node = await redisCommand(redisAddress, 'HGET', 'room_node_map', room);
	return typeof node === 'string' ? node : null;
}

/** Every registered node's state, by node id. */
export async function liveKitNodeStates(
	redisAddress: string
): Promise<Map<string, LiveKitNodeState>> {
	const flat = await redisCommandBytes(redisAddress, 'HGETALL', 'nodes');
	const states = new Map<string, LiveKitNodeState>();
	if (!Array.isArray(flat)) return states;
	for (let i = 0; i + 1 < flat.length; i += 2) {
		const [id, node] = [flat[i], flat[i + 1]];
		if (Buffer.isBuffer(id) && Buffer.isBuffer(node))
			states.set(id.toString('utf8'), STATES[protoEnumField(node, 6)] ?? 'starting');
	}
	return states;
}

/** A top-level varint field of a protobuf message (0, proto3's default, when absent). */
function protoEnumField(msg: Buffer, field: number): number {
	let at = 0;
	const varint = () => {
		let value = 0;
		let shift = 0;
		for (;;) {
			const byte = msg[at++];
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
			shift += 7;
		}
	};
	while (at < msg.length) {
		const tag = varint();
		const [number, wire] = [Math.floor(tag / 8), tag % 8];
		if (wire === 0) {
			const value = varint();
			if (number === field) return value;
		} else if (wire === 2) {
			const length = varint(); // read first: `at += varint()` would add to the old `at`
			at += length;
		} else if (wire === 1) at += 8;
		else if (wire === 5) at += 4;
		else throw new Error(`unexpected protobuf wire type ${wire}`);
	}
	return 0;
}
