package io.assistantstream.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads every class of the application at start-up. A server that drains keeps its answers streaming while it
 * stops, but Payara stops the application's class loader when the stop begins: a class first needed then (the end
 * of an answer is the first one after a start, say) is not found, and that answer's reader dies without a word. A
 * class loaded once is found again without the loader, so the application's own classes (240) are loaded while it
 * starts.
 */
@ApplicationScoped
public class ClassPreload {

    private static final Logger LOG = Logger.getLogger(ClassPreload.class.getName());
    private static final String CLASSES = "/WEB-INF/classes/";

    void preload(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (!(started instanceof ServletContext context)) {
            return;
        }
        ClassLoader loader = ClassPreload.class.getClassLoader();
        int[] loaded = new int[1];
        walk(context, CLASSES + "io/assistantstream/", path -> {
            String name = path.substring(CLASSES.length(), path.length() - ".class".length()).replace('/', '.');
            try {
                Class.forName(name, false, loader);
                loaded[0]++;
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.log(Level.WARNING, "Could not load " + name + " at start-up; a drain may not end an answer that "
                        + "needs it", e);
            }
        });
        LOG.fine(() -> "Loaded " + loaded[0] + " classes of the application at start-up");
    }

    private static void walk(ServletContext context, String directory, java.util.function.Consumer<String> onClass) {
        Set<String> paths = context.getResourcePaths(directory);
        if (paths == null) {
            return;
        }
        for (String path : paths) {
            if (path.endsWith("/")) {
                walk(context, path, onClass);
            } else if (path.endsWith(".class")) {
                onClass.accept(path);
            }
        }
    }
}
