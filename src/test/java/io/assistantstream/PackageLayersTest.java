package io.assistantstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages import in one direction only: each may import those listed for it, nothing above it. */
class PackageLayersTest {

    private static final Map<String, Set<String>> MAY_IMPORT = Map.of(
            "platform", Set.of(),
            "stream", Set.of("platform"),
            "caller", Set.of("platform"),
            "session", Set.of("platform", "stream", "caller"),
            "upstream", Set.of("platform"),
            "changes", Set.of("platform", "stream", "caller", "session", "upstream"),
            "delivery", Set.of("platform", "stream", "caller", "session"),
            "chat", Set.of("platform", "stream", "caller", "session", "upstream", "changes", "delivery"),
            "demo", Set.of("platform"),
            "operations", Set.of("platform", "stream", "caller", "session", "upstream", "changes", "delivery", "chat"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.assistantstream\\.([a-z]+)\\.",
            Pattern.MULTILINE);
    private static final Path SOURCES = Path.of("src/main/java/io/assistantstream");

    @Test
    void noPackageImportsOneAboveIt() throws IOException {
        Set<String> violations = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String layer = SOURCES.relativize(file).getName(0).toString();
            Set<String> allowed = MAY_IMPORT.get(layer);
            if (allowed == null) {
                violations.add(layer + " is not a known package; add it to the layers");
                continue;
            }
            Matcher imported = IMPORT.matcher(Files.readString(file));
            while (imported.find()) {
                String target = imported.group(1);
                if (!target.equals(layer) && !allowed.contains(target)) {
                    violations.add(file.getFileName() + " (" + layer + ") imports " + target);
                }
            }
        }
        assertEquals(Set.of(), violations);
    }
}
