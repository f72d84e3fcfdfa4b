package io.assistantstream.upstream.control;

import io.assistantstream.platform.UpstreamSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK HTTP client every upstream is asked through (Apollo, and the model providers under LangChain4j), so each
 * answer's bytes arrive through {@link ByteChunks} and the relay's own bounds hold whoever is asked.
 *
 * <p>The JDK's {@code java.net.http} client rather than Jersey's {@code EventInput}: the latter exists on Payara
 * only, while this one streams incrementally on every server and lets the relay's own WHATWG parser see the bytes.
 */
@ApplicationScoped
public class UpstreamHttp {

    // A plain ThreadFactory (the container's default managed one, by its standard name), so a test can run it too.
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ThreadFactory threadFactory;

    @Inject
    UpstreamSettings settings;

    private HttpClient http;
    private ExecutorService bodyDelivery;

    /**
     * The HTTP client hands every piece of a response body to its executor. A managed executor would wrap each
     * hand-over in a managed task, and Payara captures the application's context for each (a class-loader scan:
     * milliseconds per chunk in the benchmark's profile), so the client gets plain tasks on container threads.
     */
    /** A started client outside a container (tests, benchmarks), on threads from {@code threads}; stop it after. */
    public static UpstreamHttp of(UpstreamSettings settings, ThreadFactory threads) {
        UpstreamHttp http = new UpstreamHttp();
        http.settings = settings;
        http.threadFactory = threads;
        http.init();
        return http;
    }

    @PostConstruct
    void init() {
        bodyDelivery = Executors.newCachedThreadPool(threadFactory);
        http = HttpClient.newBuilder()
                .executor(bodyDelivery)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    @PreDestroy
    public void stop() {
        bodyDelivery.shutdownNow();
    }

    HttpClient client() {
        return http;
    }

    /** Sends {@code request}; its body arrives through {@code body}, and closing {@code call} stops both. */
    public HttpResponse<Void> send(HttpRequest request, UpstreamCall call, ByteChunks body)
            throws InterruptedException, ExecutionException {
        CompletableFuture<HttpResponse<Void>> pending = http.sendAsync(request, responseInfo -> body);
        call.closeWith(() -> {
            pending.cancel(true);
            body.abort();
        });
        return pending.get();
    }
}
