// journeys.mjs: real-browser journeys and accessibility checks for hocvuso.
//
// Run by tests/browser/run.sh (which starts the server and creates the
// accounts named below) with Node's built-in test runner:
//   node --test journeys.mjs
// Environment (set by run.sh):
//   HV_BASE_URL         http://127.0.0.1:PORT of a fresh server
//   HV_ADMIN_PASSWORD   password of `admin` (init)
//   HV_MANAGER_LOGIN / HV_MANAGER_PASSWORD   manager at 26740 (CLI)
//   HV_VIEWER_LOGIN / HV_VIEWER_PASSWORD     viewer at 26740 that never finishes TOTP (CLI)
//   HV_OTHER_ACCOUNT_ID id of a volunteer of another ward (26737, CLI)
//   HV_VOLUNTEER_LOGIN / HV_VOLUNTEER_PASSWORD  volunteer at 26740 (CLI), for the assist form
//   HV_SCREENSHOTS      folder for the 360×740 screenshots
//   HV_CHROMIUM         browser binary (default /usr/bin/chromium)
//   HV_BIN / HV_DB      the hocvuso binary and the server's SQLite database,
//                       for `hocvuso cert verify` (offline check of a certificate),
//                       `hocvuso token create` and `sqlite3 HV_DB` (assists stored once)
//
// The tests run in file order and share one browser.  A TOTP code is good
// once per account, so admin and manager sign in once each (memoised
// below) and later tests reuse those sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const BASE = process.env.HV_BASE_URL;
const ADMIN_PASSWORD = process.env.HV_ADMIN_PASSWORD;
const MANAGER_LOGIN = process.env.HV_MANAGER_LOGIN || 'quanly-saigon';
const MANAGER_PASSWORD = process.env.HV_MANAGER_PASSWORD;
const VIEWER_LOGIN = process.env.HV_VIEWER_LOGIN || 'theodoi-saigon';
const VIEWER_PASSWORD = process.env.HV_VIEWER_PASSWORD;
const OTHER_ID = process.env.HV_OTHER_ACCOUNT_ID;
const VOLUNTEER_LOGIN = process.env.HV_VOLUNTEER_LOGIN || 'tnv-phuong';
const VOLUNTEER_PASSWORD = process.env.HV_VOLUNTEER_PASSWORD;
const EDITOR_LOGIN = process.env.HV_EDITOR_LOGIN || 'bientap';
const EDITOR_PASSWORD = process.env.HV_EDITOR_PASSWORD;
const SHOTS = process.env.HV_SCREENSHOTS || path.resolve('screenshots');
const CHROMIUM = process.env.HV_CHROMIUM || '/usr/bin/chromium';
const BIN = process.env.HV_BIN;
const DB = process.env.HV_DB;
if (!BASE) throw new Error('HV_BASE_URL is not set: run tests/browser/run.sh');

const PHONE = { width: 360, height: 740 };
const MIN_TARGET = 44;   // px, WCAG 2.5.5 (AAA) and the design's "big targets"
const MIN_FONT = 18;     // px, body text
const T = { timeout: 90_000 };   // per test: a hung page fails its test, not the run

let browser;

before(async () => {
	mkdirSync(SHOTS, { recursive: true });
	// launch() gives every run a fresh temporary profile (user-data-dir),
	// deleted on close; headless: true adds --headless.
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
});

after(async () => {
	await browser?.close();
});

// ---------------------------------------------------------------- helpers

/** A new context at phone size, a phone set to Vietnamese (its
 *  Accept-Language picks the first visit's language).  CSP stays
 *  enforced: never bypassCSP. */
async function phoneContext(extra = {}) {
	const ctx = await browser.newContext({ viewport: PHONE, baseURL: BASE, locale: 'vi-VN', ...extra });
	ctx.setDefaultTimeout(15000);
	ctx.setDefaultNavigationTimeout(20000);
	return ctx;
}

/** RFC 6238 code (SHA-1, 30 s, 6 digits) for a base32 secret. */
function totp(secretB32, when = Date.now()) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of secretB32.replace(/[\s=]/g, '').toUpperCase()) {
		const v = alphabet.indexOf(ch);
		if (v < 0) throw new Error(`bad base32 character ${ch}`);
		bits += v.toString(2).padStart(5, '0');
	}
	const key = Buffer.alloc(Math.floor(bits.length / 8));
	for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(Math.floor(when / 1000 / 30)));
	const mac = createHmac('sha1', key).update(msg).digest();
	const off = mac[mac.length - 1] & 0x0f;
	const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
	return String(n).padStart(6, '0');
}

/** Waits when the current 30 s step is about to end, so the code typed is
 *  still the current one when the server checks it. */
async function freshTotp(secret) {
	const left = 30000 - (Date.now() % 30000);
	if (left < 3000) await new Promise((r) => setTimeout(r, left + 200));
	return totp(secret);
}

/** Goes to a path and returns the response, asserting its status. */
async function open(page, url, status = 200) {
	const res = await page.goto(url);
	assert.ok(res, `no response for ${url}`);
	assert.equal(res.status(), status, `${url}: HTTP ${res.status()}, expected ${status}`);
	return res;
}

/**
 * Runs axe-core on the page and returns readable violation lines.
 * page.addScriptTag({path}) inserts an inline <script>, which the site's
 * Content-Security-Policy (script-src 'self') rightly blocks.  Instead of
 * creating a context with bypassCSP, we evaluate the axe source through the
 * DevTools protocol (page.evaluate), which CSP does not govern: the page is
 * checked exactly as users get it, CSP on.
 */
async function axeViolations(page) {
	const has = await page.evaluate(() => typeof window.axe === 'object');
	if (!has) {
		try {
			await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
		} catch {
			await page.evaluate(AXE_SOURCE);   // CSP blocked the inline script tag
		}
	}
	const result = await page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags },
		resultTypes: ['violations'],
	}), AXE_TAGS);
	const lines = [];
	for (const v of result.violations) {
		for (const n of v.nodes) {
			lines.push(`${v.id} [${v.impact}] ${n.target.join(' ')} — ${v.help}` +
				(n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').trim()})` : '') +
				` ${v.helpUrl}`);
		}
	}
	return lines;
}

async function assertNoAxeViolations(page, label) {
	const lines = await axeViolations(page);
	if (lines.length) assert.fail(`axe found ${lines.length} violation(s) on ${label}:\n  ${lines.join('\n  ')}`);
}

/**
 * Layout facts at the current viewport: horizontal overflow, body font
 * size, and every visible link/button/input/select smaller than 44×44 px.
 * Exempt (listed, not failed): links inside a sentence (WCAG 2.5.8
 * "inline" exception), elements placed off-screen (the skip link before it
 * has focus).  A checkbox or radio counts together with its <label>,
 * because tapping the label toggles it.
 */
async function layoutFacts(page) {
	return page.evaluate((min) => {
		const describe = (el) => {
			let s = el.tagName.toLowerCase();
			if (el.id) s += '#' + el.id;
			if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
			const href = el.getAttribute('href');
			if (href) s += `[href="${href}"]`;
			const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim();
			return `${s} "${text.slice(0, 50)}"`;
		};
		const blockOf = (el) => {
			let b = el.parentElement;
			while (b && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
			return b || document.body;
		};
		const inSentence = (el) => {
			if (el.tagName !== 'A') return false;
			const block = blockOf(el);
			let rest = block.innerText || '';
			for (const a of block.querySelectorAll('a, button, input, select, textarea')) rest = rest.replace(a.innerText || '', ' ');
			return /\p{L}{2,}/u.test(rest);   // words beside the link, not just "·" or "›"
		};
		const small = [], exempt = [];
		const W = document.documentElement.clientWidth;
		for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
			const cs = getComputedStyle(el);
			if (cs.visibility === 'hidden' || cs.display === 'none') continue;
			// Inside a closed <details> (not its summary): not shown, not a target.
			const shut = el.closest('details:not([open])');
			if (shut && !(el.tagName === 'SUMMARY' && el.parentElement === shut)) continue;
			let r = el.getBoundingClientRect();
			if (r.width === 0 && r.height === 0) continue;
			// Placed off-screen (the skip link until it has focus): not a target.
			if (r.right <= 0 || r.bottom <= -window.scrollY || r.left >= Math.max(W, document.documentElement.scrollWidth)) continue;
			let w = r.width, h = r.height;
			if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
				let top = r.top, left = r.left, bottom = r.bottom, right = r.right;
				for (const l of el.labels) {
					const lr = l.getBoundingClientRect();
					top = Math.min(top, lr.top); left = Math.min(left, lr.left);
					bottom = Math.max(bottom, lr.bottom); right = Math.max(right, lr.right);
				}
				w = right - left; h = bottom - top;
			}
			if (w >= min && h >= min) continue;
			const line = `${describe(el)} is ${Math.round(w)}×${Math.round(h)} px`;
			if (inSentence(el)) exempt.push(line + ' (inline link in a sentence)');
			else small.push(line);
		}
		return {
			scrollWidth: document.documentElement.scrollWidth,
			clientWidth: document.documentElement.clientWidth,
			fontSize: parseFloat(getComputedStyle(document.body).fontSize),
			lang: document.documentElement.lang,
			small, exempt,
		};
	}, MIN_TARGET);
}

/** Asserts the 360 px rules on the current page; returns the facts. */
async function assertPhoneLayout(page, label) {
	const f = await layoutFacts(page);
	for (const e of f.exempt) console.log(`  note ${label}: exempt: ${e}`);
	const problems = [];
	if (f.scrollWidth > PHONE.width) problems.push(`horizontal scroll: scrollWidth ${f.scrollWidth} > ${PHONE.width}`);
	if (f.fontSize < MIN_FONT) problems.push(`body font-size ${f.fontSize}px < ${MIN_FONT}px`);
	for (const s of f.small) problems.push(`tap target under ${MIN_TARGET}×${MIN_TARGET}: ${s}`);
	if (problems.length) assert.fail(`${label} at ${PHONE.width} px:\n  ${problems.join('\n  ')}`);
	return f;
}

async function screenshot(page, name) {
	const file = name.replace(/[^a-z0-9.-]+/gi, '_');
	await page.screenshot({ path: path.join(SHOTS, `${file}.png`) });                   // 360×740, what a phone shows first
	await page.screenshot({ path: path.join(SHOTS, `${file}.full.png`), fullPage: true }); // the whole page at 360 px
}

/**
 * Clicks a link or button that loads a new page and waits for that page
 * (redirects included), then checks where it landed.  Waiting for the
 * main frame to navigate, not for a URL, because the URL may already match
 * before the click (a language switch that returns to the same path).
 */
async function follow(page, locator, expected) {
	const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
	await locator.click();
	await navigated;
	await page.waitForLoadState('load');
	const url = new URL(page.url());
	const ok = typeof expected === 'function' ? expected(url) : expected.test(url.pathname + url.search);
	assert.ok(ok, `after clicking ${locator}: landed on ${url.pathname}${url.search}, expected ${expected}`);
}

async function heading(page) {
	return (await page.locator('h1').first().innerText()).trim();
}

/**
 * Tabs through the page and, for every element that takes focus, checks
 * that a focus ring shows (outline ≥ 2 px, WCAG 2.4.7) with ≥ 3:1 contrast
 * against what surrounds it (WCAG 1.4.11), something axe does not test.
 * Returns problem lines.
 */
