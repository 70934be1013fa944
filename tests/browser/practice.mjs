/**
 * practice.mjs: the practice simulations ("Thực hành") in Chromium at
 * 360 px: every simulation of the shipped pack completed without
 * JavaScript (each answer a form POST and a new page) and with it (the
 * same forms run in place, no page load), a wrong answer on purpose to see
 * the hint, "Chỉ cho tôi" outlining the right area, tap areas at least
 * 48 px, axe-core clean.  Screenshots of each simulation's first and last
 * step (and its end) go to HV_SCREENSHOTS and, when set, HV_PRACTICE_SHOTS.
 * Run by run.sh with journeys.mjs (same server and environment).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const BASE = process.env.HV_BASE_URL;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.HV_CHROMIUM || '/usr/bin/chromium';
const SHOT_DIRS = [process.env.HV_SCREENSHOTS || path.resolve('screenshots'), process.env.HV_PRACTICE_SHOTS].filter(Boolean);
const PHONE = { width: 360, height: 740 };
const T = { timeout: 120_000 };

/* The right answers of the shipped simulations, and a wrong one for step 1. */
const SIMS = [
	{ path: '/thuc-hanh/vneid/cai-vneid-tu-kho-chinh-thuc', wrong: ['choice', '1'],
		right: [['choice', '2'], ['tap', '1'], ['text', 'VNeID'], ['tap', '2'], ['tap', '1'], ['tap', '2']] },
	{ path: '/thuc-hanh/thanh-toan-khong-tien-mat/tra-tien-bang-qr', wrong: ['tap', '1'],
		right: [['tap', '2'], ['tap', '1'], ['text', '150000'], ['choice', '2'], ['tap', '1'], ['tap', '1']] },
	{ path: '/thuc-hanh/lua-dao-truc-tuyen/nhan-ra-tin-nhan-cuoc-goi-lua-dao', wrong: ['choice', '1'],
		right: [['choice', '3'], ['choice', '1'], ['choice', '2'], ['choice', '2'], ['tap', '4'], ['tap', '1']] },
	{ path: '/thuc-hanh/dien-thoai-thong-minh/dat-khoa-man-hinh-manh', wrong: ['tap', '1'],
		right: [['tap', '4'], ['tap', '4'], ['tap', '1'], ['tap', '4'], ['choice', '3'], ['text', '947261']] },
];

let browser;
before(async () => {
	for (const d of SHOT_DIRS) mkdirSync(d, { recursive: true });
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});
after(async () => { await browser?.close(); });

/* axe runs on timers, which do not fire with JavaScript off: the pages are
 * checked in the JavaScript run, where the same server-rendered markup is
 * swapped in (the no-JS run checks the flow and the layout). */
async function axeClean(page, label) {
	if (label.includes('js false')) return;
	// Evaluated, not added as a script tag: the CSP (kept) refuses inline scripts.
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(AXE_SOURCE);
	const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
	const lines = r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${v.help}`));
	assert.deepEqual(lines, [], `axe on ${label}`);
}

async function shot(page, name) {
	for (const d of SHOT_DIRS) await page.screenshot({ path: path.join(d, `${name}.png`), fullPage: true });
}

/* Sends one answer from the step's own form. */
async function answer(page, [kind, value]) {
	if (kind === 'text') {
		await page.fill('#sim-text', value);
		await page.click('form.sim-form button[type=submit]:not([name])');
	} else {
		await page.click(`button[name=${kind}][value="${value}"]`);
	}
}

async function onStep(page, n) {
	await page.waitForSelector(n === 'done' ? '#practice.done' : `#practice.s${n}`);
}

async function runSim(page, sim, js) {
	const name = sim.path.split('/').pop();
	const res = await page.goto(sim.path + '/1');
	assert.equal(res.status(), 200);
	await onStep(page, 1);
	if (js) await page.evaluate(() => { window.__samePage = true; });
	// Tap areas: real buttons, labelled, at least 48 px on a 360 px phone.
	for (const b of await page.locator('.screen .area').all()) {
		const box = await b.boundingBox();
		assert.ok(box.width >= 48 && box.height >= 48, `${name}: tap area ${await b.getAttribute('aria-label')} is ${box.width}×${box.height}`);
		assert.ok(await b.getAttribute('aria-label'));
	}
	assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, `${name}: no horizontal scroll`);
	if (!js) await shot(page, `${name}-buoc-1`);
	// A wrong answer on purpose: the hint, still on step 1.
	await answer(page, sim.wrong);
	await page.waitForSelector('#practice [role=alert]');
	await onStep(page, 1);
	assert.match(await page.locator('#practice [role=alert]').innerText(), /Chưa đúng/);
	await axeClean(page, `${name} step 1 with the hint (js ${js})`);
	// "Show me": the right area or choice outlined (or the text to type shown).
	await page.click('button[name=show]');
	await page.waitForSelector('#practice [role=status]');
	const [kind] = sim.right[0];
	if (kind !== 'text') assert.equal(await page.locator(`.lit[name=${kind}][value="${sim.right[0][1]}"]`).count(), 1, `${name}: show me outlines the answer`);
	await axeClean(page, `${name} step 1 shown (js ${js})`);
	for (let i = 0; i < sim.right.length; i++) {
		await onStep(page, i + 1);
		if (i === sim.right.length - 1 && !js) await shot(page, `${name}-buoc-${i + 1}`);
		await answer(page, sim.right[i]);
		await onStep(page, i + 1 === sim.right.length ? 'done' : i + 2);
	}
	assert.match(await page.locator('#practice').innerText(), /Bạn đã làm được/);
	assert.ok(page.url().endsWith('/xong'), `${name}: the address follows (${page.url()})`);
	await axeClean(page, `${name} done (js ${js})`);
	if (js) assert.equal(await page.evaluate(() => window.__samePage === true), true, `${name}: ran in place, no page load`);
	else await shot(page, `${name}-xong`);
}

test('practice simulations without JavaScript: every one completed, a wrong tap hinted, show me', T, async () => {
	const ctx = await browser.newContext({ viewport: PHONE, baseURL: BASE, javaScriptEnabled: false, locale: 'vi-VN' });
	const page = await ctx.newPage();
	try {
		for (const sim of SIMS) await runSim(page, sim, false);
	} finally { await ctx.close(); }
});

test('practice simulations with JavaScript: the same steps run in place without reloads, axe clean', T, async () => {
	const ctx = await browser.newContext({ viewport: PHONE, baseURL: BASE, locale: 'vi-VN' });
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	try {
		for (const sim of SIMS) await runSim(page, sim, true);
		assert.deepEqual(errors, [], 'no script or CSP errors');
	} finally { await ctx.close(); }
});
