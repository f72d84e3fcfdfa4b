package io.assistantstream.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay under test: Payara Micro in a process of its own, the WAR deployed, on loopback. */
final class RelayServer implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    final int port;
    final long startupMillis;
    private final Process process;

    RelayServer(Path microJar, Path war, Path preboot, String apolloUrl, Map<String, String> config)
            throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Path.of("results", "server.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx1g", "-jar", microJar.toString(), "--nocluster",
                "--port", Integer.toString(port), "--rootDir", Files.createTempDirectory("bench-payara").toString(),
                "--prebootcommandfile", preboot.toString(), "--deploy", war.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("APOLLO_URL", apolloUrl);
        builder.environment().putAll(config);
        long launched = System.nanoTime();
        process = builder.start();
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited at start; see " + log.toAbsolutePath());
            }
            Thread.sleep(100);
        }
        startupMillis = (System.nanoTime() - launched) / 1_000_000;
    }

    String api() {
        return "http://127.0.0.1:" + port + "/assistant-stream/api";
    }

    String webSocketBase() {
        return "ws://127.0.0.1:" + port + "/assistant-stream/ws/sessions/";
    }

    private boolean answers() {
        try {
            return StampReaders.HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Live heap after a full collection, in bytes (jcmd GC.run, then GC.heap_info). */
    long heapUsedBytes() throws Exception {
        jcmd("GC.run");
        Thread.sleep(500);
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info said nothing about the heap");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    long residentBytes() throws IOException {
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        return rss.find() ? Long.parseLong(rss.group(1)) * 1024 : -1;
    }

    private String jcmd(String command) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), command).redirectErrorStream(true)
                .start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