async function focusRingProblems(page, maxTabs = 40) {
	const problems = [];
	const seen = new Set();
	await page.locator('body').focus();
	for (let i = 0; i < maxTabs; i++) {
		await page.keyboard.press('Tab');
		const f = await page.evaluate(() => {
			const el = document.activeElement;
			if (!el || el === document.body) return null;
			const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
			const lum = ([r, g, b]) => {
				const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
				return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
			};
			const cs = getComputedStyle(el);
			let bgEl = el.parentElement, bg = 'rgb(255, 255, 255)';
			while (bgEl) {
				const c = getComputedStyle(bgEl).backgroundColor;
				const v = rgb(c);
				if (v.length >= 3 && (v.length < 4 || v[3] > 0)) { bg = c; break; }
				bgEl = bgEl.parentElement;
			}
			const ring = rgb(cs.outlineColor), back = rgb(bg);
			const [hi, lo] = [lum(ring), lum(back)].sort((x, y) => y - x);
			let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : '');
			name += ` "${(el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
			return { name, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), ratio: (hi + 0.05) / (lo + 0.05), ring: cs.outlineColor, bg };
		});
		if (!f) continue;
		if (seen.has(f.name)) break;   // wrapped around
		seen.add(f.name);
		if (f.style === 'none' || f.width < 2) problems.push(`${f.name}: no visible focus ring (outline ${f.style} ${f.width}px)`);
		else if (f.ratio < 3) problems.push(`${f.name}: focus ring ${f.ring} on ${f.bg} is ${f.ratio.toFixed(2)}:1 (< 3:1)`);
	}
	return { problems, count: seen.size };
}

// ---------------------------------------------------- sessions (memoised)

/** Staff sign-in with password and TOTP enrolment; returns {ctx, page}. */
async function staffSignIn(login, password) {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	await open(page, '/dang-nhap');
	await page.getByLabel('Tên đăng nhập', { exact: true }).fill(login);
	await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
	await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), /\/xac-thuc-2-lop/);
	assert.equal(await heading(page), 'Xác thực hai lớp');
	const secret = (await page.locator('code.secret').innerText()).replace(/\s+/g, '');
	assert.match(secret, /^[A-Z2-7]{16,}$/, 'enrolment page shows a base32 secret');
	await page.getByLabel('Mã xác thực', { exact: true }).fill(await freshTotp(secret));
	await follow(page, page.getByRole('button', { name: 'Xác nhận' }), (u) => !u.pathname.startsWith('/xac-thuc-2-lop'));
	return { ctx, page, secret };
}

let adminPromise, managerPromise;
const adminSession = () => (adminPromise ??= staffSignIn('admin', ADMIN_PASSWORD));
const managerSession = () => (managerPromise ??= staffSignIn(MANAGER_LOGIN, MANAGER_PASSWORD));

/** Registers a learner through the form; the context decides JS on/off. */
async function registerLearner(page, { name, phone, pin }, landing = /\/tai-khoan$/) {
	await open(page, '/dang-ky');
	await fillRegistration(page, { name, phone, pin }, landing);
}

/** Fills and sends the registration form the page shows. */
async function fillRegistration(page, { name, phone, pin, keepPlace = false }, landing) {
	await page.getByLabel('Họ và tên', { exact: true }).fill(name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(phone);
	await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(pin);
	await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(pin);
	// Where they live is asked (a choice, or "not sure"): these journeys are
	// not sure, unless the commune was chosen before (keepPlace).
	if (!keepPlace) await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Không rõ / chưa chọn' });
	await page.getByLabel(/Tôi đồng ý/).check();
	await follow(page, page.getByRole('button', { name: 'Tạo tài khoản' }), landing);
}

// ---------------------------------------------------- learning (helpers)

/** The course the learner journeys take: one of the shortest (5 lessons). */
const COURSE = { slug: 'vneid', title: 'VNeID – Tài khoản định danh điện tử' };
const QUIZ_PATH = `/hoc/${COURSE.slug}/kiem-tra`;
const RESULT_PATH = `${QUIZ_PATH}/ket-qua`;
// Codes use 23456789ABCDEFGHJKMNPQRSTUVWXYZ (no 0/O, 1/I/L).
const CERT_CODE = /\bHV-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b/;
/** Seconds a lesson page must have been open before "Tôi đã học xong bài
 *  này" counts: the server's lesson_seconds (run.sh sets it). */
const LESSON_SECONDS = Number(process.env.HV_LESSON_SECONDS || '2');

/** The course's question bank, read from content/COURSE/quiz.md with a
 *  small reader of the pack's layout: prompt → [[answer text, right]…].
 *  Each attempt draws from it and shuffles the answers, so the journeys
 *  answer by text, as a learner who knows (or does not know) would. */
function readBank(slug) {
	const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'content', slug, 'quiz.md');
	const value = (raw) => (raw.trim().startsWith('"') ? JSON.parse(raw.trim()) : raw.trim());
	const bank = new Map();
	let answers = null, last = null;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		let m;
		if ((m = line.match(/^\s*- q:\s*(.*)$/))) bank.set(value(m[1]), (answers = []));
		else if ((m = line.match(/^\s*- text:\s*(.*)$/))) answers.push((last = [value(m[1]), false]));
		else if ((m = line.match(/^\s*correct:\s*(true|false)/))) last[1] = m[1] === 'true';
	}
	return bank;
}
const BANK = readBank(COURSE.slug);
const rightAnswers = (prompt) => BANK.get(prompt).filter(([, right]) => right).map(([text]) => text);
const oneWrongAnswer = (prompt) => [BANK.get(prompt).find(([, right]) => !right)[0]];

/** Text of a question heading without "Câu N." and the "(chọn tất cả…)"
 *  hint: the own text nodes of a <legend> (quiz) or <h2> (result). */
async function promptOf(locator) {
	return locator.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
		.map((n) => n.textContent).join('').replace(/^\s*Câu\s+\d+\.\s*/, '').replace(/\s+/g, ' ').trim());
}

/**
 * The reading part: from the course page, "Bắt đầu học", then on every
 * lesson checks its heading, the "Nghe" button (speech synthesis, put there
 * by /static/app.js: visible with JavaScript, hidden without), the 360 px
 * rules, and presses "Tôi đã học xong bài này", which must lead to the next
 * lesson and, after the last one, to the quiz — once the page has been open
 * LESSON_SECONDS; on the first lesson it is pressed at once too, and the
 * lesson must come back with a gentle word.  Returns the lessons.
 */
async function readWholeCourse(page, { js, check }) {
	await open(page, `/hoc/${COURSE.slug}`);
	assert.equal(await heading(page), COURSE.title);
	const lessons = await page.locator('ol.lessons a').evaluateAll((as) =>
		as.map((a) => ({ path: a.getAttribute('href'), title: a.innerText.trim() })));
	assert.ok(lessons.length >= 4, `the course lists ${lessons.length} lessons`);
	assert.ok((await page.locator('main').innerText()).includes(`Đã học: 0/${lessons.length} bài học`), 'nothing read yet');
	await check(`/hoc/${COURSE.slug}`);
	await follow(page, page.getByRole('link', { name: 'Bắt đầu học' }), (u) => u.pathname === lessons[0].path);
	let arrived = Date.now();
	for (const [i, lesson] of lessons.entries()) {
		assert.equal(new URL(page.url()).pathname, lesson.path);
		assert.equal(await heading(page), lesson.title);
		assert.equal(await page.locator('#speak').isVisible(), js,
			js ? '"Nghe" is shown when JavaScript runs' : '"Nghe" stays hidden without JavaScript (it would do nothing)');
		if (js) assert.ok(await page.getByRole('button', { name: 'Nghe' }).isVisible());
		assert.ok(await page.getByRole('link', { name: 'Chữ to hơn' }).isVisible(), '"Chữ to hơn" link');
		await check(`lesson ${i + 1} (${js ? 'JS' : 'no JS'})`);
		const next = i + 1 < lessons.length ? lessons[i + 1].path : QUIZ_PATH;
		if (i === 0) {
			// Pressed at once: the lesson comes back with a gentle word.
			await follow(page, page.getByRole('button', { name: 'Tôi đã học xong bài này' }), (u) => u.pathname === `${lesson.path}/da-hoc`);
			assert.equal(await heading(page), lesson.title, 'still the lesson');
			assert.match(await page.getByRole('alert').innerText(), /Bạn mới mở bài này chưa được bao lâu/);
			await check(`lesson ${i + 1}, marked read too soon (${js ? 'JS' : 'no JS'})`);
		}
		const waited = Date.now() - arrived;
		if (waited < LESSON_SECONDS * 1000 + 200) await page.waitForTimeout(LESSON_SECONDS * 1000 + 200 - waited);
		await follow(page, page.getByRole('button', { name: 'Tôi đã học xong bài này' }), (u) => u.pathname === next);
		arrived = Date.now();
	}
	return lessons;
}

/** Ticks in each question of the quiz page the answers `choose(prompt,
 *  labels)` returns (label texts), through their labels. */
async function answerQuiz(page, choose) {
	const questions = page.locator('fieldset.question');
	const n = await questions.count();
	assert.ok(n >= 3, `the quiz has ${n} questions`);
	for (let i = 0; i < n; i++) {
		const q = questions.nth(i);
		const prompt = await promptOf(q.locator('legend'));
		const labels = (await q.locator('label').allInnerTexts()).map((t) => t.trim());
		const picks = choose(prompt, labels);
		assert.ok(picks && picks.length, `no answer to choose for "${prompt}"`);
		for (const text of picks) await q.getByLabel(text, { exact: true }).check();
	}
	return n;
}

/** Sends the quiz; returns the score and the feedback of every question
 *  (its prompt, whether it was right, the answers shown as chosen). */
async function submitQuiz(page) {
	await follow(page, page.getByRole('button', { name: 'Nộp bài' }), (u) => u.pathname === RESULT_PATH);
	assert.equal(await heading(page), `Bài kiểm tra: ${COURSE.title}`);
	const status = (await page.getByRole('status').first().innerText()).trim();
	const m = status.match(/Bạn trả lời đúng (\d+)\/(\d+)/);
	assert.ok(m, `score line: ${status}`);
	const feedback = [];
	for (const s of await page.locator('section.feedback').all()) {
		feedback.push({
			prompt: await promptOf(s.locator('h2')),
			right: await s.evaluate((el) => el.classList.contains('right')),
			chosen: await s.locator('li').evaluateAll((lis) => lis.map((li) => [...li.childNodes]
				.filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim())),
		});
	}
	return { status, score: Number(m[1]), total: Number(m[2]), passed: status.includes('Bạn đã đạt'), feedback };
}

/**
 * From the quiz page: a first attempt with a wrong answer to every
 * question (from the bank), which fails and explains the answers chosen —
 * and no right answer the learner did not choose; then "Làm lại bài kiểm
 * tra", a new draw, answered right, which passes.  `check(label)` runs on
 * both result pages.
 */
async function failThenPassQuiz(page, check = async () => {}) {
	assert.equal(new URL(page.url()).pathname, QUIZ_PATH);
	const n = await answerQuiz(page, oneWrongAnswer);
	const first = await submitQuiz(page);
	assert.equal(first.passed, false, `first attempt (wrong answers) must fail: ${first.status}`);
	assert.ok(first.status.includes('Bạn chưa đạt'), first.status);
	assert.equal(first.total, n);
	assert.equal(first.feedback.length, n, 'feedback for every question');
	for (const f of first.feedback) {
		assert.equal(f.right, false, `"${f.prompt}" was answered wrong`);
		// Only the answer chosen is listed and explained: no right answer given away.
		assert.deepEqual(f.chosen, oneWrongAnswer(f.prompt), `"${f.prompt}": the answer chosen, and only it`);
	}
	assert.ok(!(await page.locator('main').innerText()).includes('Đáp án đúng'), 'no key to the bank');
	await check('quiz result (failed)');

	await follow(page, page.getByRole('link', { name: 'Làm lại bài kiểm tra' }), (u) => u.pathname === QUIZ_PATH);
	await answerQuiz(page, rightAnswers);
	const second = await submitQuiz(page);
	assert.ok(second.passed, `second attempt (right answers) must pass: ${second.status}`);
	assert.equal(second.score, n, `${second.score}/${second.total}`);
	assert.ok(second.feedback.every((f) => f.right), 'every question right');
	await check('quiz result (passed)');
	return { first, second };
}

/** Runs `hocvuso ARGS… --db HV_DB`; returns {status, out}. */
function hocvuso(...args) {
	assert.ok(BIN && DB, 'HV_BIN and HV_DB are set (run.sh)');
	const r = spawnSync(BIN, [...args, '--db', DB], { encoding: 'utf8', timeout: 20000 });
	if (r.error) throw r.error;
	return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * The anonymous learner who reads all of COURSE, passes its quiz and
 * registers from the result page (progress moves into the account): the
 * whole journey at 360 px, memoised because the certificate pages are
 * checked later with the same session.  Returns {ctx, page, code, learner}.
 */
async function certifiedJourney() {
	const learner = { name: 'Trương Thị Mai Anh', phone: '0934561278', pin: '629417' };
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	const checked = [];
	const check = async (label) => { await assertPhoneLayout(page, label); checked.push(label); };
	try {
		await open(page, '/hoc');
		assert.equal(await heading(page), 'Các khóa học');
		await check('/hoc');
		await follow(page, page.getByRole('link', { name: COURSE.title }), (u) => u.pathname === `/hoc/${COURSE.slug}`);

		// Larger text and back, on the first lesson (a cookie, no JavaScript needed).
		await open(page, `/hoc/${COURSE.slug}`);
		const first = await page.locator('ol.lessons a').first().getAttribute('href');
		await open(page, first);
		await follow(page, page.getByRole('link', { name: 'Chữ to hơn' }), (u) => u.pathname === first);
		assert.ok(await page.locator('body.large').count(), 'body.large after "Chữ to hơn"');
		await check('lesson 1, larger text');
		await follow(page, page.getByRole('link', { name: 'Chữ vừa' }), (u) => u.pathname === first);
		assert.equal(await page.locator('body.large').count(), 0, 'normal text again');

		const lessons = await readWholeCourse(page, { js: true, check });
		await open(page, `/hoc/${COURSE.slug}`);
		assert.ok((await page.locator('main').innerText()).includes(`Đã học: ${lessons.length}/${lessons.length} bài học`), 'every lesson counted');
		assert.equal(await page.locator('ol.lessons .badge').count(), lessons.length, 'a "✔ Đã học" badge on each lesson');
		await follow(page, page.getByRole('link', { name: 'Làm bài kiểm tra' }), (u) => u.pathname === QUIZ_PATH);
		await check('quiz');
		await failThenPassQuiz(page, check);

		await follow(page, page.getByRole('link', { name: 'Đăng ký để nhận chứng nhận' }), (u) => u.pathname === '/dang-ky');
		await fillRegistration(page, learner, (u) => u.pathname === '/hoc-tap-cua-toi' && u.searchParams.get('da-chuyen') === '1');
		assert.equal(await heading(page), 'Học tập của tôi');
		const main = await page.locator('main').innerText();
		assert.ok(main.includes('Đã chuyển tiến độ học trên máy này vào tài khoản của bạn.'), 'says the progress was moved');
		const card = page.locator('.card', { has: page.getByRole('heading', { name: COURSE.title, level: 3 }) });
		assert.equal(await card.count(), 1, 'one certificate card for the course');
		const code = ((await card.innerText()).match(CERT_CODE) || [])[0];
		assert.ok(code, `a certificate code in: ${await card.innerText()}`);
		await check('/hoc-tap-cua-toi with a certificate');
		return { ctx, page, code, learner, card };
	} finally {
		console.log(`  layout checked on: ${checked.join(', ')}`);
	}
}

let certifiedPromise;
const certifiedLearner = () => (certifiedPromise ??= certifiedJourney());

// ---------------------------------------------------- the assist form (helpers)

/** Opens a staff page anonymously, is sent to sign in, signs in with a
 *  password only (roles without TOTP) and must land back on that page. */
async function passwordSignInAt(page, where, login, password) {
	await page.goto(where);
	assert.equal(new URL(page.url()).pathname, '/dang-nhap', 'an anonymous visitor is sent to sign in');
	await page.getByLabel('Tên đăng nhập', { exact: true }).fill(login);
	await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
	await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), (u) => u.pathname === where);
}

/** Signs the volunteer of 26740 in (volunteers have no TOTP), starting at
 *  /ho-tro, which sends to sign in and back. */
async function volunteerSignIn(page) {
	await passwordSignInAt(page, '/ho-tro', VOLUNTEER_LOGIN, VOLUNTEER_PASSWORD);
	assert.equal(await heading(page), 'Ghi lượt hỗ trợ');
}

/** Fills the assist form for a person without an account: the services
 *  ticked (labels), age band, gender, group, smartphone "Có". */
async function fillAssist(page, { services, age = 'Từ 60 trở lên', gender = 'Nữ', group = 'Người cao tuổi', phone = '' }) {
	for (const s of services) await page.getByLabel(s, { exact: true }).check();
	if (phone) await page.getByLabel('Số điện thoại người học đã đăng ký (nếu có)').fill(phone);
	await page.getByRole('group', { name: 'Nhóm tuổi' }).getByLabel(age, { exact: true }).check();
	await page.getByRole('group', { name: 'Giới tính' }).getByLabel(gender, { exact: true }).check();
	await page.getByRole('group', { name: 'Nhóm đối tượng' }).getByLabel(group, { exact: true }).check();
	await page.getByRole('group', { name: 'Người đó có điện thoại thông minh không?' }).getByLabel('Có', { exact: true }).check();
}

/** Opens the folded main menu (a <details>: works without JavaScript). */
async function openMenu(page, name = 'Menu') {
	const menu = page.locator('details.menu');
	if (await menu.getAttribute('open') === null) await menu.locator('summary', { hasText: name }).click();
	await page.locator('nav.main').waitFor();
}

const assistId = (page) => page.locator('#help-form input[name=id]').inputValue();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Waits until the outbox counter reads exactly `text`. */
async function waitCounter(page, text, timeout = 15000) {
	await page.locator('#outbox-count', { hasText: new RegExp(`^${text}$`) }).waitFor({ timeout });
}

/** Waits until the outbox message (live region) contains `text`. */
async function waitMessage(page, text) {
	await page.locator('#outbox-msg', { hasText: text }).waitFor();
	return (await page.locator('#outbox-msg').innerText()).trim();
}

/** One query on the server's database (read-only, beside the running server). */
function sql(query) {
	assert.ok(DB, 'HV_DB is set (run.sh)');
	const r = spawnSync('sqlite3', ['-readonly', '-cmd', '.timeout 5000', DB, query], { encoding: 'utf8', timeout: 20000 });
	if (r.error) throw r.error;
	assert.equal(r.status, 0, `sqlite3 ${query}: ${r.stderr}`);
	return r.stdout.trim();
}
const assistCount = () => Number(sql('SELECT COUNT(*) FROM assists'));
function timesStored(id) {
	assert.match(id, UUID);
	return Number(sql(`SELECT COUNT(*) FROM assists WHERE id = '${id}'`));
}

let volunteerToken;
/** GET /api/v1/assists/{id} with a bearer token of the volunteer (CLI). */
async function apiAssist(id) {
	const res = await fetch(`${BASE}/api/v1/assists/${id}`, { headers: { Authorization: `Bearer ${volunteerBearer()}` } });
	return { status: res.status, body: await res.json() };
}

/** Posts a form body again through the page's own fetch (same session and
 *  cookie as the form): where did it end? */
async function repost(page, body) {
	return page.evaluate((b) => fetch('/ho-tro', {
		method: 'POST', body: b, credentials: 'same-origin',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	}).then((r) => ({ status: r.status, url: r.url })), body);
}

/** Until the service worker controls the page and holds the /ho-tro shell. */
async function waitOfflineReady(page) {
	for (let i = 0; i < 100; i++) {
		const ready = await page.evaluate(async () => !!navigator.serviceWorker.controller &&
			!!(await caches.match('/ho-tro')) && !!(await caches.match('/static/app.js')));
		if (ready) return;
		await page.waitForTimeout(100);
	}
	assert.fail('the service worker did not take control of /ho-tro (or did not cache it) within 10 s');
}

// ---------------------------------------------------------------- journeys

test('anonymous visitor at 360 px: home → units → province → search → English and back', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	const checked = [];
	const check = async (label) => { await assertPhoneLayout(page, label); checked.push(label); };
	try {
		await open(page, '/');
		assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
		assert.equal(await heading(page), 'Bình dân học vụ số');
		await check('home');

		// The skip link is the first thing a keyboard reaches, and is big once visible.
		await page.keyboard.press('Tab');
		const skip = await page.evaluate(() => {
			const el = document.activeElement;
			const r = el.getBoundingClientRect();
			return { cls: el.className, w: r.width, h: r.height, left: r.left, top: r.top };
		});
		assert.equal(skip.cls, 'skip', 'first Tab reaches the skip link');
		assert.ok(skip.left >= 0 && skip.top >= 0, 'focused skip link is on screen');
		assert.ok(skip.w >= MIN_TARGET && skip.h >= MIN_TARGET, `focused skip link is ${Math.round(skip.w)}×${Math.round(skip.h)} px`);

		await follow(page, page.getByRole('link', { name: 'Xem các đơn vị hành chính' }), /\/don-vi$/);
		assert.equal(await heading(page), 'Đơn vị hành chính');
		await check('units');

		await follow(page, page.getByRole('link', { name: /^Thành phố Hồ Chí Minh/ }), /\/don-vi\/79$/);
		assert.equal(await heading(page), 'Thành phố Hồ Chí Minh');
		await assert.doesNotReject(page.getByRole('link', { name: 'Phường Sài Gòn', exact: true }).waitFor());
		await check('province 79');

		await follow(page, page.getByRole('link', { name: 'Tất cả tỉnh, thành phố' }), /\/don-vi$/);
		await page.getByRole('searchbox', { name: 'Tìm xã, phường hoặc tỉnh' }).fill('xa tan thanh');
		await follow(page, page.getByRole('button', { name: 'Tìm', exact: true }), /\/don-vi\?q=xa/);
		const results = page.locator('h2:text-is("Kết quả tìm kiếm") + ul.units a');
		const names = await results.allInnerTexts();
		assert.ok(names.some((n) => n.startsWith('Xã Tân Thành')), `search results: ${names.slice(0, 5).join('; ')}`);
		await check('search "xa tan thanh"');

		// The switch returns to the same page (its path: the search words
		// are not carried over, see README).
		await openMenu(page);
		await follow(page, page.getByRole('link', { name: 'English' }), /^\/don-vi(\?|$)/);
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		assert.equal(await heading(page), 'Administrative units');
		assert.ok(await page.getByRole('searchbox', { name: 'Find a commune, ward or province' }).isVisible());
		await openMenu(page, 'Menu');
		assert.ok(await page.getByRole('link', { name: 'Sign in' }).isVisible());
		await check('units in English');

		await follow(page, page.getByRole('link', { name: 'Tiếng Việt' }), /^\/don-vi(\?|$)/);
		assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
		assert.equal(await heading(page), 'Đơn vị hành chính');
		await check('units back in Vietnamese');
	} finally {
		console.log(`  layout checked on: ${checked.join(', ')}`);
		await ctx.close();
	}
});

test('keyboard: every focusable element shows a focus ring with ≥ 3:1 contrast', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		const all = [];
		for (const url of ['/', '/don-vi?q=tan%20thanh', '/dang-ky?tinh=79', '/dang-nhap/hoc-vien',
			`/hoc/${COURSE.slug}/cai-dat-vneid`, QUIZ_PATH, '/xac-thuc']) {
			await open(page, url);
			const { problems, count } = await focusRingProblems(page);
			assert.ok(count >= 4, `${url}: only ${count} elements took focus`);
			all.push(...problems.map((p) => `${url}: ${p}`));
		}
		if (all.length) assert.fail(`focus rings:\n  ${all.join('\n  ')}`);
	} finally {
		await ctx.close();
	}
});

test('learner without JavaScript: registers with consent, signs out, signs back in with phone + PIN', T, async () => {
	const ctx = await phoneContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const learner = { name: 'Nguyễn Thị Hoa', phone: '0912345678', pin: '428135' };
	try {
		// Everything but the consent box: the browser's own `required` check
		// (no JavaScript needed) keeps the form from being sent.
		let posts = 0;
		page.on('request', (r) => { if (r.method() === 'POST') posts++; });
		await open(page, '/dang-ky');
		await page.getByLabel('Họ và tên', { exact: true }).fill(learner.name);
		await page.getByLabel('Số điện thoại', { exact: true }).fill(learner.phone);
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(learner.pin);
		await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(learner.pin);
		await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
		await page.waitForTimeout(300);
		assert.equal(posts, 0, 'no POST without consent');
		assert.equal(await page.getByLabel(/Tôi đồng ý/).evaluate((el) => el.validity.valueMissing), true, 'consent box reported missing');

		await registerLearner(page, learner);
		assert.equal(await heading(page), 'Tài khoản của tôi');
		assert.ok((await page.locator('main').innerText()).includes(learner.name));
		await screenshot(page, 'tai-khoan-learner');

		await openMenu(page);
		await follow(page, page.getByRole('button', { name: 'Đăng xuất' }), (u) => u.pathname === '/');
		assert.equal(await page.locator('form[action="/dang-xuat"]').count(), 0, 'signed out');
		const me = await page.goto('/tai-khoan');
		assert.match(new URL(me.url()).pathname, /^\/dang-nhap\/hoc-vien/, '/tai-khoan asks to sign in again');

		await page.getByLabel('Số điện thoại', { exact: true }).fill(learner.phone);
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(learner.pin);
		await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), /\/tai-khoan$/);
		assert.equal(await heading(page), 'Tài khoản của tôi');
		assert.ok((await page.locator('main').innerText()).includes(learner.phone));
		await assertPhoneLayout(page, '/tai-khoan (learner, no JS)');
	} finally {
		await ctx.close();
	}
});

test('registration at 360 px, with and without JavaScript: the commune found by typing "sai gon" (or chosen after the province), every field kept', T, async () => {
	for (const js of [true, false]) {
		const ctx = await phoneContext({ javaScriptEnabled: js });
		const page = await ctx.newPage();
		const who = { name: js ? 'Lê Thị Tìm Xã' : 'Lê Văn Không Script', phone: js ? '0987100201' : '0987100202', pin: '603914' };
		try {
			await open(page, '/dang-ky');
			await page.getByLabel('Họ và tên', { exact: true }).fill(who.name);
			await page.getByLabel('Số điện thoại', { exact: true }).fill(who.phone);
			await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(who.pin);
			await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(who.pin);
			await page.getByLabel(/^Bạn là/).selectOption({ label: 'Người cao tuổi' });
			await page.getByLabel(/Tôi đồng ý/).check();
			await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Thành phố Hồ Chí Minh' });
			if (js) {
				const search = page.getByLabel('Tìm xã, phường (gõ không dấu cũng được)');
				await search.waitFor();
				await page.locator('#unit option', { hasText: 'Phường Sài Gòn' }).waitFor({ state: 'attached' });
				await search.fill('sai gon');
				await page.locator('#xa-count', { hasText: /Tìm thấy \d+ nơi/ }).waitFor();
				if (await page.locator('#unit').inputValue() !== '26740')
					await page.getByLabel(/^Xã, phường/).selectOption({ label: 'Phường Sài Gòn' });
				// The phone's keyboard goes away (a focused search box keeps
				// scrolling itself into view in the emulated phone).
				await page.getByLabel(/^Xã, phường/).focus();
				assert.equal(await page.getByLabel('Họ và tên', { exact: true }).inputValue(), who.name, 'the name is still there');
				assert.equal(await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).inputValue(), who.pin, 'the PIN too (no page load)');
				await assertNoAxeViolations(page, '/dang-ky with the commune search');
				await screenshot(page, 'dang-ky-tim-xa');
			} else {
				await follow(page, page.getByRole('button', { name: 'Chọn xã, phường' }), (u) => u.pathname === '/dang-ky');
				assert.equal(await page.getByLabel('Họ và tên', { exact: true }).inputValue(), who.name, 'the name is kept');
				assert.equal(await page.getByLabel('Số điện thoại', { exact: true }).inputValue(), who.phone, 'the phone is kept');
				assert.equal(await page.getByLabel(/^Bạn là/).inputValue(), 'elderly', 'the group is kept');
				assert.equal(await page.getByLabel(/Tôi đồng ý/).isChecked(), true, 'the consent is kept');
				assert.equal(await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).inputValue(), '', 'the PIN is not sent back');
				assert.match(await page.getByRole('status').first().innerText(), /nhập lại mã PIN/);
				await page.getByLabel(/^Xã, phường/).selectOption({ label: 'Phường Sài Gòn' });
				await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(who.pin);
				await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(who.pin);
			}
			const invalid = await page.evaluate(() => [...document.querySelectorAll('#register-form :invalid')].map((e) => e.id || e.name));
			assert.deepEqual(invalid, [], `${js ? 'JS' : 'no JS'}: every field is valid`);
			await follow(page, page.getByRole('button', { name: 'Tạo tài khoản' }), /\/tai-khoan$/);
			assert.equal(sql(`SELECT display_name || '|' || home_unit FROM accounts WHERE phone = '${who.phone}'`), `${who.name}|26740`);
			console.log(`  ${js ? 'JS' : 'no JS'}: registered in Phường Sài Gòn (26740)`);
		} finally {
			await ctx.close();
		}
	}
});

test('finding help by name at 360 px, with and without JavaScript: a class by "thu dau mot", touch points by name, "Gần tôi" outside Viet Nam refused', T, async () => {
	for (const js of [true, false]) {
		const ctx = await phoneContext({ javaScriptEnabled: js });
		const page = await ctx.newPage();
		try {
			await open(page, '/lop-hoc');
			await page.getByLabel('Xã, phường, tỉnh hoặc điểm chạm số', { exact: true }).fill('thu dau mot');
			await follow(page, page.getByRole('button', { name: 'Tìm lớp' }), (u) => u.pathname === '/lop-hoc');
			assert.equal(await heading(page), 'Lớp học lưu động: Phường Thủ Dầu Một');
			if (js) await assertNoAxeViolations(page, '/lop-hoc?don-vi=thu dau mot');
			await open(page, '/diem-cham');
			assert.equal(await page.getByRole('button', { name: '📍 Gần tôi' }).isVisible(), js, 'near me needs JavaScript; the name search does not');
			await page.getByLabel('Tìm theo tên xã, phường, tỉnh hoặc điểm chạm', { exact: true }).fill('sai gon');
			await follow(page, page.getByRole('button', { name: 'Tìm kiếm', exact: true }), (u) => u.pathname === '/diem-cham');
			assert.match(await heading(page), /^Điểm chạm số: .*Sài Gòn/);
			if (js) {
				await assertNoAxeViolations(page, '/diem-cham?q=sai gon');
				await screenshot(page, 'diem-cham-tim');
			}
			await open(page, '/diem-cham?lat=48.85&lon=2.35', 400);
			assert.match(await page.getByRole('main').innerText(), /ngoài Việt Nam/);
		} finally {
			await ctx.close();
		}
	}
	// With a location in Thủ Dầu Một (granted), the nearest touch points first.
	const ctx = await phoneContext({ geolocation: { latitude: 10.9804, longitude: 106.6519 }, permissions: ['geolocation'] });
	const page = await ctx.newPage();
	try {
		await open(page, '/diem-cham');
		await follow(page, page.getByRole('button', { name: '📍 Gần tôi' }), (u) => u.pathname === '/diem-cham' && u.searchParams.has('lat'));
		assert.equal(await heading(page), 'Điểm chạm số: Gần bạn nhất');
		await assertNoAxeViolations(page, '/diem-cham near me');
	} finally {
		await ctx.close();
	}
});

test('registration without consent is refused by the server too (silence is not consent)', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		await open(page, '/dang-ky');
		await page.getByLabel('Họ và tên', { exact: true }).fill('Không Đồng Ý');
		await page.getByLabel('Số điện thoại', { exact: true }).fill('0911222333');
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill('582047');
		await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill('582047');
		await page.getByLabel('Tỉnh, thành phố', { exact: true }).selectOption({ label: 'Không rõ / chưa chọn' });
		// Drop the browser-side check to see what the server does alone.
		await page.getByLabel(/Tôi đồng ý/).evaluate((el) => el.removeAttribute('required'));
		const [res] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dang-ky'),
			page.getByRole('button', { name: 'Tạo tài khoản' }).click(),
		]);
		await page.waitForLoadState('load');
		assert.ok(res.status() >= 400 && res.status() < 500, `HTTP ${res.status()}`);
		const alert = (await page.getByRole('alert').innerText()).trim();
		assert.ok(alert.length > 0, 'an error message is shown');
		console.log(`  server says: ${alert}`);
		assert.equal(await page.locator('form[action="/dang-xuat"]').count(), 0, 'not signed in');
		assert.equal(await page.getByLabel('Họ và tên', { exact: true }).inputValue(), 'Không Đồng Ý', 'the form keeps what was typed');
		await assertNoAxeViolations(page, '/dang-ky with an error');
	} finally {
		await ctx.close();
	}
});

test('admin: password + TOTP enrolment, opens "Quản lý tài khoản", creates a volunteer in 26740', T, async () => {
	const { page } = await adminSession();
	await openMenu(page);
	await follow(page, page.getByRole('link', { name: 'Quản lý tài khoản' }), /\/quan-tri\/tai-khoan$/);
	assert.equal(await heading(page), 'Quản lý tài khoản');
	await page.getByLabel('Tên đăng nhập', { exact: true }).fill('tnv-saigon');
	await page.getByLabel('Họ tên', { exact: true }).fill('Lê Văn Tình');
	await page.getByLabel('Mật khẩu (ít nhất 10 ký tự)', { exact: true }).fill('tinh-nguyen-vien-2025');
	// The unit by its name, typed without diacritics (no internal code).
	await page.getByLabel('Đơn vị (gõ tên để tìm)', { exact: true }).fill('phuong sai gon');
	await page.getByLabel('Vai trò', { exact: true }).selectOption('volunteer');
	await follow(page, page.getByRole('button', { name: 'Tạo tài khoản' }), /\/quan-tri\/tai-khoan\/\d+$/);
	assert.equal(await heading(page), 'Lê Văn Tình');
	assert.ok((await page.locator('main').innerText()).includes('Tình nguyện viên — Phường Sài Gòn (26740)'));

	await follow(page, page.getByRole('link', { name: 'Danh sách tài khoản' }), /\/quan-tri\/tai-khoan$/);
	const row = page.locator('tbody tr', { has: page.getByRole('link', { name: 'Lê Văn Tình' }) });
	assert.equal(await row.count(), 1, 'the new account is in the list');
	const cells = await row.locator('td').allInnerTexts();
	assert.deepEqual(cells.map((c) => c.trim()), ['Lê Văn Tình', 'tnv-saigon', 'Phường Sài Gòn', 'Tình nguyện viên (26740)']);
	await assertPhoneLayout(page, '/quan-tri/tai-khoan (admin)');
});

test('ward manager (26740): TOTP sign-in, sees own ward, gets 403 on another ward\'s account', T, async () => {
	assert.ok(OTHER_ID, 'HV_OTHER_ACCOUNT_ID is set');
	const { page } = await managerSession();
	await open(page, '/quan-tri/tai-khoan');
	assert.ok((await page.locator('main').innerText()).includes('Phường Sài Gòn'), 'list is of the manager\'s ward');
	await open(page, `/quan-tri/tai-khoan/${OTHER_ID}`, 403);
	assert.equal(await heading(page), 'Có lỗi xảy ra');
	assert.ok((await page.getByRole('alert').innerText()).includes('ngoài phạm vi'), 'says it is out of scope');
	await screenshot(page, 'loi-403');
});

test('ward manager (26740) at 360 px: imports touch points from a CSV file, fixing a wrong line', T, async () => {
	const { ctx } = await managerSession();
	const page = await ctx.newPage();
	await page.setViewportSize({ width: 360, height: 780 });
	await open(page, '/quan-tri/tai-khoan');
	await follow(page, page.getByRole('link', { name: 'Nhập điểm hỗ trợ, tình nguyện viên, dân số từ tệp CSV' }), /\/quan-tri\/nhap-du-lieu$/);
	assert.equal(await heading(page), 'Nhập dữ liệu từ tệp CSV');
	await assertNoAxeViolations(page, '/quan-tri/nhap-du-lieu');
	await assertPhoneLayout(page, '/quan-tri/nhap-du-lieu');
	const head = 'name,unit_code,address,lat,lon,free_wifi,hours\n';
	const send = async (rows) => {
		await page.getByLabel('Loại dữ liệu').selectOption('touch-points');
		await page.getByLabel('Tệp CSV (UTF-8)').setInputFiles({ name: 'diem-cham.csv', mimeType: 'text/csv', buffer: Buffer.from(head + rows) });
		await follow(page, page.getByRole('button', { name: 'Kiểm tra và nhập' }), /\/quan-tri\/nhap-du-lieu$/);
	};
	await send('Nhà văn hóa khu phố 9,26740,9 Nguyễn Huệ,10.77,,yes,7:00–17:00\n');
	const alert = await page.getByRole('alert').innerText();
	assert.ok(alert.includes('diem-cham.csv:2: lat và lon'), `names the line, in the page's language: ${alert}`);
	assert.ok(alert.includes('Không có dòng nào được ghi'), 'says nothing was written');
	await assertNoAxeViolations(page, '/quan-tri/nhap-du-lieu with an error');
	await screenshot(page, 'nhap-du-lieu-loi');
	await send('Nhà văn hóa khu phố 9,26740,9 Nguyễn Huệ,10.77,106.70,yes,7:00–17:00\n');
	assert.ok((await page.getByRole('status').innerText()).includes('Đã nhập xong, số dòng: 1'));
	await open(page, '/diem-cham?unit=26740');
	assert.ok((await page.locator('main').innerText()).includes('Nhà văn hóa khu phố 9'), 'the imported touch point is listed');
	await page.close(); // the manager's session is shared with later tests
});

test('ward manager (26740) at 360 px: sets a target on the dashboard and sees progress against it', T, async () => {
	const { ctx } = await managerSession();
	const page = await ctx.newPage();
	await page.setViewportSize({ width: 360, height: 780 });
	await open(page, '/bang-dieu-khien/26740');
	assert.equal(await heading(page), 'Bảng điều khiển: Phường Sài Gòn');
	// Assists already logged in the ward this quarter (the card's figure).
	const card = page.locator('li.kpi', { has: page.getByRole('heading', { name: 'Lượt hỗ trợ', exact: true }) });
	const done = Number(await card.locator('.big').innerText());
	const target = Math.max(4, done * 2);
	// The headline figures fill the first screen; the target form is folded below.
	assert.ok((await card.boundingBox()).y < 740 * 2, 'the assists card is near the top');
	await page.getByText('Đặt chỉ tiêu cho đơn vị', { exact: true }).click();
	await page.getByLabel('Chỉ số').selectOption('assists');
	await page.getByLabel('Chỉ tiêu (số nguyên)').fill(String(target));
	await Promise.all([page.waitForURL(/da-luu=1/), page.getByRole('button', { name: 'Lưu chỉ tiêu' }).click()]);
	assert.ok((await page.getByRole('status').innerText()).includes('Đã lưu chỉ tiêu'), 'says it was saved');
	const text = await card.innerText();
	const pct = Math.floor(done * 100 / target);
	assert.ok(text.includes(`Chỉ tiêu: ${target} (${pct}%)`), `progress against the target: ${text}`);
	assert.equal(await card.locator('svg.bar[role="img"]').getAttribute('aria-label'), `${pct}% của chỉ tiêu`);
	await assertPhoneLayout(page, '/bang-dieu-khien/26740 after setting a target');
	await assertNoAxeViolations(page, '/bang-dieu-khien/26740 after setting a target');
	await screenshot(page, 'chi-tieu-da-luu');
	// A bad value is refused by the server too (the browser's own check bypassed).
	await page.getByLabel('Chỉ tiêu (số nguyên)').evaluate((el) => { el.removeAttribute('min'); el.value = '-5'; });
	const [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes('/chi-tieu')), page.getByRole('button', { name: 'Lưu chỉ tiêu' }).click()]);
	assert.equal(resp.status(), 400);
	assert.ok((await page.getByRole('alert').innerText()).includes('số nguyên'), 'says what a target must be');
	await page.close();
});

