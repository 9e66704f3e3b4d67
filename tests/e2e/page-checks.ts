// What a page must be for its users, measured in the browser: axe-core's accessibility rules,
// tap targets large enough for a finger (44 px; 48 px and 60 px for main actions in 适老化 mode)
// and no text too small to read (16 px; 20 px in 适老化 mode). Each answers a list of problems,
// so a failing test names every element at once.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

/** axe-core's violations; `enhanced` adds the 7:1 contrast rule that 适老化 mode asks for. */
export async function axeProblems(
	page: Page,
	opts: { enhanced?: boolean } = {}
): Promise<string[]> {
	await page.evaluate(axeSource);
	return page.evaluate(async (enhanced) => {
		// @ts-expect-error axe is injected above
		const result = await window.axe.run(document, {
			resultTypes: ['violations'],
			rules: enhanced ? { 'color-contrast-enhanced': { enabled: true } } : {}
		});
		return (
			result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]
		).map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	}, opts.enhanced ?? false);
}

/**
 * Every visible control smaller than a finger, and every visible text smaller than the mode's
 * minimum. Controls: links, buttons, inputs, selects, text areas, summaries, and for radios and
 * checkboxes their labels (the label is what a finger taps). Main actions (`.primary`) must be
 * 60×60 in 适老化 mode. A link inside a sentence is exempt (WCAG 2.5.8's inline exception).
 */
export function sizeProblems(page: Page, care: boolean): Promise<string[]> {
	return page.evaluate((care) => {
		const minTarget = care ? 48 : 44;
		const minMain = care ? 60 : 44;
		const minText = care ? 20 : 16;
		const problems: string[] = [];
		const shown = (el: Element) => {
			const r = el.getBoundingClientRect();
			const s = getComputedStyle(el);
			return (
				r.width > 1 &&
				r.height > 1 &&
				r.right > 0 &&
				r.left < window.innerWidth &&
				s.visibility !== 'hidden' &&
				s.opacity !== '0' &&
				!el.closest('[aria-hidden="true"], .visually-hidden')
			);
		};
		const named = (el: Element) =>
			`<${el.tagName.toLowerCase()}> "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
		const targets: Element[] = [
			...document.querySelectorAll(
				'a[href], button, input:not([type="hidden"]):not([type="radio"]):not([type="checkbox"]), select, textarea, summary'
			)
		];
		for (const input of document.querySelectorAll<HTMLInputElement>(
			'input[type="radio"], input[type="checkbox"]'
		)) {
			const label =
				input.closest('label') ??
				(input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null);
			targets.push(label ?? input);
		}
		for (const el of new Set(targets)) {
			if (!shown(el)) continue;
			if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.closest('p'))
				continue;
			const r = el.getBoundingClientRect();
			const need = el.matches('.primary') ? minMain : minTarget;
			if (r.width < need - 0.5 || r.height < need - 0.5)
				problems.push(
					`target ${Math.round(r.width)}×${Math.round(r.height)} < ${need}: ${named(el)}`
				);
		}
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const seen = new Set<Element>();
		while (walker.nextNode()) {
			const node = walker.currentNode;
			const el = node.parentElement;
			if (!el || !node.textContent?.trim() || seen.has(el)) continue;
			seen.add(el);
			if (!shown(el)) continue;
			const px = parseFloat(getComputedStyle(el).fontSize);
			if (px < minText - 0.05)
				problems.push(
					`text ${px.toFixed(1)}px < ${minText}: "${node.textContent.trim().slice(0, 30)}"`
				);
		}
		return problems;
	}, care);
}

/**
 * Catalogue keys shown in place of their message (a page that did not load the part its key is
 * in, web/lib/i18n/parts.ts): in the text, or a label, placeholder or title of an element.
 */
export function untranslatedKeys(page: Page, keys: readonly string[]): Promise<string[]> {
	return page.evaluate((keys) => {
		const known = new Set(keys);
		const shown = [document.title, document.body.innerText];
		for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]'))
			for (const name of ['aria-label', 'placeholder', 'title', 'alt'])
				shown.push(el.getAttribute(name) ?? '');
		const found = new Set<string>();
		for (const text of shown)
			for (const m of text.matchAll(/[a-zA-Z][\w-]*(?:\.[\w-]+)+/g))
				if (known.has(m[0])) found.add(m[0]);
		return [...found];
	}, keys);
}
