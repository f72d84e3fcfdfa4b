package io.assistantstream.bench;

import io.assistantstream.upstream.control.EventStreamParser;
import io.assistantstream.upstream.entity.ServerSentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * nginx with the nchan module, started by bench/run.sh from bench/nchan/nginx.conf, as the peer a user would
 * otherwise pick. Each answer is read from the same fast upstream by a small publisher in this JVM (the relay's
 * own SSE parser), which maps each upstream event to the client event the relay would send and POSTs it to the
 * session's channel, pipelined on one HTTP/1.1 connection (nginx answers pipelined requests in order, so the
 * channel's order holds) without waiting for each answer: a publisher that waits a round trip per event, in a JVM
 * busy with a thousand readers, fell seconds behind at 5,000 events/s and measured itself instead of nchan.
 * (Publishing over a WebSocket crashed nchan 1.3.6's workers under this load: signal 11 in a loop once the two
 * workers passed messages between them, as nchan's issue #488 reports for its WebSocket publish callback.)
 */
final class NchanHub implements Hub {

    private static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PSS = Pattern.compile("Pss:\\s+(\\d+) kB");

    /**
     * The publishers' own client for the upstream: on the readers' client its one selector thread would carry
     * the upstream answers behind a thousand readers' streams (the relay reads them in its own process).
     */
    private static final HttpClient UPSTREAM = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final Path pidFile;
    private final String apolloUrl;
    private final String version;
    private final AtomicInteger channels = new AtomicInteger();
    private volatile ConcurrentHistogram publishedAges = new ConcurrentHistogram(3);

    NchanHub(int port, Path pidFile, String apolloUrl, String version) {
        this.port = port;
        this.pidFile = pidFile;
        this.apolloUrl = apolloUrl;
        this.version = version;
    }

    /** The hub bench/run.sh started, if it did (-Dbench.nchan.port, -Dbench.nchan.pid). */
    static NchanHub fromRunScript(String apolloUrl) {
        String port = System.getProperty("bench.nchan.port");
        if (port == null) {
            return null;
        }
        return new NchanHub(Integer.parseInt(port), Path.of(System.getProperty("bench.nchan.pid")), apolloUrl,
                System.getProperty("bench.nchan.version", "nginx + nchan"));
    }

    @Override
    public String name() {
        return version;
    }

    @Override
    public String label() {
        return "nchan";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Channel open() {
        String name = "s" + channels.incrementAndGet();
        return new Channel(name, "http://127.0.0.1:" + port + "/sub/" + name, null,
                "ws://127.0.0.1:" + port + "/sub/" + name, "/sub/" + name);
    }

    @Override
    public void stream(Channel channel, int events, long periodMicros) {
        Thread publisher = new Thread(() -> publish(channel, events, periodMicros), "publisher-" + channel.name());
        publisher.setDaemon(true);
        publisher.start();
    }

    private void publish(Channel channel, int events, long periodMicros) {
        try (Socket nchan = new Socket("127.0.0.1", port)) {
            nchan.setTcpNoDelay(true);
            HttpResponse<InputStream> answer = UPSTREAM.send(HttpRequest.newBuilder(
                    URI.create(apolloUrl + "/services/job_chat")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"bench:" + events + ":" + periodMicros
                            + "\"}")).build(), HttpResponse.BodyHandlers.ofInputStream());
            ClientEvents mapped = new ClientEvents(channel.name(), nchan, publishedAges);
            EventStreamParser parser = new EventStreamParser(mapped::publish, 1 << 20);
            try (InputStream body = answer.body()) {
                byte[] buffer = new byte[16 * 1024];
                for (int read; (read = body.read(buffer)) >= 0; ) {
                    parser.feed(buffer, 0, read);
                }
            }
            mapped.finish();
        } catch (Exception e) {
            System.err.println("The nchan publisher of channel " + channel.name() + " failed: " + e);
            e.printStackTrace();
        }
    }

    /** Upstream events as the relay's WebSocket frames ({"event","id","data"}), one nchan message each. */
    private static final class ClientEvents {
        private final String channel;
        private final OutputStream requests;
        private final InputStream answers;
        private final byte[] drained = new byte[64 * 1024];
        private final Histogram ages;
        private long id;
        private boolean closing;

        ClientEvents(String channel, Socket nchan, Histogram ages) throws IOException {
            this.channel = channel;
            this.ages = ages;
            this.requests = nchan.getOutputStream();
            this.answers = nchan.getInputStream();
        }

        void publish(ServerSentEvent event) {
            String data = "{\"session_id\":\"" + channel + "\",\"message_id\":\"m\"";
            String name;
            if ("content_block_delta".equals(event.type())) {
                Matcher text = TEXT.matcher(event.data());
                if (!text.find()) {
                    return;
                }
                name = "streaming_chunk";
                data += ",\"content\":\"" + text.group(1) + "\"}";
            } else if ("complete".equals(event.type())) {
                name = "streaming_complete";
                data += "}";
                closing = true;
            } else {
                return;
            }
            byte[] frame = ("{\"event\":\"" + name + "\",\"id\":" + (++id) + ",\"data\":" + data + "}")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                requests.write(("POST /pub/" + channel + " HTTP/1.1\r\nHost: nchan\r\nAccept: text/plain\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: " + frame.length + "\r\n"
                        + (closing ? "Connection: close\r\n" : "") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                requests.write(frame);
                requests.flush();
                int stamp = data.indexOf("@@");
                if (stamp >= 0) {
                    ages.recordValue(Math.max(0, System.nanoTime()
                            - Long.parseLong(data.substring(stamp + 2, data.indexOf("@@", stamp + 2)))));
                }
                // The answers are read as they come, so nginx never stalls on a full send buffer.
                for (int ready; (ready = answers.available()) > 0; ) {
                    check(answers.read(drained, 0, Math.min(ready, drained.length)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Waits for nginx to answer every request: the last asked it to close the connection once answered. (A
         * half-close instead made nginx drop the pipelined requests it had not answered yet.)
         */
        void finish() throws IOException {
            if (!closing) {
                throw new IllegalStateException("The upstream answer on channel " + channel + " ended without complete");
            }
            for (int read; (read = answers.read(drained)) >= 0; ) {
                check(read);
            }
        }

        private void check(int read) {
            String answered = new String(drained, 0, read, StandardCharsets.ISO_8859_1);
            if (answered.contains("HTTP/1.1 4") || answered.contains("HTTP/1.1 5")) {
                throw new IllegalStateException("nchan refused a publish on channel " + channel + ": "
                        + answered.lines().findFirst().orElse(""));
            }
        }
    }

    @Override
    public Histogram takeHarnessAges() {
        Histogram taken = publishedAges;
        publishedAges = new ConcurrentHistogram(3);
        return taken;
    }

    /** nginx lets a subscriber go the moment its connection closes. */
    @Override
    public void awaitNoSubscribers() {
    }

    /** nginx's processes' proportional set sizes (shared memory counted once); it has no heap of its own. */
    @Override
    public Footprint footprint() throws Exception {
        long master = Long.parseLong(Files.readString(pidFile).trim());
        long kilobytes = 0;
        for (long pid : processes(master)) {
            Matcher pss = PSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
            if (pss.find()) {
                kilobytes += Long.parseLong(pss.group(1));
            }
        }
        return new Footprint(-1, kilobytes * 1024);
    }

    private static List<Long> processes(long master) {
        return Stream.concat(Stream.of(master),
                ProcessHandle.of(master).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid)).toList();
    }
}