test('volunteer at 360 px: logs help online, then offline (kept, sent when back online), fixes a refused form; each stored once', T, async () => {
	assert.ok(VOLUNTEER_PASSWORD, 'HV_VOLUNTEER_PASSWORD is set (run.sh)');
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	const posts = new Map();   // id -> the URL-encoded body the page posted
	page.on('request', (r) => {
		if (r.method() === 'POST' && new URL(r.url()).pathname === '/ho-tro') {
			const body = r.postData() || '';
			posts.set(new URLSearchParams(body).get('id'), body);
		}
	});
	const before = assistCount();
	try {
		await volunteerSignIn(page);
		await waitCounter(page, 'Đang chờ gửi: 0');
		await assertPhoneLayout(page, '/ho-tro (volunteer)');

		// 1. Online: sent at once, "Đã lưu", a new id for the next person.
		const id1 = await assistId(page);
		assert.match(id1, UUID, 'the form carries a UUID');
		await fillAssist(page, { services: ['Cài đặt VNeID', 'VssID'] });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		const saved = await waitMessage(page, 'Đã lưu lượt hỗ trợ');
		console.log(`  online: ${saved}`);
		assert.equal(new URL(page.url()).pathname, '/ho-tro', 'still on the form (no page load)');
		const id2 = await assistId(page);
		assert.match(id2, UUID);
		assert.notEqual(id2, id1, 'a new id after saving');
		assert.equal(await page.getByLabel('Cài đặt VNeID', { exact: true }).isChecked(), false, 'the form is reset');
		await waitCounter(page, 'Đang chờ gửi: 0');
		assert.equal(timesStored(id1), 1, 'the first assist is stored');
		assert.ok(posts.has(id1), 'the page posted the first form');

		// 2. Offline: kept on the phone, counter 1, the form ready for the next person.
		await waitOfflineReady(page);
		await ctx.setOffline(true);
		await fillAssist(page, { services: ['Phòng tránh lừa đảo'], age: '40–59', gender: 'Nam', group: 'Người lao động' });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await waitCounter(page, 'Đang chờ gửi: 1');
		console.log(`  offline: ${await waitMessage(page, 'Chưa có mạng')}`);
		const id3 = await assistId(page);
		assert.match(id3, UUID);
		assert.ok(id3 !== id2 && id3 !== id1, 'a new id after keeping the form');
		assert.equal(await page.getByLabel('Phòng tránh lừa đảo', { exact: true }).isChecked(), false, 'the form is reset');
		const waiting = await page.locator('#outbox-list li').allInnerTexts();
		assert.equal(waiting.length, 1);
		assert.match(waiting[0], /Phòng tránh lừa đảo — chờ có mạng/);
		assert.equal(timesStored(id2), 0, 'nothing reached the server');

		// 3. Still offline: a form the server will refuse (a phone no learner
		// of this ward registered; the page itself cannot know).
		await fillAssist(page, { services: ['Thanh toán không tiền mặt'], group: 'Hộ kinh doanh', phone: '0987000111' });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await waitCounter(page, 'Đang chờ gửi: 2');
		const id4 = await assistId(page);
		assert.ok(![id1, id2, id3].includes(id4), 'a new id again');
		await assertPhoneLayout(page, '/ho-tro with two forms waiting (offline)');
		await assertNoAxeViolations(page, '/ho-tro with two forms waiting (offline)');
		await screenshot(page, 'ho-tro-cho-gui');

		// 4. The page opens offline (service worker), the queue is still there.
		const reloaded = await page.reload();
		assert.ok(reloaded?.fromServiceWorker(), 'offline, /ho-tro comes from the service worker');
		assert.equal(await heading(page), 'Ghi lượt hỗ trợ', 'the form opens offline from the cache');
		await waitCounter(page, 'Đang chờ gửi: 2');
		const id5 = await assistId(page);
		assert.ok(![id1, id2, id3, id4].includes(id5), `the cached page gets a fresh id (${id5})`);
		assert.equal(assistCount(), before + 1, 'only the online form is stored so far');

		// 5. Back online: sent oldest first; the refused one stays, with the server's words.
		await ctx.setOffline(false);
		await waitCounter(page, 'Đang chờ gửi: 0');
		console.log(`  back online: ${await waitMessage(page, 'đã gửi và lưu 1 phiếu đang chờ')}`);
		assert.match(await page.getByRole('alert').innerText(), /Có phiếu không gửi được/, 'the refusal is announced');
		assert.equal(timesStored(id1), 1, 'the online assist is stored once');
		assert.equal(timesStored(id2), 1, 'the offline assist is stored once');
		assert.equal(timesStored(id3), 0, 'the refused form is not stored');
		const failed = page.locator('#outbox-list li.failed');
		assert.equal(await failed.count(), 1, 'the refused form is listed');
		const why = (await failed.innerText()).trim();
		console.log(`  refused: ${why.split('\n')[0]}`);
		assert.match(why, /Không gửi được: Không có người học nào thuộc đơn vị của bạn đăng ký với số điện thoại này/);
		await assertPhoneLayout(page, '/ho-tro with a refused form');
		await assertNoAxeViolations(page, '/ho-tro with a refused form');
		await screenshot(page, 'ho-tro-khong-gui-duoc');
		const api = await apiAssist(id2);
		assert.equal(api.status, 200, `GET /api/v1/assists/${id2}: ${JSON.stringify(api.body)}`);
		assert.equal(api.body.id, id2);
		assert.ok(api.body.services.includes('scam_awareness'), `services: ${api.body.services}`);

		// 6. "Sửa lại": back in the form with its id, fixed, saved.
		await failed.getByRole('button', { name: 'Sửa lại' }).click();
		assert.equal(await assistId(page), id3, 'the refused form keeps its id');
		assert.equal(await page.getByRole('group', { name: 'Nhóm đối tượng' }).getByLabel('Hộ kinh doanh', { exact: true }).isChecked(), true, 'its answers are back');
		assert.equal(await page.getByLabel('Số điện thoại người học đã đăng ký (nếu có)').inputValue(), '0987000111');
		await page.getByLabel('Số điện thoại người học đã đăng ký (nếu có)').fill('');
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await waitMessage(page, 'Đã lưu lượt hỗ trợ');
		await page.locator('#outbox-list li').first().waitFor({ state: 'detached' });
		assert.equal(timesStored(id3), 1, 'the fixed form is stored');
		assert.equal(assistCount(), before + 3);

		// 7. The same forms sent again (an answer lost on the way): counted once.
		for (const id of [id1, id2]) {
			assert.ok(posts.has(id), `the page posted ${id}`);
			const r = await repost(page, posts.get(id));
			assert.equal(r.status, 200);
			assert.match(r.url, /\/ho-tro\?da-ghi=1$/, `a resent form ends on the saved notice: ${r.url}`);
		}
		assert.equal(assistCount(), before + 3, 'resending changes nothing');
		assert.equal(timesStored(id1), 1);
		assert.equal(timesStored(id2), 1);
		await screenshot(page, 'ho-tro-sau-khi-gui');
	} finally {
		await ctx.close();
	}
});

