package io.assistantstream.it;

import static org.awaitility.Awaitility.await;

import io.assistantstream.testing.FreePort;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real load balancer in front of the servers of a cluster: Debian's haproxy, round robin per request with no
 * stickiness, so consecutive requests and reconnects of one client land on different servers. Long tunnel and
 * client timeouts keep SSE and WebSocket streams open; health checks take a stopped server out.
 */
final class Haproxy implements AutoCloseable {

    private final int port;
    private final Process process;

    private Haproxy(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Balances over the given servers, each {@code host:port}. */
    static Haproxy start(String name, List<String> servers) throws IOException {
        return start(name, servers, FreePort.next());
    }

    static Haproxy start(String name, List<String> servers, int port) throws IOException {
        Path config = Path.of("target", "haproxy-" + name + ".cfg");
        String backends = servers.stream()
                .map(server -> "    server node" + servers.indexOf(server) + " " + server
                        + " check inter 1s fall 2 rise 1")
                .collect(Collectors.joining("\n"));
        Files.writeString(config, String.join("\n",
                "global",
                "    maxconn 4096",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 1h",
                "    timeout server 1h",
                "    timeout tunnel 1h",
                "    option httpchk GET /assistant-stream/api/health",
                // A server that stops answers 503 until its checks take it out: the request goes to another. haproxy
                // can only resend a request it holds whole, so a POST's body is read before the server is picked
                // (without it a question whose body came in a packet of its own got the stopping server's 503).
                "    option http-buffer-request",
                "    retries 3",
                "    option redispatch 1",
                "    retry-on conn-failure empty-response 503",
                "frontend cluster",
                "    bind 127.0.0.1:" + port,
                "    default_backend nodes",
                "backend nodes",
                "    balance roundrobin",
                backends,
                ""));
        Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "haproxy-" + name + ".log").toFile()))
                .start();
        await("haproxy listening on " + port + " (its log: target/haproxy-" + name + ".log)")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited at once; see target/haproxy-" + name + ".log");
                    }
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
        return new Haproxy(port, process);
    }

    String root() {
        return "http://127.0.0.1:" + port + "/assistant-stream";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
