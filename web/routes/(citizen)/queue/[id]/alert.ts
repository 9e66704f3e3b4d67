/** The unmistakable "your turn" alert: a chime, a vibration and, when allowed, a system notice. */
export function alertTurn(notice: { title: string; body: string }): void {
	try {
		const ctx = new AudioContext();
		[0, 0.35, 0.7].forEach((at, i) => {
			const osc = ctx.createOscillator();
			const gain = ctx.createGain();
			osc.frequency.value = [880, 660, 880][i];
			gain.gain.setValueAtTime(0.25, ctx.currentTime + at);
			gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.3);
			osc.connect(gain).connect(ctx.destination);
			osc.start(ctx.currentTime + at);
			osc.stop(ctx.currentTime + at + 0.3);
		});
		setTimeout(() => void ctx.close(), 1500);
	} catch {
		/* audio may be blocked until the user has touched the page */
	}
	navigator.vibrate?.([300, 150, 300, 150, 600]);
	if ('Notification' in window && Notification.permission === 'granted')
		new Notification(notice.title, { body: notice.body });
}
