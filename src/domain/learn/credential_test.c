/* credential_test.c: eddsa-jcs-2022 against the W3C test vector (vc-di-eddsa,
 * "Representation: eddsa-jcs-2022": the Alumni credential signed with the
 * spec's test key), RFC 8785 canonicalisation, base58, tampering. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/test.h"
#include "domain/learn/credential.h"

static const char *signed_vector =
	"{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
	"\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],"
	"\"name\":\"Alumni Credential\",\"description\":\"A minimum viable example of an Alumni Credential.\","
	"\"issuer\":\"https://vc.example/issuers/5678\",\"validFrom\":\"2023-01-01T00:00:00Z\","
	"\"credentialSubject\":{\"id\":\"did:example:abcdefgh\",\"alumniOf\":\"The School of Examples\"},"
	"\"proof\":{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"eddsa-jcs-2022\",\"created\":\"2023-02-24T23:36:38Z\","
	"\"verificationMethod\":\"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\","
	"\"proofPurpose\":\"assertionMethod\",\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
	"\"proofValue\":\"z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX\"}}";

TEST(verifies_w3c_vector)
{
	json_error_t je;
	json_t *doc = json_loads(signed_vector, 0, &je);
	CHECK(doc != NULL);
	struct hv_proof_info who;
	struct hv_error e = {0};
	CHECK(hv_credential_verify(doc, &who, &e) == 0);
	CHECK_STR(who.controller, "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
	CHECK_STR(who.key, "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
	CHECK(who.self_certifying);
	/* A proof @context that does not open the document's is refused. */
	json_t *proof = json_object_get(doc, "proof");
	json_t *saved = json_deep_copy(json_object_get(proof, "@context"));
	json_object_set_new(proof, "@context", json_pack("[s]", "https://www.w3.org/ns/credentials/examples/v2"));
	CHECK(hv_credential_verify(doc, &who, &e) == HV_EINVAL);
	json_object_set_new(proof, "@context", saved);
	CHECK(hv_credential_verify(doc, NULL, &e) == 0);
	/* Any change to the document breaks it. */
	json_object_set_new(json_object_get(doc, "credentialSubject"), "alumniOf", json_string("Another School"));
	CHECK(hv_credential_verify(doc, &who, &e) == HV_EINVAL);
	json_decref(doc);
}

TEST(signs_like_w3c_vector)
{
	/* The spec's secretKeyMultibase: multicodec ed25519-priv (0x80 0x26) + seed. */
	unsigned char raw[64];
	int n = hv_base58_decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", raw, sizeof raw);
	CHECK(n == 34 && raw[0] == 0x80 && raw[1] == 0x26);
	char hex[65], path[] = "/tmp/hv-vector-key-XXXXXX";
	sodium_bin2hex(hex, sizeof hex, raw + 2, 32);
	int fd = mkstemp(path);
	CHECK(write(fd, hex, 64) == 64);
	close(fd);
	struct hv_error e = {0};
	CHECK(hv_issuer_load(path, false, &e) == 0);
	unlink(path);
	CHECK_STR(hv_issuer_did(), "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
	json_error_t je;
	json_t *doc = json_loads(signed_vector, 0, &je);
	json_t *want = json_loads(signed_vector, 0, &je);
	json_object_del(doc, "proof");
	char vm[160];
	snprintf(vm, sizeof vm, "%s#%s", hv_issuer_did(), hv_issuer_multikey());
	CHECK(hv_credential_sign(doc, vm, "2023-02-24T23:36:38Z", &e) == 0);
	const char *pv = json_string_value(json_object_get(json_object_get(doc, "proof"), "proofValue"));
	CHECK_STR(pv, "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX");
	/* The whole proof is the spec's, @context included (Create Proof, step 2). */
	CHECK(json_equal(doc, want));
	/* Credentials signed before the proof carried @context (the signed
	 * proof configuration always had it) still verify here. */
	json_object_del(json_object_get(doc, "proof"), "@context");
	CHECK(hv_credential_verify(doc, NULL, &e) == 0);
	/* A did:web-style method names its key in the fragment. */
	json_object_del(doc, "proof");
	snprintf(vm, sizeof vm, "did:web:hocvuso.example#%s", hv_issuer_multikey());
	CHECK(hv_credential_sign(doc, vm, "2026-01-01T00:00:00Z", &e) == 0);
	struct hv_proof_info who;
	CHECK(hv_credential_verify(doc, &who, &e) == 0);
	CHECK_STR(who.controller, "did:web:hocvuso.example");
	CHECK_STR(who.key, hv_issuer_multikey());
	CHECK(!who.self_certifying);
	json_decref(doc);
	json_decref(want);
	hv_issuer_unload();
}

TEST(jcs_orders_and_escapes)
{
	json_error_t je;
	json_t *v = json_loads("{\"b\":[1,\"x\\u0001\"],\"a\":\"é\\\"\",\"\\u20ac\":true,\"\\ud83d\\ude00\":null,\"\\ufb33\":false}", 0, &je);
	struct hv_buf b;
	hv_buf_init(&b);
	hv_jcs(&b, v);
	/* Keys by UTF-16 code units: U+1F600 (D83D…) sorts before U+FB33. */
	CHECK_STR(b.data, "{\"a\":\"é\\\"\",\"b\":[1,\"x\\u0001\"],\"€\":true,\"😀\":null,\"דּ\":false}");
	hv_buf_free(&b);
	json_decref(v);
}

/* Numbers as ECMAScript writes them (what JSON.stringify gives in node). */
TEST(jcs_numbers)
{
	static const char *const cases[][2] = {
		{"0", "0"}, {"-0.0", "0"}, {"4.50", "4.5"}, {"1E30", "1e+30"}, {"2e-3", "0.002"},
		{"0.000001", "0.000001"}, {"1e-7", "1e-7"}, {"1e21", "1e+21"}, {"1e20", "100000000000000000000"},
		{"0.1", "0.1"}, {"333333333.33333329", "333333333.3333333"}, {"5e-324", "5e-324"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"}, {"-1.5e-9", "-1.5e-9"}, {"123.456e2", "12345.6"},
		{"9007199254740993", "9007199254740992"}, {"-42", "-42"}, {"1.0", "1"}, {"2.9514790517935283e20", "295147905179352830000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "[%s]", cases[i][0]);
		json_error_t je;
		json_t *v = json_loads(text, 0, &je);
		CHECK(v != NULL);
		if (!v)
			continue;
		struct hv_buf b;
		hv_buf_init(&b);
		hv_jcs(&b, json_array_get(v, 0));
		if (strcmp(b.data, cases[i][1]) != 0)
			fprintf(stderr, "  %s gave %s, not %s\n", cases[i][0], b.data, cases[i][1]);
		CHECK_STR(b.data, cases[i][1]);
		hv_buf_free(&b);
		json_decref(v);
	}
}

TEST(base58_roundtrip)
{
	unsigned char in[5] = {0, 0, 1, 2, 255}, out[16];
	struct hv_buf b;
	hv_buf_init(&b);
	hv_base58_encode(&b, in, sizeof in);
	CHECK(hv_base58_decode(b.data, out, sizeof out) == 5 && memcmp(in, out, 5) == 0);
	CHECK(hv_base58_decode("0OIl", out, sizeof out) < 0);
	hv_buf_free(&b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(verifies_w3c_vector);
	RUN(signs_like_w3c_vector);
	RUN(jcs_orders_and_escapes);
	RUN(jcs_numbers);
	RUN(base58_roundtrip);
	return TEST_DONE();
}