test('volunteer, weak signal (the send fails while the phone says online), no service worker: kept, sent on the next page load; a refused form keeps its answers', T, async () => {
	// serviceWorkers: 'block' also stands for plain HTTP on a LAN, where
	// browsers give no service worker: the queue must not need one.
	const ctx = await phoneContext({ serviceWorkers: 'block' });
	const page = await ctx.newPage();
	try {
		await volunteerSignIn(page);
		await waitCounter(page, 'Đang chờ gửi: 0');
		const before = assistCount();
		await page.route('**/ho-tro', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback()));
		const id = await assistId(page);
		await fillAssist(page, { services: ['Sổ sức khỏe điện tử'] });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await waitCounter(page, 'Đang chờ gửi: 1');
		await waitMessage(page, 'Chưa có mạng');
		assert.notEqual(await assistId(page), id, 'a new id for the next person');
		assert.equal(await page.evaluate(() => navigator.onLine), true, 'the browser still says online');
		assert.equal(timesStored(id), 0);
		await page.unroute('**/ho-tro');
		await page.reload();
		await waitCounter(page, 'Đang chờ gửi: 0');
		assert.equal(timesStored(id), 1, 'sent on the next page load, once');
		assert.equal(assistCount(), before + 1);

		// Online, refused at once (nothing ticked): the server's words in an
		// alert, the answers and the id kept for a correction, nothing queued.
		const again = await assistId(page);
		await fillAssist(page, { services: [], gender: 'Nam' });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await page.getByRole('alert').filter({ hasText: 'Hãy chọn ít nhất một việc đã hỗ trợ' }).waitFor();
		assert.equal(await assistId(page), again, 'same id: the correction is the same record');
		assert.equal(await page.getByLabel('Nam', { exact: true }).isChecked(), true, 'the answers stay');
		await waitCounter(page, 'Đang chờ gửi: 0');
		assert.equal(await page.locator('#outbox-list li').count(), 0, 'nothing queued');
		await page.getByLabel('Kích hoạt VNeID mức 2', { exact: true }).check();
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		await waitMessage(page, 'Đã lưu lượt hỗ trợ');
		assert.equal(await page.getByRole('alert').count(), 0, 'the error is gone');
		assert.equal(timesStored(again), 1);
	} finally {
		await ctx.close();
	}
});

