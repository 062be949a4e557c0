package dev.mmcheck.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Checkpoints of a Spark search: {@code DIR/level-NNNNNN/} holds the frontier at that depth ({@code frontier/}, Spark
 * object files of nodes: fingerprint, path, packed state), the visited set ({@code visited/}, sorted fingerprint
 * arrays) and the driver's counters and decided properties ({@code state.properties}, written last: a level
 * directory without it is incomplete and ignored). The paths in the frontier are the parent links a resumed run
 * needs for its traces. DIR must be one path that the driver and every executor see (a local path for local[N] and
 * for a one-machine cluster; a shared or HDFS-mounted path for a real cluster).
 *
 * <p>{@code state.properties} names the format of the files ({@link #FORMAT}); a checkpoint of another format (or
 * one written before formats were numbered) is refused rather than misread.
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * The format of the object files: 2 since nodes carry their state as varint bytes ({@link Node#packed}); format 1
     * (unnumbered) held int words.
     */
    static final int FORMAT = 2;

    record Counters(int depth, long admitted, long transitions, long cut, int maxDepthReached, long frontierSize,
                    int[][] decidedBy, boolean observed) {
    }

    record Loaded(Counters counters, JavaRDD<Node> frontier, JavaRDD<long[]> visited) {
    }

    static void write(JavaSparkContext sc, Path dir, int depth, JavaRDD<Node> frontier, JavaRDD<long[]> visited,
                      Counters c, String identity) {
        try {
            Path level = dir.resolve(String.format("level-%06d", depth));
            if (Files.exists(level)) {
                deleteTree(level);
            }
            Files.createDirectories(level);
            frontier.saveAsObjectFile(level.resolve("frontier").toUri().toString());
            visited.saveAsObjectFile(level.resolve("visited").toUri().toString());
            Properties p = new Properties();
            p.setProperty("format", Integer.toString(FORMAT));
            p.setProperty("identity", identity);
            p.setProperty("depth", Integer.toString(c.depth()));
            p.setProperty("admitted", Long.toString(c.admitted()));
            p.setProperty("transitions", Long.toString(c.transitions()));
            p.setProperty("cut", Long.toString(c.cut()));
            p.setProperty("maxDepthReached", Integer.toString(c.maxDepthReached()));
            p.setProperty("frontierSize", Long.toString(c.frontierSize()));
            p.setProperty("observed", Boolean.toString(c.observed()));
            p.setProperty("properties", Integer.toString(c.decidedBy().length));
            for (int i = 0; i < c.decidedBy().length; i++) {
                if (c.decidedBy()[i] != null) {
                    p.setProperty("decided." + i, String.join(",", Arrays.stream(c.decidedBy()[i])
                            .mapToObj(Integer::toString).toList()));
                }
            }
            Path tmp = level.resolve("state.properties.tmp");
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "mmcheck spark checkpoint");
            }
            Files.move(tmp, level.resolve("state.properties"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    static Loaded read(JavaSparkContext sc, Path dir, String identity) {
        Path level = newest(dir);
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(level.resolve("state.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + level + ": " + e.getMessage(), e);
        }
        String format = p.getProperty("format", "1");
        if (!format.equals(Integer.toString(FORMAT))) {
            throw new IllegalArgumentException("checkpoint " + level + " is in format " + format + " of an older or newer mmcheck;"
                    + " this one reads format " + FORMAT + ": start afresh in an empty directory");
        }
        if (!identity.equals(p.getProperty("identity"))) {
            throw new IllegalArgumentException("checkpoint " + level + " was written for another spec, profile or bounds;"
                    + " resume with the same ones, or start afresh in an empty directory");
        }
        Counters c;
        try {
            int n = Integer.parseInt(p.getProperty("properties"));
            int[][] decided = new int[n][];
            for (int i = 0; i < n; i++) {
                String s = p.getProperty("decided." + i);
                if (s != null) decided[i] = Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
            }
            c = new Counters(Integer.parseInt(p.getProperty("depth")), Long.parseLong(p.getProperty("admitted")),
                    Long.parseLong(p.getProperty("transitions")), Long.parseLong(p.getProperty("cut")),
                    Integer.parseInt(p.getProperty("maxDepthReached")), Long.parseLong(p.getProperty("frontierSize")),
                    decided, Boolean.parseBoolean(p.getProperty("observed")));
        } catch (NumberFormatException | NegativeArraySizeException e) {
            // Integer.parseInt(null) is a NumberFormatException too: a missing counter lands here
            throw new IllegalArgumentException("checkpoint " + level + " is damaged: " + level.resolve("state.properties")
                    + " has a missing or malformed counter (" + e.getMessage() + "); start afresh in an empty directory");
        }
        JavaRDD<Node> frontier = sc.objectFile(level.resolve("frontier").toUri().toString());
        JavaRDD<long[]> visited = sc.objectFile(level.resolve("visited").toUri().toString());
        return new Loaded(c, frontier, visited);
    }

    /** The newest complete level directory. */
    static Path newest(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> levels = new ArrayList<>(s.filter(l -> l.getFileName().toString().startsWith("level-")
                    && Files.exists(l.resolve("state.properties"))).sorted().toList());
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("no complete checkpoint to resume from in " + dir);
            }
            return levels.get(levels.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.delete(q);
        }
    }
}
