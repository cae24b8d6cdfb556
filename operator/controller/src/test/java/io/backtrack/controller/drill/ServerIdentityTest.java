package io.backtrack.controller.drill;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ServerIdentityTest {
    /** orders-db and its cluster IP resolve alike; scratch-db elsewhere; nowhere resolves to nothing. */
    private static final ServerIdentity SERVERS = new ServerIdentity(host -> Map.of(
            "orders-db.shop.svc.cluster.local", Set.of("10.0.0.7"),
            "10.0.0.7", Set.of("10.0.0.7"),
            "localhost", Set.of("127.0.0.1", "::1"),
            "127.0.0.1", Set.of("127.0.0.1"),
            "scratch-db.ops.svc", Set.of("10.0.0.9")).getOrDefault(host, Set.of()));

    @Test
    void oneServiceUnderEachOfItsNamesIsOneServer() {
        for (String name : new String[]{"orders-db", "orders-db.shop", "orders-db.shop.svc",
                "orders-db.shop.svc.cluster.local", "ORDERS-DB.shop.svc.", " orders-db.shop "}) {
            assertThat(SERVERS.same("shop", name, 5432, "orders-db.shop.svc", 5432)).as(name).isTrue();
        }
        assertThat(SERVERS.same("ops", "orders-db", 5432, "orders-db.shop.svc", 5432))
                .as("a short name means the Service of the namespace it is seen from").isFalse();
    }

    @Test
    void hostsThatResolveToACommonAddressAreOneServer() {
        assertThat(SERVERS.same("shop", "localhost", 5432, "127.0.0.1", 5432)).isTrue();
        assertThat(SERVERS.same("shop", "10.0.0.7", 5432, "orders-db.shop.svc.cluster.local", 5432)).isTrue();
    }

    @Test
    void anotherServerOrAnotherPortOrAnUnresolvableHostIsNot() {
        assertThat(SERVERS.same("shop", "scratch-db.ops.svc", 5432, "orders-db.shop.svc", 5432)).isFalse();
        assertThat(SERVERS.same("shop", "orders-db", 5433, "orders-db.shop.svc", 5432)).isFalse();
        assertThat(SERVERS.same("shop", "nowhere", 5432, "elsewhere", 5432)).isFalse();
        assertThat(SERVERS.same("shop", null, 5432, "orders-db", 5432)).isFalse();
    }
}
