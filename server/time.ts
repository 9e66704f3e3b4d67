const formatters = new Map<string, Intl.DateTimeFormat>();

/** Epoch ms → ISO 8601 with the hall's offset, e.g. 2026-11-26T09:30:00+08:00. */
export function toIso(ms: number, timeZone: string): string {
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
	const millis = String(ms % 1000).padStart(3, '0');
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${millis}${offset}`;
}
