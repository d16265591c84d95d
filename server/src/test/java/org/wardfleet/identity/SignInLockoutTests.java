package org.wardfleet.identity;

import java.net.InetSocketAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wardfleet.support.TestApi;
import org.wardfleet.support.WardfleetTest;

import reactor.netty.http.client.HttpClient;

/**
 * Knowing someone's email must not be enough to lock them out: an attacker's failures slow the attacker, not the
 * account's owner signing in from elsewhere. Each client below connects from its own loopback address (127.0.0.x).
 */
@WardfleetTest
@TestPropertySource(properties = {"wardfleet.identity.free-failures-per-account=5",
    "wardfleet.identity.account-ceiling=8", "wardfleet.identity.backoff-base=1m"})
class SignInLockoutTests {

    @Autowired TestApi api;
    @Value("${local.server.port}") int port;

    @Test
    void anAttackersFailuresFromAnotherAddressDoNotKeepTheOwnerOut() {
        TestApi.User owner = api.createUser(api.adminToken(), "CLINICIAN");
        WebTestClient attacker = from("127.0.0.2");
        for (int i = 0; i < 5; i++) {
            signIn(attacker, owner.email(), "guess-" + i).expectStatus().isUnauthorized();
        }
        signIn(attacker, owner.email(), "guess-5").expectStatus().isUnauthorized();
        signIn(attacker, owner.email(), "guess-6").expectStatus().isEqualTo(429);
        // the attacker is slowed down, even with the right password; the owner, elsewhere, is not
        signIn(attacker, owner.email(), owner.password()).expectStatus().isEqualTo(429);
        signIn(from("127.0.0.3"), owner.email(), owner.password()).expectStatus().isOk();
    }

    @Test
    void guessingFromManyAddressesMakesOnlyAddressesTheOwnerHasNotUsedWait() {
        TestApi.User owner = api.createUser(api.adminToken(), "CLINICIAN");
        WebTestClient usual = from("127.0.0.20");
        signIn(usual, owner.email(), owner.password()).expectStatus().isOk();

        // nine addresses, one guess each: none reaches its own limit, the account passes its ceiling (8)
        for (int a = 21; a < 30; a++) {
            signIn(from("127.0.0." + a), owner.email(), "guess-" + a).expectStatus().isUnauthorized();
        }
        signIn(from("127.0.0.30"), owner.email(), owner.password()).expectStatus().isEqualTo(429)
                .expectHeader().exists("Retry-After");
        signIn(usual, owner.email(), owner.password()).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec signIn(WebTestClient client, String email, String password) {
        return client.post().uri("/api/v1/auth/token").bodyValue(Map.of("email", email, "password", password))
                .exchange();
    }

    /** A client whose connections come from {@code address} (any 127.0.0.0/8 address is this machine). */
    private WebTestClient from(String address) {
        HttpClient client = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(client)).baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(java.time.Duration.ofSeconds(60)).build();
    }
}