test('volunteer without JavaScript: the assist form posts the usual way (303 → "Đã lưu lượt hỗ trợ")', T, async () => {
	const ctx = await phoneContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	try {
		await volunteerSignIn(page);
		assert.equal(await page.locator('#outbox').isVisible(), false, 'no outbox without JavaScript');
		const before = assistCount();
		const id = await assistId(page);
		assert.match(id, UUID, 'the server put a UUID in the form');
		await fillAssist(page, { services: ['Cổng dịch vụ công'] });
		const [res] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/ho-tro'),
			follow(page, page.getByRole('button', { name: 'Lưu', exact: true }), (u) => u.pathname === '/ho-tro' && u.searchParams.get('da-ghi') === '1'),
		]);
		assert.equal(res.status(), 303);
		assert.equal((await page.getByRole('status').first().innerText()).trim(), 'Đã lưu lượt hỗ trợ. Cảm ơn bạn!');
		assert.equal(timesStored(id), 1);
		assert.equal(assistCount(), before + 1);
		assert.notEqual(await assistId(page), id, 'the next form has a new id');
		await assertPhoneLayout(page, '/ho-tro?da-ghi=1 (no JS)');
	} finally {
		await ctx.close();
	}
});

/** True when the element's box lies within the viewport (its top part at least). */
async function inView(loc) {
	const r = await loc.evaluate((el) => {
		const b = el.getBoundingClientRect();
		return { top: b.top, height: b.height, vh: window.innerHeight };
	});
	return r.top >= -1 && r.top < r.vh && r.height > 0 ? true : `top ${r.top}, height ${r.height}, viewport ${r.vh}`;
}

test('volunteer at 360 px: a typical assist takes ≤ 6 taps; an incomplete one lists every missing answer at the top of the form, focused', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		await volunteerSignIn(page);
		await waitCounter(page, 'Đang chờ gửi: 0');
		for (const g of ['Nhóm tuổi', 'Giới tính', 'Nhóm đối tượng'])
			assert.equal(await page.getByRole('group', { name: g }).locator('input:checked').count(), 0, `${g}: nothing chosen before the volunteer does`);
		// Incomplete: one service only. Every missing group at once, in an alert at the top, focused.
		await page.getByLabel('VssID', { exact: true }).click();
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		const alert = page.locator('#form-error');
		await alert.waitFor();
		const items = await alert.locator('li').allInnerTexts();
		console.log(`  missing, listed at once: ${items.join(' | ')}`);
		assert.deepEqual(items, ['Hãy chọn nhóm tuổi của người được hỗ trợ.', 'Hãy chọn giới tính.', 'Hãy chọn nhóm đối tượng.',
			'Hãy chọn người đó có điện thoại thông minh hay không.']);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'the error box has the focus');
		assert.equal(await inView(alert), true, 'the error is on the screen, not scrolled past');
		assert.equal(await page.locator('fieldset.invalid .field-error').count(), 4, 'each group says what it lacks');
		await assertNoAxeViolations(page, '/ho-tro with missing answers (JS)');
		await screenshot(page, 'ho-tro-thieu');
		await page.reload();
		await waitCounter(page, 'Đang chờ gửi: 0');

		// A typical assist: one service, age band, gender, group, smartphone, save.
		const before = assistCount();
		const id = await assistId(page);
		let taps = 0;
		const tap = async (loc) => { taps++; await loc.click(); };
		await tap(page.getByLabel('Cài đặt VNeID', { exact: true }));
		await tap(page.getByRole('group', { name: 'Nhóm tuổi' }).getByLabel('Từ 60 trở lên', { exact: true }));
		await tap(page.getByRole('group', { name: 'Giới tính' }).getByLabel('Nữ', { exact: true }));
		await tap(page.getByRole('group', { name: 'Nhóm đối tượng' }).getByLabel('Người cao tuổi', { exact: true }));
		await tap(page.getByRole('group', { name: 'Người đó có điện thoại thông minh không?' }).getByLabel('Có', { exact: true }));
		await tap(page.getByRole('button', { name: 'Lưu', exact: true }));
		await waitMessage(page, 'Đã lưu lượt hỗ trợ');
		console.log(`  a typical assist took ${taps} taps`);
		assert.ok(taps <= 6, `${taps} taps`);
		assert.equal(timesStored(id), 1);
		assert.equal(assistCount(), before + 1);
	} finally {
		await ctx.close();
	}
});

test('volunteer without JavaScript: an incomplete assist comes back with every missing answer at the top of the form, on screen', T, async () => {
	const ctx = await phoneContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	try {
		await volunteerSignIn(page);
		const id = await assistId(page);
		await page.getByLabel('VssID', { exact: true }).check();
		// The browser's own check would stop at the first empty group: the server's answer is what is tested.
		await page.evaluate(() => { document.getElementById('help-form').noValidate = true; });
		await page.getByRole('button', { name: 'Lưu', exact: true }).click();
		const alert = page.locator('#form-error');
		await alert.waitFor();
		assert.equal(await alert.locator('li').count(), 4, 'every missing group at once');
		assert.equal(await inView(alert), true, 'the error is on the screen');
		assert.equal(await assistId(page), id, 'the same id comes back');
		assert.equal(await page.getByLabel('VssID', { exact: true }).isChecked(), true, 'the answers stay');
		assert.equal(timesStored(id), 0);
	} finally {
		await ctx.close();
	}
});

/** Where the page's h1 starts and how tall the header is (CSS px). */
const firstScreen = (page) => page.evaluate(() => ({
	header: Math.round(document.querySelector('header.top').getBoundingClientRect().height),
	h1: Math.round(document.querySelector('main h1').getBoundingClientRect().top),
}));

test('each role lands on its own start page; the menu folds (no JavaScript needed) so content starts on the first screen at 360×740', T, async () => {
	for (const js of [true, false]) {
		const ctx = await phoneContext({ javaScriptEnabled: js });
		const page = await ctx.newPage();
		try {
			await open(page, '/hoc');
			const anon = await firstScreen(page);
			await page.goto('/dang-nhap');
			await page.getByLabel('Tên đăng nhập', { exact: true }).fill(VOLUNTEER_LOGIN);
			await page.getByLabel('Mật khẩu', { exact: true }).fill(VOLUNTEER_PASSWORD);
			await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), (u) => u.pathname === '/ho-tro');
			assert.equal(await heading(page), 'Ghi lượt hỗ trợ', 'a volunteer lands on the assist form');
			const vol = await firstScreen(page);
			console.log(`  ${js ? 'JS' : 'no JS'}: header ${anon.header} px (visitor) / ${vol.header} px (volunteer); h1 at ${anon.h1} / ${vol.h1} px of 740`);
			for (const f of [anon, vol]) {
				assert.ok(f.header <= 80, `the header is ${f.header} px`);
				assert.ok(f.h1 < 200, `the heading starts at ${f.h1} px`);
			}
			assert.equal(await page.locator('nav.main').isVisible(), false, 'the menu starts folded');
			await openMenu(page);
			assert.ok(await page.getByRole('link', { name: 'Điểm chạm số' }).isVisible(), 'touch points are in the menu');
			if (js) {   // axe runs in the page: only with JavaScript
				await assertNoAxeViolations(page, '/ho-tro with the menu open');
				await screenshot(page, 'menu-mo');
			}
			await open(page, '/');
			assert.equal(await page.getByRole('link', { name: 'Đăng ký học' }).count(), 0, 'no "register" for staff');
			assert.equal(await page.getByRole('link', { name: /Cán bộ, tình nguyện viên đăng nhập/ }).count(), 0, 'no staff sign-in link once signed in');
		} finally {
			await ctx.close();
		}
	}
	// The admin (TOTP) lands on the dashboard.
	const { page } = await adminSession();
	await open(page, '/');
	await openMenu(page);
	assert.ok(await page.getByRole('link', { name: 'Bảng điều khiển' }).isVisible());
});

