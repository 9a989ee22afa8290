package com.registryservice.oci;

import java.util.List;
import java.util.Optional;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who is really asking: the connection's peer, unless the peer is a proxy listed in
 * {@code registry.oci.trusted-proxies}; then the nearest address in {@code X-Forwarded-For} that is not a trusted
 * proxy. A forwarded header from anyone else counts for nothing, so no client can claim another's address.
 */
final class ClientAddress {

    private final List<IPAddress> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> {
                    IPAddress block = new IPAddressString(s).getAddress();
                    if (block == null) {
                        throw new IllegalArgumentException("registry.oci.trusted-proxies: '" + s
                                + "' is not an IPv4 or IPv6 address or CIDR");
                    }
                    return block;
                }).toList();
    }

    /** The client's address; empty when the peer's address is unknown (a Unix socket, say). */
    Optional<IPAddress> of(HttpServerRequest request) {
        if (request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return Optional.empty();
        }
        IPAddress address = parse(request.remoteAddress().hostAddress());
        if (address == null || !isTrusted(address)) {
            return Optional.ofNullable(address);
        }
        List<String> forwarded = request.headers().getAll("X-Forwarded-For");
        String[] hops = String.join(",", forwarded).split(",");
        // from the nearest hop backwards: each trusted proxy vouches for the hop before it
        for (int i = hops.length - 1; i >= 0; i--) {
            IPAddress hop = parse(hops[i].trim());
            if (hop == null) {
                // a malformed hop: what came before it cannot be trusted, and this is the last trusted proxy's word
                return Optional.of(address);
            }
            address = hop;
            if (!isTrusted(hop)) {
                return Optional.of(hop);
            }
        }
        return Optional.of(address);
    }

    private boolean isTrusted(IPAddress address) {
        return trusted.stream().anyMatch(block -> block.getIPVersion() == address.getIPVersion()
                && block.contains(address));
    }

    private static IPAddress parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        // "[2001:db8::1]" and "2001:db8::1" alike; a port after an IPv4 address is not part of it
        String bare = text.startsWith("[") && text.contains("]") ? text.substring(1, text.indexOf(']')) : text;
        if (bare.indexOf(':') == bare.lastIndexOf(':') && bare.contains(".") && bare.contains(":")) {
            bare = bare.substring(0, bare.indexOf(':'));
        }
        return new IPAddressString(bare).getAddress();
    }
}
