package io.assistantstream.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Every REST resource and the SSE endpoint live under {@code /api}. */
@ApplicationPath("api")
public class ApiApplication extends Application {
}