test('learner at 360 px: reads every lesson, fails then passes the quiz, registers, gets and verifies the certificate', T, async () => {
	const { ctx, page, code, learner, card } = await certifiedLearner();

	// The PDF, through the page's own link.  The server sends it inline; the
	// link may carry `download` (my_learning.html), and then Chromium
	// downloads it (a download event, no page response), else it shows it
	// in its PDF viewer (a response; the body Playwright reports is the
	// viewer's wrapper page).  Either way the click must deliver this PDF;
	// the bytes are also fetched through the context's request API, with
	// the same session.
	const pdfLink = card.getByRole('link', { name: 'Tải bản PDF' });
	const pdfPath = `/chung-nhan/${code}.pdf`;
	assert.equal(await pdfLink.getAttribute('href'), pdfPath);
	const jsonLink = card.getByRole('link', { name: 'Tải bản điện tử có chữ ký' });
	assert.equal(await jsonLink.getAttribute('href'), `/chung-nhan/${code}.json`);
	const got = await new Promise((resolve, reject) => {
		const onResponse = (r) => { if (new URL(r.url()).pathname === pdfPath) settle(resolve, { response: r }); };
		const onDownload = (d) => settle(resolve, { download: d });
		const timer = setTimeout(() => settle(reject, new Error(`clicking "Tải bản PDF": no response and no download of ${pdfPath} in 15 s`)), 15000);
		function settle(fn, v) {
			clearTimeout(timer);
			page.off('response', onResponse);
			page.off('download', onDownload);
			fn(v);
		}
		page.on('response', onResponse);
		page.on('download', onDownload);
		pdfLink.click().catch((e) => settle(reject, e));
	});
	if (got.response) {
		assert.equal(got.response.status(), 200, `${pdfPath}: HTTP ${got.response.status()}`);
		assert.match(got.response.headers()['content-type'] || '', /^application\/pdf/);
	} else {
		const d = got.download;
		assert.equal(new URL(d.url()).pathname, pdfPath, 'the download is the certificate');
		assert.equal(await d.failure(), null, 'the download completes');
		const file = readFileSync(await d.path());
		assert.equal(file.subarray(0, 5).toString('latin1'), '%PDF-', 'the downloaded file is a PDF');
		console.log(`  the link downloads ${d.suggestedFilename()} (${file.length} bytes)`);
	}
	const pdfRes = await ctx.request.get(pdfPath);
	assert.equal(pdfRes.status(), 200, `${pdfPath}: HTTP ${pdfRes.status()}`);
	assert.match(pdfRes.headers()['content-type'] || '', /^application\/pdf/);
	const pdf = await pdfRes.body();
	assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the certificate is a PDF');
	assert.ok(pdf.length > 1000, `PDF of ${pdf.length} bytes`);
	console.log(`  ${code}.pdf: ${pdf.length} bytes`);

	// The signed JSON, through the context's request API (same session).
	const res = await ctx.request.get(`/chung-nhan/${code}.json`);
	assert.equal(res.status(), 200);
	const credential = await res.text();
	assert.ok(credential.includes(code), 'the signed JSON names the code');
	JSON.parse(credential);

	// Nobody else may download it: a fresh browser is sent to sign in.
	const stranger = await phoneContext();
	try {
		const r = await stranger.request.get(`/chung-nhan/${code}.pdf`, { maxRedirects: 0 });
		assert.equal(r.status(), 303, `stranger gets HTTP ${r.status()}`);
		assert.match(r.headers().location || '', /^\/dang-nhap\/hoc-vien/);
	} finally {
		await stranger.close();
	}

	// The public verification page: valid, the holder's full name (so an
	// edited printout does not match), never the phone.
	await open(page, '/hoc-tap-cua-toi');
	await follow(page, card.getByRole('link', { name: 'Trang kiểm tra' }), (u) => u.pathname === `/xac-thuc/${code}`);
	assert.equal(await heading(page), 'Kiểm tra chứng nhận');
	assert.equal((await page.getByRole('status').innerText()).trim(), 'Chứng nhận hợp lệ');
	const facts = await page.locator('main').innerText();
	assert.ok(facts.includes(code) && facts.includes(COURSE.title), 'code and course shown');
	assert.ok(facts.includes(learner.name), 'the holder\'s full name is shown');
	assert.ok(facts.includes('Đơn vị cấp') && facts.includes('Còn hiệu lực'), 'issuing body and status shown');
	assert.ok(!facts.includes(learner.phone), 'the public page must not show the phone');
	await assertPhoneLayout(page, `/xac-thuc/${code}`);

	// The same through the form, typed the way people type (lower case).
	await open(page, '/xac-thuc');
	await page.getByLabel('Mã chứng nhận', { exact: true }).fill(code.toLowerCase());
	await follow(page, page.getByRole('button', { name: 'Kiểm tra', exact: true }), (u) => u.pathname === `/xac-thuc/${code}`);
	assert.equal((await page.getByRole('status').innerText()).trim(), 'Chứng nhận hợp lệ');

	// Offline, with the command line: by code, and the downloaded JSON file;
	// a tampered copy and an unknown code must fail.
	const byCode = hocvuso('cert', 'verify', code);
	console.log(`  cert verify ${code}: exit ${byCode.status}: ${byCode.out.split('\n')[0]}`);
	assert.equal(byCode.status, 0, `cert verify ${code}: ${byCode.out}`);
	const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-cert-'));
	try {
		const file = path.join(dir, `${code}.json`);
		writeFileSync(file, credential);
		const byFile = hocvuso('cert', 'verify', file);
		assert.equal(byFile.status, 0, `cert verify FILE.json: ${byFile.out}`);
		const forged = path.join(dir, 'forged.json');
		const title = JSON.stringify(COURSE.title).slice(1, -1);
		assert.ok(credential.includes(title) || credential.includes(COURSE.title), 'the JSON names the course');
		writeFileSync(forged, credential.includes(title) ? credential.replace(title, 'Khóa học khác') : credential.replace(COURSE.title, 'Khóa học khác'));
		const byForged = hocvuso('cert', 'verify', forged);
		assert.equal(byForged.status, 1, `a tampered JSON must fail: exit ${byForged.status}: ${byForged.out}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const unknown = hocvuso('cert', 'verify', 'HV-2222-2222');
	assert.equal(unknown.status, 1, `an unknown code must fail: exit ${unknown.status}: ${unknown.out}`);
});

test('learner without JavaScript: reads every lesson (no "Nghe" button), marks each read, passes the quiz', T, async () => {
	const ctx = await phoneContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const checked = [];
	const check = async (label) => { await assertPhoneLayout(page, label); checked.push(label); };
	try {
		const lessons = await readWholeCourse(page, { js: false, check });
		await check('quiz (no JS)');
		await screenshot(page, 'kiem-tra-khong-js');
		await failThenPassQuiz(page, check);
		assert.ok(await page.getByRole('link', { name: 'Đăng ký để nhận chứng nhận' }).isVisible(), 'offers registration');
		await open(page, `/hoc/${COURSE.slug}`);
		assert.ok((await page.locator('main').innerText()).includes(`Đã học: ${lessons.length}/${lessons.length} bài học`), 'progress kept in the cookie');
		await open(page, '/hoc-tap-cua-toi');
		assert.ok((await page.locator('main').innerText()).includes('Đăng ký để giữ kết quả'), 'anonymous progress hint');
		await check('/hoc-tap-cua-toi (anonymous, course passed)');
	} finally {
		console.log(`  layout checked on: ${checked.join(', ')}`);
		await ctx.close();
	}
});

test('content editor at 360 px: previews, publishes, hides and restores a lesson; a bad field is refused with the answers kept', T, async () => {
	assert.ok(EDITOR_PASSWORD, 'HV_EDITOR_PASSWORD is set');
	const LESSON = '/hoc/chu-ky-so/chu-ky-so-la-gi';
	const ADDED = 'Đoạn thêm khi thử: hãy nhờ cán bộ một cửa giúp nếu còn lúng túng.';
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	// A visitor's view of the lesson from a fresh browser each time: public
	// pages may be kept 60 s by a browser (Cache-Control), the server must not.
	const visitor = async (status = 200) => {
		const vctx = await phoneContext();
		try {
			const vpage = await vctx.newPage();
			await open(vpage, LESSON, status);
			return await vpage.locator('main').innerText();
		} finally {
			await vctx.close();
		}
	};
	try {
		await passwordSignInAt(page, '/bien-tap', EDITOR_LOGIN, EDITOR_PASSWORD);
		assert.equal(await heading(page), 'Biên tập nội dung');
		await assertPhoneLayout(page, '/bien-tap');
		await assertNoAxeViolations(page, '/bien-tap');

		await follow(page, page.getByRole('link', { name: 'Chữ ký số là gì?', exact: true }), /\/bien-tap\/bai\/chu-ky-so-la-gi$/);
		assert.equal(await heading(page), 'Chữ ký số là gì?');
		await assertPhoneLayout(page, '/bien-tap/bai/chu-ky-so-la-gi');
		await assertNoAxeViolations(page, '/bien-tap/bai/chu-ky-so-la-gi');
		const body = page.getByLabel('Nội dung (Markdown)', { exact: true });
		const original = await body.inputValue();
		assert.ok(original.length > 200, 'the form holds the lesson text');

		// Preview: rendered, not saved.
		await body.fill(original + '\n\n**' + ADDED + '**\n');
		await follow(page, page.getByRole('button', { name: 'Xem trước', exact: true }), /\/bien-tap\/bai\/chu-ky-so-la-gi$/);
		assert.equal(await page.locator('.card .prose strong', { hasText: ADDED }).count(), 1, 'preview shows the bold text');
		assert.ok(!(await visitor()).includes(ADDED), 'a preview is not published');

		// A bad field: refused, message in an alert, the typed text kept.
		await page.getByLabel('Số phút đọc', { exact: true }).evaluate((el) => { el.removeAttribute('max'); el.value = '999'; });
		await follow(page, page.getByRole('button', { name: 'Lưu và hiển thị', exact: true }), /\/bien-tap\/bai\/chu-ky-so-la-gi$/);
		assert.ok((await page.getByRole('alert').innerText()).length > 5, 'the refusal says why');
		assert.ok((await body.inputValue()).includes(ADDED), 'the typed text is kept after a refusal');
		await assertPhoneLayout(page, 'editor form with an error');
		await assertNoAxeViolations(page, 'editor form with an error');
		assert.ok(!(await visitor()).includes(ADDED), 'a refused edit is not published');

		// Publish: the public page shows it.
		await page.getByLabel('Số phút đọc', { exact: true }).fill('6');
		await follow(page, page.getByRole('button', { name: 'Lưu và hiển thị', exact: true }), /da-luu=1/);
		assert.equal(await page.getByRole('status').innerText(), 'Đã lưu.');
		assert.ok((await visitor()).includes(ADDED), 'the published edit is on the lesson page');

		// Draft hides the lesson; publishing the original text restores it.
		await follow(page, page.getByRole('button', { name: 'Lưu bản nháp (ẩn)', exact: true }), /da-luu=1/);
		await visitor(404);
		await body.fill(original);
		await follow(page, page.getByRole('button', { name: 'Lưu và hiển thị', exact: true }), /da-luu=1/);
		assert.ok(!(await visitor()).includes(ADDED), 'the original text is back');
		const versions = await page.locator('table tbody tr').count();
		assert.ok(versions >= 4, `every save is kept as a version (${versions} rows)`);
		assert.ok((await page.locator('table').innerText()).includes('Phạm Thu Biên'), 'versions name the editor');
		await assertPhoneLayout(page, 'editor form with versions');
		await assertNoAxeViolations(page, 'editor form with versions');

		// The quiz editor opens with its source.
		await open(page, '/bien-tap/kiem-tra/chu-ky-so');
		assert.match(await page.getByLabel('Bài kiểm tra (định dạng quiz.md)', { exact: true }).inputValue(), /\S/);
		await assertPhoneLayout(page, '/bien-tap/kiem-tra/chu-ky-so');
		await assertNoAxeViolations(page, '/bien-tap/kiem-tra/chu-ky-so');
	} finally {
		await ctx.close();
	}
});

// ---------------------------------------------------- organisations and teams

const COORDINATOR = { login: 'dieuphoi-doan', password: 'dieu-phoi-mat-khau-9', name: 'Lê Văn Điều Phối' };

/** The manager of 26740 adds an organisation (Đoàn Thanh niên) on
 *  /to-chuc; the CLI makes a coordinator of it; the coordinator signs in
 *  at 360 px, starts a team and adds the ward's volunteer.  Memoised: the
 *  per-page axe list opens the organisation and team it made. */
async function coordinatorJourney() {
	const m = await managerSession();
	const mp = await m.ctx.newPage();
	await open(mp, '/to-chuc?don-vi=26740');
	await mp.getByLabel('Tên tổ chức', { exact: true }).fill('Đoàn Thanh niên phường Sài Gòn');
	await mp.getByLabel('Loại tổ chức', { exact: true }).selectOption({ label: 'Đoàn Thanh niên' });
	await follow(mp, mp.getByRole('button', { name: 'Thêm tổ chức' }), /\/to-chuc\/\d+$/);
	const org = Number(new URL(mp.url()).pathname.split('/').pop());
	await mp.close();
	// The manager creates the coordinator with the organisation picked by
	// name: bound at once, nothing else to do.
	const ap = await m.ctx.newPage();
	await open(ap, '/quan-tri/tai-khoan');
	await ap.getByLabel('Tên đăng nhập', { exact: true }).fill(COORDINATOR.login);
	await ap.getByLabel('Họ tên', { exact: true }).fill(COORDINATOR.name);
	await ap.getByLabel('Mật khẩu (ít nhất 10 ký tự)', { exact: true }).fill(COORDINATOR.password);
	assert.equal(await ap.getByLabel('Đơn vị (gõ tên để tìm)', { exact: true }).inputValue(), 'Phường Sài Gòn · 26740', 'the manager\'s ward, by name');
	await ap.getByLabel('Vai trò', { exact: true }).selectOption({ label: 'Điều phối tổ chức' });
	await ap.getByLabel('Tổ chức (chỉ cho điều phối viên)', { exact: true }).selectOption({ label: 'Đoàn Thanh niên phường Sài Gòn — Phường Sài Gòn' });
	await assertNoAxeViolations(ap, '/quan-tri/tai-khoan with pickers (manager)');
	await screenshot(ap, 'tao-dieu-phoi-vien');
	await follow(ap, ap.getByRole('button', { name: 'Tạo tài khoản' }), /\/quan-tri\/tai-khoan\/\d+$/);
	await ap.close();
	assert.equal(sql(`SELECT r.org_id FROM roles r JOIN accounts a ON a.id = r.account_id WHERE a.login = '${COORDINATOR.login}' AND r.role = 'coordinator'`), String(org));

	const ctx = await phoneContext();
	const page = await ctx.newPage();
	await passwordSignInAt(page, '/to-chuc', COORDINATOR.login, COORDINATOR.password);
	await assertPhoneLayout(page, '/to-chuc (coordinator)');
	await follow(page, page.getByRole('link', { name: 'Đoàn Thanh niên phường Sài Gòn' }).first(), (u) => u.pathname === `/to-chuc/${org}`);
	assert.equal(await page.getByRole('button', { name: 'Sửa tổ chức' }).count(), 0, 'a coordinator does not edit the organisation');
	await page.getByLabel('Tên tổ', { exact: true }).fill('Tổ công nghệ số khu phố 1');
	assert.equal(await page.getByLabel('Mã xã, phường của tổ', { exact: true }).inputValue(), '26740');
	await follow(page, page.getByRole('button', { name: 'Lập tổ mới' }), /\/to-doi\/\d+$/);
	const team = Number(new URL(page.url()).pathname.split('/').pop());
	assert.equal(await heading(page), 'Tổ công nghệ số khu phố 1');
	await assertPhoneLayout(page, '/to-doi (new team)');
	await page.locator('#add-login').fill(VOLUNTEER_LOGIN);
	await follow(page, page.getByRole('button', { name: 'Thêm thành viên', exact: true }), (u) => u.pathname === `/to-doi/${team}`);
	assert.equal((await page.getByRole('status').innerText()).trim(), 'Đã lưu.');
	assert.ok((await page.locator('tbody').innerText()).includes('Nguyễn Văn Tâm'), 'the volunteer is a member');
	await assertPhoneLayout(page, '/to-doi (with a member)');
	await assertNoAxeViolations(page, '/to-doi (coordinator)');
	await ctx.close();
	assert.equal(sql(`SELECT COUNT(*) FROM team_members m JOIN accounts a ON a.id = m.account_id WHERE m.team_id = ${team} AND a.login = '${VOLUNTEER_LOGIN}'`), '1');
	return { org, team };
}

test('admin at 360 px: the unit picker lists wards as one types without diacritics, and goes to the ward\'s dashboard', T, async () => {
	const { ctx } = await adminSession();
	const page = await ctx.newPage();
	await page.setViewportSize({ width: 360, height: 740 });
	await open(page, '/bang-dieu-khien/VN');
	await page.getByText('Chọn đơn vị khác', { exact: true }).click();
	await page.getByLabel('Tên xã, phường hoặc tỉnh').pressSequentially('sai gon', { delay: 30 });
	const hit = page.locator('#picker-live a', { hasText: 'Phường Sài Gòn' });
	await hit.waitFor({ timeout: 10_000 });   // listed by app.js while typing, no submit
	await assertNoAxeViolations(page, '/bang-dieu-khien/VN with the picker open');
	await Promise.all([page.waitForURL(/\/bang-dieu-khien\/26740$/), hit.click()]);
	assert.equal(await heading(page), 'Bảng điều khiển: Phường Sài Gòn');
	await page.close();
});

let coordinatorPromise;
const coordinated = () => (coordinatorPromise ??= coordinatorJourney());

test('coordinator at 360 px: signs in, starts a team in their organisation, adds a volunteer', T, async () => {
	const { org, team } = await coordinated();
	assert.ok(org > 0 && team > 0);
});

test('public page (/minh-bach) at 360 px: the nation total equals the sum of its rows, column by column', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		// A learner who chooses no commune: counted in the nation's "not assigned" row.
		await registerLearner(page, { name: 'Trần Văn Chưa Chọn', phone: '0987650001', pin: '731946' });
		let first = true;
		for (const url of ['/minh-bach', '/minh-bach/79']) {
			await open(page, url);
			const t = await page.evaluate(() => {
				const num = (td) => Number(td.textContent.replace(/[.,\s]/g, ''));
				const total = [...document.querySelectorAll('tr.total td')].map(num);
				const parts = [...document.querySelectorAll('tr.part')].map((tr) => [...tr.querySelectorAll('td')].map(num));
				const unassigned = document.querySelector('tr.unassigned th')?.textContent ?? '';
				return { total, parts, unassigned };
			});
			assert.ok(t.total.length >= 6, `${url}: a total row with the headline figures`);
			assert.ok(t.parts.length > 1, `${url}: rows below the total`);
			assert.equal(t.unassigned, 'Chưa gắn đơn vị cấp dưới', `${url}: the unassigned row is explicit`);
			if (first) assert.ok(t.total[0] >= 1 && t.parts[t.parts.length - 1][0] >= 1, `${url}: the learner counts, in the unassigned row`);
			first = false;
			t.total.forEach((v, i) => {
				const sum = t.parts.reduce((acc, row) => acc + row[i], 0);
				assert.equal(v, sum, `${url}: column ${i + 1}: total ${v}, rows add up to ${sum}`);
			});
			await assertNoAxeViolations(page, url);
		}
		await open(page, '/chi-so');
		assert.equal(await heading(page), 'Định nghĩa các chỉ số');
		await assertNoAxeViolations(page, '/chi-so');
		await assertPhoneLayout(page, '/chi-so');
	} finally {
		await ctx.close();
	}
});

test('the axe check itself catches planted problems (guards against a silent pass)', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		await open(page, '/dang-nhap');
		await page.evaluate(() => {
			document.querySelector('label[for=login]').removeAttribute('for');   // input without a label
			document.querySelector('main p').style.color = '#bbbbbb';           // low contrast text
		});
		const lines = await axeViolations(page);
		const ids = new Set(lines.map((l) => l.split(' ')[0]));
		assert.ok(ids.has('label'), `expected a "label" violation, got: ${[...ids].join(', ') || 'none'}`);
		assert.ok(ids.has('color-contrast'), `expected a "color-contrast" violation, got: ${[...ids].join(', ') || 'none'}`);
	} finally {
		await ctx.close();
	}
});

// ------------------------------------------------- classes (fixtures)

let classPromise;
/** A touch point and a class in 26740, made once by the ward's manager
 * through the forms: { pointId, classId }. */
const classFixture = () => (classPromise ??= (async () => {
	const { ctx } = await managerSession();
	const page = await ctx.newPage();
	try {
		await open(page, '/diem-cham?don-vi=26740');
		await page.getByLabel('Tên điểm', { exact: true }).fill('Nhà văn hóa phường Sài Gòn');
		await page.getByLabel('Địa chỉ', { exact: true }).fill('45 Lê Duẩn, phường Sài Gòn');
		await page.getByLabel('Giờ mở cửa', { exact: true }).fill('7:30–17:00, thứ Hai – thứ Bảy');
		await follow(page, page.getByRole('button', { name: 'Thêm điểm chạm số' }), /\/diem-cham/);
		const href = await page.getByRole('link', { name: 'Nhà văn hóa phường Sài Gòn' }).first().getAttribute('href');
		const pointId = Number(href.split('/').at(-1));
		await open(page, '/lop-hoc/moi?don-vi=26740');
		const start = new Date(Date.now() + 3 * 86400e3 + 7 * 3600e3).toISOString().slice(0, 11) + '08:00';
		const end = start.slice(0, 11) + '10:00';
		await page.getByLabel('Tên lớp', { exact: true }).fill('Cài đặt VNeID cho người cao tuổi');
		await page.getByLabel('Địa điểm', { exact: true }).selectOption(String(pointId));
		await page.getByLabel('Bắt đầu', { exact: true }).fill(start);
		await page.getByLabel('Kết thúc', { exact: true }).fill(end);
		await page.getByLabel('Số chỗ (1–1000)', { exact: true }).fill('25');
		await follow(page, page.getByRole('button', { name: 'Lưu' }), /^\/lop-hoc\/\d+$/);
		const classId = Number(new URL(page.url()).pathname.split('/').at(-1));
		return { pointId, classId };
	} finally {
		await page.close();
	}
})());

/** The check-in address the class's QR screen shows now. */
async function checkinPath() {
	const { classId } = await classFixture();
	const { ctx } = await managerSession();
	const page = await ctx.newPage();
	try {
		await open(page, `/lop-hoc/${classId}/diem-danh`);
		const u = new URL(await page.locator(`a[href*="/lop-hoc/${classId}/co-mat"]`).getAttribute('href'));
		return u.pathname + u.search;
	} finally {
		await page.close();
	}
}

// ------------------------------- forgotten PIN, reset codes, own data, read-aloud

/** A bearer token of the volunteer of 26740 (CLI), made once. */
function volunteerBearer() {
	if (!volunteerToken) {
		const r = hocvuso('token', 'create', '--user', VOLUNTEER_LOGIN, '--label', 'browser tests');
		assert.equal(r.status, 0, `token create: ${r.out}`);
		volunteerToken = r.out.split('\n').at(-1).trim();
	}
	return volunteerToken;
}

/** The volunteer of 26740, after checking the person face to face, issues
 *  a reset code from "Tài khoản" → "Cấp mã đặt lại mã PIN"; returns its
 *  digits.  Checks the page (axe, 360 px) before and after. */
async function issueResetCode(phone, shot) {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		await volunteerSignIn(page);
		await open(page, '/tai-khoan');
		await follow(page, page.getByRole('link', { name: 'Cấp mã đặt lại mã PIN' }), /\/ho-tro\/ma-khoi-phuc$/);
		await assertNoAxeViolations(page, '/ho-tro/ma-khoi-phuc');
		await assertPhoneLayout(page, '/ho-tro/ma-khoi-phuc');
		await page.getByLabel('Số điện thoại của người cần đặt lại', { exact: true }).fill(phone);
		await page.getByLabel(/Tôi đã gặp trực tiếp/).check();
		await follow(page, page.getByRole('button', { name: 'Cấp mã', exact: true }), /\/ho-tro\/ma-khoi-phuc$/);
		const code = (await page.locator('.codebox .code').innerText()).trim();
		assert.match(code, /^\d{4} \d{4}$/, 'an 8-digit code in two groups');
		assert.equal(await page.locator('.qr svg').count(), 1, 'and its QR code');
		await assertNoAxeViolations(page, '/ho-tro/ma-khoi-phuc with a code');
		await assertPhoneLayout(page, '/ho-tro/ma-khoi-phuc with a code');
		if (shot) await screenshot(page, shot);
		return code.replace(/\s/g, '');
	} finally {
		await ctx.close();
	}
}

/** On /quen-ma-pin (phone and code typed or filled from the QR): a new PIN twice, sent. */
async function setNewPin(page, pin) {
	await page.getByLabel('Mã PIN mới (6 chữ số)', { exact: true }).fill(pin);
	await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(pin);
	await follow(page, page.getByRole('button', { name: 'Đặt mã PIN mới' }), /\/quen-ma-pin$/);
}

// (axe needs JavaScript: the pages of this journey are checked in PAGES
// and in the next journey.)
test('forgotten PIN, without JavaScript: "Quên mã PIN?" → a volunteer checks and issues a code → new PIN → signed in', T, async () => {
	const person = { name: 'Lâm Thị Quên', phone: '0912345670', pin: '582046', newPin: '604817' };
	const ctx = await phoneContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	try {
		// Registered in Phường Sài Gòn (26740), where the volunteer serves.
		await open(page, '/dang-ky?tinh=79');
		await page.locator('select[name=unit]').selectOption('26740');
		await fillRegistration(page, { ...person, keepPlace: true }, /\/tai-khoan$/);
		const own = (await page.locator('.codebox .code').innerText()).trim();
		assert.match(own, /^\d{4} \d{4} \d{4}$/, 'the recovery code of their own, shown once after registering');
		await screenshot(page, 'tai-khoan-ma-khoi-phuc');
		await openMenu(page);
		await follow(page, page.getByRole('button', { name: 'Đăng xuất' }), (u) => u.pathname === '/');

		// The PIN is forgotten: the sign-in page says what to do.
		await open(page, '/dang-nhap/hoc-vien');
		await follow(page, page.getByRole('link', { name: 'Quên mã PIN?' }), /\/quen-ma-pin$/);
		assert.equal(await heading(page), 'Quên mã PIN');
		assert.ok((await page.locator('main').innerText()).includes('tình nguyện viên'), 'it says to ask a volunteer');
		await assertPhoneLayout(page, '/quen-ma-pin');
		await screenshot(page, 'quen-ma-pin');

		const code = await issueResetCode(person.phone, 'ho-tro-ma-khoi-phuc');
		await page.getByLabel('Số điện thoại', { exact: true }).fill(person.phone);
		await page.getByLabel('Mã khôi phục', { exact: true }).fill(`${code.slice(0, 4)} ${code.slice(4)}`);
		await setNewPin(page, person.newPin);
		assert.equal(await heading(page), 'Đã đặt mã PIN mới');
		assert.match((await page.locator('.codebox .code').innerText()).trim(), /^\d{4} \d{4} \d{4}$/, 'a new recovery code');
		await assertPhoneLayout(page, '/quen-ma-pin, PIN set');
		await screenshot(page, 'quen-ma-pin-xong');

		// The same code again: refused, the same words as any wrong code.
		await openMenu(page);
		await follow(page, page.getByRole('button', { name: 'Đăng xuất' }), (u) => u.pathname === '/');
		await open(page, '/quen-ma-pin');
		await page.getByLabel('Số điện thoại', { exact: true }).fill(person.phone);
		await page.getByLabel('Mã khôi phục', { exact: true }).fill(code);
		await setNewPin(page, '913572');
		assert.ok((await page.getByRole('alert').innerText()).includes('không đúng, đã hết hạn hoặc đã được dùng'));
		assert.equal(await page.getByLabel('Số điện thoại', { exact: true }).inputValue(), person.phone, 'the form keeps the phone');

		// The new PIN signs in; the old one does not.
		await page.goto('/tai-khoan');
		assert.equal(new URL(page.url()).pathname, '/dang-nhap/hoc-vien', 'signed out: asked to sign in');
		await page.getByLabel('Số điện thoại', { exact: true }).fill(person.phone);
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(person.pin);
		await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), /\/dang-nhap\/hoc-vien$/);
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(person.newPin);
		await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), /\/tai-khoan$/);
		assert.ok((await page.locator('main').innerText()).includes(person.name));
	} finally {
		await ctx.close();
	}
});

test('a person registered by a volunteer claims the account from the QR link (JavaScript) and reads their data', T, async () => {
	const person = { name: 'Hồ Văn Nhờ', phone: '0912345671', pin: '750318' };
	const res = await fetch(`${BASE}/api/v1/assists`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${volunteerBearer()}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ id: randomUUID(), unit: '26740', services: ['vneid_install'], outcome: 'done', has_smartphone: true,
			person: { register: { name: person.name, phone: person.phone, consent: true } } }),
	});
	assert.equal(res.status, 201, await res.text());
	const code = await issueResetCode(person.phone);
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		// What the QR code holds: the page, with phone and code after '#'.
		await open(page, `/quen-ma-pin#sdt=${person.phone}&ma=${code}`);
		await page.waitForFunction(() => document.getElementById('code').value !== '');
		assert.equal(await page.getByLabel('Số điện thoại', { exact: true }).inputValue(), person.phone);
		assert.equal(await page.getByLabel('Mã khôi phục', { exact: true }).inputValue(), code);
		assert.equal(new URL(page.url()).hash, '', 'the code leaves the address bar');
		await setNewPin(page, person.pin);
		assert.equal(await heading(page), 'Đã đặt mã PIN mới');
		assert.ok(await page.getByRole('button', { name: 'In mã này' }).isVisible(), 'the code can be printed');
		await assertNoAxeViolations(page, '/quen-ma-pin, account claimed');

		await follow(page, page.getByRole('link', { name: 'Tiếp tục đến tài khoản' }), /\/tai-khoan$/);
		await follow(page, page.getByRole('link', { name: 'Xem dữ liệu của tôi (có thể in)' }), /\/tai-khoan\/du-lieu$/);
		assert.equal(await heading(page), 'Dữ liệu hệ thống lưu về tôi');
		const text = await page.locator('main').innerText();
		for (const want of [person.name, person.phone, 'Đồng ý lưu thông tin lúc']) assert.ok(text.includes(want), want);
		assert.match(text, /\d{2}\/\d{2}\/20\d{2} \d{2}:\d{2}/, 'dates as dates');
		assert.ok(await page.getByRole('button', { name: 'In trang này' }).isVisible());
		assert.equal(await page.getByRole('link', { name: 'Tải toàn bộ dữ liệu của tôi (JSON)' }).getAttribute('href'), '/tai-khoan/du-lieu.json');
		await assertNoAxeViolations(page, '/tai-khoan/du-lieu');
		await assertPhoneLayout(page, '/tai-khoan/du-lieu');
		await screenshot(page, 'tai-khoan-du-lieu');
		const json = await ctx.request.get('/tai-khoan/du-lieu.json');
		assert.equal((await json.json()).account.phone, person.phone);
	} finally {
		await ctx.close();
	}
});

test('a phone set to English gets English pages on a first visit; choosing Tiếng Việt sticks', T, async () => {
	const ctx = await phoneContext({ locale: 'en-US' });
	const page = await ctx.newPage();
	try {
		await open(page, '/');
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		await openMenu(page);
		await follow(page, page.getByRole('link', { name: 'Tiếng Việt' }), (u) => u.pathname === '/');
		assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
		await open(page, '/hoc');
		assert.equal(await page.locator('html').getAttribute('lang'), 'vi', 'the choice outlives the browser setting');
	} finally {
		await ctx.close();
	}
});

test('"Nghe" tells the truth: with no Vietnamese voice the lesson and the quiz say so and how to get one', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		for (const [url, name] of [[`/hoc/${COURSE.slug}/cai-dat-vneid`, 'Nghe'], [QUIZ_PATH, 'Nghe câu hỏi']]) {
			await open(page, url);
			const hasVoice = await page.evaluate(() => new Promise((resolve) => {
				const s = window.speechSynthesis;
				const check = () => resolve(!!s && s.getVoices().some((v) => (v.lang || '').toLowerCase().startsWith('vi')));
				if (!s || s.getVoices().length) check(); else setTimeout(check, 1600);
			}));
			await page.getByRole('button', { name }).first().click();
			if (hasVoice) {
				console.log(`  ${url}: this Chromium has a Vietnamese voice; reading starts`);
				await page.getByRole('button', { name: /Dừng đọc/ }).first().waitFor();
				await page.getByRole('button', { name: /Dừng đọc/ }).first().click();
			} else {
				const help = page.locator('#speak-help');
				await help.waitFor({ state: 'visible', timeout: 8000 });
				assert.ok((await help.innerText()).includes('chưa có giọng đọc tiếng Việt'));
				assert.ok((await help.innerText()).includes('Android'));
				assert.equal(await page.getByRole('button', { name: /Dừng đọc/ }).count(), 0, 'no pretending to read');
				await assertNoAxeViolations(page, `${url} with the voice help`);
				await screenshot(page, url === QUIZ_PATH ? 'kiem-tra-khong-co-giong' : 'bai-hoc-khong-co-giong');
			}
		}
	} finally {
		await ctx.close();
	}
});

