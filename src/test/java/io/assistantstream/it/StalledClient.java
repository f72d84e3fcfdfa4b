package io.assistantstream.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A subscriber on a raw socket that reads its response head and then stops reading, like a client on a dead
 * network or a frozen tab. Its receive buffer is fixed small before connecting, so the kernel cannot absorb the
 * stream for it (loopback autotuning would otherwise buffer tens of megabytes). {@link #readToEnd} later reads
 * everything the server still sent, up to the server closing the connection; {@link #readAtPace} reads it as a
 * slow link would, so the server's buffers fill and what it has not written waits in the relay.
 */
final class StalledClient implements AutoCloseable {

    private static final int RECEIVE_BUFFER_BYTES = 8 * 1024;

    private final Socket socket;
    private final boolean webSocket;
    private InputStream in;

    private StalledClient(URI uri, String request, boolean webSocket) throws IOException {
        this.webSocket = webSocket;
        socket = new Socket();
        socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        in = socket.getInputStream();
        String head = EventStreamLines.readHead(in);
        String expected = webSocket ? " 101 " : " 200 ";
        if (!head.contains(expected)) {
            throw new IOException("Expected" + expected + "but the server answered: " + head);
        }
    }

    /** An SSE subscription over HTTP/1.0, so the body is the bare event stream up to the server's close. */
    static StalledClient sse(String eventsUrl) throws IOException {
        URI uri = URI.create(Clients.withToken(eventsUrl));
        return new StalledClient(uri, "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.0\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nAccept: text/event-stream\r\n\r\n", false);
    }

    static StalledClient webSocket(String wsUrl) throws IOException {
        URI uri = URI.create(Clients.withToken(wsUrl));
        return new StalledClient(uri, "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", true);
    }

    /**
     * Reads until the server closes the connection (or stays silent for the timeout) and returns every event:
     * for SSE each named event, for a WebSocket each text frame, and its close frame as {@code ws_closed}.
     */
    List<Received> readToEnd(int silenceTimeoutMillis) throws IOException {
        return readUntil(silenceTimeoutMillis, event -> false);
    }

    private List<Received> readUntil(int silenceTimeoutMillis, Predicate<Received> last) throws IOException {
        socket.setSoTimeout(silenceTimeoutMillis);
        List<Received> events = new ArrayList<>();
        try {
            if (webSocket) {
                readFrames(events, last);
            } else {
                EventStreamLines.read(in, events::add, last);
            }
        } catch (SocketTimeoutException e) {
            events.add(new Received("silence", -1, Clients.JSON.createObjectNode()));
        }
        return events;
    }

    /** Reads at about {@code bytesPerSecond}, however fast the server writes, up to and with {@code last}. */
    List<Received> readAtPace(long bytesPerSecond, int silenceTimeoutMillis, Predicate<Received> last)
            throws IOException {
        in = new java.io.BufferedInputStream(new Paced(in, bytesPerSecond), RECEIVE_BUFFER_BYTES);
        return readUntil(silenceTimeoutMillis, last);
    }

    /** Hands on at most a receive buffer at a time, and none before its time at the pace. */
    private static final class Paced extends java.io.FilterInputStream {
        private final long bytesPerSecond;
        private final long startNanos = System.nanoTime();
        private long handed;

        Paced(InputStream in, long bytesPerSecond) {
            super(in);
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long dueNanos = startNanos + handed * 1_000_000_000L / bytesPerSecond;
            long early = dueNanos - System.nanoTime();
            if (early > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(early);
            }
            int read = super.read(buffer, offset, Math.min(length, RECEIVE_BUFFER_BYTES));
            handed += Math.max(0, read);
            return read;
        }
    }

    private void readFrames(List<Received> events, Predicate<Received> last) throws IOException {
        DataInputStream frames = new DataInputStream(in);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first;
            try {
                first = frames.readUnsignedByte();
            } catch (EOFException e) {
                return;
            }
            int opcode = first & 0x0F;
            long length = frames.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = frames.readUnsignedShort();
            } else if (length == 127) {
                length = frames.readLong();
            }
            byte[] payload = frames.readNBytes((int) length);
            if (opcode == 8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                String reason = payload.length > 2
                        ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                events.add(new Received("ws_closed", -1,
                        Clients.JSON.createObjectNode().put("code", code).put("reason", reason)));
                return;
            }
            if (opcode == 1 || opcode == 0) {
                message.write(payload);
                if ((first & 0x80) != 0) {
                    var frame = Clients.JSON.readTree(message.toByteArray());
                    Received event = new Received(frame.path("event").asText(),
                            frame.has("id") ? frame.get("id").asLong() : -1, frame.path("data"));
                    events.add(event);
                    message.reset();
                    if (last.test(event)) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
