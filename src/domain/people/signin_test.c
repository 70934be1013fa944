/* signin_test.c: the key a client address is counted under (hv_ip_key):
 * IPv4 as it is, IPv6 by its /64 (one home or phone holds a whole /64, so
 * per-address limits keyed by the full address would not hold). */
#include "core/test.h"
#include "domain/people/auth.h"
#include "domain/people/signin.h"

TEST(ipv4_as_is)
{
	char k[64];
	hv_ip_key("203.0.113.9", k);
	CHECK_STR(k, "203.0.113.9");
	hv_ip_key(NULL, k);
	CHECK_STR(k, "?");
}

TEST(ipv6_by_64)
{
	char a[64], b[64], c[64];
	hv_ip_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", a);
	hv_ip_key("2001:db8:1:2::1", b);
	hv_ip_key("2001:db8:1:3::1", c);
	CHECK_STR(a, "2001:db8:1:2::/64");
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	hv_ip_key("::1", a);
	CHECK_STR(a, "::/64");
	hv_ip_key("not:an:address:zz", a); /* kept as given, never merged with others */
	CHECK_STR(a, "not:an:address:zz");
}

int main(void)
{
	RUN(ipv4_as_is);
	RUN(ipv6_by_64);
	return TEST_DONE();
}
