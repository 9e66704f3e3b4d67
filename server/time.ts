const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Seconds formatted lately (zone and second → date, time and offset): formatToParts is slow, and
 * most calls name a few recent moments (now, the last probe, a row just written) over and over.
 */
const recentSeconds = new Map<string, { head: string; offset: string }>();
const RECENT_SECONDS = 256;

/** Epoch ms → ISO 8601 with the hall's offset, e.g. 2026-11-26T09:30:00+08:00. */
export function toIso(ms: number, timeZone: string): string {
	const second = Math.floor(ms / 1000);
	const millis = String(ms - second * 1000).padStart(3, '0');
	const key = `${timeZone} ${second}`;
	let formatted = recentSeconds.get(key);
	if (!formatted) {
		formatted = formatSecond(second * 1000, timeZone);
		if (recentSeconds.size >= RECENT_SECONDS) recentSeconds.clear();
		recentSeconds.set(key, formatted);
	}
	return `${formatted.head}.${millis}${formatted.offset}`;
}

function formatSecond(ms: number, timeZone: string): { head: string; offset: string } {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			timeZoneName: 'longOffset'
		});
		formatters.set(timeZone, f);
	}
	const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
	return {
		head: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`,
		offset
	};
}
