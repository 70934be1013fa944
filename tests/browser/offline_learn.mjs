// offline_learn.mjs: a learner without a connection (issue 22, item 1), in
// headless Chromium at phone size, with DevTools' offline emulation
// (context.setOffline): saves a course from its page, goes offline, reads a
// lesson and takes the quiz from the saved copy (the service worker), comes
// back online; the lesson read and the attempt are sent once, the attempt is
// scored by the server once (checked in the database), and a second
// reconnect sends nothing more.  axe-core on the pages touched.
// Run by tests/browser/run.sh (same server and environment as journeys.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.HV_BASE_URL;
const DB = process.env.HV_DB;
const LESSON_SECONDS = Number(process.env.HV_LESSON_SECONDS || '2');
const SLUG = 'vneid';
const T = { timeout: 90_000 };
if (!BASE) throw new Error('HV_BASE_URL is not set: run tests/browser/run.sh');

let browser;
before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.HV_CHROMIUM || '/usr/bin/chromium', headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
	});
});
after(async () => { await browser?.close(); });

function sql(query) {
	const r = spawnSync('sqlite3', ['-readonly', '-cmd', '.timeout 5000', DB, query], { encoding: 'utf8', timeout: 20000 });
	assert.equal(r.status, 0, `sqlite3 ${query}: ${r.stderr}`);
	return r.stdout.trim();
}

/** axe-core (WCAG 2.2 AA tags) evaluated through DevTools: CSP stays on. */
async function assertAxeClean(page, label) {
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
	const res = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'],
	}));
	const lines = res.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')} — ${v.help}`));
	assert.deepEqual(lines, [], `axe on ${label}`);
}

const count = (page, text) => page.locator('#learn-count', { hasText: new RegExp(`^${text}$`) }).waitFor();

