package io.assistantstream.bench;

import io.assistantstream.upstream.control.EventStreamParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** The application's SSE parser on one thread, fed 4 MiB of Apollo-shaped text deltas in 16 KiB reads. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {

    static final int STREAM_BYTES = 4 << 20;
    private static final int READ_BYTES = 16 << 10;

    private byte[] stream;

    @Setup
    public void prepare() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(STREAM_BYTES + 4096);
        int i = 0;
        while (out.size() < STREAM_BYTES) {
            out.writeBytes(("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Here is word " + i++ + " of the answer, "
                    + "with some punctuation: café, naïve.\"}}\n\n").getBytes(StandardCharsets.UTF_8));
        }
        stream = out.toByteArray();
    }

    @Benchmark
    public void parse(Blackhole events) {
        EventStreamParser parser = new EventStreamParser(events::consume, 1 << 20);
        for (int offset = 0; offset < stream.length; offset += READ_BYTES) {
            parser.feed(stream, offset, Math.min(READ_BYTES, stream.length - offset));
        }
    }

    int streamBytes() {
        return stream.length;
    }
}
