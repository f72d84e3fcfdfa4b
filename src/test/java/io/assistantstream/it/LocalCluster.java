package io.assistantstream.it;

import io.assistantstream.testing.RedisServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local cluster command ({@code cluster/run.sh}): PostgreSQL, Redis, two Payara Micro servers with the demo
 * upstream, and haproxy in front of them on port 8480 (or the first argument), until Ctrl-C. Every request to the
 * balancer may land on either server; a page or curl watching a session sees every event whichever one reads the
 * answer.
 */
public final class LocalCluster {

    private LocalCluster() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8480;
        String publicUrl = "http://127.0.0.1:" + port + "/assistant-stream";
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        RedisServer redis = RedisServer.start();
        Map<String, String> environment = new HashMap<>(Map.of(
                "DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "DB_USER", "postgres",
                "DB_PASSWORD", "postgres",
                "REDIS_URL", redis.url(),
                "DEMO_UPSTREAM_ENABLED", "true",
                "AUTH_MODE", "open",
                "DEMO_PUBLIC_URL", publicUrl));
        List<PayaraProcess> servers = new ArrayList<>();
        for (String name : List.of("cluster-1", "cluster-2")) {
            servers.add(new PayaraProcess(name, environment).start());
            System.out.println("Server " + name + " is up at " + servers.get(servers.size() - 1).root() + "/");
        }
        Haproxy balancer = Haproxy.start("local-cluster",
                servers.stream().map(server -> "127.0.0.1:" + server.port()).toList(), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                balancer.close();
                for (PayaraProcess server : servers) {
                    server.stop();
                }
                redis.close();
                postgres.close();
            } catch (Exception e) {
                System.err.println("Stopping the cluster: " + e);
            }
        }));
        System.out.println();
        System.out.println("  The local cluster is ready: two servers on one PostgreSQL and one Redis, behind haproxy.");
        System.out.println("  Open " + publicUrl + "/ (every request may land on either server)");
        System.out.println("  Server logs: target/payara-cluster-1.log, target/payara-cluster-2.log. Ctrl-C stops it all.");
        Thread.currentThread().join();
    }
}
