package io.assistantstream.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Boots Payara Micro once with the WAR and keeps every class it loaded in a class data sharing archive
 * ({@code -XX:ArchiveClassesAtExit}), so that later boots of the same Payara Micro jar (the tests', the demo's) map
 * those classes instead of reading, verifying and parsing them again. The archive stays valid as long as the jar
 * does: the WAR's own classes are matched by content, and the ones that changed since are simply loaded as usual.
 *
 * <p>Run by the build in the package phase: {@code PayaraClassArchive <payara-micro.jar> <war> <archive>}.
 */
public final class PayaraClassArchive {

    private PayaraClassArchive() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path war = Path.of(args[1]);
        Path archive = Path.of(args[2]);
        if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            System.out.println("Payara Micro's class archive is up to date: " + archive);
            return;
        }
        Files.deleteIfExists(archive);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path root = Files.createTempDirectory("payara-class-archive");
        Path log = archive.resolveSibling("payara-class-archive.log");
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-XX:TieredStopAtLevel=1", "-Xmx768m",
                "-Ddemo.upstream.enabled=true", "-Dauth.mode=open",
                "-jar", jar.toString(), "--nocluster", "--rootdir", root.toString(), "--port", Integer.toString(port),
                "--deploy", war.toString(), "--contextroot", "assistant-stream")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        long started = System.nanoTime();
        Process payara = launch.start();
        try {
            exercise("http://127.0.0.1:" + port + "/assistant-stream/api", payara, log);
        } finally {
            // A normal exit (SIGTERM) is when the JVM writes the archive.
            payara.destroy();
            if (!payara.waitFor(120, TimeUnit.SECONDS)) {
                payara.destroyForcibly();
                throw new IllegalStateException("Payara Micro did not stop within 120 s; its log: " + log);
            }
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("Payara Micro stopped without writing " + archive + "; its log: " + log);
        }
        System.out.printf("Payara Micro's class archive written in %.1f s: %s (%d MB)%n",
                (System.nanoTime() - started) / 1e9, archive, Files.size(archive) >> 20);
    }

    /** Waits for the server and asks it one demo question, so the classes of a request are archived too. */
    private static void exercise(String api, Process payara, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        await("Payara Micro answering " + api + "/health (its log: " + log + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!payara.isAlive()) {
                        throw new IllegalStateException("Payara Micro exited; its log: " + log);
                    }
                    return send(http, HttpRequest.newBuilder(URI.create(api + "/health"))).statusCode() == 200;
                });
        HttpResponse<String> session = send(http, HttpRequest.newBuilder(URI.create(api + "/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"workflow\"}")));
        if (session.statusCode() != 201) {
            throw new IllegalStateException("Creating a session answered " + session.statusCode() + ": " + session.body());
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