// ------------------------------------------- every main page: axe + layout

/**
 * The main pages.  `session` names who looks: anon (fresh context), en
 * (fresh context switched to English), learner, admin, manager, viewer
 * (password done, TOTP enrolment pending), admin-again (enrolled admin
 * before typing the code), volunteer (26740, no TOTP), large ("Chữ to hơn" on), certified (the learner
 * of the certificate journey).  Optional: `label` (test name), `url` may be
 * a function, `go(page)` replaces opening the URL (pages reached by a
 * POST), `expect(page)` checks the content before axe runs.
 */
const PAGES = [
	{ name: 'trang-chu', url: '/', session: 'anon' },
	{ name: 'don-vi', url: '/don-vi', session: 'anon' },
	{ name: 'don-vi-79', url: '/don-vi/79', session: 'anon' },
	{ name: 'don-vi-26740', url: '/don-vi/26740', session: 'anon' },
	{ name: 'tim-tan-thanh', url: '/don-vi?q=tan%20thanh', session: 'anon' },
	{ name: 'dang-nhap', url: '/dang-nhap', session: 'anon' },
	{ name: 'dang-nhap-hoc-vien', url: '/dang-nhap/hoc-vien', session: 'anon' },
	{ name: 'dang-ky', url: '/dang-ky', session: 'anon' },
	{ name: 'dang-ky-tinh-79', url: '/dang-ky?tinh=79', session: 'anon' },
	{ name: 'loi-404-don-vi', url: '/don-vi/99999', session: 'anon', status: 404 },
	{ name: 'loi-404-duong-dan', url: '/khong-co-trang-nay', session: 'anon', status: 404 },
	{ name: 'en-home', url: '/', session: 'en' },
	{ name: 'en-don-vi', url: '/don-vi?q=tan%20thanh', session: 'en' },
	{ name: 'en-dang-ky', url: '/dang-ky', session: 'en' },
	{ name: 'quen-ma-pin', url: '/quen-ma-pin', session: 'anon' },
	{ name: 'en-quen-ma-pin', url: '/quen-ma-pin', session: 'en' },
	{ name: 'quen-ma-pin-loi', label: '/quen-ma-pin, a wrong code', session: 'anon', go: async (page) => {
		await open(page, '/quen-ma-pin');
		await page.getByLabel('Số điện thoại', { exact: true }).fill('0912345679');
		await page.getByLabel('Mã khôi phục', { exact: true }).fill('1234 5678');
		await setNewPin(page, '604817');
		assert.ok((await page.getByRole('alert').innerText()).includes('không đúng, đã hết hạn hoặc đã được dùng'));
	} },
	{ name: 'da-xoa-du-lieu', url: '/da-xoa-du-lieu', session: 'anon' },
	{ name: 'ho-tro-ma-khoi-phuc', url: '/ho-tro/ma-khoi-phuc', session: 'volunteer' },
	{ name: 'tai-khoan-du-lieu', url: '/tai-khoan/du-lieu', session: 'learner' },
	{ name: 'chuc-mung', label: '/chuc-mung/CODE', url: async () => `/chuc-mung/${(await certifiedLearner()).code}`, session: 'certified',
		expect: async (page) => assert.equal(await heading(page), 'Chúc mừng!') },
	{ name: 'xac-thuc-2-lop-dang-ky', url: '/xac-thuc-2-lop', session: 'viewer' },
	{ name: 'xac-thuc-2-lop-nhap-ma', url: '/xac-thuc-2-lop', session: 'admin-again' },
	{ name: 'tai-khoan-hoc-vien', url: '/tai-khoan', session: 'learner' },
	{ name: 'tai-khoan-quan-tri', url: '/tai-khoan', session: 'admin' },
	{ name: 'quan-tri-tai-khoan', url: '/quan-tri/tai-khoan', session: 'admin' },
	{ name: 'quan-tri-tai-khoan-id', url: `/quan-tri/tai-khoan/${OTHER_ID}`, session: 'admin' },
	{ name: 'quan-tri-tai-khoan-phuong', url: '/quan-tri/tai-khoan', session: 'manager' },
	{ name: 'loi-403', url: `/quan-tri/tai-khoan/${OTHER_ID}`, session: 'manager', status: 403 },
	{ name: 'quan-tri-nhap-du-lieu', url: '/quan-tri/nhap-du-lieu', session: 'admin' },
	// Help: the assist form (JavaScript on: the outbox shows) and touch points.
	{ name: 'ho-tro', url: '/ho-tro', session: 'volunteer', expect: async (page) => {
		assert.equal(await heading(page), 'Ghi lượt hỗ trợ');
		await waitCounter(page, 'Đang chờ gửi: 0');
	} },
	{ name: 'diem-cham-26740', url: '/diem-cham?unit=26740', session: 'anon' },
	{ name: 'diem-cham-26740-quan-ly', url: '/diem-cham?unit=26740', session: 'manager', expect: async (page) => {
		assert.ok(await page.getByRole('button', { name: 'Thêm điểm chạm số' }).isVisible(), 'a manager may add a touch point');
	} },
	// Classes (lớp học lưu động), their touch point, attendance.
	{ name: 'lop-hoc-moi', label: '/lop-hoc/moi?don-vi=26740', url: async () => { await classFixture(); return '/lop-hoc/moi?don-vi=26740'; }, session: 'manager' },
	{ name: 'lop-hoc-26740', label: '/lop-hoc?don-vi=26740', url: async () => { await classFixture(); return '/lop-hoc?don-vi=26740'; }, session: 'anon', expect: async (page) => {
		assert.ok(await page.getByRole('link', { name: 'Cài đặt VNeID cho người cao tuổi' }).first().isVisible());
	} },
	{ name: 'lop-hoc-id', label: '/lop-hoc/{id}', url: async () => `/lop-hoc/${(await classFixture()).classId}`, session: 'anon' },
	{ name: 'lop-hoc-id-hoc-vien', label: '/lop-hoc/{id} registration', url: async () => `/lop-hoc/${(await classFixture()).classId}`, session: 'learner', expect: async (page) => {
		assert.ok(await page.getByRole('button', { name: 'Đăng ký tham gia' }).isVisible());
	} },
	// The live QR screen gets a new code each minute from app.js (no
	// <meta refresh>, which axe flags), so axe checks it live and paused.
	{ name: 'lop-hoc-diem-danh-qr-live', label: '/lop-hoc/{id}/diem-danh', url: async () => `/lop-hoc/${(await classFixture()).classId}/diem-danh`, session: 'manager', expect: async (page) => {
		assert.ok(await page.getByRole('link', { name: 'Lấy mã mới' }).isVisible());
	} },
	{ name: 'lop-hoc-diem-danh-qr', label: '/lop-hoc/{id}/diem-danh?dung=1', url: async () => `/lop-hoc/${(await classFixture()).classId}/diem-danh?dung=1`, session: 'manager', expect: async (page) => {
		assert.equal(await page.locator('.qr-big svg').count(), 1, 'the QR code');
		assert.ok(await page.getByRole('link', { name: 'Tiếp tục tự đổi mã' }).isVisible());
	} },
	{ name: 'lop-hoc-danh-sach', label: '/lop-hoc/{id}/danh-sach', url: async () => `/lop-hoc/${(await classFixture()).classId}/danh-sach`, session: 'manager' },
	{ name: 'lop-hoc-co-mat', label: '/lop-hoc/{id}/co-mat?t=…', url: checkinPath, session: 'learner', expect: async (page) => {
		assert.ok(await page.getByRole('button', { name: 'Xác nhận tôi có mặt' }).isVisible());
	} },
	{ name: 'diem-cham-id', label: '/diem-cham/{id}', url: async () => `/diem-cham/${(await classFixture()).pointId}`, session: 'anon', expect: async (page) => {
		assert.ok(await page.getByRole('link', { name: 'Cài đặt VNeID cho người cao tuổi' }).isVisible(), 'its upcoming class');
	} },
	// Organisations and teams, the volunteer's own page.
	{ name: 'to-chuc-26740', url: '/to-chuc?don-vi=26740', session: 'manager' },
	{ name: 'to-chuc-id', label: '/to-chuc/ID', url: async () => `/to-chuc/${(await coordinated()).org}`, session: 'manager' },
	{ name: 'to-doi-id', label: '/to-doi/ID', url: async () => `/to-doi/${(await coordinated()).team}`, session: 'manager', expect: async (page) => {
		assert.ok((await page.locator('tbody').innerText()).includes('Nguyễn Văn Tâm'));
	} },
	{ name: 'tinh-nguyen-vien', url: '/tinh-nguyen-vien', session: 'volunteer', expect: async (page) => {
		assert.equal(await heading(page), 'Việc hỗ trợ của tôi');
	} },
	// Measure.
	{ name: 'bang-dieu-khien-79', url: '/bang-dieu-khien/79', session: 'admin', expect: async (page) => {
		assert.equal(await heading(page), 'Bảng điều khiển: Thành phố Hồ Chí Minh');
		// The first 10 wards, each a link to its dashboard, and "Xem thêm" for the rest.
		assert.equal(await page.locator('tbody tr:not(.unassigned)').count(), 10, 'the first wards of HCMC');
		assert.equal(await page.locator('tbody tr th a').count(), 10, 'each ward links down');
		assert.ok(await page.getByRole('link', { name: 'Xem thêm' }).isVisible());
		assert.ok(await page.locator('.kpis .kpi').first().isVisible(), 'headline figures first');
		const h = await page.evaluate(() => document.documentElement.scrollHeight);
		assert.ok(h <= 6 * 740, `at most about 5 phone screens: ${h} px`);
	} },
	{ name: 'bang-dieu-khien-26740-quan-ly', url: '/bang-dieu-khien/26740', session: 'manager', expect: async (page) => {
		assert.equal(await heading(page), 'Bảng điều khiển: Phường Sài Gòn');
		await page.getByText('Bộ lọc, kỳ báo cáo và tải về', { exact: true }).click();
		assert.ok(await page.getByRole('link', { name: 'Tải báo cáo CSV' }).isVisible());
	} },
	{ name: 'thi-dua-79', url: '/thi-dua/79', session: 'admin', expect: async (page) => {
		assert.equal(await heading(page), 'Thi đua: Thành phố Hồ Chí Minh');
		// Ranked wards and those without a target (listed apart): the first 10 of each, then "Xem thêm".
		const ranked = await page.locator('.ranklist[aria-labelledby="units-heading"] > li').count();
		const apart = await page.locator('#units-untargeted ~ ul.dq').first().locator('> li').count();
		assert.ok(ranked <= 10 && apart === 10, `ranked ${ranked}, listed apart ${apart}`);
		assert.ok(await page.getByRole('link', { name: 'Xem thêm' }).first().isVisible());
		const h = await page.evaluate(() => document.documentElement.scrollHeight);
		assert.ok(h <= 6 * 740, `at most about 5 phone screens: ${h} px`);
	} },
	{ name: 'thi-dua-26740-quan-ly', url: '/thi-dua/26740', session: 'manager' },
	{ name: 'chon-don-vi', url: '/chon-don-vi?den=bang-dieu-khien&ten=sai%20gon', session: 'admin', expect: async (page) => {
		assert.ok(await page.getByRole('link', { name: 'Phường Sài Gòn' }).isVisible(), 'without JavaScript: the list of matches');
	} },
	{ name: 'quan-tri-thi-dua', url: '/quan-tri/thi-dua', session: 'admin' },
	{ name: 'bieu-duong-26740-quan-ly', url: '/bieu-duong/26740', session: 'manager', expect: async (page) => {
		assert.ok(await page.getByRole('button', { name: 'Ghi nhận biểu dương' }).isVisible(), 'a manager may record an honour');
	} },
	// Learning.
	{ name: 'hoc', url: '/hoc', session: 'anon', expect: async (page) => {
		assert.ok(await page.locator('.cards .card').count() >= 10, 'the whole catalogue');
	} },
	{ name: 'hoc-hoc-sinh', url: '/hoc?doi-tuong=pupil', session: 'anon', expect: async (page) => {
		assert.equal(await page.getByLabel('Dành cho', { exact: true }).inputValue(), 'pupil');
		assert.ok(await page.locator('.cards .card').count() >= 1, 'courses for pupils');
	} },
	{ name: 'hoc-vneid', url: `/hoc/${COURSE.slug}`, session: 'anon' },
	{ name: 'bai-hoc', url: `/hoc/${COURSE.slug}/cai-dat-vneid`, session: 'anon' },
	{ name: 'bai-hoc-chu-lon', url: `/hoc/${COURSE.slug}/cai-dat-vneid`, session: 'large', expect: async (page) => {
		assert.equal(await page.locator('body.large').count(), 1, 'larger text');
	} },
	{ name: 'kiem-tra', url: QUIZ_PATH, session: 'anon' },
	{ name: 'kiem-tra-chua-dat', label: `${RESULT_PATH}, failed`, session: 'anon', go: async (page) => {
		await open(page, QUIZ_PATH);
		await answerQuiz(page, oneWrongAnswer);
		assert.equal((await submitQuiz(page)).passed, false);
	} },
	{ name: 'kiem-tra-dat', label: `${RESULT_PATH}, passed`, session: 'anon', go: async (page) => {
		await open(page, QUIZ_PATH);
		await failThenPassQuiz(page);
	} },
	{ name: 'hoc-tap-cua-toi', url: '/hoc-tap-cua-toi', session: 'anon' },
	{ name: 'hoc-tap-cua-toi-chung-nhan', url: '/hoc-tap-cua-toi', session: 'certified', expect: async (page) => {
		assert.match(await page.locator('main').innerText(), CERT_CODE);
	} },
	{ name: 'tim-kiem', url: '/tim-kiem?q=dich+vu+cong', session: 'anon', expect: async (page) => {
		const hits = await page.locator('ul.results a').allInnerTexts();
		assert.ok(hits.some((h) => h.includes('Dịch vụ công')), `"dich vu cong" finds: ${hits.slice(0, 5).join('; ')}`);
	} },
	{ name: 'xac-thuc', url: '/xac-thuc', session: 'anon' },
	{ name: 'xac-thuc-hop-le', label: '/xac-thuc/CODE (valid)', url: async () => `/xac-thuc/${(await certifiedLearner()).code}`, session: 'anon',
		expect: async (page) => assert.equal((await page.getByRole('status').innerText()).trim(), 'Chứng nhận hợp lệ') },
	{ name: 'xac-thuc-khong-co', url: '/xac-thuc/HV-2222-2222', session: 'anon', status: 404, expect: async (page) => {
		assert.ok((await page.getByRole('alert').innerText()).includes('Không có chứng nhận với mã này'));
	} },
	{ name: 'en-bai-hoc', url: `/hoc/${COURSE.slug}/cai-dat-vneid`, session: 'en', expect: async (page) => {
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		assert.ok(await page.getByRole('button', { name: 'I have finished this lesson' }).isVisible());
		// The lesson itself is Vietnamese (the course pack has no English),
		// the interface around it English: each part carries its language,
		// so a screen reader switches voice (WCAG 3.1.2).
		const langOf = await page.evaluate(() => Object.fromEntries(Object.entries({
			crumb: '.crumbs a[href^="/hoc/"]', h1: 'h1', prose: '.prose', module: '#lesson .hint span',
			hint: '#lesson .hint', listen: '#speak', larger: '#lesson .tools a', done: 'form.done button', pager: 'nav.pager a',
		}).map(([k, sel]) => [k, document.querySelector(sel)?.closest('[lang]')?.getAttribute('lang')])));
		assert.deepEqual(langOf, { crumb: 'vi', h1: 'vi', prose: 'vi', module: 'vi',
			hint: 'en', listen: 'en', larger: 'en', done: 'en', pager: 'en' });
	} },
];

