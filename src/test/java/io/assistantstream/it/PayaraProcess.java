package io.assistantstream.it;

import static org.awaitility.Awaitility.await;

import io.assistantstream.testing.FreePort;
import io.assistantstream.testing.PayaraLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The built WAR on a Payara Micro process of its own, on PostgreSQL as in production
 * (server-config/payara/postgresql.asadmin, the driver added with --addLibs, DB_URL/DB_USER/DB_PASSWORD from the
 * environment), configured by environment variables, and stopped, or killed as a crash would.
 */
final class PayaraProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final int port;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;

    PayaraProcess(String name, Map<String, String> environment) throws IOException {
        this.name = name;
        this.environment = environment;
        this.port = FreePort.next();
        this.log = Path.of("target", "payara-" + name + ".log");
    }

    int port() {
        return port;
    }

    String root() {
        return "http://127.0.0.1:" + port + "/assistant-stream";
    }

    String api() {
        return root() + "/api";
    }

    /** Starts the server (again, on the same port) and returns once its health answers 200. */
    PayaraProcess start() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("payara.jvmOptions", "-Xmx768m").trim().split("\\s+")));
        Path microJar = Path.of(System.getProperty("payara.microJar"));
        boolean driverBuiltIn = PayaraLauncher.restoreConfigOf(microJar);
        command.addAll(List.of("-jar", microJar.toString(), "--nocluster", "--port", Integer.toString(port)));
        if (!driverBuiltIn) {
            command.addAll(List.of("--addLibs", System.getProperty("assistantstream.postgresDriver")));
        }
        command.addAll(List.of("--prebootcommandfile", System.getProperty("payara.prebootFile"),
                "--postbootcommandfile", System.getProperty("assistantstream.payaraPostgresCommands"),
                "--deploy", System.getProperty("assistantstream.war")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Deployments.OPEN_AND_UNBOUNDED.forEach((key, value) ->
                builder.environment().put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
        builder.environment().putAll(environment);
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("Payara Micro (" + name + ") exited; the end of its log: " + tail());
                        }
                        return http.send(HttpRequest.newBuilder(URI.create(api() + "/health")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
            return this;
        } catch (ConditionTimeoutException late) {
            process.destroyForcibly();
            throw new AssertionError("Payara Micro (" + name + ") did not answer within " + START_TIMEOUT
                    + "; the end of its log: " + tail());
        } catch (RuntimeException | Error failed) {
            // Never left running behind a failed start: it would take the cores the next tests are timed on.
            process.destroyForcibly();
            throw failed;
        }
    }

    /** Stops the server as an operator would, letting it end its answers. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Ends the server at once, as a crash would: nothing it was doing is finished. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The server's threads and the warnings it logged, for a failure message: what a failed cluster run on a
     * machine nobody can log into leaves to read.
     */
    String diagnostics() {
        StringBuilder out = new StringBuilder();
        try {
            if (process != null && process.isAlive()) {
                Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
                String threads = new String(dump.getInputStream().readAllBytes());
                dump.waitFor(30, TimeUnit.SECONDS);
                Path file = Path.of("target", "payara-" + name + "-threads.txt");
                Files.writeString(file, threads);
                out.append("Payara's threads are in ").append(file).append('\n');
                for (String stack : threads.split("\n\n")) {
                    if (stack.contains("io.assistantstream")) {
                        out.append(stack).append("\n\n");
                    }
                }
            }
            List<String> lines = Files.readAllLines(log);
            out.append("Payara's warnings:\n");
            for (String line : lines.subList(Math.max(0, lines.size() - 5000), lines.size())) {
                if (line.contains("WARNING") || line.contains("SEVERE")) {
                    out.append(line).append('\n');
                }
            }
        } catch (IOException | InterruptedException e) {
            out.append("(no diagnostics: ").append(e).append(')');
        }
        return out.toString();
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
