package dev.mmcheck.lib;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where specs/ and counterexamples/ live (set by the build; else found upward). */
public final class Repo {
    private Repo() {
    }

    public static Path root() {
        String p = System.getProperty("mmcheck.root");
        if (p != null && Files.isDirectory(Path.of(p, "specs"))) return Path.of(p);
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("specs"))) d = d.getParent();
        if (d == null) throw new IllegalStateException("cannot find the repository root (no specs/ above " + Path.of("").toAbsolutePath() + ")");
        return d;
    }

    public static Path spec(String relative) {
        return root().resolve(relative);
    }
}
