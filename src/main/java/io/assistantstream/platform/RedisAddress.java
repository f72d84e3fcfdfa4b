package io.assistantstream.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.HostAndPort;

/**
 * Where Redis is: one server ({@code redis://[user:password@]host[:port][/database]}, {@code rediss://} for TLS), or
 * the primary that Redis Sentinel names ({@code redis-sentinel://[user:password@]host:port[,host:port…]/primary-name
 * [/database]}: the sentinels to ask and the name they monitor the primary by; the credentials are the primary's).
 */
public record RedisAddress(String scheme, String userInfo, List<HostAndPort> hosts, String primaryName,
                           int database) {

    static final String SENTINEL = "redis-sentinel";

    /** @throws IllegalArgumentException saying what is wrong */
    static RedisAddress parse(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an address: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) && !SENTINEL.equals(scheme)) {
            throw new IllegalArgumentException("the scheme must be redis, rediss or redis-sentinel");
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        List<HostAndPort> hosts = new ArrayList<>();
        for (String host : authority.substring(at + 1).split(",")) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("a host is missing");
            }
            int colon = host.lastIndexOf(':');
            int defaultPort = SENTINEL.equals(scheme) ? 26379 : 6379;
            hosts.add(colon < 0 ? new HostAndPort(host, defaultPort)
                    : new HostAndPort(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1))));
        }
        List<String> path = uri.getPath() == null ? List.of()
                : List.of(uri.getPath().split("/")).stream().filter(segment -> !segment.isEmpty()).toList();
        if (SENTINEL.equals(scheme)) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("redis-sentinel:// needs the primary's name as its path");
            }
            return new RedisAddress(scheme, userInfo, hosts, path.get(0), path.size() > 1 ? Integer.parseInt(path.get(1)) : 0);
        }
        if (hosts.size() != 1) {
            throw new IllegalArgumentException("redis:// names one host; several are for redis-sentinel://");
        }
        return new RedisAddress(scheme, userInfo, hosts, null, path.isEmpty() ? 0 : Integer.parseInt(path.get(0)));
    }

    public boolean sentinel() {
        return SENTINEL.equals(scheme);
    }

    public boolean tls() {
        return "rediss".equals(scheme);
    }

    /** The address for logs: credentials masked. */
    public String describe() {
        String where = String.join(",", hosts.stream().map(HostAndPort::toString).toList());
        return scheme + "://" + (userInfo == null ? "" : "(credentials)@") + where
                + (sentinel() ? "/" + primaryName : "") + (database == 0 ? "" : "/" + database);
    }
}
