package io.assistantstream.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One boot of a server with the WAR that leaves a class data sharing archive behind: the server is started with
 * {@code -XX:ArchiveClassesAtExit}, asked one demo question's worth (health, then a session), and stopped normally,
 * which is when the JVM writes every class it loaded. Later boots with {@code -XX:SharedArchiveFile} map those
 * classes instead of reading, verifying and parsing them again; a class that changed since is loaded as usual.
 */
final class ClassArchiveBoot {

    private ClassArchiveBoot() {
    }

    static List<String> java(List<String> arguments) {
        return Stream.concat(Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                arguments.stream()).toList();
    }

    /** Runs {@code server} (already given the archive option) until {@code api} answers, then stops it. */
    static void record(ProcessBuilder server, String api, Path archive, Path log) throws Exception {
        Process process = server.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            exercise(api, process, log);
        } finally {
            process.destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("The server did not stop within 120 s; its log: " + log);
            }
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("The server stopped without writing " + archive + "; its log: " + log);
        }
    }

    private static void exercise(String api, Process server, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        await("the server answering " + api + "/health (its log: " + log + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!server.isAlive()) {
                        throw new IllegalStateException("The server exited; its log: " + log);
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

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