test('learner offline at 360 px: saves a course, reads a lesson and takes the quiz offline; back online it is scored once; a second reconnect sends nothing', T, async () => {
	const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, baseURL: BASE, locale: 'vi-VN' });
	ctx.setDefaultTimeout(15000);
	const page = await ctx.newPage();
	const posts = [];
	// Requests that reached the server (offline ones fail: 'requestfailed').
	page.on('requestfinished', (r) => { if (r.method() === 'POST') posts.push(new URL(r.url()).pathname); });
	try {
		// 1. Online: the course page offers the download; saved, it says what and how much.
		await page.goto(`/hoc/${SLUG}`);
		const lessons = await page.locator('ol.lessons a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		await page.locator('#offline-state', { hasText: 'Chưa lưu trên máy' }).waitFor();
		await page.getByRole('button', { name: 'Tải về để học không cần mạng' }).click();
		const state = page.locator('#offline-state', { hasText: 'Đã lưu trên máy' });
		await state.waitFor();
		const said = (await state.innerText()).trim();
		console.log(`  ${said}`);
		assert.match(said, new RegExp(`Đã lưu ${lessons.length} bài học, \\d+ hình ảnh và 1 bài kiểm tra; chiếm [\\d.,]+ (KB|MB) trên máy`));
		assert.ok(await page.getByRole('button', { name: 'Xóa bản đã lưu trên máy' }).isVisible());
		await count(page, 'Đang chờ gửi: 0');
		await assertAxeClean(page, 'course page, saved');
		await page.waitForFunction(() => !!navigator.serviceWorker.controller);

		// 2. Offline: a lesson from the saved copy, read for the lesson's time, noted on the phone.
		await ctx.setOffline(true);
		const lesson = await page.goto(lessons[0]);
		assert.ok(lesson?.fromServiceWorker(), 'offline, the lesson comes from the service worker');
		await page.waitForTimeout(LESSON_SECONDS * 1000 + 300);
		await page.getByRole('button', { name: 'Tôi đã học xong bài này' }).click();
		await page.waitForURL((u) => u.pathname === (lessons[1] || `/hoc/${SLUG}/kiem-tra`));
		await count(page, 'Đang chờ gửi: 1');
		await page.locator('#learn-msg', { hasText: 'bài học được ghi trên máy' }).waitFor();
		await assertAxeClean(page, 'lesson page, offline, one waiting');

		// 3. The quiz from the saved copy: answered, kept, "scored when sent".
		const quiz = await page.goto(`/hoc/${SLUG}/kiem-tra`);
		assert.ok(quiz?.fromServiceWorker(), 'offline, the quiz comes from the service worker');
		const html = await page.content();
		assert.ok(!/correct|đúng:/i.test(html.replace(/Bạn trả lời đúng/g, '')), 'the saved quiz page holds no right answers');
		const ma = await page.locator('input[name=ma]').inputValue();
		assert.match(ma, /^[0-9a-f-]{36}$/);
		const questions = page.locator('fieldset.question');
		for (let i = 0; i < await questions.count(); i++) await questions.nth(i).locator('input').first().check();
		await page.getByRole('button', { name: 'Nộp bài' }).click();
		await page.locator('#learn-msg', { hasText: 'sẽ được chấm điểm khi có mạng' }).waitFor();
		await count(page, 'Đang chờ gửi: 2');
		assert.equal(await page.locator('#quiz-form').isVisible(), false, 'the attempt waiting is not answered twice');
		await assertAxeClean(page, 'quiz page, offline, two waiting');
		assert.equal(sql(`SELECT COUNT(*) FROM anon_attempts WHERE client_id = '${ma}'`), '0', 'nothing reached the server');
		assert.deepEqual(posts, [], 'no POST reached the server while offline');

		// 4. Back online: both sent, the attempt scored once by the server.
		await ctx.setOffline(false);
		await page.waitForLoadState();
		await count(page, 'Đang chờ gửi: 0');
		assert.equal(sql(`SELECT COUNT(*) FROM anon_attempts WHERE client_id = '${ma}'`), '1', 'the attempt is stored once');
		const [score, total] = sql(`SELECT score, total FROM anon_attempts WHERE client_id = '${ma}'`).split('|');
		assert.deepEqual(posts.filter((p) => p.endsWith('/kiem-tra')).length, 1, 'the attempt was posted once');
		assert.deepEqual(posts.filter((p) => p.endsWith('/da-hoc')).length, 1, 'the lesson read was posted once');
		await page.goto(`/hoc/${SLUG}/kiem-tra/ket-qua`);
		assert.match(await page.locator('main').innerText(), new RegExp(`Bạn trả lời đúng ${score}/${total}`));
		await page.goto(`/hoc/${SLUG}`);
		assert.match(await page.locator('main').innerText(), new RegExp(`1/${lessons.length}`), 'the lesson read offline counts');

		// 5. A second reconnect: the queue is empty, nothing is sent again.
		const sent = posts.length;
		await ctx.setOffline(true);
		await ctx.setOffline(false);
		await page.reload();
		await count(page, 'Đang chờ gửi: 0');
		const left = await page.evaluate(() => new Promise((ok) => {
			const r = indexedDB.open('hocvuso-hoc', 1);
			r.onsuccess = () => { const q = r.result.transaction('queue').objectStore('queue').count(); q.onsuccess = () => ok(q.result); };
		}));
		assert.equal(left, 0, 'the queue is empty');
		assert.equal(posts.length, sent, 'nothing more was posted');
		assert.equal(sql(`SELECT COUNT(*) FROM anon_attempts WHERE client_id = '${ma}'`), '1');

		// 6. The saved copy goes.
		page.once('dialog', (d) => d.accept());
		await page.getByRole('button', { name: 'Xóa bản đã lưu trên máy' }).click();
		await page.locator('#offline-state', { hasText: 'Chưa lưu trên máy' }).waitFor();
		assert.equal(await page.evaluate((s) => caches.has(`hocvuso-hoc-${s}`), SLUG), false);
	} finally {
		await ctx.close();
	}
});
