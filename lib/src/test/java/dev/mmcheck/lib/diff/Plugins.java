package dev.mmcheck.lib.diff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles plugin sources against the test class path and packs them as a JAR, as a plugin author would. */
final class Plugins {
    private Plugins() {
    }

    /**
     * @param sources  fully qualified class name to source text
     * @param services the classes to list in META-INF/services, or null for no services file
     */
    static Path jar(Path dir, String name, Map<String, String> sources, List<String> services) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        List<String> files = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new java.util.ArrayList<>(List.of("--release", "21", "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path")));
        args.addAll(files);
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) throw new IllegalStateException("javac failed for " + name);
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var walk = Files.walk(classes)) {
                for (Path c : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                    Files.copy(c, out);
                    out.closeEntry();
                }
            }
            if (services != null) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.mmcheck.model.plugin.RulePlugin"));
                OutputStream o = out;
                o.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The worked example of the repository, examples/plugins/mprotect-batching, built into a JAR. */
    static Path mprotectBatching(Path dir) throws IOException {
        Path root = dev.mmcheck.lib.Repo.root().resolve("examples/plugins/mprotect-batching/src/main");
        String source = Files.readString(root.resolve("java/org/example/mmcheck/MprotectBatching.java"));
        List<String> services = Files.readAllLines(root.resolve("resources/META-INF/services/dev.mmcheck.model.plugin.RulePlugin"));
        return jar(dir, "mprotect-batching", Map.of("org.example.mmcheck.MprotectBatching", source), services);
    }
}
