package io.assistantstream.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** A port nothing listens on right now, for a server a test starts (the kernel picks it). */
public final class FreePort {

    private FreePort() {
    }

    public static int next() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
