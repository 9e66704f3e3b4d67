import type { Deps } from '../deps.ts';
import type { User } from '../../shared/schemas/auth.ts';
import type { DeviceCheckToken } from '../../shared/schemas/health.ts';
import { AppError } from '../http/errors.ts';
import { newId } from '../ids.ts';
import { liveKitReachability } from './reachability.ts';

export const DEVICE_CHECK_ROOM_PREFIX = 'device-check-';

/**
 * A token for a private, throw-away room where the user publishes camera and microphone to
 * prove the connection works end to end (设备检测). Nobody else is ever given this room.
 */
export async function issueDeviceCheckToken(deps: Deps, user: User): Promise<DeviceCheckToken> {
	if (!deps.livekit || !deps.config.livekit)
		throw new AppError(
			503,
			'video_unavailable',
			'Video is unavailable: no LiveKit server is configured'
		);
	// Refused like a session token: a check against a server that does not answer would only
	// fail later in the browser with a vaguer message.
	if (!(await liveKitReachability(deps.livekit, 1500)).ok)
		throw new AppError(503, 'video_unavailable', 'Video is unavailable right now; try again later');
	const room = `${DEVICE_CHECK_ROOM_PREFIX}${newId()}`;
	const token = await deps.livekit.createToken({
		room,
		identity: user.id,
		name: user.name,
		metadata: { role: user.role, purpose: 'device-check' },
		ttlSeconds: deps.config.livekit.tokenTtlSeconds,
		canPublish: true,
		canSubscribe: true,
		canPublishData: false,
		sources: ['camera', 'microphone']
	});
	return { url: deps.livekit.url, token, room };
}
