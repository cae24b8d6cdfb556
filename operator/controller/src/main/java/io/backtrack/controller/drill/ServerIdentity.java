package io.backtrack.controller.drill;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether two host:port pairs name the same database server, so that a drill is never pointed at the server of the
 * database it proves: the same port and either the same Service (orders-db, orders-db.shop, orders-db.shop.svc and
 * orders-db.shop.svc.cluster.local are one name in namespace shop) or host names that resolve to a common address
 * (localhost and 127.0.0.1; a Service's name and its cluster IP). Two Services in front of the same Pods have
 * different addresses and are not recognised: name the scratch server, not another door to the live one.
 */
public final class ServerIdentity {
    /** A host's addresses; empty when it does not resolve. */
    public interface Resolver {
        Set<String> addresses(String host);
    }

    /** The operator's DNS (the JVM caches answers for 30 s). */
    public static final Resolver DNS = host -> {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress)
                    .collect(Collectors.toSet());
        } catch (UnknownHostException | SecurityException e) {
            return Set.of();
        }
    };

    private final Resolver resolver;

    public ServerIdentity(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Whether {@code host:port} and {@code otherHost:otherPort}, seen from {@code namespace}, are one server. */
    public boolean same(String namespace, String host, int port, String otherHost, int otherPort) {
        if (port != otherPort || host == null || otherHost == null) {
            return false;
        }
        if (canonical(host, namespace).equals(canonical(otherHost, namespace))) {
            return true;
        }
        Set<String> common = new HashSet<>(resolver.addresses(host));
        common.retainAll(resolver.addresses(otherHost));
        return !common.isEmpty();
    }

    /** A Service's name in full ({@code name.namespace.svc}); any other host in lower case, without a final dot. */
    static String canonical(String host, String namespace) {
        String h = host.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (h.matches("[0-9.]+") || h.contains(":")) {
            return h; // an IPv4 or IPv6 address
        }
        String[] parts = h.split("\\.");
        if (parts.length == 1) {
            return h + "." + namespace + ".svc";
        }
        if (parts.length == 2 || (parts.length > 2 && parts[2].equals("svc"))) {
            return parts[0] + "." + parts[1] + ".svc";
        }
        return h;
    }
}
