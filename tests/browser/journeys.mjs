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
//   HV_SCREENSHOTS      folder for the 360×740 screenshots
//   HV_CHROMIUM         browser binary (default /usr/bin/chromium)
//
// The tests run in file order and share one browser.  A TOTP code is good
// once per account, so admin and manager sign in once each (memoised
// below) and later tests reuse those sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync, mkdirSync } from 'node:fs';
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
const SHOTS = process.env.HV_SCREENSHOTS || path.resolve('screenshots');
const CHROMIUM = process.env.HV_CHROMIUM || '/usr/bin/chromium';
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

/** A new context at phone size.  CSP stays enforced: never bypassCSP. */
async function phoneContext(extra = {}) {
	const ctx = await browser.newContext({ viewport: PHONE, baseURL: BASE, ...extra });
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
async function registerLearner(page, { name, phone, pin }) {
	await open(page, '/dang-ky');
	await page.getByLabel('Họ và tên', { exact: true }).fill(name);
	await page.getByLabel('Số điện thoại', { exact: true }).fill(phone);
	await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill(pin);
	await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill(pin);
	await page.getByLabel(/Tôi đồng ý/).check();
	await follow(page, page.getByRole('button', { name: 'Tạo tài khoản' }), /\/tai-khoan$/);
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
		await follow(page, page.getByRole('link', { name: 'English' }), /^\/don-vi(\?|$)/);
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		assert.equal(await heading(page), 'Administrative units');
		assert.ok(await page.getByRole('searchbox', { name: 'Find a commune, ward or province' }).isVisible());
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
		for (const url of ['/', '/don-vi?q=tan%20thanh', '/dang-ky?tinh=79', '/dang-nhap/hoc-vien']) {
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

		await follow(page, page.getByRole('button', { name: 'Đăng xuất' }), (u) => u.pathname === '/');
		assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0, 'signed out');
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

test('registration without consent is refused by the server too (silence is not consent)', T, async () => {
	const ctx = await phoneContext();
	const page = await ctx.newPage();
	try {
		await open(page, '/dang-ky');
		await page.getByLabel('Họ và tên', { exact: true }).fill('Không Đồng Ý');
		await page.getByLabel('Số điện thoại', { exact: true }).fill('0911222333');
		await page.getByLabel('Mã PIN (6 chữ số)', { exact: true }).fill('582047');
		await page.getByLabel('Nhập lại mã PIN', { exact: true }).fill('582047');
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
		assert.equal(await page.getByRole('button', { name: 'Đăng xuất' }).count(), 0, 'not signed in');
		assert.equal(await page.getByLabel('Họ và tên', { exact: true }).inputValue(), 'Không Đồng Ý', 'the form keeps what was typed');
		await assertNoAxeViolations(page, '/dang-ky with an error');
	} finally {
		await ctx.close();
	}
});

test('admin: password + TOTP enrolment, opens "Quản lý tài khoản", creates a volunteer in 26740', T, async () => {
	const { page } = await adminSession();
	await follow(page, page.getByRole('link', { name: 'Quản lý tài khoản' }), /\/quan-tri\/tai-khoan$/);
	assert.equal(await heading(page), 'Quản lý tài khoản');
	await page.getByLabel('Tên đăng nhập', { exact: true }).fill('tnv-saigon');
	await page.getByLabel('Họ tên', { exact: true }).fill('Lê Văn Tình');
	await page.getByLabel('Mật khẩu (ít nhất 10 ký tự)', { exact: true }).fill('tinh-nguyen-vien-2025');
	await page.getByLabel('Mã đơn vị', { exact: true }).fill('26740');
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

// ------------------------------------------- every main page: axe + layout

/**
 * The main pages.  `session` names who looks: anon (fresh context), en
 * (fresh context switched to English), learner, admin, manager, viewer
 * (password done, TOTP enrolment pending), admin-again (enrolled admin
 * before typing the code).
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
	{ name: 'xac-thuc-2-lop-dang-ky', url: '/xac-thuc-2-lop', session: 'viewer' },
	{ name: 'xac-thuc-2-lop-nhap-ma', url: '/xac-thuc-2-lop', session: 'admin-again' },
	{ name: 'tai-khoan-hoc-vien', url: '/tai-khoan', session: 'learner' },
	{ name: 'tai-khoan-quan-tri', url: '/tai-khoan', session: 'admin' },
	{ name: 'quan-tri-tai-khoan', url: '/quan-tri/tai-khoan', session: 'admin' },
	{ name: 'quan-tri-tai-khoan-id', url: `/quan-tri/tai-khoan/${OTHER_ID}`, session: 'admin' },
	{ name: 'quan-tri-tai-khoan-phuong', url: '/quan-tri/tai-khoan', session: 'manager' },
	{ name: 'loi-403', url: `/quan-tri/tai-khoan/${OTHER_ID}`, session: 'manager', status: 403 },
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
		} else if (session === 'learner') {
			const ctx = await phoneContext();
			const page = await ctx.newPage();
			await registerLearner(page, { name: 'Phạm Văn Lợi', phone: '0987654321', pin: '730912' });
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
	test(`axe + 360 px layout: ${p.url} (${p.session})`, T, async () => {
		const ctx = await contextFor(p.session);
		try {
			const page = await ctx.newPage();
			await open(page, p.url, p.status ?? 200);
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