const storage = new Map();   // session name -> storageState

/** A fresh phone context holding the cookies of the named session. */
async function contextFor(session) {
	if (session === 'anon') return phoneContext();
	if (!storage.has(session)) {
		let state;
		if (session === 'en') {
			const ctx = await phoneContext();
			const page = await ctx.newPage();
			await open(page, '/ngon-ngu?l=en&next=/');
			assert.equal(await page.locator('html').getAttribute('lang'), 'en');
			state = await ctx.storageState();
			await ctx.close();
		} else if (session === 'large') {
			const ctx = await phoneContext();
			const page = await ctx.newPage();
			await open(page, '/chu-lon?next=/');
			state = await ctx.storageState();
			await ctx.close();
		} else if (session === 'certified') {
			state = await (await certifiedLearner()).ctx.storageState();
		} else if (session === 'learner') {
			const ctx = await phoneContext();
			const page = await ctx.newPage();
			await registerLearner(page, { name: 'Phạm Văn Lợi', phone: '0987654321', pin: '730912' });
			state = await ctx.storageState();
			await ctx.close();
		} else if (session === 'volunteer') {
			const ctx = await phoneContext();
			await volunteerSignIn(await ctx.newPage());
			state = await ctx.storageState();
			await ctx.close();
		} else if (session === 'admin' || session === 'manager') {
			const s = await (session === 'admin' ? adminSession() : managerSession());
			state = await s.ctx.storageState();
		} else if (session === 'viewer' || session === 'admin-again') {
			// Password only: the TOTP page, no code spent.
			const [login, pw] = session === 'viewer' ? [VIEWER_LOGIN, VIEWER_PASSWORD] : ['admin', ADMIN_PASSWORD];
			if (session === 'admin-again') await adminSession();   // enrolled first
			const ctx = await phoneContext();
			const page = await ctx.newPage();
			await open(page, '/dang-nhap');
			await page.getByLabel('Tên đăng nhập', { exact: true }).fill(login);
			await page.getByLabel('Mật khẩu', { exact: true }).fill(pw);
			await follow(page, page.getByRole('button', { name: 'Đăng nhập', exact: true }), /\/xac-thuc-2-lop/);
			state = await ctx.storageState();
			await ctx.close();
		} else {
			throw new Error(`unknown session ${session}`);
		}
		storage.set(session, state);
	}
	return phoneContext({ storageState: storage.get(session) });
}

for (const p of PAGES) {
	test(`axe + 360 px layout: ${p.label ?? p.url} (${p.session})`, T, async () => {
		const ctx = await contextFor(p.session);
		try {
			const page = await ctx.newPage();
			if (p.go) await p.go(page);
			else await open(page, typeof p.url === 'function' ? await p.url() : p.url, p.status ?? 200);
			if (p.expect) await p.expect(page);
			if (p.session === 'viewer') assert.ok(await page.locator('code.secret').isVisible(), 'enrolment page');
			if (p.session === 'admin-again') assert.equal(await page.locator('code.secret').count(), 0, 'code-entry page');
			await screenshot(page, p.name);
			const failures = [];
			try { await assertNoAxeViolations(page, p.url); } catch (e) { failures.push(e.message); }
			try { await assertPhoneLayout(page, p.url); } catch (e) { failures.push(e.message); }
			// Also at a laptop width: contrast and landmarks do not depend on
			// it, but the two-column layouts only appear there.
			await page.setViewportSize({ width: 1280, height: 900 });
			try { await assertNoAxeViolations(page, `${p.url} at 1280 px`); } catch (e) { failures.push(e.message); }
			if (failures.length) assert.fail(failures.join('\n'));
		} finally {
			await ctx.close();
		}
	});
}
