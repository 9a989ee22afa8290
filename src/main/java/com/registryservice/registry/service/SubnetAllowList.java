package com.registryservice.registry.service;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.registryservice.api.FieldErrors;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * The subnets allowed to reach a registry's API, in canonical form: host bits cleared, a bare address as /32 or /128,
 * IPv6 compressed per RFC 5952, duplicates removed (first occurrence kept). An empty list means no restriction;
 * {@code 0.0.0.0/0} is the documented way to deny all traffic.
 */
public final class SubnetAllowList {

    public static final int MAX_ENTRIES = 25;
    static final String SEPARATOR = ",";

    /** Plain dotted-quad IPv4 and standard IPv6 only: no inet_aton forms, masks, ranges or wildcards. */
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .allow_inet_aton(false)
            .getIPv4AddressParametersBuilder().setRangeOptions(RangeParameters.NO_RANGE).allowLeadingZeros(false)
            .getParentBuilder()
            .getIPv6AddressParametersBuilder().setRangeOptions(RangeParameters.NO_RANGE).allowZone(false)
            .getParentBuilder()
            .toParams();

    /**
     * A prefix length with a leading zero ({@code /08}), which the parser takes (its own check for them refuses
     * {@code /0} as well).
     */
    private static final java.util.regex.Pattern PADDED_PREFIX = java.util.regex.Pattern.compile(".*/0[0-9]+");

    private SubnetAllowList() {
    }

    /** The canonical list, adding a problem to {@code errors} for every entry that is not an address or CIDR. */
    public static List<String> canonical(List<String> entries, String field, FieldErrors errors) {
        Set<String> result = new LinkedHashSet<>();
        if (entries.size() > MAX_ENTRIES) {
            errors.invalid(field, "has " + entries.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
            return List.of();
        }
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String name = field + "[" + i + "]";
            if (entry == null) {
                errors.invalid(name, "must be an IPv4 or IPv6 address or CIDR, not null");
                continue;
            }
            try {
                if (entry.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    // String.trim() would take a NUL or a line break at either end away unseen
                    throw new IllegalArgumentException("a control character");
                }
                if (PADDED_PREFIX.matcher(entry.trim()).matches()) {
                    throw new IllegalArgumentException("a prefix length with a leading zero");
                }
                IPAddress address = new IPAddressString(entry.trim(), STRICT).toAddress();
                Integer prefix = address.getNetworkPrefixLength();
                int bits = prefix == null ? address.getBitCount() : prefix;
                if (address.isIPv6() && address.toIPv6().isIPv4Mapped() && bits == 96) {
                    // every IPv4 client: as 0.0.0.0/0 it would deny all traffic
                    errors.invalid(name, FieldErrors.quote(entry) + " means every IPv4 client: leave the list empty"
                            + " to allow everyone (0.0.0.0/0 denies all traffic)");
                    continue;
                }
                if (address.isIPv6() && address.toIPv6().isIPv4Mapped() && bits > 96) {
                    // ::ffff:a.b.c.d is how an IPv6 socket sees an IPv4 client: it means that IPv4 address
                    address = address.toIPv6().getEmbeddedIPv4Address();
                    bits -= 96;
                }
                result.add(address.toPrefixBlock(bits).toCanonicalString());
            } catch (AddressStringException | RuntimeException e) {
                errors.invalid(name, FieldErrors.quote(entry)
                        + " is not an IPv4 or IPv6 address or CIDR (examples: '203.0.113.7', '198.51.100.0/24', '2001:db8::/32')");
            }
        }
        return List.copyOf(result);
    }

    /** The entry that denies every address (as the IONOS API defines it), whatever else the list holds. */
    public static final String DENY_ALL = "0.0.0.0/0";

    /**
     * Whether a client at {@code client} may reach a registry with this stored allow list: an empty list allows
     * everyone, one with {@link #DENY_ALL} no one, any other the addresses in its subnets (IPv4 and IPv6; an
     * IPv4-mapped IPv6 address counts as its IPv4 address).
     */
    public static boolean allows(String stored, IPAddress client) {
        List<String> subnets = fromStored(stored);
        if (subnets.isEmpty()) {
            return true;
        }
        if (subnets.contains(DENY_ALL)) {
            return false;
        }
        IPAddress address = client.isIPv6() && client.toIPv6().isIPv4Mapped() ? client.toIPv6().getEmbeddedIPv4Address()
                : client;
        for (String subnet : subnets) {
            IPAddress block = new IPAddressString(subnet).getAddress();
            if (block != null && block.getIPVersion() == address.getIPVersion() && block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public static String toStored(List<String> canonical) {
        return String.join(SEPARATOR, canonical);
    }

    public static List<String> fromStored(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split(SEPARATOR));
    }
}
